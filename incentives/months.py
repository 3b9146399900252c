"""Calendar months as the program names them: "2026-10" in URLs, files and commands, "October 2026" on screen,
and the one-line summary of a computed month that the admin and the management command both print."""

import datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import services


def parse_month(value):
    """The first day of the month written as YYYY-MM, or None when it is not one."""
    try:
        year, month = (value or "").strip().split("-")
        if len(year) != 4 or len(month) != 2:
            return None
        return datetime.date(int(year), int(month), 1)
    except ValueError:
        return None


def month_key(month):
    return f"{month:%Y-%m}"


def month_label(month):
    """ "October 2026" in the active language."""
    return date_format(month, "F Y")


def ended_months(count=24, *, today=None):
    """The `count` most recent months that have ended, newest first: the months whose bonuses may be decided."""
    month = services.previous_month(today)
    months = []
    for _number in range(count):
        months.append(month)
        month = services.previous_month(month)
    return months


def recent_months(count=13, *, today=None):
    """This month and the `count - 1` before it, newest first: months a deposit may be reported for."""
    this_month = (today or timezone.localdate()).replace(day=1)
    return [this_month, *ended_months(count - 1, today=this_month)]


def compute_summary(month, result):
    """ "Computed October 2026: 3 new, 1 updated, 4 unchanged, 1 needs adjustment." """
    return _("Computed %(month)s: %(new)s, %(updated)s, %(unchanged)s, %(flagged)s.") % {
        "month": month_label(month),
        "new": ngettext("%(count)d new", "%(count)d new", result.created) % {"count": result.created},
        "updated": ngettext("%(count)d updated", "%(count)d updated", result.updated) % {"count": result.updated},
        "unchanged": ngettext("%(count)d unchanged", "%(count)d unchanged", result.unchanged)
        % {"count": result.unchanged},
        "flagged": ngettext("%(count)d needs adjustment", "%(count)d need adjustment", result.flagged)
        % {"count": result.flagged},
    }
