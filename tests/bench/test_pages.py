"""Benchmark: the pages people use most, on the demo data, with their query counts and render times.

    make bench          # or: .venv/bin/pytest tests/bench/test_pages.py -p no:cacheprovider --benchmark-only -o addopts=""

PAGES below is the committed list: each page, who opens it, the queries it makes today (the test fails if a
page makes more: a new query per page is a decision, made by changing this list) and the goal of issue 17.
Times are medians of ROUNDS requests taken in interleaved rounds (every page once per round, so a busy
neighbour slows all alike), through Django's test client in this process, and reported as a ratio to the
home page measured in the same run; absolute times move with the machine's load. How the pages compare
with wagtail/bakerydemo is measured with ../shared/peer-bench (a peer site is not needed here).
"""

import os
import statistics
import time

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.bench.reporting import say

# The mark makes pytest-django create the test database: without it the seed would go to the dev database.
pytestmark = [pytest.mark.benchmark(group="pages"), pytest.mark.django_db]

ROUNDS = 30
WARM_UP = 3


def _course(world):
    from courses.models import CoursePage

    return CoursePage.objects.live().filter(locale__language_code="en").order_by("path").first().url


def _roster(world):
    from cohorts.models import Session

    session = Session.objects.filter(cohort__instructors__username="instructor.northside").order_by("date").first()
    return f"/teach/sessions/{session.pk}/"


def _certificate(world):
    from credentials.models import Credential

    return f"/verify/{Credential.objects.order_by('pk').first().verification_code}/"


# (label, path or a function of the seeded world returning it, who, queries today, goal of issue 17)
PAGES = [
    ("home", "/en/", None, 6, None),
    ("home, Arabic", "/ar/", None, 8, None),
    ("programs", "/en/programs/", None, 11, 10),
    ("course page", _course, None, 12, 10),
    ("verify form", "/verify/", None, 1, None),
    ("a verified certificate", _certificate, None, 3, None),
    ("learner portal", "/learn/", "learner", 27, 14),
    ("roster, instructor", _roster, "instructor.northside", 15, 12),
    ("today, instructor", "/teach/", "instructor.northside", 7, None),
]
BASELINE = "home"


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("seed_demo", verbosity=0)


def _client(username):
    from people.models import User

    client = Client()
    if username:
        client.force_login(User.objects.get(username=username))
    return client


def test_pages_keep_their_query_counts_and_report_their_cost(benchmark, demo, django_db_blocker):
    with django_db_blocker.unblock():
        pages = []
        for label, path, who, budget, goal in PAGES:
            client = _client(who)
            path = path(None) if callable(path) else path
            for _ in range(WARM_UP):
                assert client.get(path).status_code == 200, label
            with CaptureQueriesContext(connection) as queries:
                client.get(path)
            pages.append(
                {
                    "label": label,
                    "path": path,
                    "client": client,
                    "queries": len(queries),
                    "budget": budget,
                    "goal": goal,
                    "times": [],
                }
            )

        def rounds():
            for _ in range(ROUNDS):
                for page in pages:
                    started = time.perf_counter()
                    page["client"].get(page["path"])
                    page["times"].append(time.perf_counter() - started)

        benchmark.pedantic(rounds, rounds=1, iterations=1)

    medians = {page["label"]: statistics.median(page["times"]) for page in pages}
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    lines = [
        "",
        f"Pages on the demo data (median of {ROUNDS} interleaved requests, {connection.vendor}; load {load})",
        f"{'page':24} {'queries':>8} {'today':>6} {'goal':>5} {'median':>9} {'× ' + BASELINE:>8}",
    ]
    for page in pages:
        lines.append(
            f"{page['label']:24} {page['queries']:>8} {page['budget'] or '-':>6} {page['goal'] or '-':>5} "
            f"{medians[page['label']] * 1000:>7.1f}ms {medians[page['label']] / medians[BASELINE]:>7.2f}×"
        )
    say(*lines)

    over = [
        f"{page['label']}: {page['queries']} queries, the list says {page['budget']}"
        for page in pages
        if page["budget"] is not None and page["queries"] > page["budget"]
    ]
    assert not over, over
