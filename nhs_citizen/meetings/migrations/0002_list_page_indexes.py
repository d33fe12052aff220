from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0001_initial"),
    ]

    operations = [
        # An agenda item's thread of remote posts, a page at a time (keyset pagination).
        migrations.AddIndex(
            model_name="remotepost",
            index=models.Index(fields=["item", "created_at", "id"], name="meetings_post_by_item"),
        ),
    ]
