"""The admin views every scoped viewset is built from (cohorts, incentives, credentials): each loads its rows
through the model's permission policy (people.permissions), so another partner's row is a 404, never a form.

Besides Wagtail's own views: `ObjectActionView`, a page that does one thing to one row (generate a cohort's
sessions, revoke a certificate, reject a milestone's evidence), and `ReasonFormView`, the same for an action
that needs a reason, whose refusal by a service becomes an error on the reason.
"""

from django.contrib.auth.models import Permission
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.panels import ObjectList
from wagtail.admin.ui.tables import Column, StatusTagColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic import history, usage
from wagtail.admin.views.generic.base import BaseObjectMixin, WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.model import ModelViewSet

from core.search import search_text

from .access import managed_partners

# Wagtail's own actions on a model; the policies add their own ("revoke", "decide", "export").
ALL_ACTIONS = frozenset({"add", "change", "delete", "view"})


def person_name(user):
    """Who did something, as the admin shows it: their name, else their username; a dash for no one."""
    if user is None:
        return "—"
    return user.get_full_name() or user.get_username()


# --- listing columns ----------------------------------------------------------------------------------------


def partner_column(path="partner"):
    """The row's partner organization (`path` leads to it: "partner", "cohort.partner"). Named "partner", so
    `ScopedIndexView` leaves it out for someone who manages a single partner."""
    return Column(
        "partner",
        label=gettext_lazy("Partner organization"),
        accessor=f"{path}.name",
        sort_key=f"{path.replace('.', '__')}__name",
    )


def status_column(is_primary):
    """The row's status as a tag; `is_primary(row)` picks the statuses that stand out (those waiting on someone)."""
    return StatusTagColumn(
        "status", label=gettext_lazy("Status"), accessor="get_status_display", sort_key="status", primary=is_primary
    )


# --- Wagtail's views, loading only rows the user may touch ---------------------------------------------------


class BoundedSearchMixin:
    """A listing's search takes what a search box takes (core.search)."""

    @cached_property
    def search_query(self):
        return search_text(super().search_query)


class ScopedIndexView(BoundedSearchMixin, generic.IndexView):
    def get_base_queryset(self):
        return self.permission_policy.instances_user_has_any_permission_for(
            self.request.user, self.any_permission_required
        )

    @cached_property
    def columns(self):
        """The partner column only tells something to those who manage several partners."""
        columns = super().columns
        if managed_partners(self.request.user).count() > 1:
            return columns
        return [column for column in columns if column.name != "partner"]


class ScopedCreateView(generic.CreateView):
    """Add views of scoped viewsets: nothing to load; the forms offer only the user's own partner's choices."""


class ScopedEditView(generic.EditView):
    def get_queryset(self):
        return self.permission_policy.instances_user_has_permission_for(self.request.user, "change")


class RefusedDeleteMixin:
    """A delete that a rule refuses (`refusal()` gives the reason) sends the user back to the row with the reason."""

    def refusal(self):
        return None

    def _refuse(self, reason):
        messages.error(self.request, reason)
        return redirect(reverse(self.edit_url_name, args=[self.object.pk]))

    def get(self, request, *args, **kwargs):
        if reason := self.refusal():
            return self._refuse(reason)
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if reason := self.refusal():
            return self._refuse(reason)
        return super().post(request, *args, **kwargs)


class ScopedDeleteView(RefusedDeleteMixin, generic.DeleteView):
    def get_queryset(self):
        return self.permission_policy.instances_user_has_permission_for(self.request.user, "delete")


class ScopedHistoryView(history.HistoryView):
    def get_base_object_queryset(self):
        return self.permission_policy.instances_user_has_any_permission_for(self.request.user, ALL_ACTIONS)


class ScopedUsageView(usage.UsageView):
    def get_base_object_queryset(self):
        return self.permission_policy.instances_user_has_permission_for(self.request.user, "change")


class ScopedInspectView(generic.InspectView):
    """Wagtail's inspect view loads any row by id; this one only those the user may see (`related` are
    loaded with it)."""

    related = ()

    def get_object(self, queryset=None):
        rows = self.permission_policy.instances_user_has_any_permission_for(self.request.user, {"view"})
        row = rows.select_related(*self.related).filter(pk=self.pk).first()
        if row is None:
            raise Http404
        return row


class RecordHistoryView(ScopedHistoryView):
    """The audit trail of a row services write (a bonus, a certificate), for whoever may see the row."""

    any_permission_required = ["view"]

    @cached_property
    def header_buttons(self):
        return []  # Wagtail's "Edit": no one edits these rows in the admin


class ScopedViewSet(ModelViewSet):
    index_view_class = ScopedIndexView
    add_view_class = ScopedCreateView
    edit_view_class = ScopedEditView
    delete_view_class = ScopedDeleteView
    history_view_class = ScopedHistoryView
    usage_view_class = ScopedUsageView
    copy_view_enabled = False
    inspect_view_enabled = False
    # These rows are not content pages: keeping Wagtail's reference index out of every enrollment
    # and session save keeps the services' query counts what their tests say.
    add_to_reference_index = False
    list_per_page = 50
    # The form `panels` are checked with (Wagtail's own when None); and, when adding asks for other fields
    # than editing shows, `add_panels` and their form.
    base_form_class = None
    add_panels = None
    add_form_class = None

    def get_edit_handler(self):
        if self.base_form_class is None:
            return super().get_edit_handler()
        return ObjectList(self.panels, base_form_class=self.base_form_class).bind_to_model(self.model)

    def get_add_view_kwargs(self, **kwargs):
        if self.add_panels is not None:
            panel = ObjectList(self.add_panels, base_form_class=self.add_form_class).bind_to_model(self.model)
            kwargs = {"panel": panel, "form_class": panel.get_form_class(), **kwargs}
        return super().get_add_view_kwargs(**kwargs)

    def get_permissions_to_register(self):
        """Nothing to tick in Wagtail's group editor: these rights follow the role (see the policy)."""
        return Permission.objects.none()


# --- pages of our own under a viewset ---------------------------------------------------------------------------


class ListingPageMixin(WagtailAdminTemplateMixin):
    """A page of a viewset beyond Wagtail's own (a form, a preview): its breadcrumbs lead back through the
    model's listing, then `get_trail_items()`, to this page."""

    index_url_name = None

    def get_trail_items(self):
        return []

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(self.index_url_name), "label": self.model._meta.verbose_name_plural.capitalize()},
            *self.get_trail_items(),
            {"url": "", "label": self.get_page_title(), "sublabel": self.get_page_subtitle()},
        ]


class ObjectActionView(PermissionCheckedMixin, BaseObjectMixin, ListingPageMixin):
    """A page that does one thing to one row. The row is one the user may `row_permission` (another
    partner's: a 404), loaded with its `related` rows and given to the template as `context_object_name`;
    `permission_required` is the right the action itself needs. The breadcrumbs pass through the row's own
    page in the viewset (`object_page`: "edit" or "inspect"), named by the page's subtitle."""

    row_permission = "change"
    related = ()
    context_object_name = None
    object_page = "edit"
    edit_url_name = None
    inspect_url_name = None

    def get_base_object_queryset(self):
        rows = self.permission_policy.instances_user_has_permission_for(self.request.user, self.row_permission)
        return rows.select_related(*self.related)

    @property
    def object_url(self):
        url_name = getattr(self, f"{self.object_page}_url_name") if self.object_page else None
        return reverse(url_name, args=[self.object.pk]) if url_name else None

    def get_page_subtitle(self):
        return str(self.object)

    def get_trail_items(self):
        if self.object_url is None:
            return []
        return [{"url": self.object_url, "label": self.get_page_subtitle()}]

    def get_context_data(self, **kwargs):
        if self.context_object_name:
            kwargs.setdefault(self.context_object_name, self.object)
        return super().get_context_data(**kwargs)


class ReasonFormView(ObjectActionView, FormView):
    """An action that needs a reason (revoke a certificate, reject evidence): `act(reason)` calls the service
    and returns the row; the service's refusal (`service_error`, an exception with a `message`) becomes an error on
    the reason and nothing changes. Done, the user reads `done_message(row)` at `done_url(row)`."""

    row_permission = "view"
    service_error = None

    def act(self, reason):
        raise NotImplementedError

    def done_message(self, row):
        raise NotImplementedError

    def done_url(self, row):
        raise NotImplementedError

    def form_valid(self, form):
        try:
            row = self.act(form.cleaned_data["reason"])
        except self.service_error as error:
            form.add_error("reason", error.message)
            return self.form_invalid(form)
        messages.success(self.request, self.done_message(row))
        return redirect(self.done_url(row))
