"""A real Celery worker on Redis and the PostgreSQL test database issues a cohort's certificates, is killed
(SIGKILL, as the kernel's OOM killer or a lost machine would) in the middle of the batch, and a new worker
finishes it: every learner gets exactly one certificate, and no file is left without its credential.

Runs only where a test Redis is configured and the database is PostgreSQL (CI's PostgreSQL run sets
PATHWAYS_TEST_REDIS_URL); anywhere else it is skipped, and a skip is not a pass.
"""

import os
import signal
from pathlib import Path

from django.conf import settings

from credentials.models import BulkIssuance, Credential
from credentials.services import start_bulk_issuance
from people.models import Learner
from tests.celery import worker
from tests.celery.worker import wait_for

from .conftest import certificate_files
from .world import World, enrolled, mark, present

pytestmark = worker.NEEDS_WORKER
broker, workers = worker.broker, worker.workers  # the shared fixtures

LEARNERS = 80
SETTINGS_MODULE = "tests.credentials.worker_settings"


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
    first, first_log = workers("first", settings_module=SETTINGS_MODULE)

    batch = start_bulk_issuance(
        cohort=world.cohort, pathway=world.pathway, learner_ids=[learner.pk for learner in learners], by=world.manager
    )  # commits; the task goes to Redis

    wait_for(lambda: _issued(batch) >= 10, "the first chunk", first_log)
    worker.kill(first)

    batch.refresh_from_db()
    assert batch.status == BulkIssuance.Status.RUNNING, "the batch finished before the kill; make it larger"
    assert 10 <= batch.issued < LEARNERS

    second, second_log = workers("second", settings_module=SETTINGS_MODULE)
    wait_for(lambda: _status(batch) == BulkIssuance.Status.DONE, "the second worker to finish the batch", second_log)

    _assert_everyone_once_and_no_orphan(world, learners, batch, files_before)
    assert "issue_batch[" in second_log.read_text() and "succeeded" in second_log.read_text()


def test_a_pool_process_killed_mid_batch_is_replaced_by_its_worker_and_the_batch_finishes(workers):
    """Only the process running the task dies (the kernel's OOM killer picks the biggest): the worker notices,
    puts the task back at once (acks_late with reject_on_worker_lost) and runs it in a fresh process."""
    world, learners = _cohort_of(LEARNERS)
    files_before = certificate_files()
    # Redis's usual (long) visibility timeout: only the worker's own requeue brings the task back.
    process, log = workers(
        "prefork", settings_module=SETTINGS_MODULE, pool="prefork", concurrency=2, visibility_timeout=3600
    )

    batch = start_bulk_issuance(
        cohort=world.cohort, pathway=world.pathway, learner_ids=[learner.pk for learner in learners], by=world.manager
    )

    wait_for(lambda: _issued(batch) >= 10, "the first chunk", log)
    pool = worker.children(process.pid)
    assert pool, "the worker has no pool processes"
    for pid in pool:
        os.kill(pid, signal.SIGKILL)
    batch.refresh_from_db()
    assert batch.status == BulkIssuance.Status.RUNNING, "the batch finished before the kill; make it larger"

    wait_for(lambda: _status(batch) == BulkIssuance.Status.DONE, "the worker to finish the batch", log)

    assert process.poll() is None  # the worker itself lived on
    _assert_everyone_once_and_no_orphan(world, learners, batch, files_before)
    assert "WorkerLostError" in log.read_text()
