"""Learners' phone numbers in E.164 (core.phones): the stored ones are rewritten, read as numbers of
settings.PATHWAYS_PHONE_REGION when they have no country code. A stored value that cannot be read as a
number is left exactly as it is, and counted on the console, so that staff can correct it by hand."""

from django.db import migrations

import core.phones


def normalize_stored_phones(apps, schema_editor):
    Learner = apps.get_model("people", "Learner")
    changed, unreadable = [], 0
    for learner in Learner.objects.exclude(phone="").only("pk", "phone").iterator():
        e164 = core.phones.to_e164(learner.phone.strip())
        if e164 is None:
            unreadable += 1
        elif e164 != learner.phone:
            learner.phone = e164
            changed.append(learner)
    Learner.objects.bulk_update(changed, ["phone"], batch_size=500)
    if changed or unreadable:
        print(
            f"\n  Phone numbers: {len(changed)} rewritten in E.164; {unreadable} could not be read as a number "
            "and were left as they were."
        )


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0005_learner_name_in_latin_letters"),
    ]

    operations = [
        migrations.AlterField(
            model_name="learner",
            name="phone",
            field=core.phones.PhoneNumberField(blank=True, max_length=32, verbose_name="phone"),
        ),
        migrations.RunPython(normalize_stored_phones, migrations.RunPython.noop, elidable=True),
    ]
