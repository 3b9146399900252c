"""Settings for the Celery worker processes tests start (tests.celery.worker): the test settings, with the
test process's storage (so both see the same files) and, unless told otherwise, a short Redis visibility
timeout (so a task whose worker was killed is handed to the next worker within seconds, not hours).

A timeout shorter than a task also hands the task, still running, to a second process: the tasks these
tests run survive that too, and a test that must show a worker's own requeue asks for a long timeout."""

import os

from pathways.settings.test import *  # noqa: F403

PRIVATE_STORAGE_ROOT = os.environ["PATHWAYS_TEST_PRIVATE_STORAGE_ROOT"]
STORAGES["private"]["OPTIONS"]["location"] = PRIVATE_STORAGE_ROOT  # noqa: F405
MEDIA_ROOT = os.environ["PATHWAYS_TEST_MEDIA_ROOT"]
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(os.environ.get("PATHWAYS_TEST_VISIBILITY_TIMEOUT", "4")),
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
