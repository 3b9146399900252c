"""`manage.py compute_bonuses [--month YYYY-MM]`: last month by default, any month on request, the same ledger
when run again, and a plain refusal of a month it cannot read."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from incentives.models import Decision, MonthlyBonus

from .admin_world import World
from .conftest import OCTOBER, held_sessions

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return World()


def run(*args):
    output = StringIO()
    call_command("compute_bonuses", *args, stdout=output)
    return output.getvalue().strip()


def test_without_a_month_it_computes_last_month(world):
    output = run()  # the clock stands on 16 November 2026

    assert output == "Computed October 2026: 3 new, 0 updated, 0 unchanged, 0 need adjustment."
    assert set(MonthlyBonus.objects.values_list("month", flat=True)) == {OCTOBER}
    assert MonthlyBonus.objects.filter(status=Decision.ELIGIBLE).count() == 2


def test_a_month_can_be_named(world):
    september = [datetime.date(2026, 9, day) for day in (3, 7, 10, 14, 17)]
    held_sessions(world.cohort, september)

    output = run("--month", "2026-09")

    # Every enrolled learner gets a row, eligible or not (no one was marked present in September).
    assert output == "Computed September 2026: 3 new, 0 updated, 0 unchanged, 0 need adjustment."
    assert set(MonthlyBonus.objects.values_list("month", flat=True)) == {datetime.date(2026, 9, 1)}


def test_running_it_again_changes_nothing(world):
    run()
    before = list(MonthlyBonus.objects.order_by("pk").values())

    output = run()

    assert output == "Computed October 2026: 0 new, 0 updated, 3 unchanged, 0 need adjustment."
    assert list(MonthlyBonus.objects.order_by("pk").values()) == before


@pytest.mark.parametrize("month", ["October", "2026-13", "2026-1", "26-10", ""])
def test_a_month_it_cannot_read_is_refused_and_nothing_is_computed(world, month):
    with pytest.raises(CommandError, match="YYYY-MM"):
        run("--month", month)

    assert not MonthlyBonus.objects.exists()
