"""The people admin in Wagtail: partner organizations, and the audit trail report.

Partner organizations in the admin (Settings → Partner organizations): their name, and what their
certificates print as the issuer's own — the logo and the people who sign.

Program managers add and edit every partner; partner staff edit their own (another partner's is a 404).
Nobody deletes one here: cohorts, learners and certificates point at it.

The audit trail (Reports → Audit trail) is for program managers only.
"""

import datetime

import django_filters
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.reports import ReportView
from wagtail.log_actions import registry as log_action_registry
from wagtail.models import ModelLogEntry

from . import audit
from .access import can_configure_cohorts
from .admin_views import ScopedIndexView, ScopedViewSet
from .models import Learner, Partner, Role, User
from .permissions import PartnerScopedPolicy


class PartnerPolicy(PartnerScopedPolicy):
    """Program managers: add, change, view. Partner staff: change and view their own partner."""

    STAFF_ACTIONS = frozenset({"change", "view"})
    MANAGER_ACTIONS = frozenset({"add", "change", "view"})

    def _actions(self, user):
        if user is None or not user.is_authenticated or not user.is_active:
            return frozenset()
        if user.is_program_manager:
            return self.MANAGER_ACTIONS
        if can_configure_cohorts(user):
            return self.STAFF_ACTIONS
        return frozenset()

    def user_has_permission(self, user, action):
        return action in self._actions(user)

    def user_has_any_permission(self, user, actions):
        return bool(self._actions(user).intersection(actions))

    def users_with_any_permission(self, actions):
        if self.STAFF_ACTIONS.intersection(actions):
            return self.users_with_roles([Role.PROGRAM_MANAGER, Role.PARTNER_STAFF])
        if self.MANAGER_ACTIONS.intersection(actions):
            return self.users_with_roles([Role.PROGRAM_MANAGER])
        return get_user_model().objects.none()


partner_policy = PartnerPolicy(Partner, partner_field="pk")


def _signatories_label(partner):
    return ", ".join(person.name for person in partner.signatories.all()) or gettext_lazy("None yet")


class PartnerIndexView(ScopedIndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().prefetch_related("signatories")


class PartnerViewSet(ScopedViewSet):
    model = Partner
    name = "partner_admin"
    url_prefix = "partners"
    icon = "group"
    menu_label = gettext_lazy("Partner organizations")
    add_to_settings_menu = True
    index_view_class = PartnerIndexView
    search_fields = ["name", "region"]
    ordering = ["name"]
    list_display = [
        "name",
        Column("region", label=gettext_lazy("Region")),
        Column("signatories", label=gettext_lazy("Signs certificates"), accessor=_signatories_label),
    ]
    panels = Partner.panels

    @property
    def permission_policy(self):
        return partner_policy

    def get_permissions_to_register(self):
        return Permission.objects.none()

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(delete_url_name=None, **kwargs)

    def get_urlpatterns(self):
        return [pattern for pattern in super().get_urlpatterns() if pattern.name != "delete"]


# --- the audit trail report (program managers) ---------------------------------------------------------


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
