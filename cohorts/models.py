"""Cohorts, their meeting pattern and sessions, enrollments (with the waitlist) and attendance."""

import datetime
import hashlib
import secrets
from decimal import Decimal
from zoneinfo import ZoneInfo, available_timezones

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel

from core.translated_names import TranslatedNamesField, in_language
from people.models import Learner, Partner, TimeStampedModel


def validate_time_zone(value):
    if value not in available_timezones():
        raise ValidationError(
            _("“%(value)s” is not a time zone name such as America/New_York."), params={"value": value}
        )


class CohortQuerySet(models.QuerySet):
    def taking_enrollments(self):
        return self.filter(status__in=[Cohort.Status.PLANNED, Cohort.Status.RUNNING])


class Cohort(TimeStampedModel, ClusterableModel):
    """One run of a course at a partner organization, for a group of learners."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        RUNNING = "running", _("Running")
        FINISHED = "finished", _("Finished")
        CANCELLED = "cancelled", _("Cancelled")

    class Delivery(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        ONLINE = "online", _("Online")
        HYBRID = "hybrid", _("Hybrid")

    class WhenSeatFrees(models.TextChoices):
        PROMOTE = "promote", _("Enroll the first person on the waitlist")
        OFFER = "offer", _("Offer the seat to the first person on the waitlist")

    course = models.ForeignKey(
        "courses.CoursePage", verbose_name=_("course"), on_delete=models.PROTECT, related_name="cohorts"
    )
    partner = models.ForeignKey(
        Partner, verbose_name=_("partner organization"), on_delete=models.PROTECT, related_name="cohorts"
    )
    name = models.CharField(_("name"), max_length=150)
    name_translations = TranslatedNamesField(
        _("name in other languages"),
        max_length=150,
        help_text=_("What learners see when they read the site in that language. Empty: the name above."),
    )
    term = models.CharField(_("term"), max_length=80, blank=True, help_text=_("For example Fall–Winter 2026."))
    term_translations = TranslatedNamesField(
        _("term in other languages"),
        max_length=80,
        help_text=_("What learners see when they read the site in that language. Empty: the term above."),
    )
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    time_zone = models.CharField(
        _("time zone"), max_length=64, default=settings.TIME_ZONE, validators=[validate_time_zone]
    )
    capacity = models.PositiveSmallIntegerField(_("seats"), default=40)
    when_seat_frees = models.CharField(
        _("when a seat frees"), max_length=10, choices=WhenSeatFrees.choices, default=WhenSeatFrees.PROMOTE
    )
    offer_hours = models.PositiveSmallIntegerField(
        _("hours to accept an offered seat"), default=72, help_text=_("Only used when seats are offered.")
    )
    delivery = models.CharField(_("delivery"), max_length=12, choices=Delivery.choices, default=Delivery.IN_PERSON)
    location = models.CharField(_("location"), max_length=255, blank=True)
    meeting_link = models.URLField(_("meeting link"), blank=True, help_text=_("Zoom, WhatsApp or similar."))
    languages = models.ManyToManyField(
        "courses.InstructionLanguage", verbose_name=_("languages of instruction"), blank=True, related_name="cohorts"
    )
    instructors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("instructors"),
        blank=True,
        related_name="cohorts_taught",
        limit_choices_to={"role": "instructor"},
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    at_risk_after_absences = models.PositiveSmallIntegerField(
        _("flag a learner after this many absences in a row"), default=2
    )

    objects = CohortQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "name"]
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        constraints = [
            models.CheckConstraint(
                name="cohort_ends_after_it_starts",
                condition=Q(end_date__gte=F("start_date")),
                violation_error_message=_("The last day must be on or after the first day."),
            ),
            models.CheckConstraint(name="cohort_has_seats", condition=Q(capacity__gte=1)),  # clean() says it first
        ]

    def __str__(self):
        return f"{self.name} ({self.term})" if self.term else self.name

    def name_in(self, language=None):
        """The name learners read in `language` (the active one by default), else the main name."""
        return in_language(self.name, self.name_translations, language)

    def term_in(self, language=None):
        return in_language(self.term, self.term_translations, language)

    def clean(self):
        super().clean()
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The last day must be on or after the first day.")
        if self.capacity is not None and self.capacity < 1:  # the cohort_has_seats constraint, said on the field
            errors["capacity"] = _("A cohort needs at least one seat.")
        if self.delivery in (self.Delivery.ONLINE, self.Delivery.HYBRID) and not self.meeting_link:
            errors["meeting_link"] = _("Online and hybrid cohorts need a meeting link.")
        if self.delivery in (self.Delivery.IN_PERSON, self.Delivery.HYBRID) and not self.location:
            errors["location"] = _("In-person and hybrid cohorts need a location.")
        if errors:
            raise ValidationError(errors)

    @property
    def zone(self):
        return ZoneInfo(self.time_zone)

    def local_today(self):
        return timezone.now().astimezone(self.zone).date()


class MeetingTime(models.Model):
    """One line of the weekly pattern: e.g. Mondays 18:00–20:00."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    cohort = ParentalKey(Cohort, on_delete=models.CASCADE, related_name="meeting_times")
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    start_time = models.TimeField(_("starts"))
    end_time = models.TimeField(_("ends"))

    class Meta:
        ordering = ["weekday", "start_time"]
        verbose_name = _("meeting time")
        constraints = [
            models.CheckConstraint(name="meeting_ends_after_it_starts", condition=Q(end_time__gt=F("start_time"))),
            models.UniqueConstraint(fields=["cohort", "weekday", "start_time"], name="one_meeting_per_slot"),
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.start_time:%H:%M}–{self.end_time:%H:%M}"

    def clean(self):
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            raise ValidationError({"end_time": _("A class must end after it starts.")})


class Holiday(TimeStampedModel):
    """A day no class meets: for every partner, or only one."""

    date = models.DateField(_("date"))
    name = models.CharField(_("name"), max_length=120)
    partner = models.ForeignKey(
        Partner,
        verbose_name=_("partner organization"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="holidays",
        help_text=_("Leave empty for a holiday every partner observes."),
    )

    class Meta:
        ordering = ["date"]
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")
        constraints = [models.UniqueConstraint(fields=["date", "partner"], name="one_holiday_per_day_and_partner")]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.name}"


class SessionQuerySet(models.QuerySet):
    def held(self):
        """Sessions that count: not cancelled."""
        return self.exclude(status=Session.Status.CANCELLED)


class Session(TimeStampedModel):
    """One meeting of a cohort. Date and times are in the cohort's time zone."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled")

    cohort = models.ForeignKey(Cohort, verbose_name=_("cohort"), on_delete=models.CASCADE, related_name="sessions")
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("starts"))
    end_time = models.TimeField(_("ends"))
    topic = models.CharField(_("topic"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.SCHEDULED)
    cancellation_reason = models.CharField(_("why it was cancelled"), max_length=200, blank=True)
    # The pattern slot this session was generated for. Kept when the session is
    # moved, so regenerating the schedule recognizes it instead of adding a twin.
    planned_date = models.DateField(_("planned date"), null=True, blank=True, editable=False)
    planned_start_time = models.TimeField(_("planned start"), null=True, blank=True, editable=False)
    check_in_code = models.CharField(_("check-in code"), max_length=8, blank=True)

    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["date", "start_time"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.CheckConstraint(name="session_ends_after_it_starts", condition=Q(end_time__gt=F("start_time"))),
            models.UniqueConstraint(
                fields=["cohort", "planned_date", "planned_start_time"],
                condition=Q(planned_date__isnull=False),
                name="one_session_per_pattern_slot",
            ),
            models.UniqueConstraint(
                fields=["check_in_code"], condition=~Q(check_in_code=""), name="check_in_codes_are_unique"
            ),
        ]
        indexes = [models.Index(fields=["cohort", "date"])]

    def __str__(self):
        return f"{self.cohort.name} · {self.date:%Y-%m-%d} {self.start_time:%H:%M}"

    def clean(self):
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            raise ValidationError({"end_time": _("A session must end after it starts.")})
        if self.status == self.Status.CANCELLED and not self.cancellation_reason:
            raise ValidationError(
                {"cancellation_reason": _("Say why the session was cancelled; learners will see it.")}
            )

    @property
    def is_cancelled(self):
        return self.status == self.Status.CANCELLED

    @property
    def starts_at(self):
        return datetime.datetime.combine(self.date, self.start_time, tzinfo=self.cohort.zone)

    @property
    def ends_at(self):
        return datetime.datetime.combine(self.date, self.end_time, tzinfo=self.cohort.zone)

    @property
    def hours(self):
        """Length in hours, from the local wall-clock times (a class is 2 hours even across a DST change)."""
        start = datetime.datetime.combine(self.date, self.start_time)
        end = datetime.datetime.combine(self.date, self.end_time)
        return (Decimal((end - start).total_seconds()) / Decimal(3600)).quantize(Decimal("0.01"))


class EnrollmentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=Enrollment.Status.ACTIVE)

    def holding_seat(self):
        """Active learners and those with a seat on offer take up capacity."""
        return self.filter(status__in=[Enrollment.Status.ACTIVE, Enrollment.Status.OFFERED])

    def waitlist(self):
        return self.filter(status=Enrollment.Status.WAITLISTED).order_by("waitlisted_at", "pk")


class Enrollment(TimeStampedModel):
    """A learner in a cohort, from the waitlist to completion or withdrawal."""

    class Status(models.TextChoices):
        WAITLISTED = "waitlisted", _("On the waitlist")
        OFFERED = "offered", _("Seat offered")
        ACTIVE = "active", _("Active")
        COMPLETED = "completed", _("Completed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    learner = models.ForeignKey(
        Learner, verbose_name=_("learner"), on_delete=models.PROTECT, related_name="enrollments"
    )
    cohort = models.ForeignKey(Cohort, verbose_name=_("cohort"), on_delete=models.PROTECT, related_name="enrollments")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.WAITLISTED)
    waitlisted_at = models.DateTimeField(_("joined the waitlist"), null=True, blank=True)
    offer_expires_at = models.DateTimeField(_("offer expires"), null=True, blank=True)
    enrolled_on = models.DateField(_("enrolled on"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    withdrawn_on = models.DateField(_("withdrew on"), null=True, blank=True)
    withdrawal_reason = models.CharField(_("reason for withdrawing"), max_length=200, blank=True)
    # Set when the learner has been told about a seat; cleared when they return to
    # the waitlist. Makes the notification task safe to run twice.
    seat_notice_sent_at = models.DateTimeField(_("told about the seat"), null=True, blank=True, editable=False)

    objects = EnrollmentQuerySet.as_manager()

    class Meta:
        ordering = ["learner__full_name"]
        verbose_name = _("enrollment")
        verbose_name_plural = _("enrollments")
        constraints = [
            models.UniqueConstraint(fields=["learner", "cohort"], name="one_enrollment_per_learner_and_cohort"),
        ]
        indexes = [models.Index(fields=["cohort", "status"])]

    def __str__(self):
        return f"{self.learner} · {self.cohort}"


class Attendance(TimeStampedModel):
    """What happened for one learner at one session. Saving again updates this row."""

    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        LATE = "late", _("Late")
        EXCUSED = "excused", _("Excused")
        ABSENT = "absent", _("Absent")

    class Source(models.TextChoices):
        ROSTER = "roster", _("Instructor's roster")
        SELF_CHECK_IN = "check_in", _("Self check-in")
        API = "api", _("API")

    session = models.ForeignKey(Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="attendance")
    enrollment = models.ForeignKey(
        Enrollment, verbose_name=_("enrollment"), on_delete=models.CASCADE, related_name="attendance"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    minutes_late = models.PositiveSmallIntegerField(_("minutes late"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)
    source = models.CharField(_("recorded through"), max_length=10, choices=Source.choices, default=Source.ROSTER)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["session", "enrollment"], name="one_attendance_per_session_and_enrollment"),
            models.CheckConstraint(
                name="minutes_late_only_when_late",
                condition=Q(minutes_late__isnull=True) | Q(status="late"),
            ),
        ]
        indexes = [models.Index(fields=["enrollment", "session"])]

    def __str__(self):
        return f"{self.enrollment.learner} · {self.session.date} · {self.get_status_display()}"


class CalendarFeed(TimeStampedModel):
    """A private, revocable iCalendar link for one learner or one instructor.

    Like the API tokens (wagtail.models.APIToken), only a digest of the link's token is stored: the token is
    shown once, when the link is made (cohorts.services.open_calendar_feed), and a calendar app presenting it
    is found by its digest. The digest is a plain SHA-256, not an HMAC with SECRET_KEY as for API tokens: a
    token carries 256 random bits, so it cannot be guessed from its digest, and a subscribed calendar keeps
    working for years, through any rotation of the secret key.
    """

    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="calendar_feeds"
    )
    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, null=True, blank=True, related_name="calendar_feeds")
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="feed_belongs_to_one_person",
                condition=(Q(user__isnull=False) & Q(learner__isnull=True))
                | (Q(user__isnull=True) & Q(learner__isnull=False)),
            )
        ]

    @staticmethod
    def new_token():
        return secrets.token_urlsafe(32)

    @staticmethod
    def hash_token(token):
        return hashlib.sha256(token.encode()).hexdigest()
