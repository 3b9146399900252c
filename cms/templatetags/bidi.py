"""Bidirectional text: data (names, times, links) dropped into a translated sentence keeps its own order."""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.filter
def isolate(value):
    """The value in its own <bdi>, for a {% blocktranslate %} argument: a Latin name or "6:00 p.m." inside an
    Arabic sentence (or Arabic inside English) would otherwise reorder the words around it. A filter rather than
    <bdi> in the message itself, so translations already made keep their message ids."""
    return format_html("<bdi>{}</bdi>", value)
