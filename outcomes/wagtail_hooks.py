"""The "Outcomes" menu in the Wagtail admin (dashboard and funder report) and its URLs under /admin/outcomes/.

Why the admin and not a page of the public site: the people who read outcomes (program managers and
partner staff) already work there — cohorts, bonuses and credentials are configured there — and the admin
already turns away everyone else (instructors and learners have no admin access) before our own role check.
"""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from . import urls
from .figures import may_see_outcomes


class OutcomesMenuItem(MenuItem):
    def is_shown(self, request):
        return may_see_outcomes(request.user)


@hooks.register("register_admin_urls")
def register_outcomes_urls():
    return [path("outcomes/", include(urls, namespace="outcomes"))]


@hooks.register("register_admin_menu_item")
def register_outcomes_menu():
    # The submenu shows when one of its items does (SubmenuMenuItem.is_shown).
    submenu = Menu(
        items=[
            OutcomesMenuItem(
                _("Dashboard"), reverse("outcomes:dashboard"), name="outcomes-dashboard", icon_name="table", order=100
            ),
            OutcomesMenuItem(
                _("Funder report"), reverse("outcomes:report"), name="outcomes-report", icon_name="doc-full", order=200
            ),
        ]
    )
    return SubmenuMenuItem(_("Outcomes"), submenu, name="outcomes", icon_name="table", order=170)
