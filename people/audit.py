"""The audit trail managers read: Wagtail's audit log (ModelLogEntry), the one audit mechanism of the
project, filtered by the learner an entry is about and by who acted.

Which entries are about a learner is worked out when someone asks, not stored: entries on the learner's
own record or on any record with a `learner` foreign key (enrollments, bonuses, savings deposits,
milestones, credentials…), and attendance entries on their cohorts' sessions whose recorded changes
name them. Writing the log stays one insert, so the roster save keeps its query bound.
"""

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from wagtail.models import ModelLogEntry

from core.search import search_text

from .models import Learner

ATTENDANCE_ACTION = "cohorts.attendance.record"


def models_about_a_learner():
    """Every project model with a `learner` foreign key to Learner (found, so new apps are covered)."""
    found = []
    for model in apps.get_models():
        try:
            field = model._meta.get_field("learner")
        except Exception:  # noqa: BLE001 — no such field
            continue
        if getattr(field, "related_model", None) is Learner and field.many_to_one:
            found.append(model)
    return found


def entries_about(learner, entries=None):
    """Log entries about `learner`, as a queryset of ModelLogEntry."""
    entries = ModelLogEntry.objects.all() if entries is None else entries
    about = Q(content_type=ContentType.objects.get_for_model(Learner), object_id=str(learner.pk))
    for model in models_about_a_learner():
        ids = [str(pk) for pk in model.objects.filter(learner=learner).values_list("pk", flat=True)]
        if ids:
            about |= Q(content_type=ContentType.objects.get_for_model(model), object_id__in=ids)
    attendance_ids = _attendance_entries_naming(learner)
    if attendance_ids:
        about |= Q(pk__in=attendance_ids)
    return entries.filter(about)


def _attendance_entries_naming(learner):
    """Roster saves are logged once per session with every change in `data["changes"]`: keep those that
    name this learner. JSON containment is not portable to SQLite, so the (few hundred) candidate entries
    on the learner's cohorts' sessions are read and checked here."""
    Session = apps.get_model("cohorts", "Session")
    session_ids = [
        str(pk)
        for pk in Session.objects.filter(cohort__enrollments__learner=learner).values_list("pk", flat=True).distinct()
    ]
    if not session_ids:
        return []
    candidates = ModelLogEntry.objects.filter(
        action=ATTENDANCE_ACTION,
        content_type=ContentType.objects.get_for_model(Session),
        object_id__in=session_ids,
    ).values_list("pk", "data")
    return [
        pk
        for pk, data in candidates
        if any(change.get("learner") == learner.pk for change in (data or {}).get("changes", []))
    ]


def learners_matching(text, *, limit=50):
    """The learners a manager means by `text`: an id, or part of a full or preferred name."""
    text = search_text(text).strip()
    if not text:
        return []
    if text.isdigit():
        return list(Learner.objects.filter(pk=int(text)))
    return list(
        Learner.objects.filter(Q(full_name__icontains=text) | Q(preferred_name__icontains=text)).order_by("pk")[:limit]
    )


def entries_about_any(learners, entries=None):
    entries = ModelLogEntry.objects.all() if entries is None else entries
    if not learners:
        return entries.none()
    matched = entries_about(learners[0], entries)
    for learner in learners[1:]:
        matched = matched | entries_about(learner, entries)
    return matched.distinct()


def describe(entry, learner_ids=None, names=None):
    """One line of what changed, for the trail: the marks of an attendance save (only the chosen learners'
    when a learner is chosen), otherwise the recorded details."""
    data = entry.data or {}
    if entry.action == ATTENDANCE_ACTION:
        changes = [
            change for change in data.get("changes", []) if learner_ids is None or change.get("learner") in learner_ids
        ]
        names = names or {}
        return "; ".join(
            # First-strong isolates keep a right-to-left name from reordering the arrow and statuses.
            f"\u2068{names.get(change.get('learner')) or '#' + str(change.get('learner'))}\u2069: "
            f"{change.get('from') or '—'} → {change.get('to')}"
            for change in changes
        )
    return "; ".join(f"{key}: {value}" for key, value in data.items() if not isinstance(value, (dict, list)))
