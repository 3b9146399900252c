"""What the incentives admin screens share: the read-only record viewsets, the money listings a program manager
decides in bulk (with their status totals and payment files), the payment file itself and the bulk decision
that the ledger and savings screens specialise."""

from django.db.models import Count, Sum
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import View
from wagtail.admin import messages
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import BulkActionsCheckboxColumn, Column, TitleColumn
from wagtail.admin.views.bulk_action import BulkAction
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin

from people.admin_views import RecordHistoryView, ScopedIndexView, ScopedViewSet

from .. import exports, selectors, services
from ..filters import search
from ..models import AWAITING_PAYMENT, Decision, MonthlyBonus
from ..money import money
from ..months import month_key, month_label, parse_month
from .permissions import ProgramManagersOnly, visible


class IncentiveErrorsAsFormErrors:
    """A refusal from incentives.services becomes an error on the named field (or the form); nothing is saved."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except services.IncentiveError as error:
            error.add_to_form(form)
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


def awaits_decision(row):
    return row.status in (Decision.ELIGIBLE, Decision.NEEDS_ADJUSTMENT)


def month_column():
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
        return visible(self.model, self.request.user)

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


def evidence_column(url_name):
    def link(row):
        if not row.evidence:
            return ""
        return format_html('<a href="{}">{}</a>', reverse(url_name, args=[row.pk]), row.evidence_name or _("Evidence"))

    return Column("evidence", label=gettext_lazy("Evidence"), accessor=link)
