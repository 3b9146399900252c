"""Local development: DEBUG, a fixed dev-only secret, console email, demo data allowed."""

import os

from .base import *  # noqa: F403
from .base import env_list

DEBUG = True
SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-never-use-in-production")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
PATHWAYS_ALLOW_DEMO_DATA = True
PATHWAYS_OPEN_BADGES_GENERATE_KEY = True  # into private storage, once (credentials.openbadges)

# `make run` has no broker: tasks run in this process, in a background thread (pathways/celery.py), so pages
# that follow a task's progress (certificate batches) show it moving.
PATHWAYS_EAGER_TASKS_IN_BACKGROUND = CELERY_TASK_ALWAYS_EAGER  # noqa: F405
if DATABASES["default"]["ENGINE"] == "pathways.sqlite":  # noqa: F405
    # The background thread and the server's request threads share the file: wait for each other's writes
    # (take the write lock when a transaction starts, so two never deadlock upgrading a read lock).
    DATABASES["default"].setdefault("OPTIONS", {}).update({"timeout": 30, "transaction_mode": "IMMEDIATE"})  # noqa: F405
