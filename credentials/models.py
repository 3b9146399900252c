"""Credentials: pathways and their requirements, certificate templates, issued certificates and bulk issuing jobs."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.models import TranslatableMixin
from wagtail_localize.fields import SynchronizedField, TranslatableField

from core.translated_names import TranslatedNamesField, in_language
from courses.coverage import CoversCourses
from people.models import Learner, Partner, TimeStampedModel

from . import codes


def private_storage():
    return storages["private"]


# The words a template's title and body may contain in braces, filled in for each learner.
PLACEHOLDERS = {
    "learner_name": _("the learner's name, exactly as printed"),
    "pathway": _("the credential's name"),
    "hours": _("hours attended"),
    "start_date": _("the cohort's first day"),
    "end_date": _("the cohort's last day, or the day of issue while the cohort still runs"),
    "partner": _("the partner organization that issues it"),
}
_PLACEHOLDER = re.compile(r"\{(\w*)\}")


def unknown_placeholders(text):
    return sorted({name for name in _PLACEHOLDER.findall(text or "") if name not in PLACEHOLDERS})


def fill_placeholders(text, values):
    """The text with each {placeholder} replaced. Not str.format: a template must not reach attributes
    ({learner_name.__class__}) and a stray brace must not break a certificate."""
    return _PLACEHOLDER.sub(lambda match: str(values.get(match.group(1), match.group(0))), text or "")


def validate_placeholders(text):
    unknown = unknown_placeholders(text)
    if unknown:
        raise ValidationError(
            _("Unknown placeholder: %(unknown)s. Use only %(known)s."),
            params={
                "unknown": ", ".join(f"{{{name}}}" for name in unknown),
                "known": ", ".join(f"{{{name}}}" for name in PLACEHOLDERS),
            },
            code="unknown_placeholder",
        )


class CertificateTemplate(TranslatableMixin, TimeStampedModel):
    """How a certificate looks and reads. Translated like any snippet: a learner's certificate uses the
    translation in their preferred language when there is one.

    Several partner organizations may share a template; who signs, and the logo, are the issuing
    partner's own (people.Partner), so one organization's director never signs another's certificates."""

    class Orientation(models.TextChoices):
        LANDSCAPE = "landscape", _("Landscape")
        PORTRAIT = "portrait", _("Portrait")

    class PaperSize(models.TextChoices):
        LETTER = "letter", _("US Letter")
        A4 = "a4", _("A4")

    name = models.CharField(_("name"), max_length=120, help_text=_("For staff choosing a template; not printed."))
    title = models.CharField(
        _("title"),
        max_length=160,
        validators=[validate_placeholders],
        help_text=_("For example Certificate of Completion."),
    )
    body = models.TextField(
        _("text"),
        validators=[validate_placeholders],
        help_text=_(
            "Placeholders in braces are filled in for each learner: {learner_name}, {pathway}, {hours}, "
            "{start_date}, {end_date}, {partner}."
        ),
    )
    second_language_title = models.CharField(
        _("title in a second language"), max_length=160, blank=True, validators=[validate_placeholders]
    )
    second_language_body = models.TextField(
        _("text in a second language"),
        blank=True,
        validators=[validate_placeholders],
        help_text=_("Optional: a line printed under the text, for example in the learner's language."),
    )
    primary_colour = models.CharField(
        _("colour"),
        max_length=7,
        default="#1f4e79",
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Enter a colour like #1f4e79."))],
    )
    orientation = models.CharField(
        _("orientation"), max_length=10, choices=Orientation.choices, default=Orientation.LANDSCAPE
    )
    paper_size = models.CharField(_("paper size"), max_length=10, choices=PaperSize.choices, default=PaperSize.LETTER)
    offers_english_copy = models.BooleanField(
        _("also offer an English copy"),
        default=False,
        help_text=_(
            "Learners whose certificate is printed in another language can also download it in English, "
            "with the same verification code."
        ),
    )

    # What a translator translates in wagtail-localize; the look stays the same in every language.
    translatable_fields = [
        TranslatableField("title"),
        TranslatableField("body"),
        TranslatableField("second_language_title"),
        TranslatableField("second_language_body"),
        SynchronizedField("name"),
        SynchronizedField("primary_colour"),
        SynchronizedField("orientation"),
        SynchronizedField("paper_size"),
        SynchronizedField("offers_english_copy"),
    ]

    panels = [
        FieldPanel("name"),
        MultiFieldPanel([FieldPanel("title"), FieldPanel("body")], heading=_("Wording")),
        MultiFieldPanel(
            [FieldPanel("second_language_title"), FieldPanel("second_language_body")],
            heading=_("Second language (optional)"),
        ),
        FieldPanel("offers_english_copy"),
        MultiFieldPanel(
            [
                FieldPanel("primary_colour"),
                FieldRowPanel([FieldPanel("orientation"), FieldPanel("paper_size")]),
            ],
            heading=_("Look"),
        ),
    ]

    class Meta(TranslatableMixin.Meta):
        ordering = ["name"]
        verbose_name = _("certificate template")
        verbose_name_plural = _("certificate templates")

    def __str__(self):
        return self.name


class CredentialPathway(CoversCourses, TimeStampedModel):
    """What a learner must do to earn a credential, in which courses, and the certificate it leads to."""

    name = models.CharField(
        _("name"), max_length=160, unique=True, help_text=_("Printed on the certificate, for example ESOL Level 2.")
    )
    name_translations = TranslatedNamesField(
        _("name in other languages"),
        max_length=160,
        help_text=_(
            "Printed on certificates in that language and shown to learners reading the site in it. "
            "Empty: the name above."
        ),
    )
    description = models.TextField(_("description"), blank=True)
    tracks = models.JSONField(
        _("tracks"), default=list, blank=True, help_text=_("Cohorts of courses on these tracks lead to it.")
    )
    courses = models.ManyToManyField(
        "courses.CoursePage",
        verbose_name=_("also these courses"),
        blank=True,
        related_name="credential_pathways",
        help_text=_("Courses that lead to it whatever their track."),
    )
    min_attendance_percent = models.DecimalField(
        _("attendance needed (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Present and late count as attended; excused absences are left out. Empty: no minimum."),
    )
    min_hours = models.DecimalField(
        _("hours needed"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Hours of held sessions the learner attended. Empty: no minimum."),
    )
    required_milestones = models.ManyToManyField(
        "incentives.MilestoneType",
        verbose_name=_("milestones needed"),
        blank=True,
        related_name="credential_pathways",
        help_text=_("Each must be recorded and verified by a program manager."),
    )

    class Certifies(models.TextChoices):
        # What the paper claims decides what must have happened first: a certificate of completion may only
        # be issued once the course is over and staff recorded the learner's completion; an achievement
        # (hours attended, milestones reached) may be issued while the course still runs.
        COMPLETION = "completion", _("Completion of the course")
        ACHIEVEMENT = "achievement", _("An achievement during the course (hours, attendance, milestones)")

    certifies = models.CharField(
        _("what it certifies"),
        max_length=12,
        choices=Certifies.choices,
        default=Certifies.ACHIEVEMENT,
        help_text=_(
            "Completion: issued only after the cohort has ended and staff recorded the learner's completion. "
            "Achievement: issued as soon as the requirements are met, even while the cohort runs."
        ),
    )
    validity_months = models.PositiveSmallIntegerField(
        _("valid for (months)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(600)],
        help_text=_("How long a certificate stays valid after it is issued. Empty: it does not expire."),
    )
    template = models.ForeignKey(
        CertificateTemplate,
        verbose_name=_("certificate template"),
        on_delete=models.PROTECT,
        related_name="pathways",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("credential pathway")
        verbose_name_plural = _("credential pathways")
        constraints = [
            models.CheckConstraint(
                name="pathway_attendance_is_a_percentage",
                condition=Q(min_attendance_percent__isnull=True)
                | Q(min_attendance_percent__gte=0, min_attendance_percent__lte=100),
            ),
            models.CheckConstraint(
                name="pathway_hours_not_negative", condition=Q(min_hours__isnull=True) | Q(min_hours__gte=0)
            ),
        ]

    def __str__(self):
        return self.name

    def name_in(self, language=None):
        """The name printed and read in `language` (the active one by default), else the main name."""
        return in_language(self.name, self.name_translations, language)

    @property
    def certifies_completion(self):
        return self.certifies == self.Certifies.COMPLETION


def period_as_printed(cohort, issued_on):
    """(first day, last day) a certificate states for its cohort: never past the day it was issued, so an
    achievement certified while the cohort still runs covers the weeks up to that day, not a last day that has
    not come. The certificate and the verification page both read it here, so they cannot disagree."""
    end_date = min(cohort.end_date, issued_on)
    return min(cohort.start_date, end_date), end_date


def certificate_path(instance, filename):
    """Certificates are saved by credentials.services under random names; this only serves Django's FileField."""
    return f"certificates/{filename}"


class Credential(TimeStampedModel):
    """An issued certificate: what was printed on it, its verification code and file, and whether it still stands.

    Revoking keeps the row (and the file): the public page then says it was revoked, and when.
    """

    class Status(models.TextChoices):
        ISSUED = "issued", _("Valid")
        REVOKED = "revoked", _("Revoked")

    learner = models.ForeignKey(
        Learner, verbose_name=_("learner"), on_delete=models.PROTECT, related_name="credentials"
    )
    pathway = models.ForeignKey(
        CredentialPathway, verbose_name=_("pathway"), on_delete=models.PROTECT, related_name="credentials"
    )
    cohort = models.ForeignKey(
        "cohorts.Cohort",
        verbose_name=_("cohort"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="credentials",
    )
    partner = models.ForeignKey(
        Partner, verbose_name=_("partner organization"), on_delete=models.PROTECT, related_name="+"
    )
    # As printed, so the verification page shows what the paper shows even after renames.
    name_as_printed = models.CharField(_("name as printed"), max_length=200)
    name_latin_as_printed = models.CharField(
        _("name in Latin letters as printed"),
        max_length=200,
        blank=True,
        help_text=_("The second line under a name in another script, from the learner's official papers."),
    )
    title_as_printed = models.CharField(_("credential as printed"), max_length=200)
    issuer_as_printed = models.CharField(_("issuer as printed"), max_length=200)
    hours = models.DecimalField(_("hours"), max_digits=7, decimal_places=2, null=True, blank=True)
    language = models.CharField(_("language"), max_length=10, default="en")
    issued_on = models.DateField(_("issued on"))
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    verification_code = models.CharField(_("verification code"), max_length=codes.LENGTH, unique=True, editable=False)
    pdf = models.FileField(_("certificate file"), storage=private_storage, upload_to=certificate_path, max_length=255)
    # The same certificate and code in English, when the template offers an English copy and the learner's is
    # in another language; kept and deleted with `pdf` (see credentials.services).
    english_pdf = models.FileField(
        _("certificate file in English"),
        storage=private_storage,
        upload_to=certificate_path,
        max_length=255,
        blank=True,
    )
    expires_on = models.DateField(
        _("valid until"), null=True, blank=True, help_text=_("Set at issue from the pathway's validity.")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ISSUED)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked_reason = models.CharField(_("why it was revoked"), max_length=255, blank=True)
    shown_publicly = models.BooleanField(
        _("details shown on the public verification page"),
        default=True,
        help_text=_(
            "When off, the page shows the details only to someone who also types the name printed on the certificate."
        ),
    )
    bulk_issuance = models.ForeignKey(
        "BulkIssuance",
        verbose_name=_("issued in batch"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="credentials",
    )
    emailed_at = models.DateTimeField(_("emailed"), null=True, blank=True, editable=False)
    # Its bit in the Open Badges revocation status lists (credentials.openbadges): given when its first
    # signed file is made, and never moved after, since files carrying it are out in the world.
    status_list_index = models.PositiveIntegerField(
        _("status list position"), null=True, blank=True, unique=True, editable=False
    )

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("credential")
        verbose_name_plural = _("credentials")
        constraints = [
            # Revoked ones are kept beside the one that replaced them.
            models.UniqueConstraint(
                fields=["learner", "pathway"],
                condition=Q(status="issued"),
                name="one_valid_credential_per_learner_and_pathway",
                violation_error_message=_("This learner already holds this credential."),
            ),
            models.CheckConstraint(
                name="credential_revocation_is_complete",
                condition=Q(status="issued", revoked_at__isnull=True)
                | (Q(status="revoked", revoked_at__isnull=False) & ~Q(revoked_reason="")),
            ),
            models.CheckConstraint(name="credential_has_its_file", condition=~Q(pdf="")),
        ]
        indexes = [models.Index(fields=["partner", "status"]), models.Index(fields=["pathway", "status"])]

    def __str__(self):
        return f"{self.title_as_printed} · {self.name_as_printed}"

    @property
    def is_revoked(self):
        return self.status == self.Status.REVOKED

    def is_expired(self, today=None):
        """Past its validity (the day it expires on is still valid). A revoked credential is revoked, not expired."""
        if self.expires_on is None or self.is_revoked:
            return False
        return (today or timezone.localdate()) > self.expires_on

    @property
    def expired(self):
        return self.is_expired()

    @property
    def period(self):
        """The cohort's dates as the certificate printed them, or None without a cohort."""
        return period_as_printed(self.cohort, self.issued_on) if self.cohort_id else None

    @property
    def grouped_code(self):
        return codes.grouped(self.verification_code)


class BulkIssuance(TimeStampedModel):
    """One "issue certificates to this cohort" request and its progress, which the admin page polls."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Issuing")
        DONE = "done", _("Finished")
        FAILED = "failed", _("Stopped with an error")

    cohort = models.ForeignKey(
        "cohorts.Cohort", verbose_name=_("cohort"), on_delete=models.PROTECT, related_name="bulk_issuances"
    )
    pathway = models.ForeignKey(
        CredentialPathway, verbose_name=_("pathway"), on_delete=models.PROTECT, related_name="bulk_issuances"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    learner_ids = models.JSONField(_("learners confirmed"), default=list)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(_("learners"), default=0)
    issued = models.PositiveIntegerField(_("issued"), default=0)
    skipped = models.PositiveIntegerField(_("skipped"), default=0)
    failed = models.PositiveIntegerField(_("failed"), default=0)
    errors = models.JSONField(_("problems"), default=list, blank=True)
    attempts = models.PositiveSmallIntegerField(_("runs"), default=0)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("certificate batch")
        verbose_name_plural = _("certificate batches")

    def __str__(self):
        return f"{self.pathway} · {self.cohort}"

    @property
    def processed(self):
        return self.issued + self.skipped + self.failed

    @property
    def percent(self):
        if not self.total:
            return 100 if self.status == self.Status.DONE else 0
        return min(100, round(100 * self.processed / self.total))

    @property
    def is_finished(self):
        return self.status in (self.Status.DONE, self.Status.FAILED)
