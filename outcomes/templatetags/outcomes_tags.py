"""Formatting outcome tables and figures for reading (the downloads keep the raw numbers).

Tables are written in Python rather than with a template loop per cell: a statewide dashboard shows well over
a thousand cells, and a template node per cell was a third of the page's time. The number format (separators,
grouping) is looked up once per language, not once per number.
"""

from functools import lru_cache

from django import template
from django.utils import numberformat
from django.utils.formats import date_format, get_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from incentives.money import money as dollars

register = template.Library()


@lru_cache(maxsize=32)
def _separators(language):
    return (
        get_format("DECIMAL_SEPARATOR", language, use_l10n=True),
        get_format("NUMBER_GROUPING", language, use_l10n=True),
        get_format("THOUSAND_SEPARATOR", language, use_l10n=True),
    )


def number(value, decimals=0):
    decimal_separator, grouping, thousands = _separators(get_language())
    return numberformat.format(
        value,
        decimal_separator,
        decimal_pos=decimals,
        grouping=grouping,
        thousand_sep=thousands,
        force_grouping=True,
        use_l10n=True,
    )


def money(amount):
    """$1,200.00, or ‏1,200.00 US$ in Arabic: written in one place for every screen (incentives.money)."""
    return dollars(amount)


@register.filter
def cell(value):
    """A tables.Cell as text: 1,234 · 18.5 · $1,200.00 · 75.0% · 5 Oct 2026 · October 2026; "—" for a share of nothing."""
    if value.kind == "percent":
        return "—" if value.value is None else f"{number(value.value, 1)}%"
    if value.value is None:
        return ""
    if value.kind == "count":
        return number(value.value)
    if value.kind == "hours":
        return number(value.value, 1)
    if value.kind == "money":
        return money(value.value)
    if value.kind == "date":
        return date_format(value.value, "j M Y")
    if value.kind == "month":
        return date_format(value.value, "F Y")
    return value.value


@register.filter
def figure_number(value, kind="count"):
    """A headline figure: counts grouped without decimals, hours and percentages with one."""
    if value is None:
        return "—"
    return number(value, 0 if kind == "count" else 1)


@register.filter
def money_text(value):
    return money(value)


@register.simple_tag
def outcome_table(table, table_id="", caption="", hide_caption=False, frame=True):
    """A tables.Table as an HTML table with a caption; framed (the dashboard) in a region that scrolls sideways
    on a narrow screen rather than squeezing its columns, or bare (the funder report)."""
    table_id = table_id or table.slug
    headings = format_html_join(
        "",
        '<th scope="col"{}>{}</th>',
        (
            (mark_safe(' class="outcomes-num"') if index else "", heading)
            for index, heading in enumerate(table.headings)
        ),
    )
    if table.rows:
        body = mark_safe(
            "".join(
                "<tr>"
                + format_html('<th scope="row">{}</th>', cell(row[0]))
                + "".join(
                    format_html('<td class="outcomes-num">{}</td>', cell(value))
                    if value.is_number
                    else format_html("<td>{}</td>", cell(value))
                    for value in row[1:]
                )
                + "</tr>"
                for row in table.rows
            )
        )
    else:
        body = format_html('<tr><td colspan="{}">{}</td></tr>', len(table.headings), _("Nothing in this period."))
    caption_html = format_html(
        '<caption id="{}-caption"{}>{}</caption>',
        table_id,
        mark_safe(' class="w-sr-only"') if hide_caption else "",
        caption or table.title,
    )
    html = format_html(
        '<table class="{}">{}<thead><tr>{}</tr></thead><tbody>{}</tbody></table>',
        "listing" if frame else "outcomes-report__table",
        caption_html,
        headings,
        body,
    )
    if not frame:
        return html
    return format_html(
        '<div class="outcomes-table" role="region" aria-labelledby="{}-caption" tabindex="0">{}</div>', table_id, html
    )
