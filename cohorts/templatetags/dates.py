"""Dates as a reader of the page's language writes them."""

from django import template
from django.utils.formats import date_format
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
