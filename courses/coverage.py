"""What a bonus rule or a credential pathway covers: the courses on some tracks, and some courses chosen by hand."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
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

    def covers_q(self, course_path):
        """covers() as a filter on the course at `course_path` ("cohort__course" for enrollments): the same
        tracks, and the chosen courses in any of their translations. `courses` should be prefetched."""
        condition = Q(**{f"{course_path}__track__in": self.tracks or []})
        translation_keys = [chosen.translation_key for chosen in self.courses.all()]
        if translation_keys:
            condition |= Q(**{f"{course_path}__translation_key__in": translation_keys})
        return condition

    def tracks_display(self):
        labels = dict(Track.choices)
        return ", ".join(str(labels.get(track, track)) for track in self.tracks or [])
