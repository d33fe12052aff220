from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("gather", "0003_indexes_for_body_and_answer_lists"),
    ]

    operations = [
        # The review panel's queue and the responders' queue, a page at a time.
        migrations.AddIndex(
            model_name="flag",
            index=models.Index(fields=["status", "id"], name="gather_flag_status_id_idx"),
        ),
        migrations.AddIndex(
            model_name="referral",
            index=models.Index(
                fields=["organisation", "status", "due_date", "id"], name="referral_org_queue"
            ),
        ),
    ]
