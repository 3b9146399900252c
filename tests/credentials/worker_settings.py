"""Settings for the workers of the killed-worker certificate test: the shared worker settings, with small
chunks, so progress is saved (and a kill can land) every ten certificates."""

from tests.celery.worker_settings import *  # noqa: F403

CREDENTIALS_BATCH_CHUNK_SIZE = 10
