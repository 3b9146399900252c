"""Reads about courses that the admin forms of courses, cohorts, bonus rules and credential pathways share."""

from wagtail.models import Locale

from .models import CoursePage


def courses_in_default_language():
    """Courses as the admin names them: the default-language page of each (cohorts may point at any translation)."""
    return CoursePage.objects.filter(locale=Locale.get_default()).order_by("title")
