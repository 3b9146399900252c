"""Outcome tables as downloads, written through core.spreadsheets: CSV (byte-order mark, CRLF, formula-like
text neutralized) and XLSX (numbers stay numbers: counts, hours, dollars in a currency format, percentages as
percentages, dates as dates).

The first rows say what was counted: the period and the filters, so a file read next year still says what
it is. Wagtail's SpreadsheetExportMixin is not used because these tables are not model listings.
"""

from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from core import spreadsheets
from core.spreadsheets import CSV_CONTENT_TYPE, CURRENCY_FORMAT, XLSX_CONTENT_TYPE, number_cell, text_cell

__all__ = ["CSV_CONTENT_TYPE", "XLSX_CONTENT_TYPE", "as_csv", "as_xlsx", "filename"]

CENTS = Decimal("0.01")
PERCENT_FORMAT = "0.0%"
HOURS_FORMAT = "#,##0.00"
COUNT_FORMAT = "#,##0"
DATE_FORMAT = "yyyy-mm-dd"
MONTH_FORMAT = "yyyy-mm"
NUMBER_FORMATS = {
    "count": COUNT_FORMAT,
    "hours": HOURS_FORMAT,
    "money": CURRENCY_FORMAT,
    "date": DATE_FORMAT,
    "month": MONTH_FORMAT,
}


def _csv_value(cell):
    """Numbers as numbers, dates and months as ISO text; anything else is text (core.spreadsheets.csv_cell)."""
    if cell.value is None:
        return None
    if cell.kind == "money":
        return Decimal(cell.value).quantize(CENTS)
    if cell.kind == "date":
        return cell.value.isoformat()
    if cell.kind == "month":
        return cell.value.strftime("%Y-%m")
    return cell.value


def as_csv(table, *, about):
    """One table; `about` is a list of (label, value) lines written above it (period, filters)."""
    rows = [[label, value] for label, value in about]
    rows.append([])
    rows.append(table.headings)
    rows += [[_csv_value(cell) for cell in row] for row in table.rows]
    return spreadsheets.csv_bytes(rows)


def as_xlsx(tables, *, about):
    """Each table on its own sheet, in order, the period and filters above it."""
    from openpyxl.utils import get_column_letter

    workbook = spreadsheets.new_workbook()
    bold = spreadsheets.bold()

    for table in tables:
        sheet = workbook.create_sheet(title=spreadsheets.sheet_title(str(table.title)))

        def cell_of(cell, sheet=sheet):
            if cell.value is None:
                return None
            if cell.kind == "percent":
                return number_cell(sheet, cell.value / Decimal(100), PERCENT_FORMAT)
            if cell.kind in NUMBER_FORMATS:
                return number_cell(sheet, cell.value, NUMBER_FORMATS[cell.kind])
            return text_cell(sheet, cell.value)

        for column in range(len(table.headings)):
            sheet.column_dimensions[get_column_letter(column + 1)].width = 30 if column == 0 else 16
        sheet.append([text_cell(sheet, table.title, font=bold)])
        for label, value in about:
            sheet.append([text_cell(sheet, label), text_cell(sheet, value)])
        sheet.append([])
        sheet.append([text_cell(sheet, heading, font=bold) for heading in table.headings])
        for row in table.rows:
            sheet.append([cell_of(cell) for cell in row])
    return spreadsheets.workbook_bytes(workbook)


def about_lines(summary, labels):
    """The lines above a table: the period and each filter chosen (`labels`: filter name -> shown value)."""
    start, end = summary.period_start, summary.period_end
    lines = [
        (_("Period"), f"{start.isoformat() if start else '…'} – {end.isoformat() if end else '…'}"),
        (_("Produced"), timezone.localdate().isoformat()),
    ]
    lines += [(label, value) for label, value in labels]
    return lines


def filename(slug, summary, extension):
    """outcomes-cohorts-2025-12-01-to-2026-11-16.csv"""
    start = summary.period_start.isoformat() if summary.period_start else "start"
    end = summary.period_end.isoformat() if summary.period_end else "now"
    return f"outcomes-{slug}-{start}-to-{end}.{extension}"
