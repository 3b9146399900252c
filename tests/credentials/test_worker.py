"""A real Celery worker on Redis and the PostgreSQL test database issues a cohort's certificates, is killed
(SIGKILL, as the kernel's OOM killer or a lost machine would) in the middle of the batch, and a new worker
finishes it: every learner gets exactly one certificate, and no file is left without its credential.

Runs only where a test Redis is configured and the database is PostgreSQL (CI's PostgreSQL run sets
PATHWAYS_TEST_REDIS_URL); anywhere else it is skipped, and a skip is not a pass.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from credentials.models import BulkIssuance, Credential
from credentials.services import start_bulk_issuance
from pathways.celery import app
from people.models import Learner

from .conftest import certificate_files
from .world import World, enrolled, mark, present

REDIS_URL = os.environ.get("PATHWAYS_TEST_REDIS_URL", "")
ON_POSTGRES = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.skipif(
        not (REDIS_URL and ON_POSTGRES),
        reason="needs PATHWAYS_TEST_REDIS_URL and PostgreSQL (the worker process must reach the test database)",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

LEARNERS = 80


def _database_url():
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or '5432'}/{db['NAME']}"


def _wait_for(condition, what, log_path, seconds=90, every=0.05):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(every)
    pytest.fail(f"timed out after {seconds}s waiting for {what}; worker log:\n{Path(log_path).read_text()[-4000:]}")


def _reset_connections():
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def broker():
    """Tasks go to Redis from this process; nothing left in the queue (or unacknowledged) from an earlier run.
    The queue is emptied in Redis itself: Celery's control API keeps a producer pool across tests."""
    import redis
    from kombu import pools as kombu_pools

    def empty():
        redis.Redis.from_url(REDIS_URL).delete("celery", "unacked", "unacked_index")

    saved = {key: app.conf[key] for key in ("task_always_eager", "broker_url")}
    app.conf.task_always_eager = False
    app.conf.broker_url = REDIS_URL
    kombu_pools.reset()  # start from no pools: one closed by an earlier test must not be reused
    _reset_connections()
    empty()
    yield app
    empty()
    kombu_pools.reset()  # closes this test's broker connections and forgets them (the next test opens new ones)
    for key, value in saved.items():
        app.conf[key] = value
    _reset_connections()


def _children(pid):
    """The processes whose parent is `pid` (a prefork worker's pool processes)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


@pytest.fixture
def workers(broker, tmp_path):
    """Start workers on the test database and storage, each in its own process group (with everything it
    forks); at the end every group is stopped, so no process is left holding a database connection."""
    started = []

    def start(name, *, pool="solo", concurrency=1, visibility_timeout=4):
        log_path = tmp_path / f"{name}.log"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.credentials.worker_settings",
            "PATHWAYS_TEST_CELERY_BROKER_URL": REDIS_URL,
            "PATHWAYS_TEST_PRIVATE_STORAGE_ROOT": str(settings.PRIVATE_STORAGE_ROOT),
            "PATHWAYS_TEST_MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "DATABASE_URL": _database_url(),
            "PATHWAYS_TEST_VISIBILITY_TIMEOUT": str(visibility_timeout),
        }
        celery = Path(sys.executable).with_name("celery")
        with open(log_path, "w") as log:
            process = subprocess.Popen(
                [
                    str(celery),
                    "-A",
                    "pathways",
                    "worker",
                    f"--pool={pool}",
                    f"--concurrency={concurrency}",
                    "-l",
                    "info",
                    "-n",
                    f"{name}@%h",
                    "--without-gossip",
                    "--without-mingle",
                    "--without-heartbeat",
                ],
                cwd=settings.BASE_DIR,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        started.append(process)
        _wait_for(lambda: "ready." in log_path.read_text() or process.poll() is not None, f"worker {name}", log_path)
        assert process.poll() is None, f"the worker stopped:\n{log_path.read_text()}"
        return process, log_path

    yield start
    for process in started:
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=15)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            pass
        try:
            os.killpg(process.pid, signal.SIGKILL)  # anything the worker forked and left behind
        except ProcessLookupError:
            pass
        process.wait()


def _cohort_of(size):
    world = World()
    learners = [world.learner]
    for number in range(size - 1):
        learner = Learner.objects.create(
            partner=world.partner, full_name=f"Learner {number:03} Жанна 王", consent_data=True
        )
        mark(enrolled(world.cohort, learner), world.sessions, present(10))
        learners.append(learner)
    return world, learners


def _issued(batch):
    return BulkIssuance.objects.values_list("issued", flat=True).get(pk=batch.pk)


def _status(batch):
    return BulkIssuance.objects.values_list("status", flat=True).get(pk=batch.pk)


def _assert_everyone_once_and_no_orphan(world, learners, batch, files_before):
    batch.refresh_from_db()
    assert (batch.attempts, batch.total, batch.issued, batch.skipped, batch.failed) == (2, LEARNERS, LEARNERS, 0, 0)
    credentials = Credential.objects.filter(pathway=world.pathway)
    assert credentials.count() == LEARNERS
    assert sorted(credentials.values_list("learner_id", flat=True)) == sorted(learner.pk for learner in learners)
    # Every file written belongs to a credential, and every credential has its file.
    written = certificate_files() - files_before
    assert written == set(credentials.values_list("pdf", flat=True))
    assert all(Path(settings.PRIVATE_STORAGE_ROOT, name).stat().st_size > 1000 for name in written)


def test_a_worker_killed_mid_batch_is_replaced_and_nobody_gets_two_certificates_or_an_orphan_file(workers):
    """The whole worker dies (a lost machine or container): a new one picks the batch up once Redis hands
    the unacknowledged task out again."""
    world, learners = _cohort_of(LEARNERS)
    files_before = certificate_files()
    first, first_log = workers("first")

    batch = start_bulk_issuance(
        cohort=world.cohort, pathway=world.pathway, learner_ids=[learner.pk for learner in learners], by=world.manager
    )  # commits; the task goes to Redis

    _wait_for(lambda: _issued(batch) >= 10, "the first chunk", first_log)
    os.killpg(first.pid, signal.SIGKILL)
    first.wait(timeout=10)

    batch.refresh_from_db()
    assert batch.status == BulkIssuance.Status.RUNNING, "the batch finished before the kill; make it larger"
    assert 10 <= batch.issued < LEARNERS

    second, second_log = workers("second")
    _wait_for(lambda: _status(batch) == BulkIssuance.Status.DONE, "the second worker to finish the batch", second_log)

    _assert_everyone_once_and_no_orphan(world, learners, batch, files_before)
    assert "issue_batch[" in second_log.read_text() and "succeeded" in second_log.read_text()


def test_a_pool_process_killed_mid_batch_is_replaced_by_its_worker_and_the_batch_finishes(workers):
    """Only the process running the task dies (the kernel's OOM killer picks the biggest): the worker notices,
    puts the task back at once (acks_late with reject_on_worker_lost) and runs it in a fresh process."""
    world, learners = _cohort_of(LEARNERS)
    files_before = certificate_files()
    # Redis's usual (long) visibility timeout: only the worker's own requeue brings the task back.
    worker, log = workers("prefork", pool="prefork", concurrency=2, visibility_timeout=3600)

    batch = start_bulk_issuance(
        cohort=world.cohort, pathway=world.pathway, learner_ids=[learner.pk for learner in learners], by=world.manager
    )

    _wait_for(lambda: _issued(batch) >= 10, "the first chunk", log)
    pool = _children(worker.pid)
    assert pool, "the worker has no pool processes"
    for pid in pool:
        os.kill(pid, signal.SIGKILL)
    batch.refresh_from_db()
    assert batch.status == BulkIssuance.Status.RUNNING, "the batch finished before the kill; make it larger"

    _wait_for(lambda: _status(batch) == BulkIssuance.Status.DONE, "the worker to finish the batch", log)

    assert worker.poll() is None  # the worker itself lived on
    _assert_everyone_once_and_no_orphan(world, learners, batch, files_before)
    assert "WorkerLostError" in log.read_text()
