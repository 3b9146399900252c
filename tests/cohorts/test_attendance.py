"""Saving a roster: upsert, audit, validation (all or nothing), conflicts, and a constant number of queries."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from wagtail.models import ModelLogEntry

from cohorts.models import Attendance, Enrollment, Session
from cohorts.services import CohortError, Mark, cancel_session, record_attendance, withdraw
from people.models import Learner
from tests.builders import stop_clock
from tests.factories_cohorts import (
    CohortFactory,
    EnrollmentFactory,
    InstructorFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
MONDAY = datetime.date(2026, 10, 5)  # the session's date in the factories


@pytest.fixture
def clock(monkeypatch):
    return stop_clock(monkeypatch, datetime.datetime(2026, 10, 7, 16, 0, tzinfo=UTC))  # Wednesday noon in New York


@pytest.fixture
def instructor():
    return InstructorFactory()


def roster(size, **session_fields):
    """A held session on Monday 5 October and `size` active learners, created in bulk."""
    cohort = CohortFactory()
    session = SessionFactory(cohort=cohort, **session_fields)
    learners = Learner.objects.bulk_create(
        [Learner(partner=cohort.partner, full_name=f"Learner {n:03}") for n in range(size)]
    )
    enrollments = Enrollment.objects.bulk_create(
        [Enrollment(cohort=cohort, learner=learner, status=Enrollment.Status.ACTIVE) for learner in learners]
    )
    return session, enrollments


def everyone(enrollments, status, **fields):
    return [Mark(enrollment_id=e.pk, status=status, **fields) for e in enrollments]


def recorded(session):
    return dict(Attendance.objects.filter(session=session).values_list("enrollment_id", "status"))


def audit_entries(session):
    return ModelLogEntry.objects.filter(
        action="cohorts.attendance.record",
        content_type=ContentType.objects.get_for_model(Session),
        object_id=str(session.pk),
    ).order_by("timestamp", "pk")


def test_saving_the_same_roster_twice_keeps_one_record_per_learner(clock, instructor):
    session, enrollments = roster(5)

    first = record_attendance(session=session, marks=everyone(enrollments, "present"), recorded_by=instructor)
    second = record_attendance(session=session, marks=everyone(enrollments, "present"), recorded_by=instructor)

    assert (first.created, first.updated, first.unchanged) == (5, 0, 0)
    assert (second.created, second.updated, second.unchanged) == (0, 0, 5)
    assert Attendance.objects.filter(session=session).count() == 5
    assert set(recorded(session).values()) == {"present"}
    assert audit_entries(session).count() == 1  # the second save changed nothing, so it logged nothing


def test_changing_one_mark_updates_it_and_records_from_and_to(clock, instructor):
    session, enrollments = roster(5)
    record_attendance(session=session, marks=everyone(enrollments, "present"), recorded_by=instructor)
    marks = everyone(enrollments, "present")
    marks[2] = Mark(enrollment_id=enrollments[2].pk, status="absent", note="Called in sick")
    other_instructor = InstructorFactory()

    result = record_attendance(session=session, marks=marks, recorded_by=other_instructor)

    assert (result.created, result.updated, result.unchanged) == (0, 1, 4)
    row = Attendance.objects.get(session=session, enrollment=enrollments[2])
    assert (row.status, row.note, row.recorded_by) == ("absent", "Called in sick", other_instructor)
    assert Attendance.objects.filter(session=session).count() == 5
    latest = audit_entries(session).last()
    assert latest.user == other_instructor
    assert latest.data["changes"] == [
        {"enrollment": enrollments[2].pk, "learner": enrollments[2].learner_id, "from": "present", "to": "absent"}
    ]


def test_minutes_late_are_kept_for_a_late_learner(clock, instructor):
    session, (enrollment,) = roster(1)

    record_attendance(session=session, marks=[Mark(enrollment.pk, "late", minutes_late=25)], recorded_by=instructor)

    row = Attendance.objects.get(session=session)
    assert (row.status, row.minutes_late) == ("late", 25)


@pytest.mark.parametrize("status", ["present", "absent", "excused"])
def test_minutes_late_for_anyone_not_late_is_refused(clock, instructor, status):
    session, (enrollment,) = roster(1)

    with pytest.raises(CohortError):
        record_attendance(session=session, marks=[Mark(enrollment.pk, status, minutes_late=5)], recorded_by=instructor)

    assert not Attendance.objects.exists()


def _unknown_enrollment(session):
    return Mark(enrollment_id=10**9, status="present")


def _enrollment_in_another_cohort(session):
    stranger = EnrollmentFactory(cohort=CohortFactory(partner=session.cohort.partner))
    return Mark(enrollment_id=stranger.pk, status="present")


def _waitlisted_learner(session):
    waiting = EnrollmentFactory(cohort=session.cohort, status=Enrollment.Status.WAITLISTED, enrolled_on=None)
    return Mark(enrollment_id=waiting.pk, status="present")


def _offered_seat(session):
    offered = EnrollmentFactory(cohort=session.cohort, status=Enrollment.Status.OFFERED, enrolled_on=None)
    return Mark(enrollment_id=offered.pk, status="present")


def _unknown_status(session):
    enrollment = EnrollmentFactory(cohort=session.cohort)
    return Mark(enrollment_id=enrollment.pk, status="asleep")


@pytest.mark.parametrize(
    "bad_mark",
    [_unknown_enrollment, _enrollment_in_another_cohort, _waitlisted_learner, _offered_seat, _unknown_status],
)
def test_one_bad_line_saves_nothing_from_the_roster(clock, instructor, bad_mark):
    session, enrollments = roster(5)
    marks = everyone(enrollments, "present") + [bad_mark(session)]  # the bad line comes last

    with pytest.raises(CohortError):
        record_attendance(session=session, marks=marks, recorded_by=instructor)

    assert not Attendance.objects.exists()
    assert not audit_entries(session).exists()


def test_a_learner_listed_twice_saves_nothing(clock, instructor):
    session, enrollments = roster(3)
    marks = everyone(enrollments, "present") + [Mark(enrollments[0].pk, "absent")]

    with pytest.raises(CohortError):
        record_attendance(session=session, marks=marks, recorded_by=instructor)

    assert not Attendance.objects.exists()


def test_a_cancelled_session_takes_no_attendance(clock, instructor):
    session, enrollments = roster(3)
    cancel_session(session=session, reason="Power cut", by=instructor)

    with pytest.raises(CohortError):
        record_attendance(session=session, marks=everyone(enrollments, "present"), recorded_by=instructor)

    assert not Attendance.objects.exists()


def test_a_future_session_accepts_only_excused(clock, instructor):
    session, enrollments = roster(2, date=datetime.date(2026, 10, 12))

    with pytest.raises(CohortError):
        record_attendance(session=session, marks=[Mark(enrollments[0].pk, "present")], recorded_by=instructor)
    result = record_attendance(
        session=session, marks=[Mark(enrollments[1].pk, "excused", note="Doctor's appointment")], recorded_by=instructor
    )

    assert result.created == 1
    assert recorded(session) == {enrollments[1].pk: "excused"}


def test_todays_session_far_east_can_be_marked_while_it_is_still_yesterday_on_the_server(clock, instructor):
    # 08:15 on Monday in Kabul is 23:45 on Sunday in New York (the server's zone).
    clock.now = datetime.datetime(2026, 10, 5, 3, 45, tzinfo=UTC)
    session, (enrollment,) = roster(1, start_time=datetime.time(8), end_time=datetime.time(10))
    session.cohort.time_zone = "Asia/Kabul"
    session.cohort.save()

    record_attendance(session=session, marks=[Mark(enrollment.pk, "present")], recorded_by=instructor)

    assert recorded(session) == {enrollment.pk: "present"}


def test_a_learner_who_withdrew_before_the_session_cannot_be_marked(clock, instructor):
    session, enrollments = roster(3)
    clock.now = datetime.datetime(2026, 10, 2, 16, 0, tzinfo=UTC)  # Friday before the session
    withdraw(enrollment=enrollments[0], reason="Moved away", by=instructor)
    clock.now = datetime.datetime(2026, 10, 7, 16, 0, tzinfo=UTC)

    with pytest.raises(CohortError):
        record_attendance(session=session, marks=everyone(enrollments, "absent"), recorded_by=instructor)

    assert not Attendance.objects.exists()
    # The rest of the class can still be marked.
    record_attendance(session=session, marks=everyone(enrollments[1:], "present"), recorded_by=instructor)
    assert len(recorded(session)) == 2


def test_a_learner_who_withdrew_after_the_session_can_still_be_marked_for_it(clock, instructor):
    session, enrollments = roster(2)
    withdraw(enrollment=enrollments[0], reason="Found a job", by=instructor)  # on Wednesday, after Monday's class

    result = record_attendance(session=session, marks=everyone(enrollments, "present"), recorded_by=instructor)

    assert result.created == 2


def test_a_learner_who_enrolled_after_the_session_cannot_be_marked_for_it(clock, instructor):
    session, enrollments = roster(3)
    Enrollment.objects.filter(pk=enrollments[0].pk).update(enrolled_on=MONDAY + datetime.timedelta(days=22))
    Enrollment.objects.filter(pk=enrollments[1].pk).update(enrolled_on=MONDAY)  # joined that very day

    with pytest.raises(CohortError, match="enrolled after this session"):
        record_attendance(session=session, marks=everyone(enrollments, "present"), recorded_by=instructor)

    assert not Attendance.objects.exists()
    record_attendance(session=session, marks=everyone(enrollments[1:], "present"), recorded_by=instructor)
    assert len(recorded(session)) == 2


def test_a_mark_someone_else_changed_meanwhile_is_held_back_as_a_conflict(clock, instructor):
    session, enrollments = roster(3)
    # Both instructors opened the empty roster. The co-instructor saves first: Ana absent.
    co_instructor = InstructorFactory()
    record_attendance(
        session=session, marks=[Mark(enrollments[0].pk, "absent", expected="")], recorded_by=co_instructor
    )

    result = record_attendance(
        session=session, marks=everyone(enrollments, "present", expected=""), recorded_by=instructor
    )

    assert result.conflicts == [enrollments[0].pk]
    assert (result.created, result.updated) == (2, 0)
    assert recorded(session) == {
        enrollments[0].pk: "absent",
        enrollments[1].pk: "present",
        enrollments[2].pk: "present",
    }


def test_a_mark_that_matches_what_the_form_showed_is_saved(clock, instructor):
    session, (enrollment,) = roster(1)
    record_attendance(session=session, marks=[Mark(enrollment.pk, "absent")], recorded_by=instructor)

    result = record_attendance(
        session=session, marks=[Mark(enrollment.pk, "late", minutes_late=10, expected="absent")], recorded_by=instructor
    )

    assert (result.updated, result.conflicts) == (1, [])
    assert recorded(session) == {enrollment.pk: "late"}


@pytest.mark.parametrize("size", [10, 40, 200])
def test_saving_a_roster_takes_the_same_few_queries_for_any_class_size(
    clock, instructor, size, django_assert_max_num_queries
):
    session, enrollments = roster(size)
    # Django caches content types per process; the audit entry needs Session's. Warm it so the
    # count below is what every save after a worker's first one costs.
    ContentType.objects.get_for_model(Session)

    # Measured (test transaction, so the service's atomic block is a savepoint), first save and update alike:
    # PostgreSQL 8 for 10, 40 and 200 learners; SQLite 8, 8 and 10 (Django 5.2 assumes SQLite's old limit
    # of 999 parameters, so 200 rows insert in 3 batches of at most 99).
    #   1 SAVEPOINT
    #   2 SELECT the session (and its cohort) FOR UPDATE
    #   3 SELECT the cohort's markable enrollments, each with this session's attendance row (LEFT JOIN)
    #   4 INSERT ... ON CONFLICT DO UPDATE the attendance rows (4-6 on SQLite with 200 learners)
    #   5 SELECT 1 content type  } Wagtail's ModelLogEntry.save() runs full_clean(),
    #   6 SELECT 1 user          } which checks both foreign keys exist
    #   7 INSERT the audit entry
    #   8 RELEASE SAVEPOINT
    with django_assert_max_num_queries(10):
        first = record_attendance(session=session, marks=everyone(enrollments, "present"), recorded_by=instructor)
    marks = [Mark(e.pk, "absent" if n % 2 else "present") for n, e in enumerate(enrollments)]
    with django_assert_max_num_queries(10):
        second = record_attendance(session=session, marks=marks, recorded_by=instructor)

    assert first.created == size
    assert (second.updated, second.unchanged) == (size // 2, size // 2)
    assert Attendance.objects.filter(session=session, status="absent").count() == size // 2
