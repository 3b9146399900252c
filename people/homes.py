"""Where each person's work begins: the page sign-in leads to and the header links to.

Learners to their portal (/learn/), instructors to Today (/teach/), program managers and partner
staff to the admin home with their to-do list. The pages belong to apps above this one, so they are
named by URL name, never imported.
"""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .models import Learner, Role

_HOMES = {
    # role: (URL name, the header link's words)
    Role.LEARNER: ("cohorts:portal", _("My classes")),
    Role.INSTRUCTOR: ("cohorts:today", _("My teaching")),
    Role.PARTNER_STAFF: ("wagtailadmin_home", _("My to-do list")),
    Role.PROGRAM_MANAGER: ("wagtailadmin_home", _("My to-do list")),
}


def _home(user):
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    if user.is_program_manager:  # superusers too, whatever their role field says
        return _HOMES[Role.PROGRAM_MANAGER]
    return _HOMES.get(user.role)


def home_url(user):
    """The path of `user`'s own home, or the site's default for someone without one."""
    home = _home(user)
    return reverse(home[0]) if home else settings.LOGIN_REDIRECT_URL


def home_link(user):
    """(path, words) for the header's link home, or None for a visitor."""
    home = _home(user)
    return (reverse(home[0]), home[1]) if home else None


def preferred_language(user):
    """A person's language. For a learner it is their learner record's (the one staff set at enrollment,
    the switcher updates, and emails and certificates use); for staff, their account's."""
    if user.role == Role.LEARNER:
        recorded = Learner.objects.filter(user=user).values_list("preferred_language", flat=True).first()
        if recorded:
            return recorded
    return user.preferred_language
