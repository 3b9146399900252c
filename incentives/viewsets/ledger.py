"""The monthly bonus ledger: the listing, one bonus, computing a month, resolving an adjustment, and the
bulk approve and mark-paid actions on bonuses."""

import hashlib
import json

from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.functional import cached_property, classproperty
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import FormView, TemplateView
from wagtail.admin import messages
from wagtail.admin.ui.tables import Column
from wagtail.admin.widgets.button import HeaderButton, ListingButton

from people.admin_views import ListingPageMixin, ObjectActionView, ScopedInspectView, partner_column, status_column

from .. import selectors, services
from ..filters import MonthlyBonusFilterSet
from ..forms import ComputeMonthForm, ResolveAdjustmentForm
from ..models import Decision, MonthlyBonus
from ..money import money
from ..months import compute_summary, month_key, month_label
from .base import (
    DecisionBulkAction,
    DecisionIndexView,
    ExportApprovedView,
    RecordViewSet,
    awaits_decision,
    month_column,
)
from .permissions import ProgramManagersOnly


class ApproveBonusesBulkAction(DecisionBulkAction):
    display_name = gettext_lazy("Approve")
    action_type = "approve"
    aria_label = gettext_lazy("Approve the selected eligible bonuses")
    action_priority = 10
    from_status = Decision.ELIGIBLE
    filterset_class = MonthlyBonusFilterSet
    heading = gettext_lazy("Approve bonuses")
    button_label = gettext_lazy("Yes, approve them")

    @classproperty
    def models(cls):
        return [MonthlyBonus]

    def decide(self, ids, *, by):
        return services.approve_bonuses(bonus_ids=ids, by=by)

    def done_message(self, count):
        return ngettext("Approved %(count)d bonus, %(total)s.", "Approved %(count)d bonuses, %(total)s in all.", count)

    def skipped_message(self, count):
        return ngettext(
            "%(count)d selected bonus was not eligible and was left as it was.",
            "%(count)d selected bonuses were not eligible and were left as they were.",
            count,
        )

    def intro(self, count):
        return ngettext(
            "This eligible bonus will be approved for payment. Once approved it no longer changes with attendance.",
            "These %(count)d eligible bonuses will be approved for payment. Once approved they no longer change with attendance.",
            count,
        ) % {"count": count}

    def left_alone(self):
        return _("Not eligible, so left as they are:")


class PayBonusesBulkAction(DecisionBulkAction):
    display_name = gettext_lazy("Mark paid")
    action_type = "mark-paid"
    aria_label = gettext_lazy("Mark the selected approved bonuses paid")
    action_priority = 20
    from_status = Decision.APPROVED
    filterset_class = MonthlyBonusFilterSet
    heading = gettext_lazy("Mark bonuses paid")
    button_label = gettext_lazy("Yes, they are paid")

    @classproperty
    def models(cls):
        return [MonthlyBonus]

    def decide(self, ids, *, by):
        return services.mark_bonuses_paid(bonus_ids=ids, by=by)

    def done_message(self, count):
        return ngettext(
            "Marked %(count)d bonus paid, %(total)s.", "Marked %(count)d bonuses paid, %(total)s in all.", count
        )

    def skipped_message(self, count):
        return ngettext(
            "%(count)d selected bonus was not approved and was left as it was.",
            "%(count)d selected bonuses were not approved and were left as they were.",
            count,
        )

    def intro(self, count):
        return ngettext(
            "Mark this approved bonus as paid only once the money has gone out.",
            "Mark these %(count)d approved bonuses as paid only once the money has gone out.",
            count,
        ) % {"count": count}

    def left_alone(self):
        return _("Not approved, so left as they are:")


# --- the monthly bonus ledger ---------------------------------------------------------------------------------


class LedgerIndexView(DecisionIndexView):
    compute_url_name = None
    resolve_url_name = None

    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if self.can_decide:
            buttons.append(HeaderButton(_("Compute a month"), url=reverse(self.compute_url_name), icon_name="rotate"))
        return buttons

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if self.can_decide and instance.status == Decision.NEEDS_ADJUSTMENT:
            buttons.append(
                ListingButton(
                    _("Resolve adjustment"),
                    url=reverse(self.resolve_url_name, args=[instance.pk]),
                    icon_name="warning",
                    priority=5,
                )
            )
        return buttons


class LedgerInspectView(ScopedInspectView):
    resolve_url_name = None

    def get_month_display_value(self):
        return month_label(self.object.month)

    def get_rate_display_value(self):
        return f"{self.object.rate}%"

    def get_amount_display_value(self):
        return money(self.object.amount)

    @cached_property
    def header_buttons(self):
        if self.object.status == Decision.NEEDS_ADJUSTMENT and self.user_has_permission("decide"):
            return [
                HeaderButton(
                    _("Resolve adjustment"),
                    url=reverse(self.resolve_url_name, args=[self.object.pk]),
                    icon_name="warning",
                )
            ]
        return []


class ComputeMonthView(ProgramManagersOnly, ListingPageMixin, FormView):
    """Compute (or recompute) a month's ledger, then show that month."""

    model = MonthlyBonus
    template_name = "incentives/admin/compute_month.html"
    form_class = ComputeMonthForm
    page_title = gettext_lazy("Compute a month")
    header_icon = "rotate"

    def form_valid(self, form):
        month = form.cleaned_data["month"]
        result = services.compute_month(month=month, by=self.request.user)
        messages.success(self.request, compute_summary(month, result))
        return redirect(f"{reverse(self.index_url_name)}?month={month_key(month)}")


def adjustment_fingerprint(bonus):
    """What the resolve page showed: a later attendance edit changes it, and the click is not applied blind."""
    shown = json.dumps(bonus.adjustment_basis, sort_keys=True)
    return hashlib.sha256(shown.encode()).hexdigest()[:16]


class ResolveAdjustmentView(ProgramManagersOnly, ObjectActionView, TemplateView):
    """Before and after, side by side: apply the new figures, or keep the decision (services.resolve_adjustment).
    Rows the user may see (another partner's: 404); then ProgramManagersOnly refuses partner staff (403)."""

    model = MonthlyBonus
    row_permission = "view"
    related = ("learner", "partner", "rule")
    context_object_name = "bonus"
    object_page = None  # the ledger is the page to go back to
    template_name = "incentives/admin/resolve_adjustment.html"
    page_title = gettext_lazy("Resolve adjustment")
    header_icon = "warning"

    def get_page_subtitle(self):
        return f"{self.object.learner.full_name} · {month_label(self.object.month)}"

    def back_to_ledger(self):
        return redirect(f"{reverse(self.index_url_name)}?month={month_key(self.object.month)}")

    def get(self, request, *args, **kwargs):
        if self.object.status != Decision.NEEDS_ADJUSTMENT:
            messages.info(request, _("This bonus has no adjustment waiting."))
            return self.back_to_ledger()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        before, after, sessions = selectors.adjustment_comparison(self.object)
        context.update(
            before=before,
            after=after,
            before_amount=money(before.amount),
            after_amount=money(after.amount),
            sessions=sessions,
            changed_sessions=sum(1 for line in sessions if line.changed),
            fingerprint=adjustment_fingerprint(self.object),
            month=month_label(self.object.month),
        )
        return context

    def post(self, request, *args, **kwargs):
        form = ResolveAdjustmentForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose whether to apply the new figures or keep the decision."))
            return redirect(request.path)
        if self.object.status == Decision.NEEDS_ADJUSTMENT and request.POST.get(
            "fingerprint"
        ) != adjustment_fingerprint(self.object):
            messages.warning(
                request,
                _("Attendance changed again since this page was shown. Check the new figures and decide again."),
            )
            return redirect(request.path)
        try:
            bonus = services.resolve_adjustment(bonus=self.object, apply=form.apply, by=request.user)
        except services.IncentiveError as error:
            messages.error(request, error.message)
            return self.back_to_ledger()
        values = {
            "name": bonus.learner.full_name,
            "month": month_label(bonus.month),
            "status": bonus.get_status_display(),
            "amount": money(bonus.amount),
        }
        if form.apply:
            message = _("%(name)s, %(month)s: the new figures apply — now %(status)s, %(amount)s.") % values
            if bonus.status == Decision.ELIGIBLE:
                message += " " + _("Approve it again when it should be paid.")
        else:
            message = _("%(name)s, %(month)s: the decision stands — %(status)s, %(amount)s.") % values
        messages.success(request, message)
        return self.back_to_ledger()


class MonthlyBonusViewSet(RecordViewSet):
    model = MonthlyBonus
    name = "monthly_bonus_admin"
    url_prefix = "monthly-bonuses"
    icon = "table"
    menu_label = gettext_lazy("Monthly bonuses")
    index_view_class = LedgerIndexView
    index_template_name = DecisionIndexView.template_name
    index_results_template_name = DecisionIndexView.results_template_name
    inspect_view_class = LedgerInspectView
    inspect_view_fields = [
        "learner",
        "partner",
        "rule",
        "month",
        "sessions_held",
        "sessions_attended",
        "rate",
        "amount",
        "status",
        "approved_by",
        "approved_at",
        "paid_by",
        "paid_at",
    ]
    filterset_class = MonthlyBonusFilterSet
    ordering = ["-month", "learner__full_name"]
    list_display = [
        "learner",
        partner_column(),
        month_column(),
        Column("rule", label=gettext_lazy("Rule"), accessor="rule.name", sort_key="rule__name"),
        Column(
            "sessions",
            label=gettext_lazy("Attended / held"),
            accessor=lambda bonus: f"{bonus.sessions_attended} / {bonus.sessions_held}",
            sort_key="sessions_attended",
        ),
        Column("rate", label=gettext_lazy("Rate"), accessor=lambda bonus: f"{bonus.rate}%", sort_key="rate"),
        Column("amount", label=gettext_lazy("Amount"), accessor=lambda bonus: money(bonus.amount), sort_key="amount"),
        status_column(awaits_decision),
    ]

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(
            compute_url_name=self.get_url_name("compute"),
            resolve_url_name=self.get_url_name("resolve"),
            export_url_name=self.get_url_name("export"),
            **kwargs,
        )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("compute/", self.construct_view(ComputeMonthView, header_icon="rotate"), name="compute"),
            path(
                "resolve/<int:pk>/", self.construct_view(ResolveAdjustmentView, header_icon="warning"), name="resolve"
            ),
            path("export/<str:extension>/", self.construct_view(ExportApprovedView, kind="bonuses"), name="export"),
        ]
