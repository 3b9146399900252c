"""The audit trail report in the Wagtail admin (Reports → Audit trail): program managers only."""

import datetime

import django_filters
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.views.reports import ReportView
from wagtail.log_actions import registry as log_action_registry
from wagtail.models import ModelLogEntry

from . import audit
from .models import Learner, User


def _actors(request):
    ids = ModelLogEntry.objects.exclude(user_id=None).values_list("user_id", flat=True).distinct()
    return User.objects.filter(pk__in=ids).order_by("username")


class AuditTrailFilterSet(WagtailFilterSet):
    learner = django_filters.CharFilter(
        label=_("Learner"),
        method="filter_learner",
        help_text=_("A learner's id, or part of their name."),
    )
    user = django_filters.ModelChoiceFilter(
        label=_("Done by"), field_name="user", empty_label=_("Anyone"), queryset=_actors
    )
    action = django_filters.ChoiceFilter(
        label=_("Action"), field_name="action", choices=log_action_registry.get_choices
    )
    timestamp = django_filters.DateFromToRangeFilter(label=_("Date"), widget=DateRangePickerWidget)

    class Meta:
        model = ModelLogEntry
        fields = ["learner", "user", "action", "timestamp"]

    def filter_learner(self, queryset, name, value):
        self.learners = audit.learners_matching(value)
        return audit.entries_about_any(self.learners, queryset)


class AuditTrailView(ReportView):
    page_title = _("Audit trail")
    header_icon = "history"
    results_template_name = "people/admin/audit_trail_results.html"
    filterset_class = AuditTrailFilterSet
    index_url_name = "people_audit_trail"
    index_results_url_name = "people_audit_trail_results"
    list_export = ["timestamp", "user_display_name", "action_label", "label", "detail"]
    export_headings = {
        "timestamp": _("Date/Time"),
        "user_display_name": _("Done by"),
        "action_label": _("Action"),
        "label": pgettext_lazy("the audited object, a column heading", "Record"),
        "detail": _("Details"),
    }

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_program_manager:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return ModelLogEntry.objects.select_related("user", "content_type").order_by("-timestamp", "-pk")

    def get_filename(self):
        return f"audit-trail-{datetime.date.today():%Y-%m-%d}"

    def decorate_paginated_queryset(self, object_list):
        learners = getattr(self.filters, "learners", None) if self.filters else None
        learner_ids = {learner.pk for learner in learners} if learners else None
        names = {}
        entries = list(object_list)
        for entry in entries:
            if entry.action == audit.ATTENDANCE_ACTION:
                names.update({change.get("learner"): None for change in (entry.data or {}).get("changes", [])})
        names = dict(Learner.objects.filter(pk__in=[key for key in names if key]).values_list("pk", "full_name"))
        for entry in entries:
            formatter = log_action_registry.get_formatter(entry)  # scans the hooks first, unlike get_action_label
            entry.action_label = str(formatter.label) if formatter else entry.action
            entry.detail = audit.describe(entry, learner_ids, names)
        return entries
