"""The "Bonuses and milestones" admin in Wagtail, one module per screen: the monthly bonus ledger (ledger.py),
savings deposits (savings.py), milestone achievements (milestones.py), and the rules and milestone types behind
them (rules.py); what they share is in base.py.

Who may do what is decided in one place, `IncentivePermissionPolicy` (permissions.py), from incentives.access:
- program managers see every partner's rows and make every decision (compute a month, approve, mark paid,
  resolve adjustments, verify or reject milestones) and configure the rules and milestone types;
- partner staff see only their partner's rows, record savings deposits and milestones for their learners and
  download the payment files for their partner — a decision is a 403 for them;
- instructors and learners have no admin at all (Wagtail's access_admin permission).
Every view loads its rows through that policy, so another partner's row is a 404, never a page.

Decisions on many rows use Wagtail's bulk actions (`wagtail.admin.views.bulk_action.BulkAction`, registered
with the "register_bulk_action" hook): the listing's checkboxes lead to a confirmation page that lists what
will change and what will be left alone, and its POST calls the service. Every write is a service call in
incentives.services; its refusals (`IncentiveError`) come back as form errors or messages.
"""

from django.utils.translation import gettext_lazy
from wagtail.admin.viewsets.model import ModelViewSetGroup

from .ledger import ApproveBonusesBulkAction, MonthlyBonusViewSet, PayBonusesBulkAction
from .milestones import MilestoneAchievementViewSet
from .permissions import POLICIES, IncentivePermissionPolicy
from .rules import BonusRuleViewSet, MilestoneTypeViewSet, SavingsMatchRuleViewSet
from .savings import ApproveSavingsBulkAction, PaySavingsBulkAction, SavingsDepositViewSet

__all__ = ["BULK_ACTIONS", "POLICIES", "IncentivePermissionPolicy", "IncentivesAdminGroup"]

BULK_ACTIONS = [ApproveBonusesBulkAction, PayBonusesBulkAction, ApproveSavingsBulkAction, PaySavingsBulkAction]


class IncentivesAdminGroup(ModelViewSetGroup):
    menu_label = gettext_lazy("Bonuses and milestones")
    menu_icon = "tasks"
    menu_order = 160
    items = (
        MonthlyBonusViewSet,
        SavingsDepositViewSet,
        MilestoneAchievementViewSet,
        BonusRuleViewSet,
        SavingsMatchRuleViewSet,
        MilestoneTypeViewSet,
    )
