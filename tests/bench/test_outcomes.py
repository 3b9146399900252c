"""Benchmark: the outcomes dashboard, outcomes.figures.summary and the JSON API's /api/v1/outcomes/summary (token
auth, over HTTP through Django's test client) on a statewide network, at a tenth of the size and at full size, on PostgreSQL.

    make bench                                  # or: .venv/bin/pytest tests/bench/test_outcomes.py \\
                                                #       -p no:cacheprovider --benchmark-only -o addopts=""

The data lives in two persistent PostgreSQL databases, created, migrated and seeded on the first run and
reused afterwards (the full seed takes a few minutes):

    pathways_bench_tenth   seed_demo --scale tenth   (60 cohorts, 2,500 learners, ~100,000 marks)
    pathways_bench         seed_demo --scale large   (600 cohorts, 25,000 learners, ~1,000,000 marks)

Set PATHWAYS_BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/pathways_bench) to use another
server; the tenth-scale database is that name with "_tenth". Drop the databases to seed afresh.

What it checks besides printing the medians and the full/tenth ratio of each: every request makes the same
number of queries whatever the filters and the size, and the dashboard and the summary answer with a median
under 300 ms at full size.
"""

import os
import statistics
import time

import dj_database_url
import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.bench.databases import ensure_database, use_database
from tests.bench.reporting import say

pytestmark = pytest.mark.benchmark(group="outcomes")

BENCH_URL = os.environ.get("PATHWAYS_BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pathways_bench")
SCALES = {"tenth": "_tenth", "large": ""}
BUDGET_SECONDS = 0.300
ROUNDS = 15

# What is measured: (name, who, what). Filters as the dashboard's query string.
TARGETS = {
    "dashboard": ("manager", "page", ""),
    "dashboard, all dates": ("manager", "page", "start=&end="),
    "dashboard, filtered": ("manager", "page", "track=esol&start=2025-01-01&end=2025-12-31&term="),
    "dashboard, partner staff": ("staff", "page", ""),
    "summary": ("manager", "summary", ""),
    "summary, all dates": ("manager", "summary", "start=&end="),
    "API summary": ("manager", "api", ""),
    "API summary, filtered": ("manager", "api", "track=esol&start=2025-01-01&end=2025-12-31&term="),
}

medians = {}  # (target, scale) -> seconds
query_counts = {}  # (target, scale) -> queries


def _settings_for(scale):
    parsed = dj_database_url.parse(BENCH_URL)
    parsed["NAME"] = f"{parsed['NAME']}{SCALES[scale]}"
    return parsed


@pytest.fixture(scope="module")
def bench_databases(django_db_blocker):
    """Both databases, seeded once; yields a function that switches the connection to one of them."""
    saved = dict(connections.settings["default"])
    prepared = {}

    def switch(scale):
        settings_dict = _settings_for(scale)
        use_database(settings_dict)
        if scale not in prepared:
            ensure_database(settings_dict)
            call_command("migrate", interactive=False, verbosity=0)
            from people.models import Partner

            if not Partner.objects.filter(slug=f"statewide-{scale}-01").exists():
                started = time.perf_counter()
                call_command("seed_demo", scale=scale, stdout=open(os.devnull, "w"))
                print(f"\nSeeded {settings_dict['NAME']} in {time.perf_counter() - started:.0f} s")
            prepared[scale] = True

    with django_db_blocker.unblock():
        yield switch
        connections["default"].close()
        del connections["default"]
        connections.settings["default"].clear()
        connections.settings["default"].update(saved)


@pytest.fixture(scope="module")
def report(request, bench_databases):
    yield
    if not medians:
        return
    say("")
    # The machine's load says how far the medians can be trusted: on two shared cores they double under load.
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    say(f"Outcomes at a tenth and at full scale (median of {ROUNDS} runs, PostgreSQL; load {load})")
    say(f"{'':28} {'tenth':>10} {'full':>10} {'full/tenth':>11} {'queries':>8}")
    for target in TARGETS:
        tenth, full = medians.get((target, "tenth")), medians.get((target, "large"))
        if tenth is None or full is None:
            continue
        queries = query_counts.get((target, "large"))
        say(f"{target:28} {tenth * 1000:>8.0f}ms {full * 1000:>8.0f}ms {full / tenth:>10.2f}x {queries:>8}")


def _call(scale, who, kind, query):
    from outcomes import figures
    from people.models import User

    username = "manager" if who == "manager" else f"staff.{scale}.01"
    user = User.objects.get(username=username)
    if kind == "summary":
        from django.http import QueryDict

        data = QueryDict(query)
        return lambda: figures.summary(user, data)
    client = Client()
    if kind == "api":
        from api.services import create_token

        token = create_token(user=user, name=f"bench {scale}", by=user)[1]

        def fetch():
            response = client.get(f"/api/v1/outcomes/summary?{query}", HTTP_AUTHORIZATION=f"Bearer {token}")
            assert response.status_code == 200, response.content[:300]
            return response

        return fetch
    client.force_login(user)
    url = f"/admin/outcomes/?{query}"

    def get():
        response = client.get(url)
        assert response.status_code == 200
        return response

    return get


@pytest.mark.parametrize("scale", list(SCALES))
@pytest.mark.parametrize("target", list(TARGETS))
def test_outcomes_at_scale(benchmark, bench_databases, report, scale, target):
    if not BENCH_URL.startswith(("postgres://", "postgresql://")):
        pytest.skip("The outcomes benchmark runs on PostgreSQL (PATHWAYS_BENCH_DATABASE_URL).")
    bench_databases(scale)
    who, kind, query = TARGETS[target]
    run = _call(scale, who, kind, query)
    run()  # warm: the first request fills caches (site, locale, content types)
    with CaptureQueriesContext(connection) as captured:
        run()
    query_counts[(target, scale)] = len(captured)

    benchmark.pedantic(run, rounds=ROUNDS, warmup_rounds=1, iterations=1)

    medians[(target, scale)] = statistics.median(benchmark.stats.stats.data)
    same_kind = {
        count
        for (name, _scale), count in query_counts.items()
        if TARGETS[name][1:2] == (kind,) and TARGETS[name][0] == who
    }
    assert len(same_kind) == 1, f"query counts differ between filters or sizes: {query_counts}"
    if scale == "large":
        assert medians[(target, scale)] < BUDGET_SECONDS, f"{target}: median {medians[(target, scale)] * 1000:.0f} ms"
