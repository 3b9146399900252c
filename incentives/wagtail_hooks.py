"""Admin registration for bonuses and milestones: audit-log actions, the permission policies, the bulk
decisions and the "Bonuses and milestones" menu (the viewsets package)."""

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.models import ModelLogEntry
from wagtail.permissions import register_permission_policy

from cohorts.extensions import LEARNER_LINKS, PORTAL_SECTIONS, ROSTER_NOTES

from . import progress
from .models import BonusRule, MilestoneAchievement, MilestoneType, MonthlyBonus, SavingsDeposit
from .viewsets import BULK_ACTIONS, POLICIES, IncentivesAdminGroup

LOG_ACTIONS = [
    ("incentives.bonus.compute", _("Compute bonuses"), _("Monthly bonuses computed")),
    ("incentives.bonus.approve", _("Approve bonus"), _("Bonus approved")),
    ("incentives.bonus.pay", _("Mark bonus paid"), _("Bonus marked paid")),
    ("incentives.bonus.adjust", _("Resolve bonus adjustment"), _("Bonus adjustment resolved")),
    ("incentives.savings.record", _("Record savings deposit"), _("Savings deposit recorded")),
    ("incentives.savings.approve", _("Approve savings match"), _("Savings match approved")),
    ("incentives.savings.pay", _("Mark savings match paid"), _("Savings match marked paid")),
    ("incentives.milestone.record", _("Record milestone"), _("Milestone recorded")),
    ("incentives.milestone.verify", _("Verify milestone"), _("Milestone verified")),
    ("incentives.milestone.reject", _("Reject milestone"), _("Milestone evidence rejected")),
    ("incentives.evidence.download", _("Download evidence"), _("Evidence file downloaded")),
]


# Wagtail refuses to write an audit entry for an action it does not know, so every money and
# milestone write depends on these names.
@hooks.register("register_log_actions")
def register_incentive_log_actions(actions):
    for model in (MonthlyBonus, SavingsDeposit, MilestoneAchievement, BonusRule):
        actions.register_model(model, ModelLogEntry)
    for action, label, message in LOG_ACTIONS:
        actions.register_action(action, label, message)


# The admin's rights over these models follow the role (see viewsets.IncentivePermissionPolicy);
# registered before anything asks Wagtail for these models' policies.
for _model, _policy in POLICIES.items():
    register_permission_policy(_model, _policy)


for _bulk_action in BULK_ACTIONS:
    hooks.register("register_bulk_action", _bulk_action)


@hooks.register("register_admin_viewset")
def register_incentives_admin():
    return IncentivesAdminGroup()


# --- what learners and instructors see (cohorts.extensions) ---------------------------------------------


@hooks.register(ROSTER_NOTES)
def below_the_bonus_line(session, enrollments):
    return progress.roster_bonus_notes(session, enrollments)


@hooks.register(PORTAL_SECTIONS)
def bonus_and_milestone_progress(request, learner):
    learner_progress = progress.learner_progress(learner)
    if not learner_progress:
        return ""
    return render_to_string("incentives/portal/progress.html", {"progress": learner_progress}, request=request)


@hooks.register(LEARNER_LINKS)
def record_a_milestone(request, cohort, learners):
    if not MilestoneType.objects.filter(track__in=[cohort.course.track, ""]).exists():
        return {}
    label = gettext("Record a milestone")
    return {
        learner.pk: [(label, f"{reverse('incentives:record_milestone', args=[learner.pk])}?cohort={cohort.pk}")]
        for learner in learners
    }
