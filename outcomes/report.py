"""The funder report: its usual periods, and its PDF.

As for certificates (credentials.pdf), the HTML is rendered alone first (previewable as the printable page)
and only then turned into PDF bytes; WeasyPrint gets core.pdf's fetcher (data: URIs only: no file://, no other
hosts) and the stylesheet as a string read from our static files.
"""

import datetime

from django.contrib.staticfiles import finders
from django.utils.translation import gettext as _
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from core.pdf import SafeURLFetcher

STYLESHEET = "outcomes/report.css"


def usual_periods(today):
    """The periods grant reports usually cover, newest first: (label, (first day, last day))."""
    year = today.year
    july = datetime.date(year if today.month >= 7 else year - 1, 7, 1)  # this state fiscal year began
    october = datetime.date(year if today.month >= 10 else year - 1, 10, 1)  # this federal fiscal year began
    return [
        (_("Last calendar year"), (datetime.date(year - 1, 1, 1), datetime.date(year - 1, 12, 31))),
        (_("This year so far"), (datetime.date(year, 1, 1), today)),
        (
            _("Last fiscal year (July to June)"),
            (july.replace(year=july.year - 1), july - datetime.timedelta(days=1)),
        ),
        (
            _("Last federal fiscal year (October to September)"),
            (october.replace(year=october.year - 1), october - datetime.timedelta(days=1)),
        ),
    ]


def _stylesheet(font_config, fetcher):
    path = finders.find(STYLESHEET)
    with open(path, encoding="utf-8") as source:
        return CSS(string=source.read(), font_config=font_config, url_fetcher=fetcher)


def report_pdf(html):
    """PDF bytes of the report's HTML (outcomes/report/document.html rendered with pdf=True)."""
    font_config = FontConfiguration()
    fetcher = SafeURLFetcher()
    document = HTML(string=html, url_fetcher=fetcher)
    return document.write_pdf(stylesheets=[_stylesheet(font_config, fetcher)], font_config=font_config)
