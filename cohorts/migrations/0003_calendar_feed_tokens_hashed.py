"""Calendar feed tokens are stored as their SHA-256 digest (CalendarFeed.hash_token): existing links are
hashed in place, so every calendar already subscribed keeps working, and the raw tokens leave the database."""

import hashlib

from django.db import migrations, models


def hash_tokens(apps, schema_editor):
    CalendarFeed = apps.get_model("cohorts", "CalendarFeed")
    feeds = list(CalendarFeed.objects.only("pk", "token"))
    for feed in feeds:
        feed.token_hash = hashlib.sha256(feed.token.encode()).hexdigest()  # as CalendarFeed.hash_token
    CalendarFeed.objects.bulk_update(feeds, ["token_hash"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("cohorts", "0002_names_in_other_languages")]

    operations = [
        migrations.AddField(
            model_name="calendarfeed",
            name="token_hash",
            field=models.CharField(editable=False, max_length=64, null=True),
        ),
        # Going back cannot bring the raw tokens back: links made before must then be made again.
        migrations.RunPython(hash_tokens, migrations.RunPython.noop, elidable=True),
        migrations.RemoveField(model_name="calendarfeed", name="token"),
        migrations.AlterField(
            model_name="calendarfeed",
            name="token_hash",
            field=models.CharField(editable=False, max_length=64, unique=True),
        ),
    ]
