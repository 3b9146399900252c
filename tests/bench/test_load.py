"""Load: 50 instructors saving their roster and 200 learners opening their portal at once, for 60 seconds,
against gunicorn and PostgreSQL on loopback. Prints requests per second, median and 95th-percentile response
times and the errors per request type; passes with no error and every type's p95 under 500 ms.

    make bench                                  # or: .venv/bin/pytest tests/bench/test_load.py \\
                                                #       -p no:cacheprovider --benchmark-only -o addopts="" -s

What runs, each time:
- the database PATHWAYS_LOAD_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/pathways_load) is
  created if missing, migrated and seeded once: the ordinary demo (courses, bonus rule, credential pathways),
  then a partner with 50 instructors, each teaching a cohort of 20 learners (4 of them with portal logins:
  200 in all) with six weeks of marked sessions; every run adds today's session where it is missing;
- each simulated person gets a signed-in browser session made in advance. Signing in through the form
  would measure password hashing and trip the sign-in lockout (django-axes) from one address, which is
  not what this load is about; the sessions are real ones, checked by the same middleware;
- `collectstatic` and gunicorn (`pathways.wsgi`, 2 workers per core, bound to 127.0.0.1:8790) with the
  production settings (DEBUG off, whitenoise, the cache in Redis db 6) over plain HTTP: no TLS proxy here,
  so the HTTPS redirect is off and the secure cookies are sent by hand. Celery's broker is Redis db 6 with
  no worker: a roster save queues the bonus recomputation as in production, where workers run elsewhere;
  the queue is emptied at the end;
- locust, headless: instructors open today's roster, mark every learner and save (the form's own CSRF
  token, no redirect followed), then think 10-30 s; learners open their portal, then think 20-60 s; each
  person starts after one such pause, so 250 people do not all click in the same second. The pauses are
  people's (marking twenty learners takes that long); without them 250 users on two cores measure a queue;
- the figures are printed whatever happens; gunicorn is stopped at the end, and locust stops itself after
  60 seconds (the whole run is bounded by a timeout).
"""

import csv
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connections

from tests.bench.databases import ensure_database, use_database
from tests.bench.reporting import say

pytestmark = pytest.mark.benchmark(group="load")

LOAD_URL = os.environ.get("PATHWAYS_LOAD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pathways_load")
REDIS_URL = os.environ.get("PATHWAYS_LOAD_REDIS_URL", "redis://127.0.0.1:6379/6")
PORT = int(os.environ.get("PATHWAYS_LOAD_PORT", "8790"))
HOST = f"http://127.0.0.1:{PORT}"
INSTRUCTORS = 50
LEARNERS_PER_COHORT = 20
PORTAL_LEARNERS_PER_COHORT = 4  # 200 portal learners
PAST_WEEKS = 6
RUN_SECONDS = 60
P95_BUDGET_MS = 500
REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PARTNER_SLUG = "load-test"


# --- the data ----------------------------------------------------------------------------------------------------


def seed_world():
    """The demo, then the load partner's instructors, cohorts and learners, once; today's sessions every run."""
    import datetime
    import random

    from django.db import transaction
    from wagtail.models import Locale

    from cms.models import HomePage
    from cohorts.models import Attendance, Cohort, Enrollment, Session
    from courses.models import CoursePage, Track
    from outcomes.services import rebuild_attendance_counts
    from people.models import Learner, Partner, Role, User
    from people.services import assign_role

    if not HomePage.objects.exists():
        call_command("seed_demo", stdout=open(os.devnull, "w"))
    if not Partner.objects.filter(slug=PARTNER_SLUG).exists():
        chance = random.Random(20261125)
        course = CoursePage.objects.filter(track=Track.ESOL, locale=Locale.get_default()).order_by("pk").first()
        with transaction.atomic():
            partner = Partner.objects.create(slug=PARTNER_SLUG, name="Load Test Learning Center")
            instructors = User.objects.bulk_create(
                User(
                    username=f"load.instructor.{n:02}",
                    first_name=f"Instructor {n:02}",
                    role=Role.INSTRUCTOR,
                    partner=partner,
                )
                for n in range(INSTRUCTORS)
            )
            for instructor in instructors:
                assign_role(user=instructor, role=Role.INSTRUCTOR, partner=partner)
            learner_users = iter(
                User.objects.bulk_create(
                    User(username=f"load.learner.{n:03}", role=Role.LEARNER)
                    for n in range(INSTRUCTORS * PORTAL_LEARNERS_PER_COHORT)
                )
            )
            today = datetime.date.today()
            for number, instructor in enumerate(instructors):
                cohort = Cohort.objects.create(
                    course=course,
                    partner=partner,
                    name=f"Evening English {number:02}",
                    start_date=today - datetime.timedelta(weeks=PAST_WEEKS + 1),
                    end_date=today + datetime.timedelta(weeks=8),
                    status=Cohort.Status.RUNNING,
                    capacity=LEARNERS_PER_COHORT + 5,
                )
                cohort.instructors.add(instructor)
                learners = Learner.objects.bulk_create(
                    Learner(
                        partner=partner,
                        full_name=f"Learner {number:02}-{seat:02}",
                        consent_data=True,
                        user=next(learner_users) if seat < PORTAL_LEARNERS_PER_COHORT else None,
                    )
                    for seat in range(LEARNERS_PER_COHORT)
                )
                enrollments = Enrollment.objects.bulk_create(
                    Enrollment(
                        cohort=cohort,
                        learner=learner,
                        status=Enrollment.Status.ACTIVE,
                        enrolled_on=cohort.start_date,
                    )
                    for learner in learners
                )
                local_today = cohort.local_today()
                past = Session.objects.bulk_create(
                    Session(
                        cohort=cohort,
                        date=local_today - datetime.timedelta(weeks=weeks),
                        start_time=datetime.time(18, 0),
                        end_time=datetime.time(20, 0),
                    )
                    for weeks in range(1, PAST_WEEKS + 1)
                )
                Attendance.objects.bulk_create(
                    Attendance(
                        session=session,
                        enrollment=enrollment,
                        status=chance.choices(["present", "late", "absent", "excused"], [70, 10, 15, 5])[0],
                    )
                    for session in past
                    for enrollment in enrollments
                )
        rebuild_attendance_counts()
    for cohort in Cohort.objects.filter(partner__slug=PARTNER_SLUG):
        Session.objects.get_or_create(
            cohort=cohort,
            date=cohort.local_today(),
            defaults={"start_time": datetime.time(18, 0), "end_time": datetime.time(20, 0)},
        )


def signed_in_people(secret_key):
    """A server-side session for each instructor (with a CSRF secret and their roster's address) and each portal
    learner, made as django.contrib.auth.login would, under the secret key gunicorn will run with."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session as BrowserSession
    from django.test import override_settings
    from django.utils.crypto import get_random_string

    from cohorts.models import Session
    from people.models import Learner, User

    def session_for(user):
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        return store.session_key

    BrowserSession.objects.all().delete()  # the last run's
    with override_settings(SECRET_KEY=secret_key):
        instructors = []
        for user in User.objects.filter(partner__slug=PARTNER_SLUG, username__startswith="load.instructor."):
            session = (
                Session.objects.filter(cohort__instructors=user).select_related("cohort").order_by("-date").first()
            )
            assert session.date == session.cohort.local_today()
            instructors.append(
                {
                    "session": session_for(user),
                    "csrf": get_random_string(32),
                    "roster": f"/teach/sessions/{session.pk}/",
                }
            )
        learners = [
            {"session": session_for(learner.user)}
            for learner in Learner.objects.filter(partner__slug=PARTNER_SLUG, user__isnull=False).select_related("user")
        ]
    return {"instructors": instructors, "learners": learners}


@pytest.fixture(scope="module")
def people(django_db_blocker):
    """Seed the load database and hand back the signed-in people (and the secret key their sessions need)."""
    import dj_database_url

    if not LOAD_URL.startswith(("postgres://", "postgresql://")):
        pytest.fail("The load test runs on PostgreSQL (PATHWAYS_LOAD_DATABASE_URL).")
    settings_dict = dj_database_url.parse(LOAD_URL)
    saved = dict(connections.settings["default"])
    secret_key = secrets.token_urlsafe(40)
    with django_db_blocker.unblock():
        try:
            ensure_database(settings_dict)
            use_database(settings_dict)
            call_command("migrate", interactive=False, verbosity=0)
            seed_world()
            signed_in = signed_in_people(secret_key)
        finally:
            connections["default"].close()
            del connections["default"]
            connections.settings["default"].clear()
            connections.settings["default"].update(saved)
    assert len(signed_in["instructors"]) == INSTRUCTORS
    assert len(signed_in["learners"]) == INSTRUCTORS * PORTAL_LEARNERS_PER_COHORT
    return signed_in, secret_key


# --- the server ----------------------------------------------------------------------------------------------------


def server_environment(secret_key, static_root):
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "PATHWAYS_TEST_"))}
    environment.update(
        DJANGO_SETTINGS_MODULE="pathways.settings.production",
        SECRET_KEY=secret_key,
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=LOAD_URL,
        DATABASE_CONN_MAX_AGE="60",
        CACHE_URL=REDIS_URL,
        CELERY_BROKER_URL=REDIS_URL,
        SECURE_SSL_REDIRECT="0",  # plain HTTP on loopback; production sits behind a TLS proxy
        TRUSTED_PROXY_COUNT="0",
        STATIC_ROOT=str(static_root),
        LOG_LEVEL="WARNING",
    )
    return environment


def flush_redis():
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()


def wait_until_listening(process, log, deadline=60):
    """Until gunicorn answers (any status) or gives up; a server that fails to start says why."""
    stop = time.monotonic() + deadline
    while time.monotonic() < stop:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            urllib.request.urlopen(f"{HOST}/learn/", timeout=5)  # noqa: S310 - our own server on loopback
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"gunicorn did not answer within {deadline} s:\n{log.read_text()[-3000:]}")


def warm(people):
    """Every worker loads its code and templates before the measured minute: 16 of each page, 8 at a time."""
    from concurrent.futures import ThreadPoolExecutor

    def fetch(job):
        path, session = job
        request = urllib.request.Request(f"{HOST}{path}", headers={"Cookie": f"sessionid={session}"})
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - our own server on loopback
            return path, response.status

    jobs = [(person["roster"], person["session"]) for person in people["instructors"][:16]]
    jobs += [("/learn/", person["session"]) for person in people["learners"][:16]]
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(fetch, jobs))
    assert all(status == 200 for _path, status in answers), answers


@pytest.fixture(scope="module")
def server(people, tmp_path_factory):
    """gunicorn with the production settings on 127.0.0.1:PORT, stopped (its whole process group) at the end."""
    signed_in, secret_key = people
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", PORT)) == 0:
            pytest.fail(f"Port {PORT} is already in use; set PATHWAYS_LOAD_PORT.")
    folder = tmp_path_factory.mktemp("load")
    environment = server_environment(secret_key, folder / "static")
    subprocess.run(
        [BIN / "python", "manage.py", "collectstatic", "--no-input", "-v", "0"],
        cwd=REPO,
        env=environment,
        check=True,
        timeout=600,
    )
    flush_redis()
    log = folder / "gunicorn.log"
    workers = 2 * (os.cpu_count() or 1)
    with open(log, "w") as log_file:
        process = subprocess.Popen(
            [BIN / "gunicorn", "pathways.wsgi", "--workers", str(workers), "--bind", f"127.0.0.1:{PORT}"]
            + ["--timeout", "30", "--graceful-timeout", "5"],
            cwd=REPO,
            env=environment,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stopping it stops its workers
        )
    try:
        wait_until_listening(process, log)
        warm(signed_in)
        yield {"workers": workers, "log": log, "folder": folder}
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=5)
        flush_redis()


# --- the run -------------------------------------------------------------------------------------------------------


def run_locust(signed_in, folder):
    import json

    people_file = folder / "people.json"
    people_file.write_text(json.dumps(signed_in))
    prefix = folder / "locust"
    command = [
        BIN / "locust",
        "-f",
        REPO / "tests" / "bench" / "locustfile.py",
        "--headless",
        "--users",
        str(len(signed_in["instructors"]) + len(signed_in["learners"])),
        "--spawn-rate",
        "50",
        "--run-time",
        f"{RUN_SECONDS}s",
        "--stop-timeout",
        "10",
        "--host",
        HOST,
        "--csv",
        str(prefix),
        "--only-summary",
        "--loglevel",
        "WARNING",
    ]
    environment = dict(os.environ, PATHWAYS_LOAD_PEOPLE=str(people_file))
    completed = subprocess.run(
        command, cwd=REPO, env=environment, capture_output=True, text=True, timeout=RUN_SECONDS + 120
    )
    return completed, prefix


def read_figures(prefix):
    """Per request type and in all: requests, errors, requests/s, p50 and p95 (ms), from locust's CSV."""
    figures = {}
    with open(f"{prefix}_stats.csv", newline="") as stats:
        for row in csv.DictReader(stats):
            figures["all" if row["Name"] == "Aggregated" else row["Name"]] = {
                "requests": int(row["Request Count"]),
                "errors": int(row["Failure Count"]),
                "rps": float(row["Requests/s"]),
                "p50": float(row["50%"] or 0),
                "p95": float(row["95%"] or 0),
            }
    failures = []
    failures_file = Path(f"{prefix}_failures.csv")
    if failures_file.exists():
        with open(failures_file, newline="") as rows:
            failures = [f"{row['Name']}: {row['Error']} ({row['Occurrences']}×)" for row in csv.DictReader(rows)]
    return figures, failures


def test_fifty_instructors_and_two_hundred_learners_at_once(benchmark, people, server, request):
    signed_in, _secret_key = people
    outcome = {}

    def run():
        outcome["load_before"] = os.getloadavg()[0]
        outcome["locust"], outcome["prefix"] = run_locust(signed_in, server["folder"])

    benchmark.pedantic(run, rounds=1, iterations=1)

    completed = outcome["locust"]
    assert Path(f"{outcome['prefix']}_stats.csv").exists(), completed.stderr[-3000:]
    figures, failures = read_figures(outcome["prefix"])
    lines = [
        "",
        f"Machine: {os.cpu_count()} cores, load average {outcome['load_before']:.1f} before, "
        f"{os.getloadavg()[0]:.1f} after (other work on the machine competes for the same cores)",
        f"Load: {len(signed_in['instructors'])} instructors saving rosters, {len(signed_in['learners'])} learners on "
        f"their portal, {RUN_SECONDS} s, gunicorn {server['workers']} workers, PostgreSQL, loopback",
        f"{'':28} {'requests':>9} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'errors':>7}",
    ]
    for name, row in figures.items():
        lines.append(
            f"{name:28} {row['requests']:>9} {row['rps']:>7.1f} {row['p50']:>7.0f} {row['p95']:>7.0f} {row['errors']:>7}"
        )
    lines += [f"  error: {failure}" for failure in failures]
    say(*lines)
    benchmark.extra_info.update({name: row for name, row in figures.items()})

    report = "\n".join(lines)
    assert figures["all"]["requests"] > 0, report + "\n" + completed.stderr[-3000:]
    assert figures["all"]["errors"] == 0, report
    assert all(row["p95"] < P95_BUDGET_MS for row in figures.values()), report
