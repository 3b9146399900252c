"""The admin form of what a bonus rule or a credential pathway covers (courses.coverage.CoversCourses)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from .models import Track
from .selectors import courses_in_default_language


class CoversCoursesForm(WagtailAdminModelForm):
    """Tracks as checkboxes; courses chosen among the default language's pages (each covers its translations
    too); and at least one of the two. Subclasses name the tracks in their own words and say who would be
    left out (`tracks_label`, `tracks_help`, `covers_nothing`)."""

    tracks_label = _("Tracks")
    tracks_help = ""
    covers_nothing = None  # each subclass says whom choosing nothing would leave out

    tracks = forms.MultipleChoiceField(choices=Track.choices, widget=forms.CheckboxSelectMultiple, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "tracks" in self.fields:
            self.fields["tracks"].label = self.tracks_label
            self.fields["tracks"].help_text = self.tracks_help
        if "courses" in self.fields:
            self.fields["courses"].queryset = courses_in_default_language()

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("tracks") and not cleaned.get("courses"):
            self.add_error("tracks", self.covers_nothing)
        return cleaned
