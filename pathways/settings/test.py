"""Test runs: fast hashing, local-memory cache, tasks run immediately, email kept in memory."""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-key"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Sign-in lockout stays on (attempts are rows, rolled back with each test); only the test client's
# request-less client.login() is let past it (see tests/trust/auth.py).
AUTHENTICATION_BACKENDS = [
    "tests.trust.auth.AxesBackendForTestClient",
    "django.contrib.auth.backends.ModelBackend",
]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_BROKER_URL = os.environ.get("PATHWAYS_TEST_CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
_scratch = Path(tempfile.mkdtemp(prefix="pathways-test-"))
MEDIA_ROOT = _scratch / "media"
PRIVATE_STORAGE_ROOT = _scratch / "private"
STORAGES["private"]["OPTIONS"]["location"] = str(PRIVATE_STORAGE_ROOT)  # noqa: F405
PATHWAYS_ALLOW_DEMO_DATA = True
PATHWAYS_OPEN_BADGES_GENERATE_KEY = True  # into private storage, once (credentials.openbadges)
WAGTAILADMIN_BASE_URL = "http://testserver"
PATHWAYS_PUBLIC_URL = "https://pathways.example.org"
STATIC_ROOT = _scratch / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
if DATABASES["default"]["ENGINE"] == "pathways.sqlite":  # noqa: F405
    # In memory, as Django tests any SQLite; said outright because pytest-django knows SQLite only by Django's
    # own engine name and would otherwise name each xdist worker's database "test_<path of db.sqlite3>_gw0".
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}  # noqa: F405
