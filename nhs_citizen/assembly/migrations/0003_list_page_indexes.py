from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("assembly", "0002_stored_results"),
    ]

    operations = [
        # The past cycles list, a page at a time (keyset pagination), newest first.
        migrations.AddIndex(
            model_name="cycle",
            index=models.Index(
                fields=["stage", "flag_cutoff", "id"], name="assembly_cycle_by_stage"
            ),
        ),
    ]
