"""Dates as a reader of the page's language writes them."""

from django import template
from django.utils.formats import date_format, time_format
from django.utils.translation import pgettext

register = template.Library()


@register.filter(expects_localtime=True)
def day_and_date(value):
    """The weekday and the date ("Monday, Dec. 7, 2026"), in the order and with the comma of the language:
    "7 ديسمبر، 2026" after "الاثنين،", the weekday after the date in Chinese."""
    if not value:
        return ""
    return pgettext("weekday and date", "%(weekday)s, %(date)s") % {
        "weekday": date_format(value, "l"),
        "date": date_format(value, "DATE_FORMAT"),
    }


@register.filter
def weekly_hours(meeting):
    """One line of a cohort's weekly pattern as a reader of the page's language writes it: the weekday, then
    the hours ("Monday, 6 p.m.–8 p.m."), in the cohort's local wall-clock time."""
    return pgettext("weekday and class hours", "%(weekday)s, %(start)s–%(end)s") % {
        "weekday": meeting.get_weekday_display(),
        "start": time_format(meeting.start_time, "TIME_FORMAT"),
        "end": time_format(meeting.end_time, "TIME_FORMAT"),
    }
