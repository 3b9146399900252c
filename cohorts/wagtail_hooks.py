"""Admin registration for cohorts: audit-log actions, the permission policies and the "Cohorts" menu (viewsets.py);
and the learners an instructor teaches, which people.access asks for (LEARNERS_TAUGHT)."""

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.search import SearchArea
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.models import ModelLogEntry
from wagtail.permissions import register_permission_policy

from people.access import LEARNERS_TAUGHT, can_configure_cohorts

from .access import learners_taught_by
from .models import Cohort, Enrollment, Holiday, Session
from .selectors import cohorts_under_pages
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


@hooks.register("before_delete_page")
def refuse_deleting_a_course_with_cohorts(request, page):
    """A course (or a page above courses) with cohorts is not deleted: the cohorts keep their attendance,
    bonuses and certificates. Say which cohorts, and offer unpublishing, which takes it off the site."""
    pages = [page]
    if getattr(settings, "WAGTAIL_I18N_ENABLED", False):
        pages += list(page.get_translations())  # Wagtail deletes these with it
    cohorts = cohorts_under_pages(pages)
    if not cohorts:
        return None
    names = ", ".join(cohort.name for cohort in cohorts[:3])
    message = ngettext(
        "“%(page)s” cannot be deleted: the cohort %(cohorts)s is scheduled for it. "
        "Unpublish it to take it off the site.",
        "“%(page)s” cannot be deleted: %(count)d cohorts are scheduled for it (%(cohorts)s). "
        "Unpublish it to take it off the site.",
        len(cohorts),
    ) % {"page": page.get_admin_display_title(), "cohorts": names, "count": len(cohorts)}
    buttons = []
    if page.live and page.permissions_for_user(request.user).can_unpublish():
        buttons.append(messages.button(reverse("wagtailadmin_pages:unpublish", args=(page.pk,)), gettext("Unpublish")))
    messages.error(request, message, buttons=buttons)
    return redirect(get_valid_next_url_from_request(request) or reverse("wagtailadmin_pages:edit", args=(page.pk,)))


class LearnerSearchArea(SearchArea):
    """Learners in the admin's search, for those who may see them; the learners list scopes the results."""

    def is_shown(self, request):
        return can_configure_cohorts(request.user)


@hooks.register("register_admin_search_area")
def register_learner_search_area():
    return LearnerSearchArea(_("Learners"), reverse("learner_admin:index"), name="learners", icon_name="user", order=50)
