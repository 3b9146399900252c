"""Household savings match: min(deposit, monthly cap, what is left of the total cap), one deposit a month,
evidence kept out of public media, and the same approve / paid flow as bonuses."""

import datetime
import threading
import time
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from wagtail.models import ModelLogEntry

from incentives.models import Decision, SavingsDeposit, SavingsMatchRule
from incentives.services import (
    IncentiveError,
    approve_savings,
    mark_savings_paid,
    record_savings_deposit,
)
from people.models import Learner
from tests.factories_cohorts import PartnerFactory

pytestmark = pytest.mark.django_db

SEPTEMBER, OCTOBER, NOVEMBER = (datetime.date(2026, month, 1) for month in (9, 10, 11))


@pytest.fixture
def learner(db):
    return Learner.objects.create(partner=PartnerFactory(), full_name="Nguyễn Văn An", consent_data=True)


def match_rule(**fields):
    return SavingsMatchRule.objects.create(
        **{"name": "Household savings", "active_from": datetime.date(2026, 1, 1), **fields}
    )


def deposit(learner, rule, month, amount, by, **fields):
    return record_savings_deposit(learner=learner, rule=rule, month=month, deposit=Decimal(amount), by=by, **fields)


def test_the_match_is_the_deposit_up_to_the_monthly_cap(learner, manager):
    rule = match_rule()  # $100 a month, no overall limit

    big = deposit(learner, rule, SEPTEMBER, "150", manager)
    small = deposit(learner, rule, OCTOBER, "40", manager)

    assert (big.match, big.status) == (Decimal("100.00"), Decision.ELIGIBLE)
    assert (small.match, small.status) == (Decimal("40.00"), Decision.ELIGIBLE)
    big.refresh_from_db()
    assert (big.deposit, big.match, big.partner_id) == (Decimal("150.00"), Decimal("100.00"), learner.partner_id)


def test_the_total_cap_holds_across_months(learner, manager):
    rule = match_rule(total_cap=Decimal("200"))

    matches = [deposit(learner, rule, month, "150", manager) for month in (SEPTEMBER, OCTOBER, NOVEMBER)]

    assert [(row.match, row.status) for row in matches] == [
        (Decimal("100.00"), Decision.ELIGIBLE),
        (Decimal("100.00"), Decision.ELIGIBLE),
        (Decimal("0"), Decision.NOT_ELIGIBLE),
    ]


def test_the_last_match_is_what_is_left_of_the_total_cap(learner, manager):
    rule = match_rule(total_cap=Decimal("250"))

    matches = [deposit(learner, rule, month, "120", manager).match for month in (SEPTEMBER, OCTOBER, NOVEMBER)]

    assert matches == [Decimal("100"), Decimal("100"), Decimal("50")]


def test_the_total_cap_is_per_learner(learner, manager):
    rule = match_rule(total_cap=Decimal("100"))
    neighbour = Learner.objects.create(partner=learner.partner, full_name="Ana Lima")

    deposit(learner, rule, SEPTEMBER, "100", manager)

    assert deposit(neighbour, rule, SEPTEMBER, "100", manager).match == Decimal("100")


def test_a_second_deposit_for_the_same_month_is_refused(learner, manager):
    rule = match_rule()
    deposit(learner, rule, OCTOBER, "60", manager)

    with pytest.raises(IncentiveError) as refused:
        deposit(learner, rule, datetime.date(2026, 10, 20), "30", manager)

    assert refused.value.field == "month"
    assert SavingsDeposit.objects.filter(learner=learner).count() == 1


@pytest.mark.parametrize("amount", ["0", "-25"])
def test_a_deposit_must_be_more_than_zero(learner, manager, amount):
    with pytest.raises(IncentiveError) as refused:
        deposit(learner, match_rule(), OCTOBER, amount, manager)

    assert refused.value.field == "deposit"
    assert not SavingsDeposit.objects.exists()


def test_the_month_is_stored_as_its_first_day(learner, manager):
    row = deposit(learner, match_rule(), datetime.date(2026, 10, 17), "10", manager)
    assert row.month == OCTOBER


def test_evidence_is_stored_privately_under_an_unguessable_name(learner, manager):
    statement = SimpleUploadedFile("bank statement October.pdf", b"%PDF-1.4 statement", "application/pdf")

    row = deposit(learner, match_rule(), OCTOBER, "50", manager, evidence=statement)

    path = Path(row.evidence.path).resolve()
    assert path.is_relative_to(Path(settings.PRIVATE_STORAGE_ROOT).resolve())
    assert not path.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    assert path.read_bytes() == b"%PDF-1.4 statement"
    assert "statement" not in row.evidence.name and row.evidence.name.endswith(".pdf")
    assert row.evidence_name == "bank statement October.pdf"


def test_recording_is_audited_with_who_recorded_it(learner, manager):
    row = deposit(learner, match_rule(), OCTOBER, "150", manager)

    entry = ModelLogEntry.objects.get(action="incentives.savings.record", object_id=str(row.pk))
    assert (entry.user, entry.data) == (manager, {"deposit": "150", "match": "100.00"})
    assert row.recorded_by == manager


def test_only_eligible_matches_are_approved_and_only_approved_ones_paid(learner, manager, clock):
    rule = match_rule(total_cap=Decimal("100"))
    eligible = deposit(learner, rule, SEPTEMBER, "100", manager)
    over_cap = deposit(learner, rule, OCTOBER, "100", manager)
    pending = deposit(
        Learner.objects.create(partner=learner.partner, full_name="Ana Lima"), rule, OCTOBER, "20", manager
    )

    assert mark_savings_paid(deposit_ids=[eligible.pk], by=manager) == []
    approved = approve_savings(deposit_ids=[eligible.pk, over_cap.pk], by=manager)
    paid = mark_savings_paid(deposit_ids=[eligible.pk, over_cap.pk, pending.pk], by=manager)

    assert [row.pk for row in approved] == [eligible.pk]
    assert [row.pk for row in paid] == [eligible.pk]
    for row in (eligible, over_cap, pending):
        row.refresh_from_db()
    assert (eligible.status, over_cap.status, pending.status) == (
        Decision.PAID,
        Decision.NOT_ELIGIBLE,
        Decision.ELIGIBLE,
    )
    assert (eligible.approved_by, eligible.paid_by, eligible.paid_at) == (manager, manager, clock.now)
    actions = ModelLogEntry.objects.filter(
        object_id=str(eligible.pk), action__in=["incentives.savings.approve", "incentives.savings.pay"]
    )
    assert sorted((entry.action, entry.user, entry.data["amount"]) for entry in actions) == [
        ("incentives.savings.approve", manager, "100.00"),
        ("incentives.savings.pay", manager, "100.00"),
    ]


# --- two requests at once (PostgreSQL: real row locks and concurrent connections) --------------------

requires_postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")


def at_once(*calls):
    """Run the calls in parallel threads (own connections); return each one's result or exception."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def worker(index, call):
        try:
            barrier.wait(timeout=10)
            outcomes[index] = call()
        except Exception as error:  # handed to the test, which asserts on it
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "a request is stuck"
    return outcomes


@pytest.fixture
def slow_save(monkeypatch):
    """Widen the gap between a request's checks and its insert, so the two requests overlap there."""
    validate = SavingsDeposit.full_clean

    def slowly(self, *args, **kwargs):
        time.sleep(0.3)
        return validate(self, *args, **kwargs)

    monkeypatch.setattr(SavingsDeposit, "full_clean", slowly)


@pytest.mark.postgres_only
@requires_postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_months_recorded_at_once_never_match_more_than_the_total_cap(learner, manager, slow_save):
    rule = match_rule(total_cap=Decimal("100"))

    outcomes = at_once(
        lambda: deposit(learner, rule, SEPTEMBER, "100", manager).match,
        lambda: deposit(learner, rule, OCTOBER, "100", manager).match,
    )

    assert sorted(outcomes) == [Decimal("0"), Decimal("100")]
    assert sum(SavingsDeposit.objects.filter(learner=learner).values_list("match", flat=True)) == Decimal("100")


@pytest.mark.postgres_only
@requires_postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_same_month_sent_twice_at_once_is_refused_with_a_message(learner, manager, slow_save):
    rule = match_rule()

    outcomes = at_once(
        lambda: deposit(learner, rule, OCTOBER, "80", manager),
        lambda: deposit(learner, rule, OCTOBER, "80", manager),
    )

    refused = [outcome for outcome in outcomes if isinstance(outcome, Exception)]
    assert len(refused) == 1, outcomes
    assert isinstance(refused[0], IncentiveError) and refused[0].field == "month"
    assert SavingsDeposit.objects.filter(learner=learner).count() == 1
