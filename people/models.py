"""People: staff accounts with one role each, partner organizations and learners."""

import unicodedata

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.models import Orderable

from core.phones import PhoneNumberField

from .panels import OwnChildrenInlinePanel


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class Role(models.TextChoices):
    PROGRAM_MANAGER = "manager", _("Program manager")
    PARTNER_STAFF = "partner_staff", _("Partner staff")
    INSTRUCTOR = "instructor", _("Instructor")
    LEARNER = "learner", _("Learner")


# A certificate's footer holds three signatures beside the issue date and the QR code, no more.
MAX_SIGNATORIES = 3

# Roles whose account belongs to one partner organization.
PARTNER_ROLES = (Role.PARTNER_STAFF, Role.INSTRUCTOR)


class Partner(ClusterableModel, TimeStampedModel):
    """A community organization that runs cohorts: the unit of data scoping, and the issuer of its learners'
    certificates, which print its name, its logo and the people who sign for it (`signatories`)."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    region = models.CharField(_("region"), max_length=120, blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Printed at the top of the organization's certificates."),
    )
    instructors_need_second_factor = models.BooleanField(
        _("instructors sign in with a second factor"),
        default=False,
        help_text=_(
            "Program managers and partner staff always confirm their sign-in with a code from an authenticator "
            "app. Tick this to ask the same of this organization's instructors."
        ),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("region"),
        FieldPanel("instructors_need_second_factor"),
        MultiFieldPanel(
            [FieldPanel("logo"), OwnChildrenInlinePanel("signatories", max_num=MAX_SIGNATORIES, label=_("Signatory"))],
            heading=_("On certificates"),
            help_text=_(
                "Who signs the certificates this organization issues, at most three. Without a signatory a "
                "certificate prints the organization's name and no signature line."
            ),
        ),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner organization")
        verbose_name_plural = _("partner organizations")

    def __str__(self):
        return self.name


class PartnerSignatory(Orderable):
    """Someone who signs the partner's certificates. The people who sign belong to the organization that
    issues, never to a certificate template several organizations share."""

    partner = ParentalKey(
        Partner, verbose_name=_("partner organization"), on_delete=models.CASCADE, related_name="signatories"
    )
    name = models.CharField(_("name"), max_length=120)
    role = models.CharField(_("role"), max_length=120, help_text=_("For example Executive Director."))
    signature = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("signature image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("A scan of their real signature, or leave empty: the name is printed under a line."),
    )

    panels = [FieldPanel("name"), FieldPanel("role"), FieldPanel("signature")]

    class Meta(Orderable.Meta):
        verbose_name = _("signatory")
        verbose_name_plural = _("signatories")

    def __str__(self):
        return f"{self.name}, {self.role}"


class User(AbstractUser):
    """A login. Staff have a role (and a partner unless they manage every partner);
    a learner's account is optional and linked from their `Learner` record."""

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.LEARNER)
    partner = models.ForeignKey(
        Partner,
        verbose_name=_("partner organization"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
    )
    preferred_language = models.CharField(
        _("preferred language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )

    objects = UserManager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="partner_role_has_partner",
                condition=~Q(role__in=[r.value for r in PARTNER_ROLES]) | Q(partner__isnull=False),
                violation_error_message=_("Partner staff and instructors must belong to a partner organization."),
            ),
        ]

    def clean(self):
        super().clean()
        if self.role in PARTNER_ROLES and self.partner_id is None:
            raise ValidationError(
                {"partner": _("Partner staff and instructors must belong to a partner organization.")}
            )

    @property
    def is_program_manager(self):
        return self.is_active and (self.is_superuser or self.role == Role.PROGRAM_MANAGER)

    @property
    def is_partner_staff(self):
        return self.is_active and self.role == Role.PARTNER_STAFF

    @property
    def is_instructor(self):
        return self.is_active and self.role == Role.INSTRUCTOR


# Besides letters and the marks on them, what names on official papers are written with.
_NAME_PUNCTUATION = set(" -'’.,")


def is_latin_script(text):
    """Whether every letter of `text` is a Latin letter (with or without accents) and it has at least one."""
    letters = [character for character in text or "" if character.isalpha()]
    return bool(letters) and all(unicodedata.name(character, "").startswith("LATIN ") for character in letters)


def validate_latin_script(value):
    """Latin letters (accents allowed), spaces, hyphens, apostrophes and periods: the name as a passport or
    an employer's form writes it."""
    if not value.strip():
        return
    others = {
        character
        for character in value
        if not character.isalpha() and not unicodedata.combining(character) and character not in _NAME_PUNCTUATION
    }
    if others or not is_latin_script(value):
        raise ValidationError(
            _("Write this name in Latin letters (A to Z, accents allowed), as on the learner's official papers."),
            code="not_latin_script",
        )


class Learner(TimeStampedModel):
    """A person in a program. Needs no account to be enrolled or marked present.

    Deliberately minimal: no immigration status, ID numbers or country of birth.
    """

    partner = models.ForeignKey(
        Partner, verbose_name=_("partner organization"), on_delete=models.PROTECT, related_name="learners"
    )
    full_name = models.CharField(
        _("full name"),
        max_length=200,
        help_text=_("Exactly as it should appear on a certificate, in the learner's own script."),
    )
    name_latin = models.CharField(
        _("name in Latin letters"),
        max_length=200,
        blank=True,
        validators=[validate_latin_script],
        help_text=_(
            "Only when the full name is in another script: the name exactly as on the learner's official papers "
            "(passport, work permit). Printed under the name on certificates. Never guess a spelling: ask the learner."
        ),
    )
    preferred_name = models.CharField(
        _("preferred name"), max_length=100, blank=True, help_text=_("What the learner likes to be called in class.")
    )
    preferred_language = models.CharField(
        _("preferred language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    phone = PhoneNumberField(_("phone"), blank=True)  # E.164 (core.phones)
    email = models.EmailField(_("email"), blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("portal account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="learner",
    )
    consent_data = models.BooleanField(
        _("consents to the program keeping their records"),
        default=False,
    )
    consent_contact = models.BooleanField(_("agrees to be contacted by text or email"), default=False)
    consent_recorded_at = models.DateTimeField(_("consent recorded at"), null=True, blank=True)
    erased_at = models.DateTimeField(
        _("personal data erased at"), null=True, blank=True, editable=False, help_text=_("See people.privacy.")
    )

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("learner")
        verbose_name_plural = _("learners")
        indexes = [models.Index(fields=["partner", "full_name"])]

    def __str__(self):
        return self.full_name

    @property
    def full_name_is_latin(self):
        return is_latin_script(self.full_name)

    @property
    def latin_name_to_print(self):
        """The Latin-script line printed under a name written in another script; "" when there is none to print."""
        if self.name_latin.strip() and not self.full_name_is_latin:
            return self.name_latin.strip()
        return ""

    @property
    def display_name(self):
        """The name used in class: the preferred name when there is one."""
        return self.preferred_name or self.full_name


class PortalInvite(TimeStampedModel):
    """A one-time code a learner types (or follows as a link) to choose their portal password.

    Staff hand these out only for accounts never set up; once a learner has chosen a password, only a
    program manager may issue a code that replaces it (resets_password), and the learner's own way back is
    the password reset by email. Only a keyed hash of the code is stored, so a copy of the database does not
    let anyone take over an account. Issuing a new invite revokes the open one.
    """

    learner = models.ForeignKey(
        Learner, verbose_name=_("learner"), on_delete=models.CASCADE, related_name="portal_invites"
    )
    code_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    expires_at = models.DateTimeField(_("expires"))
    used_at = models.DateTimeField(_("used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("replaced"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("emailed"), null=True, blank=True)
    # A program manager's reset of a password the learner had already chosen; every other code only ever sets
    # the first password of an account nobody has set up (people.services.invite_to_portal).
    resets_password = models.BooleanField(_("resets a password"), default=False, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("portal invitation")
        verbose_name_plural = _("portal invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["learner"],
                condition=Q(used_at__isnull=True, revoked_at__isnull=True),
                name="one_open_portal_invite_per_learner",
            )
        ]

    def __str__(self):
        return f"{self.learner} · {self.created_at:%Y-%m-%d}"

    @property
    def is_open(self):
        return self.used_at is None and self.revoked_at is None and self.expires_at > timezone.now()
