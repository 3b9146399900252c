"""Chart geometry for the dashboard's SVG charts, drawn by templates (outcomes/charts/*.html): no script, no
outside library, nothing to load from another host.

Each chart is one series with its values written on or beside the bars where they fit, a sentence that
says what it shows (the SVG's accessible description and the figure's caption) and the table of its numbers
(outcomes.tables) beside it: colour never carries information on its own. Coordinates are in a 360-wide
viewBox that the page scales to its width, so the charts read on a phone as on a desk.
"""

import math
from dataclasses import dataclass, field

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cohorts.attendance import percent

WIDTH = 360
HEIGHT = 220
LEFT, RIGHT, TOP, BOTTOM = 42, 8, 22, 36
MIN_LABEL_GAP = 58  # viewBox units between two x-axis labels
MIN_SLOT_FOR_VALUES = 22  # a bar this wide has room for its value above it


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    value_text: str
    title: str  # what a pointer shows: "Week of 5 Oct: 75% (12 of 16)"
    value_x: float = 0
    value_y: float = 0
    show_value: bool = False


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass
class BarChart:
    slug: str
    title: str
    sentence: str
    width: int = WIDTH
    height: int = HEIGHT
    bars: list = field(default_factory=list)
    y_ticks: list = field(default_factory=list)
    x_ticks: list = field(default_factory=list)
    baseline: float = HEIGHT - BOTTOM
    left: float = LEFT
    right: float = WIDTH - RIGHT
    empty: bool = False


@dataclass(frozen=True)
class FunnelStage:
    label: str
    value_text: str
    label_y: float
    bar_y: float
    width: float
    value_x: float
    value_inside: bool


@dataclass
class Funnel:
    slug: str
    title: str
    sentence: str
    stages: list
    width: int = WIDTH
    height: int = 0
    bar_height: int = 22


def _nice_ceiling(value):
    """The smallest of 1, 2, 2.5, 5 × 10^n at or above `value` (an axis that ends on a round number)."""
    if value <= 0:
        return 1
    exponent = math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        candidate = step * 10**exponent
        if candidate >= value:
            return int(candidate) if candidate >= 1 else candidate
    return 10 ** (exponent + 1)


def _number(value, decimals=0):
    return number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True)


def bar_chart(slug, title, sentence, points, *, percent=False):
    """`points`: (axis label, value or None, value text, pointer title), oldest first."""
    chart = BarChart(slug=slug, title=title, sentence=sentence)
    values = [value for _label, value, _text, _title in points if value is not None]
    chart.empty = not any(values)
    top = 100 if percent else _nice_ceiling(max(values, default=0))
    plot_height = chart.baseline - TOP
    plot_width = chart.right - chart.left
    # Percentages at every quarter; counts at whole numbers only (no "0.5 credentials").
    fractions = (0, 0.25, 0.5, 0.75, 1) if percent else ((0, 0.5, 1) if top % 2 == 0 else (0, 1))
    for fraction in fractions:
        tick_value = top * fraction
        label = (
            f"{_number(tick_value)}%" if percent else _number(tick_value, 0 if float(tick_value).is_integer() else 1)
        )
        chart.y_ticks.append(Tick(position=round(chart.baseline - plot_height * fraction, 1), label=label))
    if not points:
        return chart
    slot = plot_width / len(points)
    every = max(1, math.ceil(MIN_LABEL_GAP / slot))
    show_values = slot >= MIN_SLOT_FOR_VALUES
    for index, (label, value, value_text, pointer) in enumerate(points):
        x = chart.left + index * slot
        if index % every == 0:
            # Kept clear of the edges, so the first and last dates are not cut off.
            position = min(max(x + slot / 2, chart.left + 22), chart.right - 22)
            chart.x_ticks.append(Tick(position=round(position, 1), label=label))
        if value is None:
            continue
        height = plot_height * float(value) / float(top) if top else 0
        bar_width = slot * 0.7
        bar_x = x + slot * 0.15
        chart.bars.append(
            Bar(
                x=round(bar_x, 1),
                y=round(chart.baseline - height, 1),
                width=round(bar_width, 1),
                height=round(height, 1),
                value_text=value_text,
                title=pointer,
                value_x=round(bar_x + bar_width / 2, 1),
                value_y=round(chart.baseline - height - 4, 1),
                show_value=show_values,
            )
        )
    return chart


def funnel(slug, title, sentence, stages):
    """`stages`: (label, value), widest first; each bar's value is written beside it (or inside when long)."""
    chart = Funnel(slug=slug, title=title, sentence=sentence, stages=[])
    widest = max((value for _label, value in stages), default=0) or 1
    y = 4
    for label, value in stages:
        width = round((WIDTH - 64) * value / widest, 1)
        chart.stages.append(
            FunnelStage(
                label=label,
                value_text=_number(value),
                label_y=y + 14,
                bar_y=y + 20,
                width=max(width, 1),
                value_x=width + 6,
                value_inside=False,
            )
        )
        y += 20 + chart.bar_height + 12
    chart.height = y
    return chart


# --- the dashboard's charts ------------------------------------------------------------------------------


def _percent_text(rate):
    """Whole percent, rounded half up from the exact share (as the cohort page and the portal show a rate):
    formatting the one-decimal figure to no decimals would cut 66.7 down to 66."""
    whole = percent(rate.part, rate.whole)
    return f"{_number(whole, 0)}%" if whole is not None else "—"


def weekly_attendance(summary):
    weeks = [row for row in summary.weeks]
    points = []
    for row in weeks:
        rate = row.attendance.rate
        day = date_format(row.week, "j M")
        if row.attendance.sessions == 0 or rate.whole == 0:
            points.append((day, None, "", _("Week of %(day)s: no marks") % {"day": day}))
            continue
        points.append(
            (
                day,
                rate.percent,
                _percent_text(rate),
                _("Week of %(day)s: %(rate)s (%(part)s of %(whole)s marks)")
                % {"day": day, "rate": _percent_text(rate), "part": rate.part, "whole": rate.whole},
            )
        )
    counted = [row for row in weeks if row.attendance.rate.whole]
    if not counted:
        sentence = _("No attendance was recorded in this period.")
    else:
        high = max(counted, key=lambda row: row.attendance.rate.percent)
        low = min(counted, key=lambda row: row.attendance.rate.percent)
        sentence = ngettext(
            "Attendance by week over %(weeks)d week with marks: %(rate)s overall; highest %(high)s in the week of "
            "%(high_week)s, lowest %(low)s in the week of %(low_week)s.",
            "Attendance by week over %(weeks)d weeks with marks: %(rate)s overall; highest %(high)s in the week of "
            "%(high_week)s, lowest %(low)s in the week of %(low_week)s.",
            len(counted),
        ) % {
            "weeks": len(counted),
            "rate": _percent_text(summary.attendance.rate),
            "high": _percent_text(high.attendance.rate),
            "high_week": date_format(high.week, "j F Y"),
            "low": _percent_text(low.attendance.rate),
            "low_week": date_format(low.week, "j F Y"),
        }
    return bar_chart("weeks", _("Weekly attendance rate"), sentence, points, percent=True)


def enrollment_funnel(summary):
    e = summary.enrollments
    sentence = _(
        "Of %(signed)s enrollments (waitlist included), %(seat)s took a seat and %(completed)s completed; "
        "%(active)s are still attending and %(withdrawn)s withdrew."
    ) % {
        "signed": _number(e.signed_up),
        "seat": _number(e.served),
        "completed": _number(e.completed),
        "active": _number(e.active),
        "withdrawn": _number(e.withdrawn),
    }
    return funnel(
        "funnel",
        _("Enrollment funnel"),
        sentence,
        [
            (_("Signed up (waitlist included)"), e.signed_up),
            (_("Took a seat"), e.served),
            (_("Completed"), e.completed),
        ],
    )


def _monthly(summary, slug, title, attribute, sentence_forms):
    points = []
    for row in summary.months:
        value = getattr(row, attribute)
        month = date_format(row.month, "M")
        if row.month.month == 1 or row is summary.months[0]:
            month = date_format(row.month, "M Y")
        points.append((month, value, _number(value), f"{date_format(row.month, 'F Y')}: {_number(value)}"))
    total = sum(getattr(row, attribute) for row in summary.months)
    if not summary.months or not total:
        sentence = sentence_forms[0]
    else:
        best = max(summary.months, key=lambda row: getattr(row, attribute))
        sentence = sentence_forms[1] % {
            "total": _number(total),
            "first": date_format(summary.months[0].month, "F Y"),
            "last": date_format(summary.months[-1].month, "F Y"),
            "best": date_format(best.month, "F Y"),
            "most": _number(getattr(best, attribute)),
        }
    return bar_chart(slug, title, sentence, points)


def credentials_by_month(summary):
    return _monthly(
        summary,
        "credentials",
        _("Credentials issued per month"),
        "credentials",
        (
            _("No credentials were issued in this period."),
            _("%(total)s credentials issued from %(first)s to %(last)s; the most in %(best)s (%(most)s)."),
        ),
    )


def milestones_by_month(summary):
    return _monthly(
        summary,
        "milestones",
        _("Milestones reached per month"),
        "milestones",
        (
            _("No milestones were verified in this period."),
            _("%(total)s milestones reached from %(first)s to %(last)s; the most in %(best)s (%(most)s)."),
        ),
    )


def dashboard_charts(summary):
    charts = [weekly_attendance(summary), enrollment_funnel(summary)]
    if summary.credentials_issued is not None:
        charts.append(credentials_by_month(summary))
    charts.append(milestones_by_month(summary))
    return charts
