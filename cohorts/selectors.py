"""Reads about cohorts, always scoped to the requesting user through cohorts.access (built on people.access)."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    Count,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, Lower, NullIf, RowNumber
from django.utils import timezone

from . import attendance
from .access import visible_cohorts
from .models import Attendance, Cohort, Enrollment, Session


def sessions_visible_to(user):
    return Session.objects.filter(cohort__in=visible_cohorts(user))


def absence_streaks(*, cohort, enrollment_ids, as_of):
    """Absences in a row for each enrollment, counting back from the latest held session on or before `as_of`.

    Only recorded marks count: present or late ends a streak, excused neither
    counts nor ends it, and a session nobody marked yet is skipped. Two queries
    whatever the roster size (the recent sessions, then their marks).
    """
    enrollment_ids = list(enrollment_ids)
    window = cohort.at_risk_after_absences + 10  # enough history to see a streak of the flagged length
    recent_ids = list(
        Session.objects.held()
        .filter(cohort=cohort, date__lte=as_of)
        .order_by("-date", "-start_time")
        .values_list("id", flat=True)[:window]
    )
    order = {session_id: position for position, session_id in enumerate(recent_ids)}
    marks = defaultdict(list)
    for enrollment_id, session_id, status in Attendance.objects.filter(
        session_id__in=recent_ids, enrollment_id__in=enrollment_ids
    ).values_list("enrollment_id", "session_id", "status"):
        marks[enrollment_id].append((order[session_id], status))
    return {
        enrollment_id: _streak(status for _position, status in sorted(marks[enrollment_id]))
        for enrollment_id in enrollment_ids
    }


def _streak(statuses_latest_first):
    """Absences in a row under the program's reading: an attended mark ends the streak, a missed one adds to
    it, a mark left out (excused) neither counts nor ends it."""
    streak = 0
    for status in statuses_latest_first:
        kind = attendance.PROGRAM_READING.classify(status)
        if kind == attendance.MISSED:
            streak += 1
        elif kind == attendance.ATTENDED:
            break
    return streak


def at_risk_enrollment_ids(*, cohort, as_of):
    active_ids = Enrollment.objects.filter(cohort=cohort, status=Enrollment.Status.ACTIVE).values_list("id", flat=True)
    streaks = absence_streaks(cohort=cohort, enrollment_ids=active_ids, as_of=as_of)
    return {enrollment_id for enrollment_id, streak in streaks.items() if streak >= cohort.at_risk_after_absences}


# --- the learner portal and the public course page --------------------------------------
# Portal reads take the signed-in learner's own record (request.user.learner), never an id from the URL.


def _waitlist_position():
    """1 + the number of people ahead on the same cohort's waitlist (same order as `waitlist()`)."""
    ahead = (
        Enrollment.objects.filter(cohort_id=OuterRef("cohort_id"), status=Enrollment.Status.WAITLISTED)
        .filter(
            Q(waitlisted_at__lt=OuterRef("waitlisted_at"))
            | Q(waitlisted_at=OuterRef("waitlisted_at"), pk__lte=OuterRef("pk"))
        )
        .order_by()
        .values("cohort_id")
        .annotate(position=Count("pk"))
        .values("position")
    )
    return Subquery(ahead, output_field=IntegerField())


def waitlist_position(enrollment):
    if enrollment.status != Enrollment.Status.WAITLISTED:
        return None
    return Enrollment.objects.filter(pk=enrollment.pk).annotate(position=_waitlist_position()).get().position


PORTAL_ORDER = {
    Enrollment.Status.OFFERED: 0,
    Enrollment.Status.ACTIVE: 1,
    Enrollment.Status.WAITLISTED: 2,
    Enrollment.Status.COMPLETED: 3,
    Enrollment.Status.WITHDRAWN: 4,
}


def portal_enrollments(*, learner):
    """The learner's cohorts, seat offers first, with their place on each waitlist. One query."""
    enrollments = list(learner.enrollments.select_related("cohort").annotate(waitlist_position=_waitlist_position()))
    return sorted(enrollments, key=lambda e: (PORTAL_ORDER[e.status], e.cohort.start_date, e.cohort.name))


def upcoming_sessions(*, learner, now, days=14):
    """Sessions of the learner's active cohorts that have not ended and start within `days`,
    cancelled ones included (learners need to know). One query."""
    candidates = (
        Session.objects.filter(
            cohort__enrollments__learner=learner,
            cohort__enrollments__status=Enrollment.Status.ACTIVE,
            date__gte=(now - datetime.timedelta(days=1)).date(),
            date__lte=(now + datetime.timedelta(days=days + 1)).date(),
        )
        .select_related("cohort")
        .order_by("date", "start_time")
    )
    horizon = now + datetime.timedelta(days=days)
    return [session for session in candidates if session.ends_at >= now and session.starts_at <= horizon]


@dataclass
class AttendanceHistory:
    enrollment: Enrollment
    rows: list = field(default_factory=list)  # (session, attendance or None), latest first
    tally: attendance.Tally = field(default_factory=attendance.Tally)  # under the program's reading


HISTORY_STATUSES = (Enrollment.Status.ACTIVE, Enrollment.Status.COMPLETED, Enrollment.Status.WITHDRAWN)


def attendance_history(*, enrollments, now):
    """Per cohort: held sessions that have started and the learner's mark at each (those while enrolled, and
    any other with a mark), counted under the program's reading. Two queries for all cohorts."""
    enrollments = [e for e in enrollments if e.status in HISTORY_STATUSES]
    if not enrollments:
        return []
    marks = {
        (mark.enrollment_id, mark.session_id): mark for mark in Attendance.objects.filter(enrollment__in=enrollments)
    }
    by_cohort = defaultdict(list)
    for session in (
        Session.objects.held()
        .filter(cohort_id__in=[e.cohort_id for e in enrollments], date__lte=now.date() + datetime.timedelta(days=1))
        .order_by("-date", "-start_time")
    ):
        by_cohort[session.cohort_id].append(session)
    histories = []
    for enrollment in enrollments:
        history = AttendanceHistory(enrollment=enrollment)
        for session in by_cohort[enrollment.cohort_id]:
            session.cohort = enrollment.cohort  # already loaded; starts_at needs its zone
            mark = marks.get((enrollment.pk, session.pk))
            if not attendance.has_started(session.date, session.start_time, enrollment.cohort.zone, now):
                continue
            while_enrolled = (enrollment.enrolled_on is None or session.date >= enrollment.enrolled_on) and (
                enrollment.withdrawn_on is None or session.date < enrollment.withdrawn_on
            )
            if mark is None and not while_enrolled:
                continue
            history.rows.append((session, mark))
            history.tally.add(mark.status if mark is not None else None)
        histories.append(history)
    return histories


def upcoming_cohorts(*, course, today):
    """Cohorts of a course (in any of its translations) that people can still join, with seat
    and waitlist counts. Three queries however many cohorts (the cohorts, their languages, their weekly
    meeting times)."""
    return (
        Cohort.objects.taking_enrollments()
        .filter(course__translation_key=course.translation_key, end_date__gte=today)
        .annotate(
            seats_taken=Count(
                "enrollments",
                filter=Q(enrollments__status__in=[Enrollment.Status.ACTIVE, Enrollment.Status.OFFERED]),
            ),
            waitlist_length=Count("enrollments", filter=Q(enrollments__status=Enrollment.Status.WAITLISTED)),
        )
        .prefetch_related("languages", "meeting_times")
        .order_by("start_date", "name")
    )


# --- the instructor's pages: Today and a session's roster ------------------------------------
# Callers scope first: Today lists sessions_visible_to(user); a roster is read only after
# cohorts.access.can_take_attendance(user, session.cohort).

ROSTER_STATUSES = (Enrollment.Status.ACTIVE, Enrollment.Status.COMPLETED)


def on_roster(date, prefix=""):
    """Enrollments marked at a session held on `date`: active and completed learners, and those
    who withdrew after that date — in each case only if they had enrolled by then (a roster marked
    late must not list, or mark, someone who joined after the class). `date` may be an OuterRef;
    `prefix` reaches Enrollment through a relation."""
    enrolled_by_then = Q(**{f"{prefix}enrolled_on__isnull": True}) | Q(**{f"{prefix}enrolled_on__lte": date})
    return (
        Q(**{f"{prefix}status__in": ROSTER_STATUSES})
        | Q(**{f"{prefix}status": Enrollment.Status.WITHDRAWN, f"{prefix}withdrawn_on__gt": date})
    ) & enrolled_by_then


def session_roster(*, session, enrollment_ids=None):
    """Who to mark at `session`, in order of the name used in class, with the learner loaded and this
    session's mark so far (`current_status`, `current_minutes_late`, `current_note`; None when unmarked).
    One query whatever the class size."""
    rows = Enrollment.objects.filter(on_roster(session.date), cohort_id=session.cohort_id)
    if enrollment_ids is not None:
        rows = rows.filter(pk__in=enrollment_ids)
    return list(
        rows.select_related("learner")
        .annotate(here=FilteredRelation("attendance", condition=Q(attendance__session=session)))
        .annotate(
            current_status=F("here__status"),
            current_minutes_late=F("here__minutes_late"),
            current_note=F("here__note"),
            class_name=Lower(Coalesce(NullIf("learner__preferred_name", Value("")), "learner__full_name")),
        )
        .order_by("class_name", "learner__full_name", "pk")
    )


def _count(queryset, group_by):
    return Coalesce(
        Subquery(queryset.order_by().values(group_by).annotate(n=Count("pk")).values("n"), output_field=IntegerField()),
        0,
    )


def with_roster_counts(sessions):
    """Annotate `on_roster` (learners to mark) and `marked` (of them, how many have a mark)."""
    return sessions.annotate(
        on_roster=_count(
            Enrollment.objects.filter(on_roster(OuterRef("date")), cohort_id=OuterRef("cohort_id")), "cohort_id"
        ),
        marked=_count(
            Attendance.objects.filter(on_roster(OuterRef("date"), prefix="enrollment__"), session_id=OuterRef("pk")),
            "session_id",
        ),
    )


def at_risk_counts(*, cohorts, as_of):
    """How many active learners each cohort flags at risk: {cohort id: count}, each cohort judged as of
    its own date in `as_of` ({cohort id: date}). The rule of `absence_streaks`, in one query for any
    number of cohorts: the marks at each cohort's latest held sessions (a window of the same length)."""
    cohorts = {cohort.pk: cohort for cohort in cohorts}
    if not cohorts:
        return {}
    by_day = defaultdict(list)
    for cohort_id in cohorts:
        by_day[as_of[cohort_id]].append(cohort_id)
    held_by_then = Q()
    for day, cohort_ids in by_day.items():
        held_by_then |= Q(cohort_id__in=cohort_ids, date__lte=day)
    window = max(cohort.at_risk_after_absences for cohort in cohorts.values()) + 10
    recent = (
        Session.objects.held()
        .filter(held_by_then)
        .annotate(
            recency=Window(
                RowNumber(), partition_by=[F("cohort_id")], order_by=[F("date").desc(), F("start_time").desc()]
            )
        )
        .filter(recency__lte=window)
        .values("pk")
    )
    marks = defaultdict(list)
    for enrollment_id, cohort_id, day, start, status in (
        Attendance.objects.filter(session__in=recent, enrollment__status=Enrollment.Status.ACTIVE)
        .values_list("enrollment_id", "enrollment__cohort_id", "session__date", "session__start_time", "status")
        .order_by()
    ):
        marks[(cohort_id, enrollment_id)].append((day, start, status))
    counts = dict.fromkeys(cohorts, 0)
    for (cohort_id, _enrollment_id), rows in marks.items():
        statuses = (status for _day, _start, status in sorted(rows, reverse=True))
        if _streak(statuses) >= cohorts[cohort_id].at_risk_after_absences:
            counts[cohort_id] += 1
    return counts


@dataclass
class Agenda:
    """An instructor's sessions by each cohort's own local date."""

    today: list = field(default_factory=list)
    coming_up: list = field(default_factory=list)  # the next days, soonest first
    to_finish: list = field(default_factory=list)  # earlier held sessions with learners not marked, latest first


def instructor_agenda(*, user, now, days_ahead=6, days_back=7):
    """The sessions `user` may see (managers and partner staff included), today's first, with
    `on_roster`, `marked` and `at_risk` counts. "Today" is each cohort's local today, so a class
    in Honolulu is still today's while New York has moved on. Two queries for any number of cohorts."""
    server_day = now.date()
    candidates = with_roster_counts(
        sessions_visible_to(user)
        .filter(
            date__gte=server_day - datetime.timedelta(days=days_back + 1),
            date__lte=server_day + datetime.timedelta(days=days_ahead + 1),
        )
        .select_related("cohort")
    )
    agenda = Agenda()
    local_today = {}
    for session in candidates:
        day = local_today.setdefault(session.cohort_id, now.astimezone(session.cohort.zone).date())
        if session.date == day:
            agenda.today.append(session)
        elif day < session.date <= day + datetime.timedelta(days=days_ahead):
            agenda.coming_up.append(session)
        elif (
            day - datetime.timedelta(days=days_back) <= session.date < day
            and not session.is_cancelled
            and session.marked < session.on_roster
        ):
            agenda.to_finish.append(session)
    sessions = agenda.today + agenda.coming_up + agenda.to_finish
    at_risk = at_risk_counts(cohorts={session.cohort for session in sessions}, as_of=local_today)
    for session in sessions:
        session.at_risk = at_risk.get(session.cohort_id, 0)
    agenda.today.sort(key=lambda session: (session.starts_at, session.cohort.name))
    agenda.coming_up.sort(key=lambda session: (session.starts_at, session.cohort.name))
    agenda.to_finish.sort(key=lambda session: session.starts_at, reverse=True)
    return agenda


# --- a cohort's staff page (/teach/cohorts/<pk>/) ---------------------------------------------------
# Callers scope first: the page is opened only for a cohort in cohorts.access.visible_cohorts(user).


def attendance_rates(*, enrollment_ids, now=None):
    """{enrollment id: attendance.Tally} under the program's reading (cohorts.attendance.PROGRAM_READING):
    the marks at held sessions that have started. One query for the whole roster, aggregated by status; only
    the marks of the last two days come back one by one, to check each against its cohort's own clock."""
    now = now or timezone.now()
    recent_from = attendance.certainly_started_before(now)
    recent = Q(session__date__gte=recent_from)
    rows = (
        Attendance.objects.filter(enrollment_id__in=list(enrollment_ids))
        .exclude(session__status=Session.Status.CANCELLED)
        .filter(session__date__lte=recent_from + datetime.timedelta(days=2))  # later ones have started nowhere
        .annotate(
            recent_date=Case(When(recent, then=F("session__date"))),
            recent_start=Case(When(recent, then=F("session__start_time"))),
            recent_zone=Case(When(recent, then=F("session__cohort__time_zone"))),
        )
        .values("enrollment_id", "status", "recent_date", "recent_start", "recent_zone")
        .annotate(marks=Count("pk"))
        .order_by()
    )
    tallies = defaultdict(attendance.Tally)
    for row in rows:
        if row["recent_date"] is not None and not attendance.has_started(
            row["recent_date"], row["recent_start"], row["recent_zone"], now
        ):
            continue
        tallies[row["enrollment_id"]].add(row["status"], times=row["marks"])
    return dict(tallies)


def cohorts_under_pages(pages):
    """Cohorts of the courses at or below these pages, by name: what deleting the pages would strand."""
    if not pages:
        return []
    under = Q()
    for page in pages:
        under |= Q(course__path__startswith=page.path)
    return list(Cohort.objects.filter(under).order_by("name"))
