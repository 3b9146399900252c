"""The "Outcomes" menu in the Wagtail admin (dashboard and funder report) and its URLs under /admin/outcomes/;
the to-do list at the top of the admin home.

Why the admin and not a page of the public site: the people who read outcomes (program managers and
partner staff) already work there — cohorts, bonuses and credentials are configured there — and the admin
already turns away everyone else (instructors and learners have no admin access) before our own role check.
"""

from django.forms import Media
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.ui.components import Component

from incentives.access import can_work_on_incentives

from . import urls
from .figures import may_see_outcomes
from .todo import todo_list


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


class ToDoMenuItem(MenuItem):
    """ "My to-do list" in the menu, for those whose admin home opens on it: a way back to it from any admin page."""

    def is_shown(self, request):
        return can_work_on_incentives(request.user)

    def is_active(self, request):
        # Its address is the admin home's, which every admin path starts with.
        return request.path == reverse("wagtailadmin_home")


@hooks.register("register_admin_menu_item")
def register_todo_menu():
    return ToDoMenuItem(
        _("My to-do list"), reverse("wagtailadmin_home") + "#todo-heading", name="todo", icon_name="tasks", order=5
    )


class ToDoPanel(Component):
    """The to-do list (outcomes.todo) at the top of the admin home, for managers and partner staff."""

    name = "todo"
    order = 10  # before Wagtail's own panels
    template_name = "outcomes/admin/todo_panel.html"

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context=None):
        return {"items": todo_list(self.request.user), "request": self.request}

    @property
    def media(self):
        return Media(css={"all": ["outcomes/todo.css"]})


@hooks.register("construct_homepage_panels")
def put_the_todo_list_first(request, panels):
    if can_work_on_incentives(request.user):
        panels.insert(0, ToDoPanel(request))


@hooks.register("construct_homepage_summary_items", order=1000)  # after Wagtail's own apps add theirs
def drop_the_page_counts(request, summary_items):
    # The to-do list replaces Wagtail's page, image and document counts as the first thing staff see: those
    # counts are no one's work. Editors still find the pages in the Pages menu.
    if can_work_on_incentives(request.user):
        summary_items.clear()
