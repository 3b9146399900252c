"""Template tags that show cohorts inside pages of apps cohorts depends on (the course page)."""

from django import template
from django.utils import timezone

from ..selectors import upcoming_cohorts as select_upcoming_cohorts

register = template.Library()


@register.inclusion_tag("cohorts/public/upcoming_cohorts.html", takes_context=True)
def upcoming_cohorts(context, course):
    """Cohorts of `course` still taking names, with seats left or the waitlist length."""
    cohorts = list(select_upcoming_cohorts(course=course, today=timezone.localdate()))
    for cohort in cohorts:
        cohort.seats_left = max(cohort.capacity - cohort.seats_taken, 0)
    return {"cohorts": cohorts, "request": context.get("request")}
