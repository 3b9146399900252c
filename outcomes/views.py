"""The outcomes pages in the Wagtail admin: the dashboard, the table downloads and the funder report (page,
printable document and PDF). Thin: each builds the filter set, asks outcomes.figures for the summary and
hands it to a template or an export. Who may open them: outcomes.figures.may_see_outcomes (program managers
and partner staff); everyone else with admin access gets a 403, and the admin itself turns away anyone
without admin access (instructors, learners, visitors) to its sign-in page.
"""

from dataclasses import replace
from urllib.parse import parse_qsl, urlencode

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets.button import HeaderButton

from . import charts, exports, figures, tables
from .filters import opening_on_data, report_period
from .report import report_pdf, usual_periods

COHORTS_PER_PAGE = 25


def refused(request):
    return TemplateResponse(
        request,
        "outcomes/admin/refused.html",
        {"page_title": _("Program managers and partner staff only"), "header_icon": "lock"},
        status=403,
    )


class OutcomesAccess:
    """Program managers and partner staff only; the figures are scoped again inside outcomes.figures."""

    default_period = staticmethod(opening_on_data)

    def dispatch(self, request, *args, **kwargs):
        if not figures.may_see_outcomes(request.user):
            return refused(request)
        return super().dispatch(request, *args, **kwargs)

    def build(self):
        """The bound filter set and its summary (None, with the errors on the form, when it does not validate)."""
        filterset = figures.filter_set(self.request.user, self.request.GET, default_period=self.default_period)
        try:
            summary = figures.summary(self.request.user, filterset)
        except figures.InvalidFilters:
            summary = None
        return filterset, summary


def chosen_labels(filterset):
    """(label, shown value) for each filter set to something: for the page, the downloads and the report."""
    if not filterset.is_valid():
        return []
    lines = []
    for name in ("partner", "track", "course", "cohort", "term", "language"):
        if name not in filterset.filters:
            continue
        value = filterset.form.cleaned_data.get(name)
        if value:
            choices = dict(filterset.form.fields[name].choices)
            lines.append((str(filterset.filters[name].label), str(choices.get(value, value))))
    return lines


def period_text(summary):
    start, end = summary.period_start, summary.period_end
    if start and end:
        return _("%(start)s to %(end)s") % {"start": date_format(start, "j F Y"), "end": date_format(end, "j F Y")}
    if start:
        return _("from %(start)s") % {"start": date_format(start, "j F Y")}
    if end:
        return _("until %(end)s") % {"end": date_format(end, "j F Y")}
    return _("all dates")


class DashboardView(OutcomesAccess, WagtailAdminTemplateMixin, TemplateView):
    template_name = "outcomes/admin/dashboard.html"
    page_title = gettext_lazy("Outcomes")
    header_icon = "table"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        filterset, summary = self.build()
        self.query = filterset.query_string() if summary else ""
        context = super().get_context_data(**kwargs)
        context.update(filterset=filterset, summary=summary)
        if summary is None:
            return context
        page = Paginator(summary.cohorts, COHORTS_PER_PAGE).get_page(self.request.GET.get("page"))
        # The table of this page's cohorts only: a statewide network has hundreds, and formatting every
        # cohort's cells to show 25 of them cost more than a database query.
        cohort_table = tables.cohorts_table(replace(summary, cohorts=page.object_list))
        context.update(
            query=self.query,
            period=period_text(summary),
            chosen=chosen_labels(filterset),
            headline=tables.headline(summary),
            charts=charts.dashboard_charts(summary),
            chart_tables={
                "weeks": tables.weeks_table(summary),
                "funnel": tables.funnel_table(summary),
                "months": tables.months_table(summary),
            },
            milestones=tables.milestones_table(summary),
            bonuses=tables.bonuses_table(summary),
            programs=tables.programs_table(summary),
            partners=tables.partners_table(summary) if len(summary.by_partner) > 1 else None,
            cohorts=cohort_table,
            cohort_page=page,
            show_partner="partner" in filterset.filters,
        )
        return context

    def get_header_buttons(self):
        query = getattr(self, "query", "")
        return [
            HeaderButton(
                _("Funder report"), url=f"{reverse('outcomes:report')}?{_without_period(query)}", icon_name="doc-full"
            ),
            HeaderButton(
                _("Download all (XLSX)"),
                url=f"{reverse('outcomes:export', args=['all', 'xlsx'])}?{query}",
                icon_name="download",
            ),
        ]


def _without_period(query):
    """The report has its own default period (filters.report_period); carry the other filters only."""
    return urlencode([(key, value) for key, value in parse_qsl(query) if key not in ("start", "end")])


class ExportView(OutcomesAccess, View):
    """/admin/outcomes/export/<table>/<csv|xlsx>/?filters — a table (or, as XLSX, every table) as a file."""

    def get(self, request, table, extension):
        if extension not in ("csv", "xlsx") or (table not in tables.SLUGS and table != "all"):
            raise Http404
        if table == "all" and extension == "csv":
            raise Http404
        filterset, summary = self.build()
        if summary is None:
            # The dashboard shows what is wrong with each filter.
            return redirect(f"{reverse('outcomes:dashboard')}?{request.GET.urlencode()}")
        about = exports.about_lines(summary, chosen_labels(filterset))
        if extension == "csv":
            content = exports.as_csv(tables.build(summary, table), about=about)
            response = HttpResponse(content, content_type=exports.CSV_CONTENT_TYPE)
        else:
            chosen = tables.SLUGS if table == "all" else [table]
            content = exports.as_xlsx([tables.build(summary, slug) for slug in chosen], about=about)
            response = HttpResponse(content, content_type=exports.XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{exports.filename(table, summary, extension)}"'
        response["Cache-Control"] = "private, no-store"
        return response


class ReportMixin(OutcomesAccess):
    default_period = staticmethod(report_period)

    def report_context(self):
        filterset, summary = self.build()
        context = {"filterset": filterset, "summary": summary}
        if summary is None:
            return context
        context.update(
            query=filterset.query_string(),
            period=period_text(summary),
            chosen=chosen_labels(filterset),
            figures=tables.figures_table(summary),
            programs=tables.report_table(summary, "programs"),
            partners=tables.report_table(summary, "partners") if len(summary.by_partner) > 1 else None,
            milestones=tables.milestones_table(summary),
            produced=timezone.localdate(),
        )
        return context


class ReportView(ReportMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "outcomes/admin/report.html"
    page_title = gettext_lazy("Funder report")
    header_icon = "doc-full"

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("outcomes:dashboard"), "label": _("Outcomes")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.report_context())
        context["periods"] = [
            (label, f"start={start.isoformat()}&end={end.isoformat()}")
            for label, (start, end) in usual_periods(timezone.localdate())
        ]
        return context


class ReportDocumentView(ReportMixin, TemplateView):
    """The report alone on the page, laid out for paper: what the PDF is made from, and what a browser prints."""

    template_name = "outcomes/report/document.html"

    def get(self, request, *args, **kwargs):
        context = self.report_context()
        if context["summary"] is None:
            return redirect(f"{reverse('outcomes:report')}?{request.GET.urlencode()}")
        return self.render_to_response({**context, "printable": True})


class ReportPDFView(ReportMixin, View):
    def get(self, request):
        context = self.report_context()
        summary = context["summary"]
        if summary is None:
            return redirect(f"{reverse('outcomes:report')}?{request.GET.urlencode()}")
        html = render_to_string("outcomes/report/document.html", {**context, "pdf": True}, request=request)
        response = HttpResponse(report_pdf(html), content_type="application/pdf")
        filename = exports.filename("report", summary, "pdf")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "private, no-store"
        return response
