"""Every write about money and milestones: computing months, decisions, savings matches, milestones.

Decided money (approved or paid) is never changed by a computation: a later
difference is raised as "needs adjustment" for a person to resolve.
"""

import calendar
import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from cohorts.models import Attendance, Enrollment, Session
from core.errors import Refused
from people.models import Learner

from .models import DECIDED, BonusRule, Decision, MilestoneAchievement, MonthlyBonus, SavingsDeposit
from .rules import attendance_rate, evaluate


class IncentiveError(Refused):
    """A bonus, savings or milestone request the rules refuse."""


def month_bounds(month):
    first = month.replace(day=1)
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    return first, last


def rules_for_month(month, *, for_update=False):
    """Rules active on at least one day of the month. `for_update` (inside a transaction)
    locks them, so two computations of the same rules take turns."""
    first, last = month_bounds(month)
    rules = (
        BonusRule.objects.filter(active_from__lte=last)
        .filter(Q(active_until__isnull=True) | Q(active_until__gte=first))
        .prefetch_related("courses")
    )
    if for_update:
        rules = rules.select_for_update(of=("self",))
    return list(rules)


def qualifying_enrollments(rule, first, last, learner_ids=None):
    """Enrollments in cohorts of qualifying courses (in any of their translations: a cohort may point at one)
    that were active at some point in the month."""
    enrollments = (
        Enrollment.objects.filter(rule.covers_q("cohort__course"))
        .filter(status__in=[Enrollment.Status.ACTIVE, Enrollment.Status.COMPLETED, Enrollment.Status.WITHDRAWN])
        .filter(enrolled_on__isnull=False, enrolled_on__lte=last)
        .exclude(withdrawn_on__lt=first)
        .exclude(completed_on__lt=first)
        .select_related("learner", "cohort")
        .only(
            "id",
            "cohort_id",
            "status",
            "enrolled_on",
            "withdrawn_on",
            "completed_on",
            "learner__id",
            "learner__partner_id",
            "cohort__id",
            "cohort__time_zone",
        )
    )
    if learner_ids is not None:
        enrollments = enrollments.filter(learner_id__in=learner_ids)
    return list(enrollments)


def _in_enrollment_window(enrollment, date):
    """Only sessions held while the learner was actively enrolled count."""
    if enrollment.enrolled_on and date < enrollment.enrolled_on:
        return False
    if enrollment.withdrawn_on and date >= enrollment.withdrawn_on:
        return False
    if enrollment.completed_on and date > enrollment.completed_on:
        return False
    return True


def evaluate_month(rule, month, *, learner_ids=None, today=None):
    """Evaluations per learner for `rule` in `month`, from a fixed number of queries.

    Returns {learner_id: (partner_id, Evaluation)}. A session counts as held once it
    has started (in the cohort's own time zone) and was not cancelled; with `today`
    given, once its day has come. Tonight's class is still to come this morning, so
    a learner's progress never counts it as missed before it begins.
    """
    first, last = month_bounds(month)
    enrollments = qualifying_enrollments(rule, first, last, learner_ids)
    cohort_ids = {enrollment.cohort_id for enrollment in enrollments}
    sessions_by_cohort = defaultdict(list)
    for session in (
        Session.objects.held()
        .filter(cohort_id__in=cohort_ids, date__range=(first, last))
        .only("id", "cohort_id", "date", "start_time")
    ):
        sessions_by_cohort[session.cohort_id].append(session)
    marks = {
        (session_id, enrollment_id): status
        for session_id, enrollment_id, status in Attendance.objects.filter(
            enrollment_id__in=[enrollment.pk for enrollment in enrollments],
            session__date__range=(first, last),
        ).values_list("session_id", "enrollment_id", "status")
    }
    per_learner = defaultdict(lambda: {"marks": [], "upcoming": 0, "partner": None})
    now_in_zone = {}  # session dates and times are the cohort's local ones, so "now" is too
    for enrollment in enrollments:
        entry = per_learner[enrollment.learner_id]
        entry["partner"] = enrollment.learner.partner_id
        zone = enrollment.cohort.time_zone
        if zone not in now_in_zone:
            local_now = timezone.now().astimezone(enrollment.cohort.zone)
            now_in_zone[zone] = (today, datetime.time.max) if today else (local_now.date(), local_now.time())
        for session in sessions_by_cohort[enrollment.cohort_id]:
            if not _in_enrollment_window(enrollment, session.date):
                continue
            if (session.date, session.start_time) > now_in_zone[zone]:
                entry["upcoming"] += 1
                continue
            entry["marks"].append((session.pk, session.date, marks.get((session.pk, enrollment.pk))))
    return {
        learner_id: (entry["partner"], evaluate(rule, entry["marks"], upcoming=entry["upcoming"]))
        for learner_id, entry in per_learner.items()
    }


@dataclass
class ComputeResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    flagged: int = 0  # decided rows whose attendance changed: now "needs adjustment"


def _figures(evaluation):
    return {
        "sessions_held": evaluation.counted,
        "sessions_attended": evaluation.attended,
        "rate": evaluation.rate,
        "amount": evaluation.amount,
        "status": Decision.ELIGIBLE if evaluation.eligible else Decision.NOT_ELIGIBLE,
        "basis": evaluation.basis(),
    }


@transaction.atomic
def compute_month(*, month, by=None, learner_ids=None, today=None) -> ComputeResult:
    """Compute (or recompute) the training-bonus ledger for a calendar month. Idempotent.

    Undecided rows follow the attendance; approved and paid rows never change
    — if their basis differs now, they become "needs adjustment", keeping the
    decided figures and recording the new basis beside them.
    """
    first, _last = month_bounds(month)
    result = ComputeResult()
    # Locking the rules makes a second computation of the month (the beat job and the
    # admin button, or a task delivered twice) wait, then find the rows the first inserted.
    for rule in rules_for_month(first, for_update=True):
        evaluations = evaluate_month(rule, first, learner_ids=learner_ids, today=today)
        existing = {
            bonus.learner_id: bonus
            for bonus in MonthlyBonus.objects.select_for_update().filter(
                rule=rule, month=first, **({"learner_id__in": learner_ids} if learner_ids is not None else {})
            )
        }
        to_create, to_update = [], []
        for learner_id, (partner_id, evaluation) in evaluations.items():
            figures = _figures(evaluation)
            bonus = existing.pop(learner_id, None)
            if bonus is None:
                to_create.append(
                    MonthlyBonus(learner_id=learner_id, partner_id=partner_id, rule=rule, month=first, **figures)
                )
                continue
            if _apply(bonus, figures, result):
                to_update.append(bonus)
        # Learners with a row who no longer qualify at all (e.g. enrollment removed).
        empty = _figures(evaluate(rule, []))
        for bonus in existing.values():
            if _apply(bonus, empty, result):
                to_update.append(bonus)
        MonthlyBonus.objects.bulk_create(to_create)
        result.created += len(to_create)
        if to_update:
            now = timezone.now()
            for bonus in to_update:
                bonus.updated_at = now
            MonthlyBonus.objects.bulk_update(
                to_update,
                [
                    "sessions_held",
                    "sessions_attended",
                    "rate",
                    "amount",
                    "status",
                    "basis",
                    "adjustment_basis",
                    "decided_status",
                    "updated_at",
                ],
            )
        if to_create or to_update:
            log(
                rule,
                "incentives.bonus.compute",
                user=by,
                data={"month": first.isoformat(), "created": len(to_create), "updated": len(to_update)},
            )
    return result


def _apply(bonus, figures, result):
    """Bring one existing row in line with new figures. Returns True if it changed."""
    new_basis = figures["basis"]
    if bonus.status in DECIDED:
        if bonus.basis.get("sessions") == new_basis["sessions"]:
            result.unchanged += 1
            return False
        bonus.decided_status = bonus.status
        bonus.status = Decision.NEEDS_ADJUSTMENT
        bonus.adjustment_basis = {**new_basis, "amount": str(figures["amount"]), "status": figures["status"]}
        result.flagged += 1
        return True
    if bonus.status == Decision.NEEDS_ADJUSTMENT:
        if bonus.basis.get("sessions") == new_basis["sessions"]:
            bonus.status, bonus.decided_status, bonus.adjustment_basis = bonus.decided_status, "", None
        else:
            proposed = {**new_basis, "amount": str(figures["amount"]), "status": figures["status"]}
            if bonus.adjustment_basis == proposed:
                result.unchanged += 1
                return False
            bonus.adjustment_basis = proposed
        result.updated += 1
        return True
    current = {field: getattr(bonus, field) for field in figures}
    if current == figures:
        result.unchanged += 1
        return False
    for field, value in figures.items():
        setattr(bonus, field, value)
    result.updated += 1
    return True


def _decide(model, ids, *, from_statuses, to_status, stamp, by, action):
    with transaction.atomic():
        rows = list(model.objects.select_for_update().filter(pk__in=ids, status__in=from_statuses))
        now = timezone.now()
        for row in rows:
            before = row.status
            row.status = to_status
            setattr(row, f"{stamp}_by", by)
            setattr(row, f"{stamp}_at", now)
            row.save(update_fields=["status", f"{stamp}_by", f"{stamp}_at", "updated_at"])
            log(
                row,
                action,
                user=by,
                data={
                    "from": before,
                    "to": to_status,
                    "amount": str(row.amount if model is MonthlyBonus else row.match),
                },
            )
        return rows


def approve_bonuses(*, bonus_ids, by):
    """Approve eligible bonuses. Rows in any other state are left alone (and not counted)."""
    return _decide(
        MonthlyBonus,
        bonus_ids,
        from_statuses=[Decision.ELIGIBLE],
        to_status=Decision.APPROVED,
        stamp="approved",
        by=by,
        action="incentives.bonus.approve",
    )


def mark_bonuses_paid(*, bonus_ids, by):
    return _decide(
        MonthlyBonus,
        bonus_ids,
        from_statuses=[Decision.APPROVED],
        to_status=Decision.PAID,
        stamp="paid",
        by=by,
        action="incentives.bonus.pay",
    )


@transaction.atomic
def resolve_adjustment(*, bonus: MonthlyBonus, apply: bool, by) -> MonthlyBonus:
    """A person decides a bonus whose attendance changed after approval or payment.

    apply=True: the new figures replace the old. An approved row goes back for approval.
    A paid row is never offered for payment again: if the learner still qualifies it
    stays paid (with the amount paid); if not, it becomes "not eligible" and keeps who
    paid it and when, with the amount in its basis, so the overpayment shows.
    apply=False: the decision and amount stand; the new basis is recorded as acknowledged.
    """
    bonus = MonthlyBonus.objects.select_for_update().get(pk=bonus.pk)
    if bonus.status != Decision.NEEDS_ADJUSTMENT:
        raise IncentiveError(_("This bonus has no adjustment waiting."))
    proposed = bonus.adjustment_basis
    before = {"status": bonus.decided_status, "amount": str(bonus.amount), "basis": bonus.basis}
    basis = {key: value for key, value in proposed.items() if key not in ("amount", "status")}
    if not apply:
        bonus.status = bonus.decided_status
        basis["decision_kept"] = True
    elif bonus.decided_status == Decision.PAID:
        bonus.sessions_held, bonus.sessions_attended = proposed["counted"], proposed["attended"]
        bonus.rate = attendance_rate(proposed["attended"], proposed["counted"])
        if proposed["status"] == Decision.ELIGIBLE:
            bonus.status = Decision.PAID
        else:
            bonus.status = Decision.NOT_ELIGIBLE
            basis["paid_before_adjustment"] = str(bonus.amount)
            bonus.amount = Decimal(proposed["amount"])
    else:
        bonus.sessions_held, bonus.sessions_attended = proposed["counted"], proposed["attended"]
        bonus.rate = attendance_rate(proposed["attended"], proposed["counted"])
        bonus.amount = Decimal(proposed["amount"])
        bonus.status = proposed["status"]
    bonus.basis = basis
    bonus.adjustment_basis = None
    bonus.decided_status = ""
    bonus.save()
    log(bonus, "incentives.bonus.adjust", user=by, data={"applied": apply, "before": before, "after": proposed})
    return bonus


# --- savings match ---------------------------------------------------------------


def _lock_learner(learner):
    """Record one learner's deposits (or milestones) one at a time.

    The checks before an insert ("already recorded this month?", "how much of the
    total cap is left?") read rows the other request may be writing; a sum cannot
    lock rows, so both requests queue on the learner's row instead.
    """
    Learner.objects.select_for_update().only("pk").get(pk=learner.pk)


@transaction.atomic
def record_savings_deposit(*, learner, rule, month, deposit: Decimal, evidence=None, by) -> SavingsDeposit:
    """Record a month's deposit and its match: min(deposit, monthly cap, what is left of the total cap)."""
    first, _last = month_bounds(month)
    if deposit is None or deposit <= 0:
        raise IncentiveError(_("Enter the amount deposited, more than zero."), field="deposit")
    _lock_learner(learner)
    if SavingsDeposit.objects.filter(learner=learner, rule=rule, month=first).exists():
        raise IncentiveError(_("A deposit is already recorded for this month."), field="month")
    matched_before = SavingsDeposit.objects.filter(learner=learner, rule=rule).exclude(
        status=Decision.NOT_ELIGIBLE
    ).aggregate(total=Sum("match"))["total"] or Decimal("0")
    match = min(deposit, rule.monthly_cap)
    if rule.total_cap is not None:
        match = max(min(match, rule.total_cap - matched_before), Decimal("0"))
    record = SavingsDeposit(
        learner=learner,
        partner_id=learner.partner_id,
        rule=rule,
        month=first,
        deposit=deposit,
        match=match,
        status=Decision.ELIGIBLE if match > 0 else Decision.NOT_ELIGIBLE,
        recorded_by=by,
    )
    if evidence is not None:
        record.evidence_name = evidence.name[:255]
        record.evidence = evidence
    record.full_clean()
    record.save()
    log(record, "incentives.savings.record", user=by, data={"deposit": str(deposit), "match": str(match)})
    return record


def approve_savings(*, deposit_ids, by):
    return _decide(
        SavingsDeposit,
        deposit_ids,
        from_statuses=[Decision.ELIGIBLE],
        to_status=Decision.APPROVED,
        stamp="approved",
        by=by,
        action="incentives.savings.approve",
    )


def mark_savings_paid(*, deposit_ids, by):
    return _decide(
        SavingsDeposit,
        deposit_ids,
        from_statuses=[Decision.APPROVED],
        to_status=Decision.PAID,
        stamp="paid",
        by=by,
        action="incentives.savings.pay",
    )


# --- milestones ------------------------------------------------------------------


@transaction.atomic
def record_milestone(*, learner, milestone_type, achieved_on, amount=None, note="", evidence=None, by):
    if milestone_type.evidence_required and evidence is None:
        raise IncentiveError(
            _("%(milestone)s needs evidence: attach a photo or PDF.") % {"milestone": milestone_type.name},
            field="evidence",
        )
    if milestone_type.carries_amount and (amount is None or Decimal(amount) <= 0):
        raise IncentiveError(
            _("Enter the amount for %(milestone)s.") % {"milestone": milestone_type.name}, field="amount"
        )
    if not milestone_type.carries_amount:
        amount = None
    if achieved_on > timezone.localdate():
        raise IncentiveError(_("The date cannot be in the future."), field="achieved_on")
    _lock_learner(learner)
    if MilestoneAchievement.objects.filter(
        learner=learner, milestone_type=milestone_type, achieved_on=achieved_on
    ).exists():
        raise IncentiveError(_("This milestone is already recorded for that day."), field="achieved_on")
    achievement = MilestoneAchievement(
        learner=learner,
        milestone_type=milestone_type,
        achieved_on=achieved_on,
        amount=amount,
        note=note.strip(),
        recorded_by=by,
    )
    if evidence is not None:
        achievement.evidence_name = evidence.name[:255]
        achievement.evidence = evidence
    achievement.full_clean()
    achievement.save()
    log(achievement, "incentives.milestone.record", user=by, data={"learner": learner.pk, "type": milestone_type.slug})
    return achievement


@transaction.atomic
def verify_milestone(*, achievement, by):
    achievement = MilestoneAchievement.objects.select_for_update().get(pk=achievement.pk)
    if achievement.status == MilestoneAchievement.Status.VERIFIED:
        return achievement
    achievement.status = MilestoneAchievement.Status.VERIFIED
    achievement.verified_by, achievement.verified_at = by, timezone.now()
    achievement.rejection_reason = ""
    achievement.save()
    log(achievement, "incentives.milestone.verify", user=by, data={"learner": achievement.learner_id})
    return achievement


@transaction.atomic
def reject_milestone(*, achievement, reason: str, by):
    if not reason.strip():
        raise IncentiveError(_("Say why the evidence is rejected, so it can be fixed."), field="reason")
    achievement = MilestoneAchievement.objects.select_for_update().get(pk=achievement.pk)
    achievement.status = MilestoneAchievement.Status.REJECTED
    achievement.verified_by, achievement.verified_at = by, timezone.now()
    achievement.rejection_reason = reason.strip()
    achievement.save()
    log(
        achievement,
        "incentives.milestone.reject",
        user=by,
        data={"learner": achievement.learner_id, "reason": achievement.rejection_reason},
    )
    return achievement


def previous_month(today=None):
    today = today or timezone.localdate()
    return (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
