"""The outcome filters (partner, track, course, cohort, term, language of instruction, period), shared by the
dashboard, the funder report, the exports and the JSON API, so the same query string gives the same figures
everywhere.

Every choice is loaded once, scoped through people.access, when the filter set is built: four small queries
whatever is chosen, and a value outside the user's scope (another partner, its cohorts) is refused as an
invalid choice rather than looked up. The scope itself is enforced again by outcomes.figures, whatever the
form says.

The period: a key missing from the query string takes the default; a key present but empty leaves that side
open. The defaults open on data: the dashboard (and the API) the last twelve months from the first day a
cohort in the user's scope ran in them (ten weeks of classes make a ten-week chart, not a twelve-month one);
the funder report the same, or with OUTCOMES_REPORT_PERIOD = "program_year" the program year so far (it begins
on OUTCOMES_PROGRAM_YEAR_START, a (month, day) pair). The cohorts' dates come with the cohort choices, in the
same query.
"""

import datetime
from urllib.parse import urlencode

import django_filters
from django import forms
from django.conf import settings
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale

from cohorts.models import Cohort
from courses.models import CoursePage, InstructionLanguage, Track
from people.access import limit_to_managed_partners, managed_partners

# The cohort-level filters: figures that are not about a cohort (milestones, bonuses) follow them through
# the learners enrolled in the chosen cohorts.
COHORT_FILTERS = ("track", "course", "cohort", "term", "language")


def last_twelve_months(today, cohorts=()):
    """From the first day of the month eleven months back to today: a year of whole months and this one."""
    year, month = today.year, today.month - 11
    if month < 1:
        year, month = year - 1, month + 12
    return datetime.date(year, month, 1), today


def last_calendar_year(today, cohorts=()):
    return datetime.date(today.year - 1, 1, 1), datetime.date(today.year - 1, 12, 31)


def opening_on_data(today, cohorts=()):
    """The most recent period with activity: the last twelve months, from the first day a cohort ran in them.
    When no cohort ran in them, the twelve months up to the last day one ran; with no cohort at all, the last
    twelve months. `cohorts`: (first day, last day) of each cohort the user may see."""
    start, end = last_twelve_months(today)
    started = [(first, last) for first, last in cohorts if first <= today]
    running = [first for first, last in started if last >= start]
    if running:
        return max(start, min(running)), today
    if started:
        end = max(last for _first, last in started)
        start = last_twelve_months(end)[0]
        return max(start, min(first for first, last in started if last >= start)), end
    return start, end


def program_year_so_far(today, cohorts=()):
    """From the day the program year began (OUTCOMES_PROGRAM_YEAR_START, (month, day); 1 July unless set) to today."""
    month, day = getattr(settings, "OUTCOMES_PROGRAM_YEAR_START", (7, 1))
    began = datetime.date(today.year, month, day)
    if began > today:
        began = datetime.date(today.year - 1, month, day)
    return began, today


def report_period(today, cohorts=()):
    """The funder report's default period: OUTCOMES_REPORT_PERIOD "activity" (the default) or "program_year"."""
    if getattr(settings, "OUTCOMES_REPORT_PERIOD", "activity") == "program_year":
        return program_year_so_far(today, cohorts)
    return opening_on_data(today, cohorts)


class DateInput(forms.DateInput):
    """The browser's own date picker (no script), which phones show as a native wheel or calendar."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class QuickSelect(forms.Select):
    """A select whose options are written in one pass rather than one template each: a statewide network
    offers 600 cohorts, and Django's per-option templates made that one field most of the page's time."""

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        chosen = "" if value is None else str(value)
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((str(key), mark_safe(" selected") if str(key) == chosen else "", label) for key, label in self.choices),
        )
        return format_html("<select{}>{}</select>", flatatt(attrs), options)


class OutcomeFilterForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end of the period must be on or after its start."))
        return cleaned


class OutcomeFilterSet(django_filters.FilterSet):
    """Filters cohorts; outcomes.figures reads the chosen values for everything else."""

    partner = django_filters.ChoiceFilter(
        label=_("Partner organization"), empty_label=_("Any partner"), method="filter_partner", widget=QuickSelect
    )
    track = django_filters.ChoiceFilter(
        label=_("Program"),
        choices=Track.choices,
        empty_label=_("Any program"),
        field_name="course__track",
        widget=QuickSelect,
    )
    course = django_filters.ChoiceFilter(
        label=_("Course"), empty_label=_("Any course"), method="filter_course", widget=QuickSelect
    )
    cohort = django_filters.ChoiceFilter(
        label=_("Cohort"), empty_label=_("Any cohort"), method="filter_cohort", widget=QuickSelect
    )
    term = django_filters.ChoiceFilter(
        label=_("Term"), empty_label=_("Any term"), field_name="term", widget=QuickSelect
    )
    language = django_filters.ChoiceFilter(
        label=_("Language of instruction"), empty_label=_("Any language"), method="filter_language", widget=QuickSelect
    )
    start = django_filters.DateFilter(label=_("From"), widget=DateInput, method="filter_start")
    end = django_filters.DateFilter(label=_("To"), widget=DateInput, method="filter_end")

    class Meta:
        model = Cohort
        fields = ["partner", "track", "course", "cohort", "term", "language", "start", "end"]
        form = OutcomeFilterForm

    def __init__(self, data=None, *, user, today, default_period=opening_on_data, prefix=None):
        self.user = user
        # The cohort choices, read first: their dates are what the default period opens on.
        self.cohort_rows = list(
            limit_to_managed_partners(user, Cohort.objects.all())
            .order_by("-start_date", "name")
            .values_list("pk", "name", "term", "partner__name", "start_date", "end_date")
        )
        start, end = default_period(today, [(first, last) for *_label, first, last in self.cohort_rows])
        data = dict(data.items()) if data is not None else {}
        data.setdefault("start", start.isoformat())
        data.setdefault("end", end.isoformat())
        super().__init__(data, queryset=limit_to_managed_partners(user, Cohort.objects.all()), prefix=prefix)
        self._load_choices()

    def _load_choices(self):
        partners = list(managed_partners(self.user).values_list("pk", "name"))
        self.filters["partner"].extra["choices"] = [(str(pk), name) for pk, name in partners]
        if len(partners) <= 1:
            # Someone who sees one partner's figures has nothing to choose (and nothing else to reach).
            del self.filters["partner"]

        courses = list(
            CoursePage.objects.filter(locale=Locale.get_default())
            .order_by("title")
            .values_list("pk", "title", "translation_key")
        )
        self.course_keys = {str(pk): key for pk, _title, key in courses}
        self.filters["course"].extra["choices"] = [(str(pk), title) for pk, title, _key in courses]

        cohorts = [(pk, name, term, partner) for pk, name, term, partner, _first, _last in self.cohort_rows]
        show_partner = len(partners) > 1
        self.filters["cohort"].extra["choices"] = [
            (str(pk), _cohort_label(name, term, partner if show_partner else "")) for pk, name, term, partner in cohorts
        ]
        terms = sorted({term for _pk, _name, term, _partner in cohorts if term})
        self.filters["term"].extra["choices"] = [(term, term) for term in terms]

        languages = list(InstructionLanguage.objects.order_by("name").values_list("code", "name", "native_name"))
        self.filters["language"].extra["choices"] = [
            (code, f"{name} ({native})" if native and native != name else name) for code, name, native in languages
        ]

    # --- what the chosen values mean for cohorts ------------------------------------------------------------

    def filter_partner(self, queryset, name, value):
        return queryset.filter(partner_id=int(value))

    def filter_course(self, queryset, name, value):
        # A cohort may run any translation of the course page; all of them are the same course.
        return queryset.filter(course__translation_key=self.course_keys[value])

    def filter_cohort(self, queryset, name, value):
        return queryset.filter(pk=int(value))

    def filter_language(self, queryset, name, value):
        return queryset.filter(languages__code=value)

    def filter_start(self, queryset, name, value):
        return queryset.filter(end_date__gte=value)

    def filter_end(self, queryset, name, value):
        return queryset.filter(start_date__lte=value)

    # --- for outcomes.figures ------------------------------------------------------------------------------

    @property
    def values(self):
        """The valid chosen values (call after is_valid()): ids as ints, dates as dates, unset ones None."""
        cleaned = self.form.cleaned_data
        chosen = {name: cleaned.get(name) or None for name in self.Meta.fields}
        for name in ("partner", "cohort"):
            if chosen[name] is not None:
                chosen[name] = int(chosen[name])
        if chosen["course"] is not None:
            chosen["course"] = self.course_keys[chosen["course"]]  # the course's translation key
        return chosen

    def query_string(self):
        """The chosen filters as a query string, for links to exports and the report."""
        cleaned = self.form.cleaned_data if self.form.is_bound and hasattr(self.form, "cleaned_data") else {}
        pairs = []
        for name in self.Meta.fields:
            value = cleaned.get(name)
            if name in ("start", "end"):
                pairs.append((name, value.isoformat() if value else ""))
            elif value:
                pairs.append((name, value))
        return urlencode(pairs)


def _cohort_label(name, term, partner):
    label = f"{name} ({term})" if term else name
    return f"{label} · {partner}" if partner else label
