"""A learner's own data: export it (JSON and their files, zipped) and erase it.

Both work across apps without knowing them: every model with a `learner` foreign key (enrollments,
attendance through enrollments, bonuses, savings, milestones, credentials…) is found at run time, so a
new app's records are exported and scrubbed without editing this file. Apps that must do more on
erasure (revoking a certificate's public verification) listen to `learner_erased`.

Erasure anonymizes, it does not delete: attendance, enrollments, bonuses and credentials stay as
counts, so every outcome figure is the same after it; what identifies the person (names, contact,
portal account, free-text notes, evidence files) is gone.
"""

import io
import json
import zipfile

from django.apps import apps
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from core.errors import Refused

from . import audit
from .models import Learner

# Sent inside the erasure's transaction, after the learner's own fields are scrubbed: `learner`, `by`.
learner_erased = Signal()

LEARNER_FIELDS = [
    "id",
    "full_name",
    "name_latin",
    "preferred_name",
    "preferred_language",
    "phone",
    "email",
    "consent_data",
    "consent_contact",
    "consent_recorded_at",
    "created_at",
]
# Free text staff may have typed about the person: emptied on erasure wherever a learner's row has it.
FREE_TEXT_FIELDS = {
    "note",
    "notes",
    "withdrawal_reason",
    "rejection_reason",
    "evidence_name",
    "name_as_printed",
    "name_latin_as_printed",
}


class PrivacyError(Refused):
    """A data export or erasure the rules refuse."""


def _row(instance):
    data = {}
    for field in instance._meta.concrete_fields:
        value = getattr(instance, field.attname)
        if isinstance(field, models.FileField):
            value = value.name if value else ""
        data[field.attname] = value
    return data


def _learner_rows(learner):
    """{model label: [rows]} of every record that belongs to the learner, with the Attendance of their
    enrollments too (attendance belongs to an enrollment, not directly to a learner)."""
    found = {}
    for model in audit.models_about_a_learner():
        rows = list(model._default_manager.filter(learner=learner).order_by("pk"))
        if rows:
            found[model] = rows
    Attendance = apps.get_model("cohorts", "Attendance")
    marks = list(Attendance.objects.filter(enrollment__learner=learner).order_by("session__date", "pk"))
    if marks:
        found[Attendance] = marks
    return found


def export_learner(learner, *, by):
    """A zip with `learner.json` (their record and every row that belongs to them) and their files
    (certificates, evidence) under `files/`. Audited."""
    if learner.erased_at:
        raise PrivacyError(_("This learner's data was erased; there is nothing left to export."))
    document = {"learner": {name: getattr(learner, name) for name in LEARNER_FIELDS}, "records": {}}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for model, rows in _learner_rows(learner).items():
            document["records"][model._meta.label] = [_row(row) for row in rows]
            for row in rows:
                for field in row._meta.concrete_fields:
                    if isinstance(field, models.FileField) and getattr(row, field.attname):
                        stored = getattr(row, field.name)
                        try:
                            with stored.open("rb") as handle:
                                archive.writestr(
                                    f"files/{model._meta.model_name}-{row.pk}-{stored.name.rsplit('/', 1)[-1]}",
                                    handle.read(),
                                )
                        except FileNotFoundError:
                            document.setdefault("missing_files", []).append(stored.name)
        archive.writestr(
            "learner.json", json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2, sort_keys=True)
        )
    log(learner, "people.learner.export", user=by, data={"learner": learner.pk})
    return buffer.getvalue()


@transaction.atomic
def erase_learner(learner, *, by):
    """Anonymize the learner everywhere; keep every count. Audited (without the erased details)."""
    learner = Learner.objects.select_for_update().get(pk=learner.pk)
    if learner.erased_at:
        raise PrivacyError(_("This learner's data was already erased."))
    placeholder = _("Erased learner %(number)s") % {"number": learner.pk}
    files = []
    for model, rows in _learner_rows(learner).items():
        changed = {}
        for field in model._meta.concrete_fields:
            if field.name in FREE_TEXT_FIELDS and isinstance(field, (models.CharField, models.TextField)):
                changed[field.name] = ""
            elif isinstance(field, models.FileField) and field.blank:
                # Evidence and the like; a record that must keep its file (a certificate) is its app's
                # to handle on `learner_erased`.
                files += [getattr(row, field.name) for row in rows if getattr(row, field.attname)]
                changed[field.name] = ""
        if changed:
            model._default_manager.filter(pk__in=[row.pk for row in rows]).update(**changed)
    user = learner.user
    learner.full_name = placeholder
    learner.name_latin = ""
    learner.preferred_name = ""
    learner.phone = ""
    learner.email = ""
    learner.consent_contact = False
    learner.user = None
    learner.erased_at = timezone.now()
    learner.save()
    if user is not None:
        user.username = f"erased-{learner.pk}-{user.pk}"
        user.first_name = user.last_name = user.email = ""
        user.is_active = False
        user.set_unusable_password()
        user.save()
    # Audit entries keep who did what, but their labels were the learner's name when written.
    audit.entries_about(learner).exclude(content_type__model="session").update(label=placeholder)
    learner_erased.send(sender=Learner, learner=learner, by=by)
    log(learner, "people.learner.erase", user=by, data={"learner": learner.pk})
    transaction.on_commit(lambda: _delete_files(files))
    return learner


def _delete_files(files):
    """After the commit, so a rolled-back erasure keeps its files."""
    for stored in files:
        try:
            stored.storage.delete(stored.name)
        except OSError:
            pass
