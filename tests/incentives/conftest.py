"""Builders for bonus tests: a fixed clock, a default rule, cohorts on a track, held sessions and marks.

Everything is built in bulk and only as far as a test needs; October 2026 is the month under test and the
clock stands in mid-November, so every October session has been held.
"""

import datetime
from decimal import Decimal

import pytest

from courses.models import Track
from incentives.models import BonusRule, MonthlyBonus
from people.models import Role
from tests import builders
from tests.builders import cohort_on, enrolled, mark, present  # noqa: F401 (the bonus tests import them from here)
from tests.factories_cohorts import InstructorFactory, UserFactory

UTC = datetime.UTC
OCTOBER = datetime.date(2026, 10, 1)
NOVEMBER = datetime.date(2026, 11, 1)
# Monday 16 November 2026, 10:00 in New York (the server's zone): all of October is in the past.
NOW = datetime.datetime(2026, 11, 16, 15, 0, tzinfo=UTC)
# The eight Monday-and-Thursday classes of October 2026 (Thursday 1st ... Thursday 29th, less Monday 12th).
OCTOBER_DAYS = [datetime.date(2026, 10, day) for day in (1, 5, 8, 15, 19, 22, 26, 29)]


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    return builders.stop_clock(monkeypatch, NOW)


@pytest.fixture
def manager(db):
    return UserFactory(role=Role.PROGRAM_MANAGER, username="program.manager")


@pytest.fixture
def instructor(db):
    return InstructorFactory(username="instructor")


def bonus_rule(**fields):
    """The default program rule: $200, 75%, at least 4 sessions, ESOL and job training, since January."""
    defaults = {
        "name": "Training bonus",
        "tracks": [Track.ESOL, Track.JOB_TRAINING],
        "active_from": datetime.date(2026, 1, 1),
    }
    courses = fields.pop("courses", ())
    rule = BonusRule.objects.create(**{**defaults, **fields})
    rule.courses.add(*courses)
    return rule


@pytest.fixture
def rule(db):
    return bonus_rule()


def held_sessions(cohort, days=OCTOBER_DAYS, **options):
    """October's eight classes, unless a test names the days."""
    return builders.held_sessions(cohort, days, **options)


def bonus_of(learner, month=OCTOBER, rule=None):
    rows = MonthlyBonus.objects.filter(learner=learner, month=month)
    if rule is not None:
        rows = rows.filter(rule=rule)
    return rows.get()


def row_snapshot(bonus):
    """Every stored column of a ledger row, to compare two computations."""
    bonus.refresh_from_db()
    return {field.attname: getattr(bonus, field.attname) for field in MonthlyBonus._meta.concrete_fields}


DOLLARS_200 = Decimal("200.00")
ZERO = Decimal("0.00")
