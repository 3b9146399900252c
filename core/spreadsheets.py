"""Every CSV and XLSX file the project writes, with one rule for text a spreadsheet would run as a formula.

The rule (OWASP's CSV injection advice): text starting with = + - @, a tab or a carriage return is a formula
to a spreadsheet. In a CSV such text is prefixed with a single quote, so it shows as the text it is; in an
XLSX every text cell is stored as text, which a spreadsheet never runs. Numbers (int, Decimal) are written
as numbers and never prefixed: -5.00 is an amount, not a formula. Roster imports refuse cells that start like
a formula with the same `looks_like_formula`, so a file exported later cannot run anything.

CSVs are UTF-8 with a byte-order mark and CRLF line ends: without the mark, Excel on Windows reads Arabic,
Chinese or Amharic names as mojibake.

Wagtail's own exports (SpreadsheetExportMixin: the audit trail, site history, every report, form submissions)
are made to follow the same rule by `neutralize_wagtail_exports`, called once from core.apps.
"""

import csv
import io
from decimal import Decimal

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CURRENCY_FORMAT = '"$"#,##0.00'
BYTE_ORDER_MARK = "\ufeff"
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
NUMBERS = (int, float, Decimal)


def looks_like_formula(text):
    return text.startswith(FORMULA_TRIGGERS)


def neutralize(text):
    """Text a spreadsheet would run as a formula is shown as text instead."""
    return f"'{text}" if looks_like_formula(text) else text


def csv_cell(value):
    """What a CSV cell holds: nothing for None, a number as it is, anything else as neutralized text."""
    if value is None:
        return ""
    if isinstance(value, NUMBERS) and not isinstance(value, bool):
        return value
    return neutralize(str(value))


def csv_bytes(rows):
    """The rows (lists of values, see `csv_cell`) as a CSV file's bytes."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
    return (BYTE_ORDER_MARK + buffer.getvalue()).encode("utf-8")


# --- XLSX --------------------------------------------------------------------------------------------------


def new_workbook():
    from openpyxl import Workbook  # only downloads pay for loading it

    return Workbook(write_only=True)


def workbook_bytes(workbook):
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def text_cell(sheet, value, *, font=None):
    """A cell that holds text, always as text: openpyxl would store text starting with "=" as a formula."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", str(value)))
    cell.data_type = "s"
    if font is not None:
        cell.font = font
    return cell


def number_cell(sheet, value, number_format):
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = number_format
    return cell


def bold():
    from openpyxl.styles import Font

    return Font(bold=True)


def sheet_title(title):
    """A sheet's name as Excel allows it: none of []:*?/\\ and at most 31 characters."""
    for character in "[]:*?/\\":
        title = title.replace(character, " ")
    return title[:31]


# --- Wagtail's exports ---------------------------------------------------------------------------------------


def neutralize_wagtail_exports():
    """Make Wagtail's SpreadsheetExportMixin write its CSVs by the rule above: a byte-order mark first, headings
    and text neutralized. Its XLSX already stores formula-like text as text. Wagtail offers no setting for
    this, and its reports (audit trail, site history) are not ours to subclass, so the mixin itself is
    given these two methods; tests/core/test_spreadsheets.py downloads the audit trail to hold it to that."""
    from wagtail.admin.views.mixins import Echo, SpreadsheetExportMixin

    if getattr(SpreadsheetExportMixin, "neutralized", False):
        return

    def write_csv_row(self, writer, row_dict):
        return writer.writerow(
            {
                field: csv_cell(self.preprocess_field_value(field, value, self.FORMAT_CSV))
                for field, value in row_dict.items()
            }
        )

    def stream_csv(self, queryset):
        writer = csv.DictWriter(Echo(), fieldnames=self.list_export)
        headings = {field: neutralize(self.get_heading(queryset, field)) for field in self.list_export}
        yield BYTE_ORDER_MARK.encode("utf-8") + writer.writerow(headings)  # Echo gives UTF-8 bytes
        for item in queryset:
            yield self.write_csv_row(writer, self.to_row_dict(item))

    SpreadsheetExportMixin.write_csv_row = write_csv_row
    SpreadsheetExportMixin.stream_csv = stream_csv
    SpreadsheetExportMixin.neutralized = True
