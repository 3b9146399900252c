"""Reads for the bonus and milestone admin, the payment exports and the evidence downloads.

Every function takes the requesting user and scopes through people.access and incentives.access: program
managers see every partner's rows, partner staff their own partner's, everyone else none (learners see their
own money and milestones in the portal, instructors their roster's progress on their own pages). The API reads
through `bonuses_readable_by` and `achievements_readable_by`, which add exactly those.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from cohorts.models import Attendance, Session
from people.access import limit_to_managed_partners, visible_learners
from people.models import Learner

from .access import can_see_milestone_evidence, can_see_savings_evidence
from .models import AWAITING_PAYMENT, Decision, MilestoneAchievement, MonthlyBonus, SavingsDeposit
from .rules import attendance_rate


def bonuses_visible_to(user):
    """Ledger rows of the partners `user` works with (MonthlyBonus.partner: the learner's partner when computed)."""
    return limit_to_managed_partners(user, MonthlyBonus.objects.all(), partner_field="partner")


def deposits_visible_to(user):
    return limit_to_managed_partners(user, SavingsDeposit.objects.all(), partner_field="partner")


def achievements_visible_to(user):
    return limit_to_managed_partners(user, MilestoneAchievement.objects.all(), partner_field="learner__partner")


def bonuses_readable_by(user):
    """Every ledger row `user` may read anywhere: the admin's (`bonuses_visible_to`) and, for a learner, their
    own, as the portal shows them. Instructors read none (they see roster notes, not money)."""
    own = MonthlyBonus.objects.filter(learner__in=visible_learners(user).filter(user=user))
    return bonuses_visible_to(user) | own


def achievements_readable_by(user):
    """Every achievement `user` may read anywhere: the admin's (`achievements_visible_to`) and those of the
    learners whose milestones they may see (`can_see_milestone_evidence`: instructors their learners', who
    record milestones from the cohort page; a learner their own)."""
    return achievements_visible_to(user) | MilestoneAchievement.objects.filter(learner__in=visible_learners(user))


def learners_for_recording(user):
    """The learners `user` may record a savings deposit or a milestone for in the admin."""
    return limit_to_managed_partners(user, Learner.objects.all(), partner_field="partner").order_by("full_name")


def approved_bonuses(user, month):
    """The bonuses approved (and not yet paid) for `month`, as the payment file lists them."""
    return (
        bonuses_visible_to(user)
        .filter(AWAITING_PAYMENT, month=month)
        .select_related("learner", "partner", "rule")
        .order_by("partner__name", "learner__full_name", "pk")
    )


def approved_savings_matches(user, month):
    return (
        deposits_visible_to(user)
        .filter(AWAITING_PAYMENT, month=month)
        .select_related("learner", "partner", "rule")
        .order_by("partner__name", "learner__full_name", "pk")
    )


def months_with_rows(queryset):
    """The distinct months of a ledger queryset, newest first (for the month filter)."""
    return list(queryset.order_by("-month").values_list("month", flat=True).distinct())


# --- evidence -------------------------------------------------------------------------------------------


def achievement_evidence(user, pk):
    """The achievement with evidence that `user` may download, or None (missing and forbidden look the same)."""
    achievement = MilestoneAchievement.objects.select_related("learner").exclude(evidence="").filter(pk=pk).first()
    if achievement is None or not can_see_milestone_evidence(user, achievement.learner):
        return None
    return achievement


def deposit_evidence(user, pk):
    deposit = SavingsDeposit.objects.select_related("learner").exclude(evidence="").filter(pk=pk).first()
    if deposit is None or not can_see_savings_evidence(user, deposit.learner):
        return None
    return deposit


# --- an adjustment, before and after ---------------------------------------------------------------------


@dataclass
class Figures:
    status: str
    status_label: str
    counted: int
    attended: int
    rate: Decimal
    amount: Decimal


@dataclass
class SessionLine:
    date: datetime.date
    cohort: str
    before: str
    after: str

    @property
    def changed(self):
        return self.before != self.after


def adjustment_comparison(bonus):
    """What was decided and what the attendance says now, side by side, session by session.

    One query (the sessions' cohorts); `bonus` must be waiting for an adjustment.
    """
    proposed = bonus.adjustment_basis or {}
    before = Figures(
        status=bonus.decided_status,
        status_label=Decision(bonus.decided_status).label if bonus.decided_status else "",
        counted=bonus.sessions_held,
        attended=bonus.sessions_attended,
        rate=bonus.rate,
        amount=bonus.amount,
    )
    after = Figures(
        status=proposed.get("status", ""),
        status_label=Decision(proposed["status"]).label if proposed.get("status") else "",
        counted=proposed.get("counted", 0),
        attended=proposed.get("attended", 0),
        rate=attendance_rate(proposed.get("attended", 0), proposed.get("counted", 0)),
        amount=Decimal(proposed.get("amount", "0")),
    )
    marks_before = {session_id: (day, status) for session_id, day, status in bonus.basis.get("sessions", [])}
    marks_after = {session_id: (day, status) for session_id, day, status in proposed.get("sessions", [])}
    cohorts = dict(
        Session.objects.filter(pk__in=set(marks_before) | set(marks_after)).values_list("pk", "cohort__name")
    )
    lines = []
    for session_id in set(marks_before) | set(marks_after):
        day = (marks_before.get(session_id) or marks_after[session_id])[0]
        lines.append(
            SessionLine(
                date=datetime.date.fromisoformat(day),
                cohort=cohorts.get(session_id, ""),
                before=_side_label(marks_before, session_id),
                after=_side_label(marks_after, session_id),
            )
        )
    lines.sort(key=lambda line: (line.date, line.cohort))
    return before, after, lines


def _side_label(marks, session_id):
    if session_id not in marks:
        return _("Not counted")
    status = marks[session_id][1]
    if status is None:
        return _("Not marked")
    return str(dict(Attendance.Status.choices).get(status, status))
