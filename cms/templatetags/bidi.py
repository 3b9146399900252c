"""Bidirectional text: data (names, times, links) dropped into a translated sentence keeps its own order."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, get_language_info

register = template.Library()


@register.filter
def isolate(value):
    """The value in its own <bdi>, for a {% blocktranslate %} argument: a Latin name or "6:00 p.m." inside an
    Arabic sentence (or Arabic inside English) would otherwise reorder the words around it. A filter rather than
    <bdi> in the message itself, so translations already made keep their message ids."""
    return format_html("<bdi>{}</bdi>", value)


@register.filter
def content_language(page):
    """The attributes for a page's own text: `lang` and `dir` of the language it is written in when that is
    not the language being read, else `dir="auto"`.

    An Arabic alias of an English page (a page not yet translated) holds the English text: inside
    <html lang="ar" dir="rtl"> it would be read as Arabic and laid out right to left (its full stop jumping
    to the start). Marked as English, screen readers read it as English and the browser lays it out
    left to right.
    """
    source = page.alias_of if getattr(page, "alias_of_id", None) else page
    code = source.locale.language_code if source is not None else get_language()
    if code == get_language():
        return mark_safe('dir="auto"')
    direction = "rtl" if get_language_info(code)["bidi"] else "ltr"
    return format_html('lang="{}" dir="{}"', code, direction)
