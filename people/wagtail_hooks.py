"""Admin registration for people: audit-log actions about learners' portal accounts."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.models import ModelLogEntry

from .models import Learner


@hooks.register("register_log_actions")
def register_people_log_actions(actions):
    actions.register_model(Learner, ModelLogEntry)
    actions.register_action("people.portal.invite", _("Invite to the portal"), _("Invited to the learner portal"))
    actions.register_action("people.portal.setup", _("Set up portal account"), _("Portal password chosen"))
