"""demo.incentives.seed_incentives (called by seed_demo once wired in): the program's rules and milestone types,
milestones reached, a deposit waiting, a paid month with one adjustment to resolve — and nothing new the
second time."""

from io import StringIO

import pytest
from django.apps import apps
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction

from demo.incentives import seed_incentives
from incentives.models import (
    BonusRule,
    Decision,
    MilestoneAchievement,
    MilestoneType,
    MonthlyBonus,
    SavingsDeposit,
    SavingsMatchRule,
)
from incentives.services import previous_month


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", stdout=StringIO())
        seed_incentives(StringIO())
        yield
        transaction.set_rollback(True)
    cache.clear()


def row_counts():
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def test_seeding_incentives_twice_changes_no_row(seeded, db):
    before = row_counts()

    seed_incentives(StringIO())

    after = row_counts()
    assert {label: (count, after[label]) for label, count in before.items() if after[label] != count} == {}


def test_the_programs_rules_and_milestone_types_are_there(seeded, db):
    rule = BonusRule.objects.get(name="Training bonus")
    assert (rule.tracks, rule.amount, rule.threshold_percent, rule.minimum_sessions) == (
        ["esol", "job_training"],
        200,
        75,
        4,
    )
    savings = SavingsMatchRule.objects.get(name="Household savings match")
    assert (savings.monthly_cap, savings.total_cap) == (100, 1200)
    awarded = MilestoneType.objects.get(slug="seed-grant-awarded")
    assert awarded.carries_amount and awarded.evidence_required and awarded.track == "entrepreneurship"
    assert MilestoneType.objects.count() == 6


def test_milestones_are_verified_and_waiting_and_evidence_is_private(seeded, db):
    statuses = set(MilestoneAchievement.objects.values_list("status", flat=True))
    assert statuses == {"verified", "recorded"}
    with_evidence = MilestoneAchievement.objects.exclude(evidence="").first()
    assert with_evidence.evidence.storage.exists(with_evidence.evidence.name)


def test_last_month_is_left_for_the_manager_and_the_month_before_is_paid_with_one_adjustment(seeded, db):
    last_month = previous_month()
    before_that = previous_month(last_month)

    assert not MonthlyBonus.objects.filter(month=last_month).exists()
    statuses = list(MonthlyBonus.objects.filter(month=before_that).values_list("status", flat=True))
    assert statuses.count(Decision.NEEDS_ADJUSTMENT) == 1
    assert Decision.PAID in statuses
    assert SavingsDeposit.objects.get().status == Decision.ELIGIBLE
