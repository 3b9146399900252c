"""The public course finder's filters."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import CoursePage, Format, InstructionLanguage, Level, Track


class CourseFilter(django_filters.FilterSet):
    track = django_filters.ChoiceFilter(choices=Track.choices, label=_("Track"), empty_label=_("Any track"))
    level = django_filters.ChoiceFilter(
        choices=Level.choices, label=_("Level"), empty_label=_("Any level"), method="filter_level"
    )
    language = django_filters.ModelChoiceFilter(
        field_name="languages",
        queryset=InstructionLanguage.objects.all(),
        label=_("Language of instruction"),
        empty_label=_("Any language"),
    )
    format = django_filters.ChoiceFilter(
        choices=Format.choices, label=_("Format"), empty_label=_("In person or online"), widget=forms.Select
    )

    class Meta:
        model = CoursePage
        fields = ["track", "level", "language", "format"]

    def filter_level(self, queryset, name, value):
        """A course open to all levels suits a learner at any level."""
        return queryset.filter(Q(level=value) | Q(level=Level.ALL))
