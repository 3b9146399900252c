"""Bidirectional text: data (names, times, links) dropped into a translated sentence keeps its own order."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, get_language_info

from cms import chrome
from core.translated_names import TranslatedName

register = template.Library()


@register.filter
def isolate(value):
    """The value in its own <bdi>, for a {% blocktranslate %} argument: a Latin name or "6:00 p.m." inside an
    Arabic sentence (or Arabic inside English) would otherwise reorder the words around it. A filter rather than
    <bdi> in the message itself, so translations already made keep their message ids.

    A name that was not translated into the page's language (core.translated_names: `cohort.name_in`) is
    marked with the language it is written in, so screen readers and fonts treat it as what it is."""
    if isinstance(value, TranslatedName) and value.is_fallback:
        return format_html('<bdi lang="{}">{}</bdi>', value.language, value)
    return format_html("<bdi>{}</bdi>", value)


@register.filter
def in_its_language(value):
    """A name (core.translated_names) for a message that isolates it in its own <bdi>: marked with the language
    it is written in when that is not the page's, else as it is."""
    if isinstance(value, TranslatedName) and value.is_fallback:
        return format_html('<span lang="{}">{}</span>', value.language, value)
    return value


@register.filter
def content_language(page):
    """The attributes for a page's own text: `lang` and `dir` of the language it is written in when that is
    not the language being read, else `dir="auto"`.

    An Arabic alias of an English page (a page not yet translated) holds the English text: inside
    <html lang="ar" dir="rtl"> it would be read as Arabic and laid out right to left (its full stop jumping
    to the start). Marked as English, screen readers read it as English and the browser lays it out
    left to right.
    """
    code = chrome.written_in(page) or get_language()
    if code == get_language():
        return mark_safe('dir="auto"')
    direction = "rtl" if get_language_info(code)["bidi"] else "ltr"
    return format_html('lang="{}" dir="{}"', code, direction)
