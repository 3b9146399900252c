"""A world for the API tests: two partners, three cohorts, one user per role with an API token, and a
`call(role, method, path, ...)` helper that sends the role's token (no token for "anonymous")."""

import datetime
import json
from dataclasses import dataclass, field

import pytest
from django.core.cache import cache
from django.utils import timezone

from api.services import create_token
from cohorts.models import Enrollment
from tests.cohorts.learner_world import build_world
from tests.factories_cohorts import EnrollmentFactory, LearnerFactory, SessionFactory

UTC = datetime.UTC
TODAY = datetime.date(2026, 10, 5)  # a Monday
NOW = datetime.datetime(2026, 10, 5, 22, 5, tzinfo=UTC)  # 18:05 in New York: tonight's class has started

ROLES = [
    "anonymous",
    "learner",
    "other_learner",
    "instructor",
    "other_instructor",
    "partner_staff",
    "other_partner_staff",
    "manager",
]


@pytest.fixture
def clock(monkeypatch):
    class Clock:
        now = NOW

    monkeypatch.setattr(timezone, "now", lambda: Clock.now)
    return Clock


@dataclass
class ApiWorld:
    world: object  # tests.cohorts.learner_world.World
    tonight: object  # the cohort's session today, 18:00–20:00
    last_week: object
    next_week: object
    other_session: object  # of the other partner's cohort
    classmate: object  # a second learner in the cohort, without an account
    tokens: dict = field(default_factory=dict)  # role -> plaintext token

    def __getattr__(self, name):
        return getattr(self.world, name)

    def user(self, role):
        return self.world.user(role)


@pytest.fixture
def api_world(db, clock):
    cache.clear()
    world = build_world()
    cohort = world.cohort
    classmate = LearnerFactory(partner=world.partner, full_name="Bashir Rahimi")
    EnrollmentFactory(cohort=cohort, learner=classmate, status=Enrollment.Status.ACTIVE)
    built = ApiWorld(
        world=world,
        tonight=SessionFactory(cohort=cohort, date=TODAY),
        last_week=SessionFactory(cohort=cohort, date=TODAY - datetime.timedelta(days=7)),
        next_week=SessionFactory(cohort=cohort, date=TODAY + datetime.timedelta(days=7)),
        other_session=SessionFactory(cohort=world.other_cohort, date=TODAY),
        classmate=classmate,
    )
    for role in ROLES:
        user = world.user(role)
        if user is not None:
            built.tokens[role] = create_token(user=user, name=f"{role} test", by=user)[1]
    return built


@pytest.fixture
def call(client, api_world):
    """call(role, "get", "/api/v1/cohorts", data=None, json_body=None, **headers) -> response (with .json())."""

    def send(role, method, path, *, data=None, json_body=None, token=None, **headers):
        token = token or api_world.tokens.get(role)
        if token:
            headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        sender = getattr(client, method.lower())
        if json_body is not None:
            return sender(path, data=json.dumps(json_body), content_type="application/json", **headers)
        return sender(path, data=data, **headers)

    return send


# --- money and milestones, for the scoping tests -------------------------------------------------


@pytest.fixture
def rewards(api_world):
    """A September bonus and a business-plan milestone for the learner (Northside) and the other learner (Harbor)."""
    from decimal import Decimal

    from courses.models import Track
    from incentives.models import BonusRule, Decision, MilestoneAchievement, MilestoneType, MonthlyBonus

    rule = BonusRule.objects.create(name="Training bonus", tracks=[Track.ESOL], active_from=datetime.date(2026, 1, 1))
    plan = MilestoneType.objects.create(name="Business plan", slug="business-plan", track=Track.ENTREPRENEURSHIP)
    rows = {}
    for key, learner in (("learner", api_world.learner), ("other_learner", api_world.other_learner)):
        rows[f"{key}_bonus"] = MonthlyBonus.objects.create(
            learner=learner,
            partner=learner.partner,
            rule=rule,
            month=datetime.date(2026, 9, 1),
            sessions_held=8,
            sessions_attended=7,
            rate=Decimal("87.50"),
            amount=Decimal("200.00"),
            status=Decision.ELIGIBLE,
        )
        rows[f"{key}_milestone"] = MilestoneAchievement.objects.create(
            learner=learner, milestone_type=plan, achieved_on=datetime.date(2026, 9, 20)
        )
    return rows
