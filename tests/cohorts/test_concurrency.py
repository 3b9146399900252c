"""Races: two people taking the last seat, two devices saving one roster, and a roster save that fails halfway.

The races need real row locks and concurrent connections, so they run on PostgreSQL only;
each thread gets its own connection (Django's are per thread) and closes it at the end.
"""

import datetime
import threading

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, connection
from wagtail.models import ModelLogEntry

from cohorts import services
from cohorts.models import Attendance, Enrollment, Session
from cohorts.services import Mark, enroll, record_attendance
from people.models import Learner
from tests.builders import stop_clock
from tests.factories_cohorts import CohortFactory, InstructorFactory, LearnerFactory, SessionFactory

# serialized_rollback: a transactional test empties the database when it ends; this puts Wagtail's
# page tree (made by migrations, needed for the course page) back for the next one.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

requires_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL: SQLite has no row locks and one writer at a time"
)

RACES = 10


@pytest.fixture
def clock(monkeypatch):
    return stop_clock(monkeypatch, datetime.datetime(2026, 10, 7, 16, 0, tzinfo=datetime.UTC))


def run_at_once(*calls):
    """Run each call in its own thread, released together by a barrier; return their results in order."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)
    errors = []

    def worker(index, call):
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except Exception as error:  # reported to the test below, not swallowed
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck (deadlock?)"
    assert errors == []
    return results


def roster(size):
    cohort = CohortFactory()
    session = SessionFactory(cohort=cohort)
    learners = Learner.objects.bulk_create(
        [Learner(partner=cohort.partner, full_name=f"Learner {n:02}") for n in range(size)]
    )
    enrollments = Enrollment.objects.bulk_create(
        [Enrollment(cohort=cohort, learner=learner, status=Enrollment.Status.ACTIVE) for learner in learners]
    )
    return session, enrollments


def attendance_log(session):
    return list(
        ModelLogEntry.objects.filter(
            action="cohorts.attendance.record",
            content_type=ContentType.objects.get_for_model(Session),
            object_id=str(session.pk),
        ).order_by("timestamp", "pk")
    )


@pytest.mark.postgres_only
@requires_postgres
def test_two_people_taking_the_last_seat_at_once_get_one_seat_and_one_waitlist_place(clock):
    for _race in range(RACES):  # one lucky interleaving proves little; ten fresh cohorts, ten races
        cohort = CohortFactory(capacity=3)
        for _seated in range(2):
            enroll(learner=LearnerFactory(partner=cohort.partner), cohort=cohort, by=None)
        first, second = LearnerFactory(partner=cohort.partner), LearnerFactory(partner=cohort.partner)

        results = run_at_once(
            lambda cohort=cohort, learner=first: enroll(learner=learner, cohort=cohort, by=None).status,
            lambda cohort=cohort, learner=second: enroll(learner=learner, cohort=cohort, by=None).status,
        )

        assert sorted(results) == ["active", "waitlisted"]
        assert cohort.enrollments.holding_seat().count() == 3  # never more than the seats
        assert cohort.enrollments.waitlist().count() == 1


@pytest.mark.postgres_only
@requires_postgres
def test_two_devices_saving_one_roster_at_once_leave_one_record_per_learner_and_both_edits_audited(clock):
    session, enrollments = roster(20)
    phone, tablet = InstructorFactory(), InstructorFactory()

    run_at_once(
        lambda: record_attendance(
            session=session, marks=[Mark(e.pk, "present") for e in enrollments], recorded_by=phone
        ),
        lambda: record_attendance(
            session=session, marks=[Mark(e.pk, "absent") for e in enrollments], recorded_by=tablet
        ),
    )

    rows = Attendance.objects.filter(session=session)
    assert rows.count() == 20
    assert rows.values("enrollment").distinct().count() == 20
    first, second = attendance_log(session)
    assert {first.user, second.user} == {phone, tablet}
    # The saves took turns: the second one saw, and replaced, what the first had just written.
    first_status = first.data["changes"][0]["to"]
    second_status = second.data["changes"][0]["to"]
    assert {c["from"] for c in first.data["changes"]} == {""}
    assert {(c["from"], c["to"]) for c in second.data["changes"]} == {(first_status, second_status)}
    assert len(second.data["changes"]) == 20
    assert set(rows.values_list("status", flat=True)) == {second_status}


@pytest.mark.postgres_only
@requires_postgres
def test_two_devices_that_both_drew_an_empty_roster_do_not_overwrite_each_other(clock):
    session, enrollments = roster(20)
    phone, tablet = InstructorFactory(), InstructorFactory()

    results = run_at_once(
        lambda: record_attendance(
            session=session, marks=[Mark(e.pk, "present", expected="") for e in enrollments], recorded_by=phone
        ),
        lambda: record_attendance(
            session=session, marks=[Mark(e.pk, "absent", expected="") for e in enrollments], recorded_by=tablet
        ),
    )

    winner, loser = sorted(results, key=lambda result: len(result.conflicts))
    assert (winner.created, len(winner.conflicts)) == (20, 0)
    assert (loser.created, loser.updated, len(loser.conflicts)) == (0, 0, 20)  # shown back to that instructor
    assert Attendance.objects.filter(session=session).count() == 20
    assert len(attendance_log(session)) == 1


def test_a_database_error_halfway_through_a_roster_save_keeps_nothing(clock, monkeypatch):
    session, enrollments = roster(5)

    class DiskFull(DatabaseError):
        pass

    def audit_fails(*args, **kwargs):
        raise DiskFull("could not extend file")

    monkeypatch.setattr(services, "log", audit_fails)  # fails after the attendance rows were written

    with pytest.raises(DiskFull):
        record_attendance(session=session, marks=[Mark(e.pk, "present") for e in enrollments], recorded_by=None)

    assert Attendance.objects.count() == 0
