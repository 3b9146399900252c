"""Filters for the cohort admin listings. Every choice a filter offers is scoped through people.access,
so a partner's staff never see another partner's cohorts or terms, even as an option in a drop-down."""

import django_filters
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet

from courses.selectors import courses_in_default_language
from people.access import limit_to_managed_partners, managed_partners

from .models import Cohort, Enrollment, Holiday, Session


def _partners(request):
    return managed_partners(request.user) if request else managed_partners(None)


def _cohorts(request):
    user = request.user if request else None
    return limit_to_managed_partners(user, Cohort.objects.select_related("partner")).order_by("-start_date", "name")


class ScopedFilterSet(WagtailFilterSet):
    """Drops the partner filter for someone who manages a single partner: it could only offer their own."""

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        if "partner" in self.filters and request is not None and managed_partners(request.user).count() <= 1:
            del self.filters["partner"]


class CohortFilterSet(ScopedFilterSet):
    partner = django_filters.ModelChoiceFilter(
        queryset=_partners, label=_("Partner organization"), empty_label=_("Any partner")
    )
    course = django_filters.ModelChoiceFilter(
        queryset=lambda request: courses_in_default_language(),
        label=_("Course"),
        empty_label=_("Any course"),
        method="filter_course",
    )
    status = django_filters.ChoiceFilter(choices=Cohort.Status.choices, label=_("Status"), empty_label=_("Any status"))
    term = django_filters.ChoiceFilter(label=_("Term"), empty_label=_("Any term"))

    class Meta:
        model = Cohort
        fields = ["partner", "course", "status", "term"]

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        terms = _cohorts(request).exclude(term="").order_by("term").values_list("term", flat=True).distinct()
        self.filters["term"].extra["choices"] = [(term, term) for term in terms]

    def filter_course(self, queryset, name, course):
        """A cohort may run a translation of the course page; all of them are the same course."""
        return queryset.filter(course__translation_key=course.translation_key)


class SessionFilterSet(ScopedFilterSet):
    cohort = django_filters.ModelChoiceFilter(queryset=_cohorts, label=_("Cohort"), empty_label=_("Any cohort"))
    date = django_filters.DateFromToRangeFilter(label=_("Date"), widget=DateRangePickerWidget)
    status = django_filters.ChoiceFilter(
        choices=Session.Status.choices, label=_("Status"), empty_label=_("Scheduled or cancelled")
    )

    class Meta:
        model = Session
        fields = ["cohort", "date", "status"]


class EnrollmentFilterSet(ScopedFilterSet):
    cohort = django_filters.ModelChoiceFilter(queryset=_cohorts, label=_("Cohort"), empty_label=_("Any cohort"))
    status = django_filters.ChoiceFilter(
        choices=Enrollment.Status.choices, label=_("Status"), empty_label=_("Any status")
    )
    partner = django_filters.ModelChoiceFilter(
        field_name="cohort__partner", queryset=_partners, label=_("Partner organization"), empty_label=_("Any partner")
    )

    class Meta:
        model = Enrollment
        fields = ["cohort", "status", "partner"]


class HolidayFilterSet(ScopedFilterSet):
    partner = django_filters.ModelChoiceFilter(
        queryset=_partners, label=_("Partner organization"), empty_label=_("Any partner"), method="filter_partner"
    )
    date = django_filters.DateFromToRangeFilter(label=_("Date"), widget=DateRangePickerWidget)

    class Meta:
        model = Holiday
        fields = ["partner", "date"]

    def filter_partner(self, queryset, name, partner):
        """A partner's days off include the holidays every partner observes."""
        return queryset.filter(partner=partner) | queryset.filter(partner__isnull=True)
