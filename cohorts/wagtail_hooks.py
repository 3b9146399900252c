"""Admin registration for cohorts: audit-log actions, the permission policies and the "Cohorts" menu (viewsets.py);
and the learners an instructor teaches, which people.access asks for (LEARNERS_TAUGHT)."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.models import ModelLogEntry
from wagtail.permissions import register_permission_policy

from people.access import LEARNERS_TAUGHT

from .access import learners_taught_by
from .models import Cohort, Enrollment, Holiday, Session
from .viewsets import POLICIES, CohortAdminGroup


@hooks.register("register_log_actions")
def register_cohort_log_actions(actions):
    for model in (Cohort, Session, Enrollment, Holiday):
        actions.register_model(model, ModelLogEntry)
    actions.register_action(
        "cohorts.schedule.generate", _("Generate sessions"), _("Sessions generated from the weekly pattern")
    )
    actions.register_action("cohorts.session.change", _("Change session"), _("Session moved or renamed"))
    actions.register_action("cohorts.session.cancel", _("Cancel session"), _("Session cancelled"))
    actions.register_action("cohorts.session.check_in_code", _("Show check-in code"), _("Check-in code created"))
    actions.register_action("cohorts.attendance.record", _("Record attendance"), _("Attendance recorded"))
    actions.register_action("cohorts.enrollment.status", _("Change enrollment"), _("Enrollment status changed"))
    actions.register_action("cohorts.roster.import", _("Import roster"), _("Roster imported from a file"))


# The admin's rights over cohort models follow the role (see viewsets.PartnerScopedPermissionPolicy);
# registered before anything asks Wagtail for these models' policies.
for _model, _policy in POLICIES.items():
    register_permission_policy(_model, _policy)


@hooks.register("register_admin_viewset")
def register_cohort_admin():
    return CohortAdminGroup()


# An instructor sees the learners of the cohorts they teach (people.access.visible_learners).
hooks.register(LEARNERS_TAUGHT, learners_taught_by)
