"""Money and milestones: bonus rules, the monthly bonus ledger, savings matches, milestones."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from courses.coverage import CoversCourses
from courses.models import Track
from people.models import Learner, Partner, TimeStampedModel


def private_storage():
    return storages["private"]


class Decision(models.TextChoices):
    """Where a sum of money stands. Approved and paid rows are frozen."""

    ELIGIBLE = "eligible", _("Eligible")
    NOT_ELIGIBLE = "not_eligible", _("Not eligible")
    APPROVED = "approved", _("Approved")
    PAID = "paid", _("Paid")
    NEEDS_ADJUSTMENT = "needs_adjustment", _("Needs adjustment")


DECIDED = (Decision.APPROVED, Decision.PAID)

# "Approved and awaiting payment", stated once for the payment file, the ledger's totals and the outcome
# figures, so the three give the same dollars. A decided bonus that a later attendance edit sent to "needs
# adjustment" is held back from all three until a manager resolves it: paying it would pay money under review.
AWAITING_PAYMENT = Q(status=Decision.APPROVED)
# Money already paid stays paid, even while a later edit waits for review.
PAID_OUT = Q(status=Decision.PAID) | Q(status=Decision.NEEDS_ADJUSTMENT, decided_status=Decision.PAID)
# Approved, not paid, and waiting for that review: counted apart so the figures still add up to what was decided.
HELD_FOR_ADJUSTMENT = Q(status=Decision.NEEDS_ADJUSTMENT, decided_status=Decision.APPROVED)


class BonusRule(CoversCourses, TimeStampedModel):
    """When a learner earns the monthly training bonus."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    tracks = models.JSONField(
        _("qualifying tracks"),
        default=list,
        blank=True,
        help_text=_("Learners in a cohort of a course on one of these tracks qualify."),
    )
    courses = models.ManyToManyField(
        "courses.CoursePage",
        verbose_name=_("also these courses"),
        blank=True,
        related_name="bonus_rules",
        help_text=_("Courses that qualify whatever their track."),
    )
    amount = models.DecimalField(
        _("amount"),
        max_digits=8,
        decimal_places=2,
        default=Decimal("200.00"),
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    threshold_percent = models.DecimalField(
        _("attendance needed (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("75.00"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text=_("Share of the month's held sessions the learner must attend."),
    )
    minimum_sessions = models.PositiveSmallIntegerField(
        _("sessions attended at least"),
        default=4,
        help_text=_("However high the rate, fewer sessions attended than this earns nothing."),
    )
    late_counts_as_attended = models.BooleanField(_("late counts as attended"), default=True)
    excused_left_out = models.BooleanField(
        _("excused absences are left out"),
        default=True,
        help_text=_("If unticked, an excused absence counts as an absence."),
    )
    active_from = models.DateField(_("active from"))
    active_until = models.DateField(_("active until"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("bonus rule")
        verbose_name_plural = _("bonus rules")
        constraints = [
            models.CheckConstraint(
                name="bonus_rule_period_is_ordered",
                condition=Q(active_until__isnull=True) | Q(active_until__gte=F("active_from")),
            ),
            models.CheckConstraint(name="bonus_amount_positive", condition=Q(amount__gt=0)),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()  # the tracks (CoversCourses)
        if self.active_until and self.active_from and self.active_until < self.active_from:
            raise ValidationError({"active_until": _("The end must be on or after the start.")})

    def is_active_in(self, month_start, month_end):
        return self.active_from <= month_end and (self.active_until is None or self.active_until >= month_start)


class MonthlyBonus(TimeStampedModel):
    """One learner's training bonus for one calendar month under one rule."""

    learner = models.ForeignKey(Learner, verbose_name=_("learner"), on_delete=models.PROTECT, related_name="bonuses")
    partner = models.ForeignKey(
        Partner, verbose_name=_("partner organization"), on_delete=models.PROTECT, related_name="+"
    )
    rule = models.ForeignKey(BonusRule, verbose_name=_("rule"), on_delete=models.PROTECT, related_name="bonuses")
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    sessions_held = models.PositiveSmallIntegerField(_("sessions held"), default=0)
    sessions_attended = models.PositiveSmallIntegerField(_("sessions attended"), default=0)
    rate = models.DecimalField(_("attendance rate (%)"), max_digits=5, decimal_places=2, default=Decimal("0"))
    amount = models.DecimalField(_("amount"), max_digits=8, decimal_places=2, default=Decimal("0"))
    status = models.CharField(_("status"), max_length=20, choices=Decision.choices)
    basis = models.JSONField(_("basis"), default=dict, help_text=_("The sessions and marks the figures came from."))
    # When attendance changes after a decision: what the figures would now be.
    adjustment_basis = models.JSONField(_("basis after later edits"), null=True, blank=True)
    decided_status = models.CharField(_("decision before the adjustment"), max_length=20, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("marked paid by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)

    class Meta:
        ordering = ["-month", "learner__full_name"]
        verbose_name = _("monthly bonus")
        verbose_name_plural = _("monthly bonuses")
        constraints = [
            models.UniqueConstraint(fields=["learner", "rule", "month"], name="one_bonus_per_learner_rule_month"),
            models.CheckConstraint(name="bonus_month_is_first_day", condition=Q(month__day=1)),
        ]
        indexes = [models.Index(fields=["month", "status"]), models.Index(fields=["partner", "month"])]

    def __str__(self):
        return f"{self.learner} · {self.month:%Y-%m} · {self.get_status_display()}"

    @property
    def is_frozen(self):
        return self.status in DECIDED or self.status == Decision.NEEDS_ADJUSTMENT


class SavingsMatchRule(TimeStampedModel):
    """How much of a household's savings deposits the program matches."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    monthly_cap = models.DecimalField(
        _("most matched in a month"), max_digits=8, decimal_places=2, default=Decimal("100.00")
    )
    total_cap = models.DecimalField(
        _("most matched in total"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Across all months. Leave empty for no overall limit."),
    )
    active_from = models.DateField(_("active from"))
    active_until = models.DateField(_("active until"), null=True, blank=True)

    class Meta:
        verbose_name = _("savings match rule")
        verbose_name_plural = _("savings match rules")
        constraints = [models.CheckConstraint(name="savings_cap_positive", condition=Q(monthly_cap__gt=0))]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.monthly_cap is not None and self.monthly_cap <= 0:  # savings_cap_positive, said on the field
            raise ValidationError({"monthly_cap": _("The monthly limit must be more than zero.")})


def evidence_path(instance, filename):
    # Unguessable names; the original name is kept on the record for display.
    extension = filename.rsplit(".", 1)[-1].lower()[:8] if "." in filename else "bin"
    return f"evidence/{instance.learner_id}/{uuid.uuid4().hex}.{extension}"


class SavingsDeposit(TimeStampedModel):
    """A learner's reported savings deposit for a month, and the match it earns."""

    learner = models.ForeignKey(
        Learner, verbose_name=_("learner"), on_delete=models.PROTECT, related_name="savings_deposits"
    )
    partner = models.ForeignKey(
        Partner, verbose_name=_("partner organization"), on_delete=models.PROTECT, related_name="+"
    )
    rule = models.ForeignKey(
        SavingsMatchRule, verbose_name=_("rule"), on_delete=models.PROTECT, related_name="deposits"
    )
    month = models.DateField(_("month"))
    deposit = models.DecimalField(
        _("deposit"), max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    match = models.DecimalField(_("match"), max_digits=8, decimal_places=2, default=Decimal("0"))
    evidence = models.FileField(_("evidence"), storage=private_storage, upload_to=evidence_path, blank=True)
    evidence_name = models.CharField(_("evidence file name"), max_length=255, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Decision.choices, default=Decision.ELIGIBLE)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-month", "learner__full_name"]
        verbose_name = _("savings deposit")
        verbose_name_plural = _("savings deposits")
        constraints = [
            models.UniqueConstraint(fields=["learner", "rule", "month"], name="one_savings_deposit_per_learner_month"),
            models.CheckConstraint(name="savings_month_is_first_day", condition=Q(month__day=1)),
            models.CheckConstraint(name="deposit_positive", condition=Q(deposit__gt=0)),
            models.CheckConstraint(name="match_not_negative", condition=Q(match__gte=0)),
        ]

    def __str__(self):
        return f"{self.learner} · {self.month:%Y-%m} · {self.deposit}"


class MilestoneType(TimeStampedModel):
    """A step on a path: business plan, business license, SEED grant awarded..."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    track = models.CharField(_("track"), max_length=20, choices=Track.choices, blank=True)
    description = models.TextField(_("description"), blank=True)
    evidence_required = models.BooleanField(_("evidence required"), default=False)
    carries_amount = models.BooleanField(
        _("records an amount"), default=False, help_text=_("For example a grant's dollars.")
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["track", "sort_order", "name"]
        verbose_name = _("milestone type")
        verbose_name_plural = _("milestone types")

    def __str__(self):
        return self.name


class MilestoneAchievement(TimeStampedModel):
    """A learner reached a milestone: recorded by an instructor, verified by a manager."""

    class Status(models.TextChoices):
        RECORDED = "recorded", _("Waiting for verification")
        VERIFIED = "verified", _("Verified")
        REJECTED = "rejected", _("Rejected")

    learner = models.ForeignKey(Learner, verbose_name=_("learner"), on_delete=models.PROTECT, related_name="milestones")
    milestone_type = models.ForeignKey(
        MilestoneType, verbose_name=_("milestone"), on_delete=models.PROTECT, related_name="achievements"
    )
    achieved_on = models.DateField(_("date"))
    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=2, null=True, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)
    evidence = models.FileField(_("evidence"), storage=private_storage, upload_to=evidence_path, blank=True)
    evidence_name = models.CharField(_("evidence file name"), max_length=255, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.RECORDED)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.CharField(_("why it was rejected"), max_length=255, blank=True)

    class Meta:
        ordering = ["-achieved_on"]
        verbose_name = _("milestone achievement")
        verbose_name_plural = _("milestone achievements")
        constraints = [
            # A learner may reach a type twice (two professional licenses, a second
            # SEED application); the same record entered twice is refused.
            models.UniqueConstraint(
                fields=["learner", "milestone_type", "achieved_on"], name="one_achievement_per_type_and_day"
            ),
            models.CheckConstraint(
                name="rejection_has_reason", condition=~Q(status="rejected") | ~Q(rejection_reason="")
            ),
        ]

    def __str__(self):
        return f"{self.learner} · {self.milestone_type}"
