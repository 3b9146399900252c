"""At risk: absences in a row per learner, counted from recorded marks of held sessions."""

import datetime

import pytest

from cohorts.models import Attendance, Enrollment, Session
from cohorts.selectors import absence_streaks, at_risk_enrollment_ids
from people.models import Learner
from tests.factories_cohorts import CohortFactory, EnrollmentFactory

pytestmark = pytest.mark.django_db

FIRST_MONDAY = datetime.date(2026, 9, 7)
AS_OF = datetime.date(2026, 12, 1)
UNMARKED = None
CANCELLED = "cancelled"


def weekly_sessions(cohort, count, first=FIRST_MONDAY):
    return Session.objects.bulk_create(
        [
            Session(
                cohort=cohort,
                date=first + datetime.timedelta(weeks=week),
                start_time=datetime.time(18),
                end_time=datetime.time(20),
            )
            for week in range(count)
        ]
    )


def history(cohort, enrollment, marks):
    """One weekly session per entry, oldest first: a status, UNMARKED, or CANCELLED (held as present first)."""
    sessions = weekly_sessions(cohort, len(marks))
    rows = []
    for session, mark in zip(sessions, marks, strict=True):
        if mark == CANCELLED:
            # Marked present, then the session was called off: the mark must not count for anything.
            rows.append(Attendance(session=session, enrollment=enrollment, status=Attendance.Status.PRESENT))
            session.status, session.cancellation_reason = Session.Status.CANCELLED, "Flooded classroom"
            session.save()
        elif mark is not UNMARKED:
            rows.append(Attendance(session=session, enrollment=enrollment, status=mark))
    Attendance.objects.bulk_create(rows)


@pytest.mark.parametrize(
    ("marks", "streak", "flagged"),
    [
        (["absent", "absent"], 2, True),
        (["present", "absent", "absent"], 2, True),
        (["absent", "present", "absent"], 1, False),
        (["absent", "absent", "late"], 0, False),  # late is attended
        (["absent", "excused", "absent"], 2, True),  # excused neither counts nor breaks the streak
        (["absent", CANCELLED, "absent"], 2, True),  # the cancelled session counts for no one
        (["absent", UNMARKED, "absent"], 2, True),  # not marked yet: skipped
        (["absent", "absent", UNMARKED], 2, True),
        (["absent", "absent", "absent", "present"], 0, False),
    ],
    ids=lambda value: "-".join(m or "unmarked" for m in value) if isinstance(value, list) else str(value),
)
def test_absences_in_a_row(marks, streak, flagged):
    cohort = CohortFactory()  # default threshold: 2 absences in a row
    enrollment = EnrollmentFactory(cohort=cohort)
    history(cohort, enrollment, marks)

    assert absence_streaks(cohort=cohort, enrollment_ids=[enrollment.pk], as_of=AS_OF) == {enrollment.pk: streak}
    assert (enrollment.pk in at_risk_enrollment_ids(cohort=cohort, as_of=AS_OF)) is flagged


def test_sessions_after_the_reference_date_are_not_counted():
    cohort = CohortFactory()
    enrollment = EnrollmentFactory(cohort=cohort)
    history(cohort, enrollment, ["absent", "absent", "present"])  # 7, 14 and 21 September

    on_the_14th = datetime.date(2026, 9, 14)
    assert absence_streaks(cohort=cohort, enrollment_ids=[enrollment.pk], as_of=on_the_14th) == {enrollment.pk: 2}
    assert at_risk_enrollment_ids(cohort=cohort, as_of=on_the_14th) == {enrollment.pk}
    assert at_risk_enrollment_ids(cohort=cohort, as_of=AS_OF) == set()


def test_the_cohorts_own_threshold_decides_who_is_flagged():
    cohort = CohortFactory(at_risk_after_absences=3)
    two, three = EnrollmentFactory(cohort=cohort), EnrollmentFactory(cohort=cohort)
    sessions = weekly_sessions(cohort, 3)
    Attendance.objects.bulk_create(
        [Attendance(session=s, enrollment=three, status="absent") for s in sessions]
        + [Attendance(session=s, enrollment=two, status="absent") for s in sessions[1:]]
        + [Attendance(session=sessions[0], enrollment=two, status="present")]
    )

    assert at_risk_enrollment_ids(cohort=cohort, as_of=AS_OF) == {three.pk}


def test_only_active_learners_are_flagged():
    cohort = CohortFactory()
    active = EnrollmentFactory(cohort=cohort)
    gone = EnrollmentFactory(cohort=cohort, status=Enrollment.Status.WITHDRAWN)
    sessions = weekly_sessions(cohort, 2)
    Attendance.objects.bulk_create(
        [Attendance(session=s, enrollment=e, status="absent") for s in sessions for e in (active, gone)]
    )

    assert at_risk_enrollment_ids(cohort=cohort, as_of=AS_OF) == {active.pk}


def test_another_cohorts_sessions_do_not_push_this_cohorts_out_of_view():
    cohort, busier = CohortFactory(), CohortFactory()
    enrollment = EnrollmentFactory(cohort=cohort)
    history(cohort, enrollment, ["absent", "absent"])
    # Plenty of later sessions elsewhere: if they were looked at, this cohort's would fall out of the window.
    weekly_sessions(busier, 20, first=FIRST_MONDAY + datetime.timedelta(weeks=2))

    assert at_risk_enrollment_ids(cohort=cohort, as_of=AS_OF) == {enrollment.pk}


def class_with_absences(size):
    """`size` active learners, 6 weekly sessions; every third learner missed the last two."""
    cohort = CohortFactory()
    learners = Learner.objects.bulk_create(
        [Learner(partner=cohort.partner, full_name=f"Learner {n:03}") for n in range(size)]
    )
    enrollments = Enrollment.objects.bulk_create(
        [Enrollment(cohort=cohort, learner=learner, status=Enrollment.Status.ACTIVE) for learner in learners]
    )
    sessions = weekly_sessions(cohort, 6)
    Attendance.objects.bulk_create(
        [
            Attendance(
                session=session,
                enrollment=enrollment,
                status="absent" if n % 3 == 0 and week >= 4 else "present",
            )
            for week, session in enumerate(sessions)
            for n, enrollment in enumerate(enrollments)
        ]
    )
    return cohort, enrollments


@pytest.mark.parametrize("size", [10, 100])
def test_finding_who_is_at_risk_takes_the_same_queries_for_any_class_size(size, django_assert_num_queries):
    cohort, enrollments = class_with_absences(size)
    ids = [e.pk for e in enrollments]

    # 1 the latest held sessions on or before the date, 2 their marks for these learners
    with django_assert_num_queries(2):
        streaks = absence_streaks(cohort=cohort, enrollment_ids=ids, as_of=AS_OF)
    # 1 the cohort's active enrollments, then the same 2
    with django_assert_num_queries(3):
        flagged = at_risk_enrollment_ids(cohort=cohort, as_of=AS_OF)

    expected = {e.pk for n, e in enumerate(enrollments) if n % 3 == 0}
    assert {pk for pk, streak in streaks.items() if streak == 2} == expected
    assert flagged == expected
