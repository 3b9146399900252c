"""Admin registration for people: partner organizations (viewsets.py), audit-log actions about learners' portal accounts, and the audit trail report."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.models import ModelLogEntry
from wagtail.permissions import register_permission_policy

from .audit_views import AuditTrailView
from .models import Learner, Partner
from .two_factor import ENROL_ACTION, RECOVERY_CODE_ACTION, RESET_ACTION
from .viewsets import PartnerViewSet, partner_policy

register_permission_policy(Partner, partner_policy)


@hooks.register("register_admin_viewset")
def register_partner_admin():
    return PartnerViewSet()


@hooks.register("register_log_actions")
def register_people_log_actions(actions):
    actions.register_model(Learner, ModelLogEntry)
    actions.register_model(Partner, ModelLogEntry)
    actions.register_action("people.portal.invite", _("Invite to the portal"), _("Invited to the learner portal"))
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
