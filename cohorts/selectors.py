"""Reads about cohorts, always scoped to the requesting user through people.access."""

from collections import defaultdict

from people.access import visible_cohorts

from .models import Attendance, Enrollment, Session


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
    streaks = {}
    for enrollment_id in enrollment_ids:
        streak = 0
        for _position, status in sorted(marks[enrollment_id]):
            if status == Attendance.Status.ABSENT:
                streak += 1
            elif status == Attendance.Status.EXCUSED:
                continue
            else:
                break
        streaks[enrollment_id] = streak
    return streaks


def at_risk_enrollment_ids(*, cohort, as_of):
    active_ids = Enrollment.objects.filter(cohort=cohort, status=Enrollment.Status.ACTIVE).values_list("id", flat=True)
    streaks = absence_streaks(cohort=cohort, enrollment_ids=active_ids, as_of=as_of)
    return {enrollment_id for enrollment_id, streak in streaks.items() if streak >= cohort.at_risk_after_absences}
