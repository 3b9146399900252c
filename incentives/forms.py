"""Admin forms for bonuses, savings matches and milestones.

The forms only collect and check input; every write goes through incentives.services, whose refusals
(`IncentiveError(message, field=)`) the views put on the named field.
"""

import filetype
from django import forms
from django.core.validators import FileExtensionValidator
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from courses.forms import CoversCoursesForm

from . import selectors
from .models import BonusRule, MilestoneAchievement, MilestoneType, SavingsDeposit, SavingsMatchRule
from .months import ended_months, month_key, month_label, parse_month, recent_months
from .services import month_bounds

EVIDENCE_EXTENSIONS = ["pdf", "jpg", "jpeg", "png", "heic", "heif", "webp"]
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
# What each allowed extension's content must be, by its first bytes (the `filetype` package's signatures):
# a web page renamed licence.pdf is refused, whatever the browser said its type was.
_HEIF = {"image/heic", "image/heif"}
EVIDENCE_CONTENT = {
    "pdf": {"application/pdf"},
    "jpg": {"image/jpeg"},
    "jpeg": {"image/jpeg"},
    "png": {"image/png"},
    "webp": {"image/webp"},
    "heic": _HEIF,
    "heif": _HEIF,
}


def month_choices(months):
    return [(month_key(month), month_label(month)) for month in months]


class MonthField(forms.TypedChoiceField):
    """A month from a short list, sent as YYYY-MM and cleaned to its first day."""

    def __init__(self, *, months, **kwargs):
        super().__init__(choices=month_choices(months), coerce=parse_month, **kwargs)


def validate_evidence_size(upload):
    if upload.size > EVIDENCE_MAX_BYTES:
        raise forms.ValidationError(
            _("This file is %(size)s; the most an evidence file may be is %(limit)s. Send a smaller photo or PDF.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(EVIDENCE_MAX_BYTES)}
        )


# `filetype` knows HEIC only by the "heic" brand; phones also write these HEIF brands (ISO/IEC 23008-12).
_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}


def _is_heif(head):
    return head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS


def validate_evidence_content(upload):
    """The file is what its name says: its first bytes are a PDF's, a JPEG's... (the extension validator has
    already refused other names)."""
    extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    expected = EVIDENCE_CONTENT.get(extension)
    if expected is None:
        return
    position = upload.tell()
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(position)
    kind = filetype.guess(head)
    if (kind is None or kind.mime not in expected) and not (expected is _HEIF and _is_heif(head)):
        raise forms.ValidationError(
            _(
                "This file is named .%(extension)s but its content is not a %(kind)s. Upload the photo or PDF "
                "itself, not a renamed file."
            )
            % {"extension": extension, "kind": "PDF" if extension == "pdf" else extension.upper()},
            code="content_mismatch",
        )


def evidence_field(**kwargs):
    return forms.FileField(
        label=_("Evidence"),
        required=False,
        validators=[FileExtensionValidator(EVIDENCE_EXTENSIONS), validate_evidence_size, validate_evidence_content],
        help_text=_(
            "A photo or PDF (%(types)s), up to %(limit)s. Kept private: only staff who may see this learner can open it."
        )
        % {"types": ", ".join(EVIDENCE_EXTENSIONS), "limit": filesizeformat(EVIDENCE_MAX_BYTES)},
        **kwargs,
    )


class LearnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, learner):
        if learner.preferred_name and learner.preferred_name != learner.full_name:
            return f"{learner.full_name} ({learner.preferred_name})"
        return learner.full_name


class ServiceWritesForm(WagtailAdminModelForm):
    """A model form whose row is written by a service, which also refuses duplicates in plain words on the
    right field ("A deposit is already recorded for this month."). Leaving `unique_by_service` out of the
    model's own validation skips Django's generic "... with this Learner, Rule and Month already exists"
    (the form field still checks the value itself)."""

    unique_by_service = None

    def _get_validation_exclusions(self):
        return {*super()._get_validation_exclusions(), self.unique_by_service}


# --- rules ---------------------------------------------------------------------------------------------


class BonusRuleForm(CoversCoursesForm):
    tracks_label = _("Qualifying tracks")
    tracks_help = _("Learners in a cohort of a course on one of these tracks qualify.")
    covers_nothing = _("Choose at least one track or one course, or no one can earn this bonus.")

    class Meta:
        model = BonusRule
        fields = [
            "name",
            "tracks",
            "courses",
            "amount",
            "threshold_percent",
            "minimum_sessions",
            "late_counts_as_attended",
            "excused_left_out",
            "active_from",
            "active_until",
        ]

    def clean(self):
        cleaned = super().clean()
        if "tracks" not in self.errors and cleaned.get("active_from"):
            self._refuse_overlap(cleaned)
        return cleaned

    def _refuse_overlap(self, cleaned):
        """Two rules that cover the same learners in the same month would pay them twice."""
        other = overlapping_rule(
            tracks=cleaned.get("tracks") or [],
            courses=list(cleaned.get("courses") or []),
            active_from=cleaned["active_from"],
            active_until=cleaned.get("active_until"),
            exclude_pk=self.instance.pk,
        )
        if other is not None:
            self.add_error(
                None,
                _(
                    "“%(other)s” already pays a bonus to some of the same learners in these months, so they would "
                    "be paid twice. Change this rule's tracks, courses or dates, or end “%(other)s” first."
                )
                % {"other": other.name},
            )


def overlapping_rule(*, tracks, courses, active_from, active_until, exclude_pk=None):
    """Another bonus rule active on some of the same days that covers a track or course of these, or None."""
    others = BonusRule.objects.filter(Q(active_until__isnull=True) | Q(active_until__gte=active_from)).prefetch_related(
        "courses"
    )
    if active_until is not None:
        others = others.filter(active_from__lte=active_until)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    tracks, course_ids = set(tracks), {course.pk for course in courses}
    course_tracks = {course.track for course in courses}
    for other in others:
        other_tracks = set(other.tracks or [])
        other_courses = list(other.courses.all())
        if (
            tracks & other_tracks
            or course_ids & {course.pk for course in other_courses}
            or course_tracks & other_tracks
            or tracks & {course.track for course in other_courses}
        ):
            return other
    return None


# --- computing a month ----------------------------------------------------------------------------------


class ComputeMonthForm(forms.Form):
    month = MonthField(months=(), label=_("Month"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        months = ended_months()
        self.fields["month"].choices = month_choices(months)
        self.fields["month"].initial = month_key(months[0])
        self.fields["month"].help_text = _(
            "Only months that have ended. Computing again is safe: approved and paid bonuses never change, "
            "and any whose attendance was edited since are set aside for you to resolve."
        )


# --- savings deposits -----------------------------------------------------------------------------------


class SavingsDepositForm(ServiceWritesForm):
    unique_by_service = "month"
    learner = LearnerChoiceField(queryset=None, label=_("Learner"))
    month = MonthField(months=(), label=_("Month of the deposit"))
    evidence = evidence_field()

    class Meta:
        model = SavingsDeposit
        fields = ["learner", "rule", "month", "deposit", "evidence"]

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        self.fields["learner"].queryset = selectors.learners_for_recording(for_user)
        months = recent_months()
        self.fields["month"].choices = month_choices(months)
        self.fields["month"].initial = month_key(months[1])
        rules = SavingsMatchRule.objects.order_by("-active_from", "name")
        self.fields["rule"].queryset = rules
        if len(rules) == 1:
            self.fields["rule"].initial = rules[0].pk
        self.fields["deposit"].help_text = _("What the learner put into savings that month, as they reported it.")

    def clean(self):
        cleaned = super().clean()
        rule, month = cleaned.get("rule"), cleaned.get("month")
        if rule and month and not _active(rule, month):
            self.add_error(
                "month", _("%(rule)s does not run in %(month)s.") % {"rule": rule, "month": month_label(month)}
            )
        return cleaned


def _active(rule, month):
    first, last = month_bounds(month)
    return rule.active_from <= last and (rule.active_until is None or rule.active_until >= first)


# --- milestones -----------------------------------------------------------------------------------------


class MilestoneAchievementForm(ServiceWritesForm):
    unique_by_service = "achieved_on"
    learner = LearnerChoiceField(queryset=None, label=_("Learner"))
    evidence = evidence_field()

    class Meta:
        model = MilestoneAchievement
        fields = ["learner", "milestone_type", "achieved_on", "amount", "note", "evidence"]

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        self.fields["learner"].queryset = selectors.learners_for_recording(for_user)
        self.fields["milestone_type"].queryset = MilestoneType.objects.all()
        self.fields["amount"].help_text = _("Only for milestones that carry an amount, such as a grant awarded.")


class RecordMilestoneForm(forms.Form):
    """An instructor (or staff) records one learner's milestone from the cohort page; the service checks
    evidence, amount and date and refuses a duplicate."""

    milestone_type = forms.ModelChoiceField(queryset=MilestoneType.objects.none(), label=_("Milestone"))
    achieved_on = forms.DateField(label=_("Date reached"), widget=forms.DateInput(attrs={"type": "date"}))
    amount = forms.DecimalField(
        label=_("Amount ($)"),
        required=False,
        max_digits=10,
        decimal_places=2,
        min_value=0,
        help_text=_("Only for milestones that carry an amount, such as a grant awarded."),
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=255)
    evidence = evidence_field()

    def __init__(self, *args, tracks=(), **kwargs):
        super().__init__(*args, **kwargs)
        types = MilestoneType.objects.all()
        if tracks:
            types = types.filter(track__in=[*tracks, ""])
        self.fields["milestone_type"].queryset = types


class RejectMilestoneForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the evidence rejected?"),
        max_length=255,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The person who recorded it sees this, so say what would fix it."),
    )


class ResolveAdjustmentForm(forms.Form):
    decision = forms.ChoiceField(choices=[("apply", "apply"), ("keep", "keep")])

    @property
    def apply(self):
        return self.cleaned_data["decision"] == "apply"
