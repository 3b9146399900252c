"""Builders for bonus tests: a fixed clock, a default rule, cohorts on a track, held sessions and marks.

Everything is built in bulk and only as far as a test needs; October 2026 is the month under test and the
clock stands in mid-November, so every October session has been held.
"""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from cohorts.models import Attendance, Enrollment, Session
from courses.models import Track
from incentives.models import BonusRule, MonthlyBonus
from people.models import Learner, Role
from tests.factories_cohorts import CohortFactory, InstructorFactory, PartnerFactory, UserFactory, course_page

UTC = datetime.UTC
OCTOBER = datetime.date(2026, 10, 1)
NOVEMBER = datetime.date(2026, 11, 1)
# Monday 16 November 2026, 10:00 in New York (the server's zone): all of October is in the past.
NOW = datetime.datetime(2026, 11, 16, 15, 0, tzinfo=UTC)
# The eight Monday-and-Thursday classes of October 2026 (Thursday 1st ... Thursday 29th, less Monday 12th).
OCTOBER_DAYS = [datetime.date(2026, 10, day) for day in (1, 5, 8, 15, 19, 22, 26, 29)]

COURSE_TITLES = {
    Track.ESOL: "English for Everyday Life",
    Track.JOB_TRAINING: "Warehouse Skills",
    Track.ENTREPRENEURSHIP: "Start Your Business",
}


class Clock:
    """What `timezone.now()` returns in these tests; `advance` moves it on."""

    def __init__(self, now):
        self.now = now

    def advance(self, **delta):
        self.now += datetime.timedelta(**delta)


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    fixed = Clock(NOW)
    monkeypatch.setattr(timezone, "now", lambda: fixed.now)
    return fixed


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


def cohort_on(track=Track.ESOL, *, time_zone="America/New_York", partner=None, **fields):
    course = course_page(title=COURSE_TITLES[track], track=track)
    return CohortFactory(course=course, time_zone=time_zone, partner=partner or PartnerFactory(), **fields)


def held_sessions(cohort, days=OCTOBER_DAYS, *, cancelled=()):
    """Sessions on `days` (the cohort's local dates); those in `cancelled` are cancelled."""
    return Session.objects.bulk_create(
        [
            Session(
                cohort=cohort,
                date=day,
                start_time=datetime.time(18, 0),
                end_time=datetime.time(20, 0),
                status=Session.Status.CANCELLED if day in cancelled else Session.Status.SCHEDULED,
                cancellation_reason="Snow" if day in cancelled else "",
            )
            for day in days
        ]
    )


def enrolled(cohort, learner=None, *, enrolled_on=datetime.date(2026, 9, 1), **fields):
    learner = learner or Learner.objects.create(partner=cohort.partner, full_name="Amina Yusuf", consent_data=True)
    fields.setdefault("status", Enrollment.Status.ACTIVE)
    return Enrollment.objects.create(cohort=cohort, learner=learner, enrolled_on=enrolled_on, **fields)


def mark(enrollment, sessions, statuses):
    """One mark per session, in order; None leaves the session unmarked."""
    assert len(sessions) == len(statuses)
    Attendance.objects.bulk_create(
        [
            Attendance(session=session, enrollment=enrollment, status=status)
            for session, status in zip(sessions, statuses, strict=True)
            if status is not None
        ]
    )


def present(count, absent=0):
    return ["present"] * count + ["absent"] * absent


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
