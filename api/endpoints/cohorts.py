"""Cohorts, their sessions, a session's roster, and saving a session's attendance.

Reading a roster and saving attendance are for those the instructor page lets in
(cohorts.access.can_take_attendance): the cohort's instructors, its partner's staff and program
managers. Saving calls cohorts.services.record_attendance, as the page does; anything out of
scope is a 404, as on the page.
"""

from typing import Literal

from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from cohorts import selectors as cohort_selectors
from cohorts import services
from cohorts.access import can_take_attendance
from cohorts.models import Attendance, Session

from .. import selectors
from ..errors import ApiError, field_error
from ..pagination import LimitOffset
from ..schemas import (
    AttendanceIn,
    AttendanceResultOut,
    CohortDetailOut,
    CohortOut,
    Id,
    IsoDate,
    RosterOut,
    SessionOut,
    Text,
    responses,
)

router = Router(tags=["cohorts"])

CohortStatus = Literal["planned", "running", "finished", "cancelled"]
SessionStatus = Literal["scheduled", "cancelled"]


class CohortFilters(Schema):
    status: CohortStatus | None = None
    partner: Id | None = None
    term: Text | None = None


class SessionFilters(Schema):
    date_from: IsoDate | None = None
    date_to: IsoDate | None = None
    status: SessionStatus | None = None


@router.get("/cohorts", response=responses(list[CohortOut], not_found=False), summary="Cohorts you may see")
@paginate(LimitOffset)
def list_cohorts(request, filters: Query[CohortFilters]):
    return selectors.cohorts_for(request.auth, **filters.dict())


@router.get("/cohorts/{cohort_id}", response=responses(CohortDetailOut), summary="One cohort")
def get_cohort(request, cohort_id: Id):
    cohort = selectors.cohort_for(request.auth, cohort_id)
    if cohort is None:
        raise Http404
    return cohort


@router.get(
    "/cohorts/{cohort_id}/sessions", response=responses(list[SessionOut]), summary="A cohort's sessions, by date"
)
@paginate(LimitOffset)
def list_sessions(request, cohort_id: Id, filters: Query[SessionFilters]):
    if not selectors.cohort_is_visible(request.auth, cohort_id):
        raise Http404
    return selectors.sessions_for(request.auth, cohort_id=cohort_id, **filters.dict())


@router.get("/sessions/{session_id}", response=responses(SessionOut), summary="One session")
def get_session(request, session_id: Id):
    session = selectors.session_for(request.auth, session_id)
    if session is None:
        raise Http404
    return session


def _session_to_mark(user, session_id):
    """The session if `user` may take its attendance; otherwise a 404, as on the instructor page."""
    session = selectors.session_for(user, session_id)
    if session is None or not can_take_attendance(user, session.cohort):
        raise Http404
    return session


def _allowed_statuses(session):
    """The instructor page's rule: a session that has not happened yet can only excuse people."""
    if session.date > session.cohort.local_today():
        return [Attendance.Status.EXCUSED.value]
    return list(Attendance.Status.values)


def _mark(row):
    if not row.current_status:
        return None
    return {"status": row.current_status, "minutes_late": row.current_minutes_late, "note": row.current_note or ""}


def _roster_row(row):
    return {
        "enrollment_id": row.pk,
        "learner": row.learner,
        "enrollment_status": row.status,
        "attendance": _mark(row),
    }


@router.get("/sessions/{session_id}/roster", response=responses(RosterOut), summary="Who to mark, with marks so far")
def get_roster(request, session_id: Id):
    session = _session_to_mark(request.auth, session_id)
    return {
        "session": session,
        "allowed_statuses": _allowed_statuses(session),
        "rows": [_roster_row(row) for row in cohort_selectors.session_roster(session=session)],
    }


def _status_label(value):
    return Attendance.Status(value).label if value else _("not marked")


def _check_marks(marks, roster, allowed):
    """Per-mark problems the instructor page's form would show, each naming the mark and the learner."""
    problems = []
    seen = set()
    for index, mark in enumerate(marks):
        row = roster.get(mark.enrollment_id)
        where = ("body", "marks", index)
        if mark.enrollment_id in seen:
            problems.append(field_error((*where, "enrollment_id"), _("This learner appears twice in marks.")))
            continue
        seen.add(mark.enrollment_id)
        if row is None:
            problems.append(
                field_error(
                    (*where, "enrollment_id"),
                    _("Enrollment %(id)s is not on this session's roster.") % {"id": mark.enrollment_id},
                )
            )
            continue
        name = row.learner.display_name
        if mark.status not in allowed:
            problems.append(
                field_error(
                    (*where, "status"),
                    _("%(name)s: attendance for a future session can only be “excused”.") % {"name": name},
                )
            )
        if mark.minutes_late is not None and mark.status != Attendance.Status.LATE:
            problems.append(
                field_error(
                    (*where, "minutes_late"),
                    _("Minutes late are only for someone marked Late: choose Late for %(name)s or clear the minutes.")
                    % {"name": name},
                )
            )
    return problems


@router.post(
    "/sessions/{session_id}/attendance",
    response=responses(AttendanceResultOut, conflict=True, body=True),
    summary="Save marks for a session's roster",
    description=(
        "All marks are saved together or none is (one transaction), through the same service as the instructor "
        "page. A mark whose `expected` status no longer matches what is recorded is held back and reported as a "
        "conflict; the others are saved. Problems with a mark are reported per mark (`marks.<n>.<field>`)."
    ),
)
def record_attendance(request, session_id: Id, payload: AttendanceIn):
    user = request.auth
    session = _session_to_mark(user, session_id)
    if session.is_cancelled:
        raise ApiError(409, _("This session was cancelled; there is no attendance to take."))
    with transaction.atomic():
        # The service locks this row too; taking it first makes the "before" read below consistent with its save.
        Session.objects.select_for_update(of=("self",)).filter(pk=session.pk).first()
        roster = {row.pk: row for row in cohort_selectors.session_roster(session=session)}
        problems = _check_marks(payload.marks, roster, _allowed_statuses(session))
        if problems:
            raise ApiError(422, _("Some marks are not valid; nothing was saved."), errors=problems)
        marks = [
            services.Mark(
                enrollment_id=mark.enrollment_id,
                status=mark.status,
                minutes_late=mark.minutes_late,
                note=mark.note,
                expected=mark.expected,
            )
            for mark in payload.marks
        ]
        # A refusal (services.CohortError) is answered as a 422 by api.errors.on_refused.
        result = services.record_attendance(
            session=session, marks=marks, recorded_by=user, source=Attendance.Source.API
        )
        now = {
            row.pk: row
            for row in cohort_selectors.session_roster(
                session=session, enrollment_ids=[mark.enrollment_id for mark in marks]
            )
        }
    conflicts = set(result.conflicts)
    results = []
    for mark in marks:
        before, after = roster[mark.enrollment_id], now[mark.enrollment_id]
        if mark.enrollment_id in conflicts:
            outcome = "conflict"
            message = _(
                "%(name)s was changed on another device to %(status)s; your change was not saved — check and save again."
            ) % {"name": after.learner.display_name, "status": _status_label(after.current_status)}
        else:
            message = ""
            if _mark(before) == _mark(after):
                outcome = "unchanged"
            elif before.current_status:
                outcome = "updated"
            else:
                outcome = "created"
        results.append(
            {
                "enrollment_id": mark.enrollment_id,
                "learner_id": after.learner_id,
                "outcome": outcome,
                "attendance": _mark(after),
                "message": message,
            }
        )
    return {
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "conflicts": len(result.conflicts),
        "results": results,
    }
