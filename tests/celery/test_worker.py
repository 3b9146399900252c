"""A real Celery worker, a real Redis broker and the PostgreSQL test database: the seat notice travels
from a withdrawal, through the queue, to a worker process, exactly once.

Runs only where a test Redis is configured and the database is PostgreSQL (CI's PostgreSQL run sets
PATHWAYS_TEST_REDIS_URL); anywhere else it is skipped, and a skip is not a pass.
"""

from cohorts.models import Enrollment
from cohorts.services import enroll, withdraw
from cohorts.tasks import notify_seat
from tests.factories_cohorts import CohortFactory, InstructorFactory, LearnerFactory

from . import worker
from .worker import wait_for

pytestmark = worker.NEEDS_WORKER
broker, workers = worker.broker, worker.workers  # the shared fixtures

WAIT_SECONDS = 30


def test_a_freed_seat_is_announced_by_the_worker_exactly_once(workers):
    _process, log = workers("seats")
    staff = InstructorFactory()
    cohort = CohortFactory(capacity=1)
    sitting = enroll(learner=LearnerFactory(partner=cohort.partner), cohort=cohort, by=staff)
    waiting = enroll(
        learner=LearnerFactory(partner=cohort.partner, email="next@example.org", consent_contact=True),
        cohort=cohort,
        by=staff,
    )
    assert waiting.status == Enrollment.Status.WAITLISTED

    withdraw(enrollment=sitting, reason="Moved away", by=staff)  # commits; the task goes to Redis

    waiting.refresh_from_db()
    assert waiting.status == Enrollment.Status.ACTIVE

    def notice_sent():
        waiting.refresh_from_db()
        return waiting.seat_notice_sent_at is not None

    wait_for(notice_sent, "the seat notice", log, seconds=WAIT_SECONDS)
    first_sent_at = waiting.seat_notice_sent_at
    assert "Task cohorts.tasks.notify_seat[" in log.read_text() and "succeeded" in log.read_text()

    # Delivered a second time (a redelivery after a lost ack looks exactly like this): nothing new is sent.
    again = notify_seat.apply_async(args=[waiting.pk])
    wait_for(
        lambda: f"notify_seat[{again.id}] succeeded" in log.read_text(), "the second run", log, seconds=WAIT_SECONDS
    )
    waiting.refresh_from_db()
    assert waiting.seat_notice_sent_at == first_sent_at
