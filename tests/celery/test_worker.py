"""A real Celery worker, a real Redis broker and the PostgreSQL test database: the seat notice travels
from a withdrawal, through the queue, to a worker process, exactly once.

Runs only where a test Redis is configured and the database is PostgreSQL (CI's PostgreSQL run sets
PATHWAYS_TEST_REDIS_URL); anywhere else it is skipped, and a skip is not a pass.
"""

import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from kombu import pools as kombu_pools

from cohorts.models import Enrollment
from cohorts.services import enroll, withdraw
from cohorts.tasks import notify_seat
from pathways.celery import app
from tests.factories_cohorts import CohortFactory, InstructorFactory, LearnerFactory

REDIS_URL = os.environ.get("PATHWAYS_TEST_REDIS_URL", "")
ON_POSTGRES = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.skipif(
        not (REDIS_URL and ON_POSTGRES),
        reason="needs PATHWAYS_TEST_REDIS_URL and PostgreSQL (the worker process must reach the test database)",
    ),
]

WAIT_SECONDS = 30


def _database_url():
    """The pytest-django test database, as a URL the worker's settings can read."""
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = db["HOST"] or "127.0.0.1"
    port = db["PORT"] or "5432"
    return f"postgres://{credentials}@{host}:{port}/{db['NAME']}"


def _wait_for(condition, what, log_path, seconds=WAIT_SECONDS):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.25)
    pytest.fail(f"timed out after {seconds}s waiting for {what}; worker log:\n{Path(log_path).read_text()[-4000:]}")


def _reset_connections():
    """Make the app open new broker connections from its current configuration."""
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def broker():
    """Send tasks to Redis from this test process, and put the app back afterwards."""
    saved = {key: app.conf[key] for key in ("task_always_eager", "broker_url")}
    app.conf.task_always_eager = False
    app.conf.broker_url = REDIS_URL
    _reset_connections()
    app.control.purge()  # nothing left over from an earlier, interrupted run
    yield app
    # Close this test's broker connections and forget their pools: kombu keeps pools per broker URL
    # process-wide, and a closed one left there fails the next test that sends to the same Redis.
    kombu_pools.reset()
    for key, value in saved.items():
        app.conf[key] = value
    _reset_connections()


@pytest.fixture
def worker(transactional_db, django_db_serialized_rollback, broker, tmp_path):
    """A worker subprocess on the test database. Requested after `transactional_db`, so it stops
    before the tables are flushed and the test database is dropped.

    With serialized rollback: the flush after the test then restores the migrated data (Wagtail's
    root page, the role groups) instead of re-creating the groups under new ids on PostgreSQL,
    which would collide with the next serialized-rollback test's restore."""
    log_path = tmp_path / "worker.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "pathways.settings.test",
        "PATHWAYS_TEST_CELERY_BROKER_URL": REDIS_URL,
        "DATABASE_URL": _database_url(),
    }
    celery = Path(sys.executable).with_name("celery")
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [
                str(celery),
                "-A",
                "pathways",
                "worker",
                "--pool=solo",
                "-l",
                "info",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_for(lambda: "ready." in log_path.read_text() or process.poll() is not None, "the worker", log_path)
        assert process.poll() is None, f"the worker stopped:\n{log_path.read_text()}"
        yield log_path
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_a_freed_seat_is_announced_by_the_worker_exactly_once(worker):
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

    _wait_for(notice_sent, "the seat notice", worker)
    first_sent_at = waiting.seat_notice_sent_at
    log = worker.read_text()
    assert "Task cohorts.tasks.notify_seat[" in log and "succeeded" in log

    # Delivered a second time (a redelivery after a lost ack looks exactly like this): nothing new is sent.
    again = notify_seat.apply_async(args=[waiting.pk])
    _wait_for(lambda: f"notify_seat[{again.id}] succeeded" in worker.read_text(), "the second run", worker)
    waiting.refresh_from_db()
    assert waiting.seat_notice_sent_at == first_sent_at
