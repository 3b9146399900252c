"""The "Bonuses and milestones" admin in Wagtail: the monthly bonus ledger, savings deposits, milestone
achievements, and the rules and milestone types behind them.

Who may do what is decided in one place, `IncentivePermissionPolicy`, from people.access:
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

import hashlib
import json

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Count, Sum
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import cached_property, classproperty
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import FormView, TemplateView, View
from wagtail.admin import messages
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import BulkActionsCheckboxColumn, Column, NumberColumn, TitleColumn
from wagtail.admin.views.bulk_action import BulkAction
from wagtail.admin.views.generic.base import BaseObjectMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.model import ModelViewSetGroup
from wagtail.admin.widgets.button import HeaderButton, ListingButton

from people.access import can_decide_incentives, can_work_on_incentives
from people.admin_views import (
    ListingPageMixin,
    ObjectActionView,
    ReasonFormView,
    RecordHistoryView,
    ScopedCreateView,
    ScopedDeleteView,
    ScopedIndexView,
    ScopedInspectView,
    ScopedViewSet,
    partner_column,
    person_name,
    status_column,
)
from people.models import Role
from people.permissions import PartnerScopedPolicy

from . import exports, selectors, services
from .filters import MilestoneAchievementFilterSet, MonthlyBonusFilterSet, SavingsDepositFilterSet, search
from .forms import (
    BonusRuleForm,
    ComputeMonthForm,
    MilestoneAchievementForm,
    RejectMilestoneForm,
    ResolveAdjustmentForm,
    SavingsDepositForm,
)
from .models import (
    AWAITING_PAYMENT,
    BonusRule,
    Decision,
    MilestoneAchievement,
    MilestoneType,
    MonthlyBonus,
    SavingsDeposit,
    SavingsMatchRule,
)
from .money import money
from .months import compute_summary, month_key, month_label, parse_month

# --- who may do what ------------------------------------------------------------------------------------

LEVELS = {"work": can_work_on_incentives, "decide": can_decide_incentives}
MANAGERS_ONLY = {"add": "decide", "change": "decide", "delete": "decide", "view": "decide"}


class IncentivePermissionPolicy(PartnerScopedPolicy):
    """Rights over an incentives model in the admin, from the role (people.access) rather than Django permissions.

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


def _visible(model, user):
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


class IncentiveErrorsAsFormErrors:
    """A refusal from incentives.services becomes an error on the named field (or the form); nothing is saved."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except services.IncentiveError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)


class HistoryButtonMixin:
    history_url_name = None

    def get_list_more_buttons(self, instance):
        return [
            *super().get_list_more_buttons(instance),
            MenuItem(
                _("History"), reverse(self.history_url_name, args=[instance.pk]), icon_name="history", priority=50
            ),
        ]


class RecordViewSet(ScopedViewSet):
    """Ledger rows, deposits and achievements: written by services, read (with their history) by those who may."""

    form_fields = []  # no one edits these rows here: the services write them (add views have their own form)
    history_view_class = RecordHistoryView
    inspect_view_enabled = True
    list_per_page = 100
    search_fields = ["learner__full_name", "learner__preferred_name"]


# --- listings whose rows a program manager decides in bulk ---------------------------------------------------


class DecisionIndexView(HistoryButtonMixin, ScopedIndexView):
    """A listing of money rows: Wagtail's bulk-action checkboxes for program managers, a count and total
    per status for the rows as filtered, and the payment files of the month it is filtered to."""

    template_name = "incentives/admin/decision_index.html"
    results_template_name = "incentives/admin/decision_results.html"
    amount_field = "amount"
    export_url_name = None

    @cached_property
    def can_decide(self):
        return self.permission_policy.user_has_permission(self.request.user, "decide")

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("learner", "partner", "rule")

    @cached_property
    def columns(self):
        columns = super().columns
        if self.can_decide:
            return [BulkActionsCheckboxColumn("bulk_actions", obj_type=self.model._meta.model_name), *columns]
        return columns

    def _get_title_column(self, field_name, column_class=TitleColumn, **kwargs):
        model_name = self.model._meta.model_name
        return super()._get_title_column(
            field_name, column_class, get_title_id=lambda row: f"{model_name}_{row.pk}_title", **kwargs
        )

    @cached_property
    def payment_month(self):
        """The month the listing is filtered to, or the last month that has ended."""
        return parse_month(self.request.GET.get("month", "")) or services.previous_month()

    @cached_property
    def payment_partner(self):
        partner = self.request.GET.get("partner", "")
        return partner if partner.isdigit() else ""

    def status_totals(self):
        """How many rows and how much money in each status, for the listing as filtered and searched."""
        rows = self.get_queryset().order_by().values("status").annotate(count=Count("pk"), total=Sum(self.amount_field))
        by_status = {row["status"]: row for row in rows}
        return [
            {
                "status": status,
                "label": label,
                "count": by_status[status]["count"],
                "total": money(by_status[status]["total"] or 0),
            }
            for status, label in Decision.choices
            if status in by_status
        ]

    def payment_files(self):
        """The approved rows of the payment month (and partner, if filtered): what the files will hold."""
        approved = self.get_base_queryset().filter(AWAITING_PAYMENT, month=self.payment_month)
        query = {"month": month_key(self.payment_month)}
        if self.payment_partner:
            approved = approved.filter(partner_id=self.payment_partner)
            query["partner"] = self.payment_partner
        figures = approved.aggregate(count=Count("pk"), total=Sum(self.amount_field))
        query_string = "&".join(f"{key}={value}" for key, value in query.items())
        return {
            "month": month_label(self.payment_month),
            "count": figures["count"],
            "total": money(figures["total"] or 0),
            "csv_url": f"{reverse(self.export_url_name, args=['csv'])}?{query_string}",
            "xlsx_url": f"{reverse(self.export_url_name, args=['xlsx'])}?{query_string}",
        }

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["can_decide"] = self.can_decide
        context["model_opts"] = self.model._meta
        context["totals"] = self.status_totals()
        if self.permission_policy.user_has_permission(self.request.user, "export"):
            context["payment_files"] = self.payment_files()
        return context


def _awaits_decision(row):
    return row.status in (Decision.ELIGIBLE, Decision.NEEDS_ADJUSTMENT)


def _month_column():
    return Column("month", label=gettext_lazy("Month"), accessor=lambda row: month_label(row.month), sort_key="month")


class ExportApprovedView(PermissionCheckedMixin, View):
    """The payment file: a month's approved rows the user may see (optionally one partner's), as CSV or XLSX."""

    model = None
    permission_required = "export"
    index_url_name = None
    kind = None  # "bonuses" or "savings-matches"

    def get(self, request, extension):
        if extension not in ("csv", "xlsx"):
            raise Http404
        month = parse_month(request.GET.get("month", ""))
        if month is None:
            messages.error(request, _("Choose a month for the payment file."))
            return redirect(self.index_url_name)
        if self.model is MonthlyBonus:
            rows = selectors.approved_bonuses(request.user, month)
            lines_of, title = exports.bonus_lines, _("Approved bonuses %(month)s")
        else:
            rows = selectors.approved_savings_matches(request.user, month)
            lines_of, title = exports.savings_match_lines, _("Approved savings matches %(month)s")
        partner = request.GET.get("partner", "")
        if partner.isdigit():
            rows = rows.filter(partner_id=partner)
        lines = lines_of(rows)
        if extension == "csv":
            response = HttpResponse(exports.as_csv(lines), content_type=exports.CSV_CONTENT_TYPE)
        else:
            content = exports.as_xlsx(lines, sheet_title=title % {"month": month_key(month)})
            response = HttpResponse(content, content_type=exports.XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{exports.filename(self.kind, month, extension)}"'
        response["Cache-Control"] = "private, no-store"
        return response


# --- bulk decisions -----------------------------------------------------------------------------------------


class DecisionBulkAction(ProgramManagersOnly, BulkAction):
    """Approve, or mark paid, the rows a program manager selected in a listing.

    Only program managers (403 for anyone else); only rows they may see (selecting "all in listing" means the
    listing as filtered and searched); only rows in `from_status` change — the confirmation lists the others
    as left alone, and the service re-checks each row's status under a lock when it runs.
    """

    template_name = "incentives/admin/confirm_decision.html"
    from_status = None
    amount_field = "amount"
    filterset_class = None
    changed = ()
    skipped = 0

    def visible_rows(self):
        return _visible(self.model, self.request.user)

    def get_all_objects_in_listing_query(self, parent_id):
        filterset = self.filterset_class(self.request.GET, queryset=self.visible_rows(), request=self.request)
        return search(filterset.qs, self.request.GET.get("q", "")).values_list("pk", flat=True)

    def get_actionable_objects(self):
        ids = self.request.GET.getlist("id")
        if "all" in ids:
            ids = self.get_all_objects_in_listing_query(None)
        else:
            ids = [pk for pk in ids if pk.isdigit()]
        rows = list(
            self.visible_rows()
            .filter(pk__in=ids)
            .select_related("learner", "partner", "rule")
            .order_by("-month", "learner__full_name", "pk")
        )
        actionable = [row for row in rows if row.status == self.from_status]
        return actionable, {"items_with_no_access": [row for row in rows if row.status != self.from_status]}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = [item["item"] for item in context["items"]]
        context.update(
            action=self,
            intro=self.intro(len(rows)) if rows else "",
            total=money(sum((getattr(row, self.amount_field) for row in rows), 0)),
            amount_field=self.amount_field,
            header_icon="tick",
        )
        return context

    def prepare_action(self, objects, objects_without_access):
        self.skipped = len(objects_without_access["items_with_no_access"])

    def get_execution_context(self):
        return {"action": self}

    @classmethod
    def execute_action(cls, objects, action=None, **kwargs):
        action.changed = action.decide([row.pk for row in objects], by=action.request.user)
        action.skipped += len(objects) - len(action.changed)
        return len(action.changed), 0

    def decide(self, ids, *, by):
        raise NotImplementedError

    def get_success_message(self, num_parent_objects, num_child_objects):
        total = money(sum((getattr(row, self.amount_field) for row in self.changed), 0))
        message = self.done_message(len(self.changed)) % {"count": len(self.changed), "total": total}
        if self.skipped:
            message += " " + self.skipped_message(self.skipped) % {"count": self.skipped}
        return message


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


BULK_ACTIONS = [ApproveBonusesBulkAction, PayBonusesBulkAction, ApproveSavingsBulkAction, PaySavingsBulkAction]


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
        _month_column(),
        Column("rule", label=gettext_lazy("Rule"), accessor="rule.name", sort_key="rule__name"),
        Column(
            "sessions",
            label=gettext_lazy("Attended / held"),
            accessor=lambda bonus: f"{bonus.sessions_attended} / {bonus.sessions_held}",
            sort_key="sessions_attended",
        ),
        Column("rate", label=gettext_lazy("Rate"), accessor=lambda bonus: f"{bonus.rate}%", sort_key="rate"),
        Column("amount", label=gettext_lazy("Amount"), accessor=lambda bonus: money(bonus.amount), sort_key="amount"),
        status_column(_awaits_decision),
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


# --- savings deposits ------------------------------------------------------------------------------------------


def _evidence_column(url_name):
    def link(row):
        if not row.evidence:
            return ""
        return format_html('<a href="{}">{}</a>', reverse(url_name, args=[row.pk]), row.evidence_name or _("Evidence"))

    return Column("evidence", label=gettext_lazy("Evidence"), accessor=link)


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
        _month_column(),
        Column("deposit", label=gettext_lazy("Deposit"), accessor=lambda row: money(row.deposit), sort_key="deposit"),
        Column("match", label=gettext_lazy("Match"), accessor=lambda row: money(row.match), sort_key="match"),
        _evidence_column("incentives:savings_evidence"),
        status_column(_awaits_decision),
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


# --- milestone achievements ------------------------------------------------------------------------------------


class AchievementIndexView(HistoryButtonMixin, ScopedIndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("learner", "learner__partner", "milestone_type")

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if instance.status == MilestoneAchievement.Status.RECORDED and self.permission_policy.user_has_permission(
            self.request.user, "decide"
        ):
            buttons.append(ListingButton(_("Review"), url=self.get_inspect_url(instance), icon_name="view", priority=5))
        return buttons


class RecordMilestoneView(IncentiveErrorsAsFormErrors, ScopedCreateView):
    page_title = gettext_lazy("Record a milestone")

    def save_instance(self):
        data = self.form.cleaned_data
        return services.record_milestone(
            learner=data["learner"],
            milestone_type=data["milestone_type"],
            achieved_on=data["achieved_on"],
            amount=data.get("amount"),
            note=data.get("note") or "",
            evidence=data.get("evidence"),
            by=self.request.user,
        )

    def get_success_message(self, instance):
        return _("%(milestone)s recorded for %(name)s; a program manager will verify it.") % {
            "milestone": instance.milestone_type.name,
            "name": instance.learner.full_name,
        }

    def get_success_buttons(self):
        return []


class AchievementReviewView(ScopedInspectView):
    """Everything about one achievement, its evidence, and — for program managers — verify or reject."""

    template_name = "incentives/admin/achievement_review.html"
    page_title = gettext_lazy("Milestone")
    related = ("learner", "learner__partner", "milestone_type", "recorded_by", "verified_by")
    verify_url_name = None
    reject_url_name = None

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.fields = self.fields_that_apply()

    def fields_that_apply(self):
        """Only what applies: no empty note, no rejection reason unless rejected, no verifier until verified."""
        achievement = self.object
        hidden = set()
        if not achievement.note:
            hidden.add("note")
        if achievement.amount is None:
            hidden.add("amount")
        if achievement.status != MilestoneAchievement.Status.REJECTED:
            hidden.add("rejection_reason")
        if achievement.verified_by_id is None:
            hidden |= {"verified_by", "verified_at"}
        return [field for field in self.fields if field not in hidden]

    def get_amount_display_value(self):
        return money(self.object.amount)

    def get_recorded_by_display_value(self):
        return person_name(self.object.recorded_by)

    def get_verified_by_display_value(self):
        return person_name(self.object.verified_by)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        achievement = self.object
        context.update(
            achievement=achievement,
            can_decide=self.user_has_permission("decide"),
            evidence_url=reverse("incentives:achievement_evidence", args=[achievement.pk])
            if achievement.evidence
            else "",
            verify_url=reverse(self.verify_url_name, args=[achievement.pk]),
            reject_url=reverse(self.reject_url_name, args=[achievement.pk]),
            reject_form=kwargs.get("reject_form") or RejectMilestoneForm(),
        )
        return context


def _waiting_for_review(index_url_name):
    """The milestones listing, filtered to those still waiting for a program manager."""
    return f"{reverse(index_url_name)}?status={MilestoneAchievement.Status.RECORDED}"


class VerifyMilestoneView(ProgramManagersOnly, BaseObjectMixin, View):
    model = MilestoneAchievement
    index_url_name = None

    def get_base_object_queryset(self):
        return _visible(MilestoneAchievement, self.request.user).select_related("learner", "milestone_type")

    def post(self, request, *args, **kwargs):
        achievement = services.verify_milestone(achievement=self.object, by=request.user)
        messages.success(
            request,
            _("%(milestone)s verified for %(name)s.")
            % {"milestone": achievement.milestone_type.name, "name": achievement.learner.full_name},
        )
        return redirect(_waiting_for_review(self.index_url_name))


class RejectMilestoneView(ProgramManagersOnly, ReasonFormView):
    """Rejected evidence says why (a reason is required), so the person who recorded it can fix it."""

    model = MilestoneAchievement
    related = ("learner", "milestone_type")
    context_object_name = "achievement"
    object_page = "inspect"
    form_class = RejectMilestoneForm
    service_error = services.IncentiveError
    template_name = "incentives/admin/reject_milestone.html"
    page_title = gettext_lazy("Reject milestone evidence")

    def get_page_subtitle(self):
        return f"{self.object.milestone_type.name} · {self.object.learner.full_name}"

    def act(self, reason):
        return services.reject_milestone(achievement=self.object, reason=reason, by=self.request.user)

    def done_message(self, achievement):
        return _("%(milestone)s for %(name)s rejected. The reason is shown with the record.") % {
            "milestone": achievement.milestone_type.name,
            "name": achievement.learner.full_name,
        }

    def done_url(self, achievement):
        return _waiting_for_review(self.index_url_name)


class MilestoneAchievementViewSet(RecordViewSet):
    model = MilestoneAchievement
    name = "milestone_achievement_admin"
    url_prefix = "milestones"
    icon = "success"
    menu_label = gettext_lazy("Milestones reached")
    index_view_class = AchievementIndexView
    add_view_class = RecordMilestoneView
    inspect_view_class = AchievementReviewView
    inspect_view_fields = [
        "learner",
        "milestone_type",
        "achieved_on",
        "amount",
        "note",
        "status",
        "rejection_reason",
        "recorded_by",
        "verified_by",
        "verified_at",
    ]
    filterset_class = MilestoneAchievementFilterSet
    ordering = ["-achieved_on", "learner__full_name"]
    list_display = [
        "learner",
        partner_column("learner.partner"),
        Column(
            "milestone_type",
            label=gettext_lazy("Milestone"),
            accessor="milestone_type.name",
            sort_key="milestone_type__name",
        ),
        "achieved_on",
        Column(
            "amount",
            label=gettext_lazy("Amount"),
            accessor=lambda row: money(row.amount) if row.amount is not None else "",
        ),
        _evidence_column("incentives:achievement_evidence"),
        status_column(lambda row: row.status == MilestoneAchievement.Status.RECORDED),
    ]
    add_form_class = MilestoneAchievementForm
    add_panels = [
        FieldPanel("learner"),
        FieldPanel("milestone_type"),
        FieldRowPanel([FieldPanel("achieved_on"), FieldPanel("amount")]),
        FieldPanel("note"),
        FieldPanel("evidence"),
    ]

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(
            verify_url_name=self.get_url_name("verify"),
            reject_url_name=self.get_url_name("reject"),
            **kwargs,
        )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("verify/<int:pk>/", self.construct_view(VerifyMilestoneView), name="verify"),
            path(
                "reject/<int:pk>/",
                self.construct_view(RejectMilestoneView),
                name="reject",
            ),
        ]


# --- rules and milestone types (program managers) -------------------------------------------------------------


class InUseDeleteView(ScopedDeleteView):
    """A rule or type with money or achievements behind it is kept (their records point at it)."""

    in_use_message = None
    related_name = None

    def refusal(self):
        if getattr(self.object, self.related_name).exists():
            return self.in_use_message
        return None


class BonusRuleDeleteView(InUseDeleteView):
    related_name = "bonuses"
    in_use_message = gettext_lazy(
        "Bonuses were computed under this rule, so it cannot be deleted. Set “active until” to end it instead."
    )


class SavingsMatchRuleDeleteView(InUseDeleteView):
    related_name = "deposits"
    in_use_message = gettext_lazy(
        "Deposits were recorded under this rule, so it cannot be deleted. Set “active until” to end it instead."
    )


class MilestoneTypeDeleteView(InUseDeleteView):
    related_name = "achievements"
    in_use_message = gettext_lazy("Learners reached this milestone, so it cannot be deleted.")


class BonusRuleViewSet(ScopedViewSet):
    model = BonusRule
    name = "bonus_rule_admin"
    url_prefix = "bonus-rules"
    icon = "sliders"
    delete_view_class = BonusRuleDeleteView
    base_form_class = BonusRuleForm
    list_display = [
        "name",
        Column("tracks", label=gettext_lazy("Tracks"), accessor="tracks_display"),
        Column("amount", label=gettext_lazy("Amount"), accessor=lambda rule: money(rule.amount), sort_key="amount"),
        Column(
            "threshold", label=gettext_lazy("Attendance needed"), accessor=lambda rule: f"{rule.threshold_percent}%"
        ),
        NumberColumn("minimum_sessions", label=gettext_lazy("Sessions at least")),
        "active_from",
        "active_until",
    ]
    panels = [
        FieldPanel("name"),
        MultiFieldPanel(
            [FieldPanel("tracks"), FieldPanel("courses", widget=forms.CheckboxSelectMultiple)],
            heading=gettext_lazy("Who qualifies"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("amount"),
                FieldRowPanel([FieldPanel("threshold_percent"), FieldPanel("minimum_sessions")]),
                FieldPanel("late_counts_as_attended"),
                FieldPanel("excused_left_out"),
            ],
            heading=gettext_lazy("What earns it"),
        ),
        FieldRowPanel([FieldPanel("active_from"), FieldPanel("active_until")], heading=gettext_lazy("When it runs")),
    ]


class SavingsMatchRuleViewSet(ScopedViewSet):
    model = SavingsMatchRule
    name = "savings_match_rule_admin"
    url_prefix = "savings-match-rules"
    icon = "cog"
    delete_view_class = SavingsMatchRuleDeleteView
    list_display = [
        "name",
        Column("monthly_cap", label=gettext_lazy("Most in a month"), accessor=lambda rule: money(rule.monthly_cap)),
        Column(
            "total_cap",
            label=gettext_lazy("Most in total"),
            accessor=lambda rule: money(rule.total_cap) if rule.total_cap is not None else _("No limit"),
        ),
        "active_from",
        "active_until",
    ]
    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("monthly_cap"), FieldPanel("total_cap")]),
        FieldRowPanel([FieldPanel("active_from"), FieldPanel("active_until")]),
    ]


class MilestoneTypeViewSet(ScopedViewSet):
    model = MilestoneType
    name = "milestone_type_admin"
    url_prefix = "milestone-types"
    icon = "list-ul"
    delete_view_class = MilestoneTypeDeleteView
    ordering = ["track", "sort_order", "name"]
    list_display = [
        "name",
        Column("track", label=gettext_lazy("Track"), accessor="get_track_display", sort_key="track"),
        "evidence_required",
        "carries_amount",
        "sort_order",
    ]
    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("track"),
        FieldPanel("description"),
        FieldRowPanel([FieldPanel("evidence_required"), FieldPanel("carries_amount")]),
        FieldPanel("sort_order"),
    ]


# --- the menu ---------------------------------------------------------------------------------------------------


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
