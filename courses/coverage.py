"""What a bonus rule or a credential pathway covers: the courses on some tracks, and some courses chosen by hand."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .models import Track


class CoversCourses(models.Model):
    """A model that covers the courses on its `tracks` (a JSON list of Track values) and its `courses` (a
    many-to-many to CoursePage). Each model declares the two fields itself, in its own words; the rules
    about them are here."""

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        unknown = set(self.tracks or []) - set(Track.values)
        if unknown:
            raise ValidationError({"tracks": _("Unknown track: %(tracks)s") % {"tracks": ", ".join(sorted(unknown))}})

    def covers(self, course):
        """Whether `course` is on one of the tracks or is one of the courses, in any of its translations (a
        cohort may point at a translation). `courses` should be prefetched."""
        if course.track in (self.tracks or []):
            return True
        return any(chosen.translation_key == course.translation_key for chosen in self.courses.all())

    def tracks_display(self):
        labels = dict(Track.choices)
        return ", ".join(str(labels.get(track, track)) for track in self.tracks or [])
