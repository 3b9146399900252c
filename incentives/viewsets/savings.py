"""Savings deposits: the listing, recording a deposit (the service works out the match), and the bulk
approve and mark-paid actions on savings matches."""

from django.urls import path
from django.utils.functional import classproperty
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.admin.ui.tables import Column

from people.admin_views import ScopedCreateView, ScopedInspectView, partner_column, status_column

from .. import services
from ..filters import SavingsDepositFilterSet
from ..forms import SavingsDepositForm
from ..models import Decision, SavingsDeposit
from ..money import money
from ..months import month_label
from .base import (
    DecisionBulkAction,
    DecisionIndexView,
    ExportApprovedView,
    IncentiveErrorsAsFormErrors,
    RecordViewSet,
    awaits_decision,
    evidence_column,
    month_column,
)


class ApproveSavingsBulkAction(DecisionBulkAction):
    display_name = gettext_lazy("Approve")
    action_type = "approve"
    aria_label = gettext_lazy("Approve the selected savings matches")
    action_priority = 10
    from_status = Decision.ELIGIBLE
    amount_field = "match"
    filterset_class = SavingsDepositFilterSet
    heading = gettext_lazy("Approve savings matches")
    button_label = gettext_lazy("Yes, approve them")

    @classproperty
    def models(cls):
        return [SavingsDeposit]

    def decide(self, ids, *, by):
        return services.approve_savings(deposit_ids=ids, by=by)

    def done_message(self, count):
        return ngettext(
            "Approved %(count)d savings match, %(total)s.",
            "Approved %(count)d savings matches, %(total)s in all.",
            count,
        )

    def skipped_message(self, count):
        return ngettext(
            "%(count)d selected deposit was not waiting for approval and was left as it was.",
            "%(count)d selected deposits were not waiting for approval and were left as they were.",
            count,
        )

    def intro(self, count):
        return ngettext(
            "This savings match will be approved for payment.",
            "These %(count)d savings matches will be approved for payment.",
            count,
        ) % {"count": count}

    def left_alone(self):
        return _("Not waiting for approval, so left as they are:")


class PaySavingsBulkAction(DecisionBulkAction):
    display_name = gettext_lazy("Mark paid")
    action_type = "mark-paid"
    aria_label = gettext_lazy("Mark the selected approved savings matches paid")
    action_priority = 20
    from_status = Decision.APPROVED
    amount_field = "match"
    filterset_class = SavingsDepositFilterSet
    heading = gettext_lazy("Mark savings matches paid")
    button_label = gettext_lazy("Yes, they are paid")

    @classproperty
    def models(cls):
        return [SavingsDeposit]

    def decide(self, ids, *, by):
        return services.mark_savings_paid(deposit_ids=ids, by=by)

    def done_message(self, count):
        return ngettext(
            "Marked %(count)d savings match paid, %(total)s.",
            "Marked %(count)d savings matches paid, %(total)s in all.",
            count,
        )

    def skipped_message(self, count):
        return ngettext(
            "%(count)d selected deposit was not approved and was left as it was.",
            "%(count)d selected deposits were not approved and were left as they were.",
            count,
        )

    def intro(self, count):
        return ngettext(
            "Mark this approved savings match as paid only once the money has gone out.",
            "Mark these %(count)d approved savings matches as paid only once the money has gone out.",
            count,
        ) % {"count": count}

    def left_alone(self):
        return _("Not approved, so left as they are:")


# --- savings deposits ------------------------------------------------------------------------------------------


class SavingsIndexView(DecisionIndexView):
    amount_field = "match"


class RecordSavingsDepositView(IncentiveErrorsAsFormErrors, ScopedCreateView):
    """services.record_savings_deposit works out the match: min(deposit, monthly cap, what is left of the total)."""

    page_title = gettext_lazy("Record a savings deposit")

    def save_instance(self):
        data = self.form.cleaned_data
        return services.record_savings_deposit(
            learner=data["learner"],
            rule=data["rule"],
            month=data["month"],
            deposit=data["deposit"],
            evidence=data.get("evidence"),
            by=self.request.user,
        )

    def get_success_message(self, instance):
        values = {
            "name": instance.learner.full_name,
            "month": month_label(instance.month),
            "deposit": money(instance.deposit),
            "match": money(instance.match),
        }
        if instance.status == Decision.NOT_ELIGIBLE:
            return (
                _(
                    "%(name)s, %(month)s: deposit of %(deposit)s recorded. No match: the overall limit is already reached."
                )
                % values
            )
        return (
            _("%(name)s, %(month)s: deposit of %(deposit)s recorded; match %(match)s, waiting for approval.") % values
        )

    def get_success_buttons(self):
        return []


class SavingsDepositViewSet(RecordViewSet):
    model = SavingsDeposit
    name = "savings_deposit_admin"
    url_prefix = "savings-deposits"
    icon = "decimal"
    menu_label = gettext_lazy("Savings deposits")
    index_view_class = SavingsIndexView
    index_template_name = DecisionIndexView.template_name
    index_results_template_name = DecisionIndexView.results_template_name
    add_view_class = RecordSavingsDepositView
    inspect_view_class = ScopedInspectView
    inspect_view_fields = [
        "learner",
        "partner",
        "rule",
        "month",
        "deposit",
        "match",
        "status",
        "evidence_name",
        "approved_at",
        "paid_at",
    ]
    filterset_class = SavingsDepositFilterSet
    ordering = ["-month", "learner__full_name"]
    list_display = [
        "learner",
        partner_column(),
        month_column(),
        Column("deposit", label=gettext_lazy("Deposit"), accessor=lambda row: money(row.deposit), sort_key="deposit"),
        Column("match", label=gettext_lazy("Match"), accessor=lambda row: money(row.match), sort_key="match"),
        evidence_column("incentives:savings_evidence"),
        status_column(awaits_decision),
    ]
    add_form_class = SavingsDepositForm
    add_panels = [
        FieldPanel("learner"),
        FieldPanel("rule"),
        FieldRowPanel([FieldPanel("month"), FieldPanel("deposit")]),
        FieldPanel("evidence"),
    ]

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(export_url_name=self.get_url_name("export"), **kwargs)

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path(
                "export/<str:extension>/",
                self.construct_view(ExportApprovedView, kind="savings-matches"),
                name="export",
            ),
        ]
