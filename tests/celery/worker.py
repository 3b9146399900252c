"""Real Celery workers for tests: subprocesses on Redis and the PostgreSQL test database, which a test may
kill (SIGKILL, as the kernel's OOM killer or a lost machine would) and replace.

A test module marks itself with ``pytestmark = worker.NEEDS_WORKER`` and binds the fixtures here under
their own names (``broker, workers = worker.broker, worker.workers``), so pytest finds them. Where no test
Redis is configured or the database is not PostgreSQL (the worker process must reach the test database),
the tests are skipped, and a skip is not a pass.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.db import connection
from kombu import pools as kombu_pools

from pathways.celery import app


def redis_url_of_this_worker(url, xdist_worker):
    """The test Redis database of this pytest process: the configured one, or under pytest-xdist the next ones
    for workers gw1, gw2... (of Redis's 16), so two xdist workers never empty or read each other's queue. (make
    test also keeps all Celery-worker tests on one xdist worker; this holds when they are spread too.)"""
    if not url or not xdist_worker:
        return url
    parts = urlsplit(url)
    base = int(parts.path.strip("/") or 0)
    number = int(xdist_worker.removeprefix("gw"))
    return urlunsplit(parts._replace(path=f"/{(base + number) % 16}"))


REDIS_URL = redis_url_of_this_worker(
    os.environ.get("PATHWAYS_TEST_REDIS_URL", ""), os.environ.get("PYTEST_XDIST_WORKER", "")
)
ON_POSTGRES = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"

NEEDS_WORKER = [
    pytest.mark.celery_worker,
    pytest.mark.skipif(
        not (REDIS_URL and ON_POSTGRES),
        reason="needs PATHWAYS_TEST_REDIS_URL and PostgreSQL (the worker process must reach the test database)",
    ),
]

# The test settings, with this test process's storage and a short Redis visibility timeout.
SETTINGS_MODULE = "tests.celery.worker_settings"


def database_url():
    """The pytest-django test database, as a URL the worker's settings can read."""
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or '5432'}/{db['NAME']}"


def wait_for(condition, what, log_path, seconds=90, every=0.05):
    """Poll `condition` until it holds; fail with the end of the worker's log if it does not in time."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(every)
    pytest.fail(f"timed out after {seconds}s waiting for {what}; worker log:\n{Path(log_path).read_text()[-4000:]}")


def children(pid):
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


def kill(process):
    """SIGKILL a worker and everything it forked: no shutdown, no acknowledgement, no rollback by Python."""
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


def _reset_connections():
    """Make the app open new broker connections from its current configuration."""
    app._pool = None
    app.amqp._producer_pool = None


def _empty_queue():
    """Emptied in Redis itself (Celery's control API keeps a producer pool across tests): the queue, and the
    tasks delivered but not acknowledged that Redis would hand out again."""
    import redis

    redis.Redis.from_url(REDIS_URL).delete("celery", "unacked", "unacked_index")


@pytest.fixture
def broker():
    """Tasks go to Redis from this process; nothing left in the queue (or unacknowledged) from an earlier run."""
    saved = {key: app.conf[key] for key in ("task_always_eager", "broker_url")}
    app.conf.task_always_eager = False
    app.conf.broker_url = REDIS_URL
    kombu_pools.reset()  # start from no pools: one closed by an earlier test must not be reused
    _reset_connections()
    _empty_queue()
    yield app
    _empty_queue()
    # Close this test's broker connections and forget their pools: kombu keeps pools per broker URL
    # process-wide, and a closed one left there fails the next test that sends to the same Redis.
    kombu_pools.reset()
    for key, value in saved.items():
        app.conf[key] = value
    _reset_connections()


@pytest.fixture
def workers(transactional_db, django_db_serialized_rollback, broker, tmp_path):
    """`workers(name, ...)` starts a worker on the test database and storage, in its own process group (with
    everything it forks), and returns (process, log path) once it is ready. At the end every group is stopped,
    before the tables are flushed, so no process is left holding a database connection.

    With serialized rollback: the flush after the test then restores the migrated data (Wagtail's root page,
    the role groups) instead of re-creating the groups under new ids on PostgreSQL, which would collide with
    the next serialized-rollback test's restore."""
    started = []

    def start(name, *, settings_module=SETTINGS_MODULE, pool="solo", concurrency=1, visibility_timeout=4):
        log_path = tmp_path / f"{name}.log"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": settings_module,
            "PATHWAYS_TEST_CELERY_BROKER_URL": REDIS_URL,
            "PATHWAYS_TEST_PRIVATE_STORAGE_ROOT": str(settings.PRIVATE_STORAGE_ROOT),
            "PATHWAYS_TEST_MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "DATABASE_URL": database_url(),
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
        wait_for(lambda: "ready." in log_path.read_text() or process.poll() is not None, f"worker {name}", log_path)
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
