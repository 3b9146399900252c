"""What learners and instructors see of bonuses and milestones: progress in plain words.

Every figure comes from the same `services.evaluate_month` (and so `rules.evaluate`) that computes
the ledger, so the portal's "come to 1 more" and the instructor's "below the bonus line" can never
disagree with what is later paid. Callers pass records they already scoped: the portal the
signed-in learner's own record, the roster the enrollments of a session the user may mark.
"""

from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext_lazy

from cohorts.models import Enrollment

from .models import Decision, MilestoneAchievement, MilestoneType, MonthlyBonus, SavingsDeposit
from .money import money_short
from .months import month_label
from .rules import evaluate
from .services import evaluate_month, month_bounds, rules_for_month

PAST_MONTHS_SHOWN = 6

# How a ledger row reads to the learner it is about: what will happen, not the office's workflow.
# Their own context: the admin's "Paid" is a row's status, the learner's is their bonus's (a feminine noun in
# Arabic), so translators must be free to word them apart.
LEARNER_STATUS = {
    Decision.ELIGIBLE: pgettext_lazy("learner's bonus", "Earned — being reviewed"),
    Decision.NOT_ELIGIBLE: pgettext_lazy("learner's bonus", "Not earned"),
    Decision.APPROVED: pgettext_lazy("learner's bonus", "Approved — payment on the way"),
    Decision.PAID: pgettext_lazy("learner's bonus", "Paid"),
    Decision.NEEDS_ADJUSTMENT: pgettext_lazy("learner's bonus", "Being checked again"),
}


def _rules_for(first, *, course=None):
    """The rules active in `first`'s month; only those covering `course` (in any of its translations), if given."""
    rules = rules_for_month(first)
    if course is None:
        return rules
    return [rule for rule in rules if rule.covers(course)]


# --- the learner portal ---------------------------------------------------------------------------------


@dataclass
class BonusProgress:
    rule_name: str
    amount: str  # "$200"
    evaluation: object  # rules.Evaluation

    @property
    def headline(self):
        """One or two sentences in plain words, in the active language."""
        evaluation = self.evaluation
        if not evaluation.held and not evaluation.upcoming:
            return _("No classes this month yet.")
        parts = []
        if evaluation.held:
            parts.append(
                ngettext(
                    "You came to %(attended)s of %(held)s class.",
                    "You came to %(attended)s of %(held)s classes.",
                    evaluation.counted,
                )
                % {"attended": evaluation.attended, "held": evaluation.counted}
            )
        parts.append(self.next_step)
        return " ".join(parts)

    @property
    def next_step(self):
        evaluation = self.evaluation
        if evaluation.more_needed == 0:
            if evaluation.upcoming:
                return _("You are on track for your %(amount)s bonus. Keep coming!") % {"amount": self.amount}
            return _("You earned your %(amount)s bonus this month.") % {"amount": self.amount}
        if evaluation.more_needed is None:
            return _("This month's %(amount)s bonus is out of reach now, but every class still counts.") % {
                "amount": self.amount
            }
        return ngettext(
            "Come to %(count)s more class to earn your %(amount)s bonus.",
            "Come to %(count)s more classes to earn your %(amount)s bonus.",
            evaluation.more_needed,
        ) % {"count": evaluation.more_needed, "amount": self.amount}

    @property
    def unmarked_note(self):
        unmarked = self.evaluation.unmarked
        if not unmarked:
            return ""
        return ngettext(
            "%(count)s class is not marked yet: ask your instructor.",
            "%(count)s classes are not marked yet: ask your instructor.",
            unmarked,
        ) % {"count": unmarked}


@dataclass
class PastBonus:
    month: str
    amount: str
    status: str
    decided: bool
    figures: str


@dataclass
class SavingsLine:
    month: str
    deposit: str
    match: str
    status: str


@dataclass
class MilestoneLine:
    name: str
    description: str
    achievement: MilestoneAchievement | None = None

    @property
    def state(self):
        """ "done", "waiting", "rejected" or "todo" — the template shows a word and a symbol for each, never colour alone."""
        if self.achievement is None:
            return "todo"
        return {
            MilestoneAchievement.Status.VERIFIED: "done",
            MilestoneAchievement.Status.RECORDED: "waiting",
            MilestoneAchievement.Status.REJECTED: "rejected",
        }[self.achievement.status]

    @property
    def amount(self):
        if self.achievement is None or self.achievement.amount is None:
            return ""
        return money_short(self.achievement.amount)


@dataclass
class LearnerProgress:
    month: str
    bonuses: list = field(default_factory=list)  # BonusProgress, one per rule the learner is under
    past: list = field(default_factory=list)  # PastBonus, newest first
    savings: list = field(default_factory=list)  # SavingsLine, newest first
    milestones: list = field(default_factory=list)  # MilestoneLine

    def __bool__(self):
        return bool(self.bonuses or self.past or self.savings or self.milestones)


def learner_progress(learner, *, today=None):
    """This month's bonus progress, past months' bonuses, savings matches and the milestone checklist."""
    today = today or timezone.localdate()
    first, _last = month_bounds(today)
    progress = LearnerProgress(month=month_label(first))
    for rule in _rules_for(first):
        evaluation = evaluate_month(rule, first, learner_ids=[learner.pk]).get(learner.pk)
        if evaluation is not None:
            progress.bonuses.append(BonusProgress(rule.name, money_short(rule.amount), evaluation[1]))
    progress.past = [
        PastBonus(
            month=month_label(bonus.month),
            amount=money_short(bonus.amount),
            status=LEARNER_STATUS[bonus.status],
            decided=bonus.status != Decision.NOT_ELIGIBLE,
            figures=_("%(attended)s of %(held)s classes")
            % {"attended": bonus.sessions_attended, "held": bonus.sessions_held},
        )
        for bonus in MonthlyBonus.objects.filter(learner=learner, month__lt=first).order_by("-month", "rule__name")[
            :PAST_MONTHS_SHOWN
        ]
    ]
    progress.savings = [
        SavingsLine(
            month=month_label(deposit.month),
            deposit=money_short(deposit.deposit),
            match=money_short(deposit.match),
            status=LEARNER_STATUS[deposit.status],
        )
        for deposit in SavingsDeposit.objects.filter(learner=learner).order_by("-month")[:PAST_MONTHS_SHOWN]
    ]
    progress.milestones = milestone_checklist(learner)
    return progress


def milestone_checklist(learner):
    """The milestones of the tracks the learner is (or was) in, in order, each with their latest record."""
    tracks = set(
        Enrollment.objects.filter(
            learner=learner,
            status__in=[Enrollment.Status.ACTIVE, Enrollment.Status.COMPLETED, Enrollment.Status.WITHDRAWN],
        ).values_list("cohort__course__track", flat=True)
    )
    achievements = {}
    for achievement in MilestoneAchievement.objects.filter(learner=learner).order_by("achieved_on", "pk"):
        current = achievements.get(achievement.milestone_type_id)
        # A verified record stands; otherwise the latest one tells where things are.
        if current is None or current.status != MilestoneAchievement.Status.VERIFIED:
            achievements[achievement.milestone_type_id] = achievement
    types = MilestoneType.objects.filter(track__in=tracks) if tracks else MilestoneType.objects.none()
    lines = [MilestoneLine(kind.name, kind.description, achievements.pop(kind.pk, None)) for kind in types]
    # Milestones recorded outside the learner's tracks are theirs too.
    if achievements:
        extra = MilestoneType.objects.filter(pk__in=achievements)
        lines += [MilestoneLine(kind.name, kind.description, achievements[kind.pk]) for kind in extra]
    return lines


# --- the instructor's roster ----------------------------------------------------------------------------


def roster_bonus_notes(session, enrollments):
    """{enrollment id: [note]} for the learners below the bonus line in the session's month, counting
    the marks up to and including this session's (so a mark tapped now moves the note at once).

    Only rules this cohort's course qualifies for; a learner's standing counts all their qualifying
    cohorts, as the ledger does. A note is shown only when the instructor can act on it this month:
    the learner can still make it, and is either below the rule's rate or can miss at most one more
    class. Early in a month everyone "needs N more" simply because few classes were held: that is
    noise on every row, not news; and a learner already out of reach needs no nudge this month.
    """
    cohort = session.cohort
    first, _last = month_bounds(session.date)
    rules = _rules_for(first, course=cohort.course)
    if not rules:
        return {}
    by_learner = {enrollment.learner_id: enrollment.pk for enrollment in enrollments}
    marked_here = {enrollment.pk for enrollment in enrollments if getattr(enrollment, "current_status", None)}
    notes = {}
    for rule in rules:
        evaluations = evaluate_month(rule, first, learner_ids=list(by_learner), today=session.date)
        for learner_id, (_partner, evaluation) in evaluations.items():
            if by_learner[learner_id] not in marked_here:
                evaluation = _before_this_session(rule, evaluation, session)
            if not evaluation.counted or evaluation.eligible or evaluation.more_needed is None:
                continue
            below_rate = evaluation.rate < rule.threshold_percent
            no_room = evaluation.upcoming - evaluation.more_needed <= 1
            if not (below_rate or no_room):
                continue
            text = _("Below the bonus line: %(attended)s of %(held)s (%(rate)s%%), needs %(more)s more")
            notes.setdefault(by_learner[learner_id], []).append(
                text
                % {
                    "attended": evaluation.attended,
                    "held": evaluation.counted,
                    "rate": f"{evaluation.rate:.0f}",
                    "more": evaluation.more_needed,
                }
            )
    return notes


def _before_this_session(rule, evaluation, session):
    """A learner not marked at `session` yet: the session is still to come for them, not missed (the
    same rule, from the marks already read, with no further query)."""
    marks = [
        (session_id, date.fromisoformat(day), status)
        for session_id, day, status in evaluation.sessions
        if session_id != session.pk
    ]
    if len(marks) == len(evaluation.sessions):
        return evaluation
    return evaluate(rule, marks, upcoming=evaluation.upcoming + 1)
