"""Partner organizations in the admin (Settings → Partner organizations): their name, and what their
certificates print as the issuer's own — the logo and the people who sign.

Program managers add and edit every partner; partner staff edit their own (another partner's is a 404).
Nobody deletes one here: cohorts, learners and certificates point at it.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.utils.translation import gettext_lazy
from wagtail.admin.ui.tables import Column

from .access import can_configure_cohorts
from .admin_views import ScopedIndexView, ScopedViewSet
from .models import Partner, Role
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
