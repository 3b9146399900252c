"""Settings for the Celery worker processes the killed-worker test starts: the test settings, with the test
process's private storage (so both see the same certificate files) and, unless told otherwise, a short Redis
visibility timeout (so a task whose worker was killed is handed to the next worker within seconds, not hours).
A timeout shorter than the task also hands a task still running to a second process: the batch survives that
too (see credentials.services), but the prefork test keeps the usual long timeout to show its own requeue."""

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
CREDENTIALS_BATCH_CHUNK_SIZE = 10
