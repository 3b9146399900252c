"""Milestones: recorded by an instructor (evidence, amount, date rules), verified or rejected by a manager."""

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

from courses.models import Track
from incentives.models import MilestoneAchievement, MilestoneType
from incentives.services import IncentiveError, record_milestone, reject_milestone, verify_milestone
from people.models import Learner
from tests.factories_cohorts import PartnerFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 16)  # the clock's date in New York


@pytest.fixture
def learner(db):
    return Learner.objects.create(partner=PartnerFactory(), full_name="Abdirahman Warsame", consent_data=True)


@pytest.fixture
def business_plan(db):
    return MilestoneType.objects.create(name="Business plan", slug="business-plan", track=Track.ENTREPRENEURSHIP)


@pytest.fixture
def business_license(db):
    return MilestoneType.objects.create(
        name="Business license", slug="business-license", track=Track.ENTREPRENEURSHIP, evidence_required=True
    )


@pytest.fixture
def seed_grant(db):
    return MilestoneType.objects.create(
        name="SEED grant awarded", slug="seed-grant-awarded", track=Track.ENTREPRENEURSHIP, carries_amount=True
    )


def scan(name="license.jpg"):
    return SimpleUploadedFile(name, b"\xff\xd8\xff license scan", "image/jpeg")


def test_a_milestone_is_recorded_waiting_for_verification(learner, business_plan, instructor):
    achievement = record_milestone(
        learner=learner, milestone_type=business_plan, achieved_on=TODAY, note="  Final draft  ", by=instructor
    )

    achievement.refresh_from_db()
    assert (achievement.status, achievement.recorded_by, achievement.note) == (
        MilestoneAchievement.Status.RECORDED,
        instructor,
        "Final draft",
    )
    assert (achievement.verified_by, achievement.amount) == (None, None)
    entry = ModelLogEntry.objects.get(action="incentives.milestone.record", object_id=str(achievement.pk))
    assert entry.user == instructor


def test_a_milestone_that_needs_evidence_is_refused_without_it(learner, business_license, instructor):
    with pytest.raises(IncentiveError) as refused:
        record_milestone(learner=learner, milestone_type=business_license, achieved_on=TODAY, by=instructor)

    assert refused.value.field == "evidence"
    assert "Business license" in refused.value.message
    assert not MilestoneAchievement.objects.exists()


def test_evidence_is_kept_in_private_storage(learner, business_license, instructor):
    achievement = record_milestone(
        learner=learner, milestone_type=business_license, achieved_on=TODAY, evidence=scan(), by=instructor
    )

    path = Path(achievement.evidence.path).resolve()
    assert path.is_relative_to(Path(settings.PRIVATE_STORAGE_ROOT).resolve())
    assert not path.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    assert path.read_bytes().endswith(b"license scan")
    assert achievement.evidence_name == "license.jpg"
    assert "license" not in achievement.evidence.name  # the stored name cannot be guessed from the original


@pytest.mark.parametrize("dollars", [5000, 10000])
def test_a_seed_grant_records_its_amount_in_exact_dollars(learner, seed_grant, instructor, dollars):
    achievement = record_milestone(
        learner=learner, milestone_type=seed_grant, achieved_on=TODAY, amount=dollars, by=instructor
    )

    achievement.refresh_from_db()
    assert isinstance(achievement.amount, Decimal)
    assert achievement.amount == Decimal(f"{dollars}.00")


def test_a_milestone_that_carries_an_amount_is_refused_without_one(learner, seed_grant, instructor):
    with pytest.raises(IncentiveError) as refused:
        record_milestone(learner=learner, milestone_type=seed_grant, achieved_on=TODAY, by=instructor)

    assert refused.value.field == "amount"
    assert not MilestoneAchievement.objects.exists()


@pytest.mark.parametrize("dollars", [Decimal("0"), Decimal("-5000")])
def test_a_grant_of_nothing_or_less_is_refused(learner, seed_grant, instructor, dollars):
    with pytest.raises(IncentiveError) as refused:
        record_milestone(learner=learner, milestone_type=seed_grant, achieved_on=TODAY, amount=dollars, by=instructor)

    assert refused.value.field == "amount"
    assert not MilestoneAchievement.objects.exists()


def test_an_amount_is_not_kept_for_a_milestone_without_one(learner, business_plan, instructor):
    achievement = record_milestone(
        learner=learner, milestone_type=business_plan, achieved_on=TODAY, amount=Decimal("300"), by=instructor
    )
    achievement.refresh_from_db()
    assert achievement.amount is None


def test_a_date_in_the_future_is_refused(learner, business_plan, instructor):
    with pytest.raises(IncentiveError) as refused:
        record_milestone(
            learner=learner,
            milestone_type=business_plan,
            achieved_on=TODAY + datetime.timedelta(days=1),
            by=instructor,
        )

    assert refused.value.field == "achieved_on"
    assert not MilestoneAchievement.objects.exists()


def test_the_same_milestone_on_the_same_day_is_refused_but_another_day_is_kept(learner, business_plan, instructor):
    record_milestone(learner=learner, milestone_type=business_plan, achieved_on=TODAY, by=instructor)

    with pytest.raises(IncentiveError) as refused:
        record_milestone(learner=learner, milestone_type=business_plan, achieved_on=TODAY, by=instructor)
    assert refused.value.field == "achieved_on"

    record_milestone(
        learner=learner, milestone_type=business_plan, achieved_on=TODAY - datetime.timedelta(days=30), by=instructor
    )
    assert MilestoneAchievement.objects.filter(learner=learner).count() == 2


# --- verification -------------------------------------------------------------------------------------


@pytest.fixture
def recorded(learner, business_license, instructor):
    return record_milestone(
        learner=learner, milestone_type=business_license, achieved_on=TODAY, evidence=scan(), by=instructor
    )


def test_verifying_records_who_verified_and_when(recorded, manager, clock):
    clock.advance(hours=2)

    verify_milestone(achievement=recorded, by=manager)

    recorded.refresh_from_db()
    assert (recorded.status, recorded.verified_by, recorded.verified_at) == (
        MilestoneAchievement.Status.VERIFIED,
        manager,
        clock.now,
    )
    entry = ModelLogEntry.objects.get(action="incentives.milestone.verify", object_id=str(recorded.pk))
    assert entry.user == manager


@pytest.mark.parametrize("reason", ["", "   "])
def test_rejecting_needs_a_reason(recorded, manager, reason):
    with pytest.raises(IncentiveError) as refused:
        reject_milestone(achievement=recorded, reason=reason, by=manager)

    assert refused.value.field == "reason"
    recorded.refresh_from_db()
    assert (recorded.status, recorded.verified_by) == (MilestoneAchievement.Status.RECORDED, None)


def test_rejecting_records_the_reason_and_who_rejected(recorded, manager, clock):
    reject_milestone(
        achievement=recorded, reason="  The photo is blurred; the license number is unreadable. ", by=manager
    )

    recorded.refresh_from_db()
    assert recorded.status == MilestoneAchievement.Status.REJECTED
    assert recorded.rejection_reason == "The photo is blurred; the license number is unreadable."
    assert (recorded.verified_by, recorded.verified_at) == (manager, clock.now)
    entry = ModelLogEntry.objects.get(action="incentives.milestone.reject", object_id=str(recorded.pk))
    assert (entry.user, entry.data["reason"]) == (manager, recorded.rejection_reason)


def test_verifying_after_new_evidence_clears_the_rejection(recorded, manager):
    reject_milestone(achievement=recorded, reason="Blurred", by=manager)

    verify_milestone(achievement=recorded, by=manager)

    recorded.refresh_from_db()
    assert (recorded.status, recorded.rejection_reason) == (MilestoneAchievement.Status.VERIFIED, "")


# --- a double-tapped "Save" (PostgreSQL: two connections at once) -------------------------------------


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_same_milestone_saved_twice_at_once_is_kept_once_and_the_second_told_why(
    learner, business_plan, instructor, monkeypatch
):
    validate = MilestoneAchievement.full_clean

    def slowly(self, *args, **kwargs):  # both requests pass their checks before either inserts
        time.sleep(0.3)
        return validate(self, *args, **kwargs)

    monkeypatch.setattr(MilestoneAchievement, "full_clean", slowly)
    barrier, outcomes = threading.Barrier(2), []

    def save():
        try:
            barrier.wait(timeout=10)
            outcomes.append(
                record_milestone(learner=learner, milestone_type=business_plan, achieved_on=TODAY, by=instructor)
            )
        except Exception as error:  # handed to the assertions below
            outcomes.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=save) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    errors = [outcome for outcome in outcomes if isinstance(outcome, Exception)]
    assert len(outcomes) == 2 and len(errors) == 1, outcomes
    assert isinstance(errors[0], IncentiveError) and errors[0].field == "achieved_on"
    assert MilestoneAchievement.objects.filter(learner=learner).count() == 1
