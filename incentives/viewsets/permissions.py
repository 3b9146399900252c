"""Who may do what in the "Bonuses and milestones" admin: `IncentivePermissionPolicy`, one per model, from
incentives.access; and the plain 403 page a refused decision gets."""

from django.contrib.auth import get_user_model
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from people.models import Role
from people.permissions import PartnerScopedPolicy

from ..access import can_decide_incentives, can_work_on_incentives
from ..models import BonusRule, MilestoneAchievement, MilestoneType, MonthlyBonus, SavingsDeposit, SavingsMatchRule

# --- who may do what ------------------------------------------------------------------------------------

LEVELS = {"work": can_work_on_incentives, "decide": can_decide_incentives}
MANAGERS_ONLY = {"add": "decide", "change": "decide", "delete": "decide", "view": "decide"}


class IncentivePermissionPolicy(PartnerScopedPolicy):
    """Rights over an incentives model in the admin, from the role (incentives.access) rather than Django permissions.

    `rights` maps each action to "work" (program managers and partner staff) or "decide" (program managers);
    besides Wagtail's add/change/delete/view there are "decide" (approve, pay, compute, resolve, verify, reject)
    and "export" (the payment files). On rows, partner staff only reach their own partner's (`partner_field` is
    the lookup to it). Not Django permissions, for the reason cohorts.viewsets gives: Wagtail's site-history
    report shows every audit entry of a model to anyone holding a permission on it, across partners.
    """

    def __init__(self, model, *, rights, partner_field=None):
        super().__init__(model, partner_field=partner_field)
        self.rights = rights

    def user_has_permission(self, user, action):
        level = self.rights.get(action)
        return level is not None and LEVELS[level](user)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        levels = {self.rights[action] for action in actions if action in self.rights}
        if not levels:
            return get_user_model().objects.none()
        return self.users_with_roles(
            [Role.PROGRAM_MANAGER, Role.PARTNER_STAFF] if "work" in levels else [Role.PROGRAM_MANAGER]
        )


bonus_policy = IncentivePermissionPolicy(
    MonthlyBonus, rights={"view": "work", "export": "work", "decide": "decide"}, partner_field="partner"
)
deposit_policy = IncentivePermissionPolicy(
    SavingsDeposit,
    rights={"view": "work", "add": "work", "export": "work", "decide": "decide"},
    partner_field="partner",
)
achievement_policy = IncentivePermissionPolicy(
    MilestoneAchievement, rights={"view": "work", "add": "work", "decide": "decide"}, partner_field="learner__partner"
)
POLICIES = {
    MonthlyBonus: bonus_policy,
    SavingsDeposit: deposit_policy,
    MilestoneAchievement: achievement_policy,
    BonusRule: IncentivePermissionPolicy(BonusRule, rights=MANAGERS_ONLY),
    SavingsMatchRule: IncentivePermissionPolicy(SavingsMatchRule, rights=MANAGERS_ONLY),
    MilestoneType: IncentivePermissionPolicy(MilestoneType, rights=MANAGERS_ONLY),
}


def visible(model, user):
    return POLICIES[model].instances_user_has_any_permission_for(user, {"view"})


def refused(request):
    """A decision asked for by someone who may not make it: a plain 403 page, not Wagtail's redirect to the
    dashboard (which hides from a script or a test that the request was refused)."""
    response = TemplateResponse(
        request,
        "incentives/admin/refused.html",
        {"page_title": _("Program managers only"), "header_icon": "lock"},
        status=403,
    )
    return response


class ProgramManagersOnly:
    """Views (and bulk actions) that make a decision: only users the model's policy allows to "decide"
    (program managers)."""

    def dispatch(self, request, *args, **kwargs):
        if not POLICIES[self.model].user_has_permission(request.user, "decide"):
            return refused(request)
        return super().dispatch(request, *args, **kwargs)
