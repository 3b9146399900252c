"""Outcome tables as downloads: CSV (UTF-8 with a byte-order mark, CRLF, formula-like text neutralized — the
payment files' conventions, reusing incentives.exports) and XLSX (numbers stay numbers: counts, hours,
dollars in a currency format, percentages as percentages, dates as dates).

The first rows say what was counted: the period and the filters, so a file read next year still says what
it is. Wagtail's SpreadsheetExportMixin is not used for the reasons given in incentives.exports (no BOM,
formula text left as it is), and because these tables are not model listings.
"""

import csv
import io
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from incentives.exports import CSV_CONTENT_TYPE, CURRENCY_FORMAT, XLSX_CONTENT_TYPE, neutralize

__all__ = ["CSV_CONTENT_TYPE", "XLSX_CONTENT_TYPE", "as_csv", "as_xlsx", "filename"]

PERCENT_FORMAT = "0.0%"
HOURS_FORMAT = "#,##0.00"
COUNT_FORMAT = "#,##0"
DATE_FORMAT = "yyyy-mm-dd"
MONTH_FORMAT = "yyyy-mm"


def _csv_value(cell):
    if cell.value is None:
        return ""
    if cell.kind == "money":
        return f"{cell.value:.2f}"
    if cell.kind in ("hours", "percent"):
        return f"{cell.value}"
    if cell.kind == "date":
        return cell.value.isoformat()
    if cell.kind == "month":
        return cell.value.strftime("%Y-%m")
    if cell.kind == "count":
        return str(cell.value)
    return neutralize(str(cell.value))


def as_csv(table, *, about):
    """One table; `about` is a list of (label, value) lines written above it (period, filters)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    for label, value in about:
        writer.writerow([neutralize(str(label)), neutralize(str(value))])
    writer.writerow([])
    writer.writerow([neutralize(str(heading)) for heading in table.headings])
    for row in table.rows:
        writer.writerow([_csv_value(cell) for cell in row])
    return buffer.getvalue().encode("utf-8-sig")


def as_xlsx(tables, *, about):
    """Each table on its own sheet, in order, the period and filters above it."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)

    for table in tables:
        sheet = workbook.create_sheet(title=_sheet_title(str(table.title)))

        def text(value, *, font=None, sheet=sheet):
            # openpyxl would store text starting with "=" as a formula; force it to be a string.
            cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", str(value)))
            cell.data_type = "s"
            if font:
                cell.font = font
            return cell

        def number(value, number_format, sheet=sheet):
            cell = WriteOnlyCell(sheet, value=value)
            cell.number_format = number_format
            return cell

        def cell_of(cell):
            if cell.value is None:
                return None
            if cell.kind == "count":
                return number(cell.value, COUNT_FORMAT)
            if cell.kind == "hours":
                return number(cell.value, HOURS_FORMAT)
            if cell.kind == "money":
                return number(cell.value, CURRENCY_FORMAT)
            if cell.kind == "percent":
                return number(cell.value / Decimal(100), PERCENT_FORMAT)
            if cell.kind == "date":
                return number(cell.value, DATE_FORMAT)
            if cell.kind == "month":
                return number(cell.value, MONTH_FORMAT)
            return text(cell.value)

        for column in range(len(table.headings)):
            sheet.column_dimensions[_column_letter(column)].width = 30 if column == 0 else 16
        sheet.append([text(table.title, font=bold)])
        for label, value in about:
            sheet.append([text(label), text(value)])
        sheet.append([])
        sheet.append([text(heading, font=bold) for heading in table.headings])
        for row in table.rows:
            sheet.append([cell_of(cell) for cell in row])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _column_letter(index):
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def _sheet_title(title):
    for character in "[]:*?/\\":
        title = title.replace(character, " ")
    return title[:31]


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
