"""Admin registration for people: partner organizations and the audit trail report (viewsets.py), audit-log
actions about learners' portal accounts, the menu items, and Wagtail's admin API scoped to what each user may
choose (admin_api.py)."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.models import ModelLogEntry
from wagtail.permissions import register_permission_policy

from .admin_api import scope_admin_api
from .models import Learner, Partner
from .two_factor import ENROL_ACTION, RECOVERY_CODE_ACTION, RESET_ACTION
from .viewsets import AuditTrailView, PartnerViewSet, partner_policy

register_permission_policy(Partner, partner_policy)
# After Wagtail's own registrations of the same endpoints (order), so ours replace them.
hooks.register("construct_admin_api", scope_admin_api, order=100)


@hooks.register("register_admin_viewset")
def register_partner_admin():
    return PartnerViewSet()


@hooks.register("register_log_actions")
def register_people_log_actions(actions):
    actions.register_model(Learner, ModelLogEntry)
    actions.register_model(Partner, ModelLogEntry)
    actions.register_action("people.portal.invite", _("Invite to the portal"), _("Invited to the learner portal"))
    actions.register_action(
        "people.portal.reset", _("Reset a portal password"), _("Gave a code that replaces the portal password")
    )
    actions.register_action("people.portal.setup", _("Set up portal account"), _("Portal password chosen"))
    actions.register_action("people.learner.export", _("Export learner data"), _("Learner's data exported"))
    actions.register_action("people.learner.erase", _("Erase learner data"), _("Learner's personal data erased"))
    actions.register_action(ENROL_ACTION, _("Set up sign-in codes"), _("Authenticator app set up for sign-in"))
    actions.register_action(RECOVERY_CODE_ACTION, _("Use a recovery code"), _("Signed in with a recovery code"))
    actions.register_action(RESET_ACTION, _("Reset sign-in codes"), _("Authenticator app and recovery codes removed"))
    actions.register_action(
        "people.learner.name_latin", _("Set name in Latin letters"), _("Name in Latin letters changed")
    )


# --- the audit trail report (program managers) --------------------------------------------------------


class ManagersOnlyMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_program_manager


@hooks.register("register_admin_urls")
def register_audit_trail_urls():
    return [
        path("reports/audit-trail/", AuditTrailView.as_view(), name="people_audit_trail"),
        path(
            "reports/audit-trail/results/",
            AuditTrailView.as_view(results_only=True),
            name="people_audit_trail_results",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_audit_trail_menu_item():
    return ManagersOnlyMenuItem(
        _("Audit trail"), reverse("people_audit_trail"), name="audit-trail", icon_name="history", order=50
    )
