"""Password rules beyond Django's own (settings.AUTH_PASSWORD_VALIDATORS): a longer minimum for staff, and no
product, organization or user name inside a password. Django's common-password and all-numbers rules stay."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import Partner, Role

STAFF_MINIMUM_LENGTH = 12
# Learners often type on a phone keyboard in a second language; Django's own minimum, with its common-password
# list, and a reset by a program manager when a phone is lost.
LEARNER_MINIMUM_LENGTH = 8


def _is_learner(user):
    return user is not None and not user.is_superuser and user.role == Role.LEARNER


class MinimumLengthByRoleValidator:
    """12 characters for staff (and for an account whose role is not known yet); 8 for learners."""

    def _minimum(self, user):
        return LEARNER_MINIMUM_LENGTH if _is_learner(user) else STAFF_MINIMUM_LENGTH

    def validate(self, password, user=None):
        minimum = self._minimum(user)
        if len(password) < minimum:
            raise ValidationError(
                ngettext(
                    "This password is too short. It must contain at least %(min_length)d character.",
                    "This password is too short. It must contain at least %(min_length)d characters.",
                    minimum,
                )
                % {"min_length": minimum},
                code="password_too_short",
                params={"min_length": minimum},
            )

    def get_help_text(self):
        return _("Staff passwords have at least 12 characters; learners' at least 8.")


def _letters_and_digits(text):
    return re.sub(r"[\W_]+", "", (text or "").casefold())


class NoNamesValidator:
    """No password that contains the product's name, the organization's or a partner organization's name, or the
    account's username (spaces, dots and capitals do not disguise them): the first words an attacker tries."""

    def _forbidden(self, user):
        names = [settings.WAGTAIL_SITE_NAME, getattr(settings, "PATHWAYS_OPEN_BADGES_ISSUER_NAME", "")]
        for name, slug in Partner.objects.values_list("name", "slug"):
            names += [name, slug]
        if user is not None:
            names.append(user.get_username())
        return {word for word in map(_letters_and_digits, names) if len(word) >= 4}

    def validate(self, password, user=None):
        typed = _letters_and_digits(password)
        if any(word in typed for word in self._forbidden(user)):
            raise ValidationError(
                _("This password contains the name of the program, an organization or your username. Choose another."),
                code="password_contains_name",
            )

    def get_help_text(self):
        return _("Your password cannot contain the name of the program, an organization or your username.")
