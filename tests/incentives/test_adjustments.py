"""Decisions on bonuses (approve, mark paid, audited) and what later attendance edits do to decided money."""

from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from wagtail.models import ModelLogEntry

from cohorts.services import Mark, record_attendance
from incentives.models import Decision, MonthlyBonus
from incentives.services import (
    IncentiveError,
    approve_bonuses,
    compute_month,
    mark_bonuses_paid,
    resolve_adjustment,
)
from people.models import Learner

from .conftest import (
    DOLLARS_200,
    NOW,
    OCTOBER,
    ZERO,
    bonus_of,
    cohort_on,
    enrolled,
    held_sessions,
    mark,
    present,
)

pytestmark = pytest.mark.django_db


class Month:
    """One cohort's October: eight held sessions and learners with given marks, computed once."""

    def __init__(self, *patterns):
        self.cohort = cohort_on()
        self.sessions = held_sessions(self.cohort)
        self.enrollments = []
        for number, statuses in enumerate(patterns):
            learner = Learner.objects.create(partner=self.cohort.partner, full_name=f"Learner {number}")
            enrollment = enrolled(self.cohort, learner)
            mark(enrollment, self.sessions, statuses)
            self.enrollments.append(enrollment)
        compute_month(month=OCTOBER)

    def bonus(self, number=0):
        return bonus_of(self.enrollments[number].learner)

    def edit(self, by, *changes, number=0):
        """Change marks through the roster service: (session index, new status) pairs."""
        for index, status in changes:
            record_attendance(
                session=self.sessions[index],
                marks=[Mark(enrollment_id=self.enrollments[number].pk, status=status)],
                recorded_by=by,
            )


@pytest.fixture
def approved(rule, manager):
    """A learner who came to 7 of 8 classes, whose $200 a manager approved."""
    month = Month(present(7, absent=1))
    approve_bonuses(bonus_ids=[month.bonus().pk], by=manager)
    return month


# --- decided money is frozen ----------------------------------------------------------------------


def test_editing_attendance_after_approval_raises_an_adjustment_and_keeps_the_money(approved, instructor, manager):
    approved.edit(instructor, (0, "absent"), (1, "absent"))  # now 5 of 8 = 62.5%: would not qualify

    result = compute_month(month=OCTOBER)

    bonus = approved.bonus()
    assert (result.flagged, result.created) == (1, 0)
    assert (bonus.status, bonus.decided_status) == (Decision.NEEDS_ADJUSTMENT, Decision.APPROVED)
    assert (bonus.amount, bonus.sessions_attended, bonus.sessions_held, bonus.rate) == (
        DOLLARS_200,
        7,
        8,
        Decimal("87.50"),
    )
    assert bonus.approved_by == manager
    assert bonus.basis["attended"] == 7
    proposed = bonus.adjustment_basis
    assert (proposed["attended"], proposed["counted"], proposed["amount"], proposed["status"]) == (
        5,
        8,
        "0.00",
        Decision.NOT_ELIGIBLE,
    )
    assert [status for _id, _day, status in proposed["sessions"][:2]] == ["absent", "absent"]


def test_an_attendance_edit_flags_the_decided_bonus_once_the_edit_commits(
    approved, instructor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        approved.edit(instructor, (7, "present"))  # 8 of 8 now

    bonus = approved.bonus()
    assert len(callbacks) == 1
    assert (bonus.status, bonus.decided_status, bonus.amount, bonus.sessions_attended) == (
        Decision.NEEDS_ADJUSTMENT,
        Decision.APPROVED,
        DOLLARS_200,
        7,
    )
    assert (bonus.adjustment_basis["attended"], bonus.adjustment_basis["status"]) == (8, Decision.ELIGIBLE)


def test_nothing_is_recomputed_before_the_edit_commits(approved, instructor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        approved.edit(instructor, (7, "present"))

    assert len(callbacks) == 1
    assert approved.bonus().status == Decision.APPROVED


def test_an_attendance_edit_in_a_month_not_yet_computed_creates_no_ledger(
    rule, instructor, django_capture_on_commit_callbacks
):
    cohort = cohort_on()
    sessions = held_sessions(cohort)
    enrollment = enrolled(cohort)

    with django_capture_on_commit_callbacks(execute=True):
        record_attendance(
            session=sessions[0], marks=[Mark(enrollment_id=enrollment.pk, status="present")], recorded_by=instructor
        )

    assert not MonthlyBonus.objects.exists()


def test_undecided_bonuses_simply_follow_attendance_edits(rule, instructor, django_capture_on_commit_callbacks):
    month = Month(present(6, absent=2))
    assert month.bonus().status == Decision.ELIGIBLE

    with django_capture_on_commit_callbacks(execute=True):
        month.edit(instructor, (0, "absent"))

    bonus = month.bonus()
    assert (bonus.status, bonus.amount, bonus.sessions_attended, bonus.rate) == (
        Decision.NOT_ELIGIBLE,
        ZERO,
        5,
        Decimal("62.50"),
    )
    assert (bonus.adjustment_basis, bonus.decided_status) == (None, "")


def test_a_paid_bonus_is_frozen_like_an_approved_one(approved, instructor, manager):
    mark_bonuses_paid(bonus_ids=[approved.bonus().pk], by=manager)
    approved.edit(instructor, (0, "absent"), (1, "absent"))

    compute_month(month=OCTOBER)

    bonus = approved.bonus()
    assert (bonus.status, bonus.decided_status, bonus.amount, bonus.paid_by) == (
        Decision.NEEDS_ADJUSTMENT,
        Decision.PAID,
        DOLLARS_200,
        manager,
    )
    assert bonus.adjustment_basis["amount"] == "0.00"


def test_an_edit_undone_before_anyone_decided_returns_the_bonus_to_its_decision(approved, instructor):
    approved.edit(instructor, (0, "absent"))
    compute_month(month=OCTOBER)
    assert approved.bonus().status == Decision.NEEDS_ADJUSTMENT

    approved.edit(instructor, (0, "present"))
    compute_month(month=OCTOBER)

    bonus = approved.bonus()
    assert (bonus.status, bonus.decided_status, bonus.adjustment_basis) == (Decision.APPROVED, "", None)


def test_a_further_edit_updates_the_proposed_figures_not_the_money(approved, instructor):
    approved.edit(instructor, (0, "absent"))
    compute_month(month=OCTOBER)
    approved.edit(instructor, (1, "absent"))
    compute_month(month=OCTOBER)

    bonus = approved.bonus()
    assert (bonus.status, bonus.amount, bonus.sessions_attended) == (Decision.NEEDS_ADJUSTMENT, DOLLARS_200, 7)
    assert (bonus.adjustment_basis["attended"], bonus.adjustment_basis["status"]) == (5, Decision.NOT_ELIGIBLE)
    assert compute_month(month=OCTOBER).updated == 0


# --- resolving an adjustment ---------------------------------------------------------------------------


def test_applying_an_adjustment_replaces_the_figures_and_sends_it_back_for_a_decision(approved, instructor, manager):
    approved.edit(instructor, (0, "absent"), (1, "absent"))
    compute_month(month=OCTOBER)

    bonus = resolve_adjustment(bonus=approved.bonus(), apply=True, by=manager)

    bonus.refresh_from_db()
    assert (bonus.status, bonus.amount, bonus.sessions_attended, bonus.sessions_held, bonus.rate) == (
        Decision.NOT_ELIGIBLE,
        ZERO,
        5,
        8,
        Decimal("62.50"),
    )
    assert (bonus.adjustment_basis, bonus.decided_status) == (None, "")
    again = compute_month(month=OCTOBER)
    assert (again.updated, again.flagged) == (0, 0)


def test_applying_an_adjustment_that_still_qualifies_makes_it_eligible_again(approved, instructor, manager):
    approved.edit(instructor, (7, "present"))
    compute_month(month=OCTOBER)

    bonus = resolve_adjustment(bonus=approved.bonus(), apply=True, by=manager)

    assert (bonus.status, bonus.amount, bonus.sessions_attended) == (Decision.ELIGIBLE, DOLLARS_200, 8)
    assert approve_bonuses(bonus_ids=[bonus.pk], by=manager) == [bonus]


def test_keeping_a_decision_restores_it_and_the_same_edit_is_not_raised_again(approved, instructor, manager):
    approved.edit(instructor, (0, "absent"), (1, "absent"))
    compute_month(month=OCTOBER)

    bonus = resolve_adjustment(bonus=approved.bonus(), apply=False, by=manager)

    bonus.refresh_from_db()
    assert (bonus.status, bonus.amount, bonus.sessions_attended, bonus.rate) == (
        Decision.APPROVED,
        DOLLARS_200,
        7,
        Decimal("87.50"),
    )
    assert (bonus.adjustment_basis, bonus.decided_status, bonus.basis["decision_kept"]) == (None, "", True)
    again = compute_month(month=OCTOBER)
    assert (again.flagged, again.updated) == (0, 0)
    assert approved.bonus().status == Decision.APPROVED


def test_after_keeping_a_decision_a_new_edit_is_raised_again(approved, instructor, manager):
    approved.edit(instructor, (0, "absent"))
    compute_month(month=OCTOBER)
    resolve_adjustment(bonus=approved.bonus(), apply=False, by=manager)

    approved.edit(instructor, (1, "absent"))
    compute_month(month=OCTOBER)

    assert approved.bonus().status == Decision.NEEDS_ADJUSTMENT


def test_keeping_a_paid_decision_leaves_it_paid(approved, instructor, manager):
    mark_bonuses_paid(bonus_ids=[approved.bonus().pk], by=manager)
    approved.edit(instructor, (0, "absent"), (1, "absent"))
    compute_month(month=OCTOBER)

    bonus = resolve_adjustment(bonus=approved.bonus(), apply=False, by=manager)

    assert (bonus.status, bonus.amount) == (Decision.PAID, DOLLARS_200)
    assert compute_month(month=OCTOBER).flagged == 0


def test_applying_an_edit_to_a_paid_bonus_that_still_qualifies_keeps_it_paid_and_off_the_next_payment_file(
    approved, instructor, manager
):
    mark_bonuses_paid(bonus_ids=[approved.bonus().pk], by=manager)
    approved.edit(instructor, (7, "present"))  # 8 of 8 now: the learner qualified all along
    compute_month(month=OCTOBER)

    bonus = resolve_adjustment(bonus=approved.bonus(), apply=True, by=manager)

    assert (bonus.status, bonus.amount, bonus.sessions_attended) == (Decision.PAID, DOLLARS_200, 8)
    assert approve_bonuses(bonus_ids=[bonus.pk], by=manager) == []  # nothing to approve, so nothing to pay twice
    assert compute_month(month=OCTOBER).flagged == 0


def test_applying_an_edit_that_unqualifies_a_paid_bonus_shows_the_overpayment(approved, instructor, manager):
    mark_bonuses_paid(bonus_ids=[approved.bonus().pk], by=manager)
    approved.edit(instructor, (0, "absent"), (1, "absent"))  # 5 of 8: should not have been paid
    compute_month(month=OCTOBER)

    bonus = resolve_adjustment(bonus=approved.bonus(), apply=True, by=manager)

    assert (bonus.status, bonus.amount) == (Decision.NOT_ELIGIBLE, ZERO)
    assert bonus.basis["paid_before_adjustment"] == "200.00"
    assert bonus.paid_by == manager and bonus.paid_at is not None


def test_resolving_is_refused_when_no_adjustment_waits(approved, manager):
    with pytest.raises(IncentiveError):
        resolve_adjustment(bonus=approved.bonus(), apply=True, by=manager)
    assert approved.bonus().status == Decision.APPROVED


def test_resolving_is_audited_with_before_and_after(approved, instructor, manager):
    approved.edit(instructor, (0, "absent"), (1, "absent"))
    compute_month(month=OCTOBER)
    bonus = resolve_adjustment(bonus=approved.bonus(), apply=True, by=manager)

    entry = ModelLogEntry.objects.get(action="incentives.bonus.adjust", object_id=str(bonus.pk))
    assert entry.user == manager
    assert entry.data["applied"] is True
    assert (entry.data["before"]["status"], entry.data["before"]["amount"]) == (Decision.APPROVED, "200.00")
    assert (entry.data["after"]["status"], entry.data["after"]["amount"]) == (Decision.NOT_ELIGIBLE, "0.00")


# --- approving and paying --------------------------------------------------------------------------


@pytest.fixture
def ledger(rule, manager, instructor):
    """Four learners' October: eligible, not eligible, paid, and approved-then-edited (needs adjustment)."""
    month = Month(present(8), present(2, absent=6), present(7, absent=1), present(7, absent=1))
    paid, flagged = month.bonus(2), month.bonus(3)
    approve_bonuses(bonus_ids=[paid.pk, flagged.pk], by=manager)
    mark_bonuses_paid(bonus_ids=[paid.pk], by=manager)
    month.edit(instructor, (0, "absent"), number=3)
    compute_month(month=OCTOBER)
    ModelLogEntry.objects.filter(action__startswith="incentives.bonus.").delete()
    return month


def statuses(month):
    return [month.bonus(number).status for number in range(len(month.enrollments))]


def test_approving_in_bulk_changes_only_eligible_bonuses(ledger, clock, manager):
    assert statuses(ledger) == [Decision.ELIGIBLE, Decision.NOT_ELIGIBLE, Decision.PAID, Decision.NEEDS_ADJUSTMENT]
    clock.advance(days=1)

    approved = approve_bonuses(bonus_ids=[ledger.bonus(number).pk for number in range(4)], by=manager)

    assert [bonus.pk for bonus in approved] == [ledger.bonus(0).pk]
    assert statuses(ledger) == [Decision.APPROVED, Decision.NOT_ELIGIBLE, Decision.PAID, Decision.NEEDS_ADJUSTMENT]
    first = ledger.bonus(0)
    assert (first.approved_by, first.approved_at) == (manager, clock.now)
    assert ledger.bonus(1).approved_by is None
    assert ledger.bonus(2).approved_at == NOW  # the earlier decision is not re-stamped


def test_marking_paid_changes_only_approved_bonuses(ledger, clock, manager):
    approve_bonuses(bonus_ids=[ledger.bonus(0).pk], by=manager)
    clock.advance(days=3)

    paid = mark_bonuses_paid(bonus_ids=[ledger.bonus(number).pk for number in range(4)], by=manager)

    assert [bonus.pk for bonus in paid] == [ledger.bonus(0).pk]
    assert statuses(ledger) == [Decision.PAID, Decision.NOT_ELIGIBLE, Decision.PAID, Decision.NEEDS_ADJUSTMENT]
    assert (ledger.bonus(0).paid_by, ledger.bonus(0).paid_at) == (manager, clock.now)
    assert ledger.bonus(2).paid_at == NOW


def test_approving_twice_changes_nothing_the_second_time(ledger, manager):
    approve_bonuses(bonus_ids=[ledger.bonus(0).pk], by=manager)
    assert approve_bonuses(bonus_ids=[ledger.bonus(0).pk], by=manager) == []
    assert ModelLogEntry.objects.filter(action="incentives.bonus.approve").count() == 1


def test_each_decision_is_audited_with_the_acting_user_and_amount(ledger, manager):
    ids = [ledger.bonus(number).pk for number in range(4)]
    approve_bonuses(bonus_ids=ids, by=manager)
    mark_bonuses_paid(bonus_ids=ids, by=manager)

    bonus_type = ContentType.objects.get_for_model(MonthlyBonus)
    entries = ModelLogEntry.objects.filter(content_type=bonus_type).order_by("pk")
    assert [(entry.action, entry.object_id, entry.user, entry.data["amount"]) for entry in entries] == [
        ("incentives.bonus.approve", str(ids[0]), manager, "200.00"),
        ("incentives.bonus.pay", str(ids[0]), manager, "200.00"),
    ]
    assert (entries[0].data["from"], entries[0].data["to"]) == (Decision.ELIGIBLE, Decision.APPROVED)


def test_computing_a_month_is_audited_on_the_rule_with_who_ran_it(rule, manager):
    cohort = cohort_on()
    sessions = held_sessions(cohort)
    mark(enrolled(cohort), sessions, present(8))

    compute_month(month=OCTOBER, by=manager)
    compute_month(month=OCTOBER, by=manager)  # nothing changed: nothing to log

    entry = ModelLogEntry.objects.get(action="incentives.bonus.compute")
    assert (entry.object_id, entry.user, entry.data) == (
        str(rule.pk),
        manager,
        {"month": "2026-10-01", "created": 1, "updated": 0},
    )
