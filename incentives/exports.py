"""Payment files: one month's approved bonuses, or approved savings matches, as CSV and XLSX.

Columns: learner id, full name (exactly as the learner writes it, any script), partner, month (YYYY-MM),
amount, rule. The CSV is UTF-8 with a byte-order mark and CRLF line ends, which is what Excel needs to read
Arabic, Chinese or Amharic names correctly; text that a spreadsheet would run as a formula (starting with
= + - @, a tab or a carriage return) is prefixed with a single quote. The XLSX keeps amounts as numbers in
a currency format, so the payment office can total them.

Wagtail's own spreadsheet export (SpreadsheetExportMixin, behind ReportView and list_export) is not used:
its CSV has no byte-order mark (Excel on Windows shows non-Latin names as mojibake), leaves formula-like
text in CSV cells as it is, and exports a listing's columns and filters rather than this fixed layout.
"""

import csv
import io
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from .months import month_key

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CURRENCY_FORMAT = '"$"#,##0.00'
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class PaymentLine:
    learner_id: int
    full_name: str
    partner: str
    month: str  # YYYY-MM
    amount: Decimal
    rule: str


def bonus_lines(bonuses):
    return [
        PaymentLine(
            bonus.learner_id,
            bonus.learner.full_name,
            bonus.partner.name,
            month_key(bonus.month),
            bonus.amount,
            bonus.rule.name,
        )
        for bonus in bonuses
    ]


def savings_match_lines(deposits):
    return [
        PaymentLine(
            deposit.learner_id,
            deposit.learner.full_name,
            deposit.partner.name,
            month_key(deposit.month),
            deposit.match,
            deposit.rule.name,
        )
        for deposit in deposits
    ]


def headings():
    return [_("Learner ID"), _("Full name"), _("Partner organization"), _("Month"), _("Amount"), _("Rule")]


def neutralize(text):
    """Text a spreadsheet would run as a formula is shown as text instead (OWASP's CSV injection advice)."""
    return f"'{text}" if text.startswith(FORMULA_TRIGGERS) else text


def as_csv(lines):
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headings())
    for line in lines:
        writer.writerow(
            [
                line.learner_id,
                neutralize(line.full_name),
                neutralize(line.partner),
                line.month,
                f"{line.amount:.2f}",
                neutralize(line.rule),
            ]
        )
    return buffer.getvalue().encode("utf-8-sig")


def as_xlsx(lines, *, sheet_title):
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_sheet_title(sheet_title))
    sheet.freeze_panes = "A2"
    for column, width in zip("ABCDEF", (12, 36, 32, 10, 12, 28), strict=True):
        sheet.column_dimensions[column].width = width

    def text(value):
        # openpyxl would store text starting with "=" as a formula; force it to be a string.
        cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
        cell.data_type = "s"
        return cell

    bold = Font(bold=True)
    header = []
    for heading in headings():
        cell = text(heading)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for line in lines:
        amount = WriteOnlyCell(sheet, value=line.amount)
        amount.number_format = CURRENCY_FORMAT
        sheet.append(
            [line.learner_id, text(line.full_name), text(line.partner), text(line.month), amount, text(line.rule)]
        )
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _sheet_title(title):
    for character in "[]:*?/\\":
        title = title.replace(character, " ")
    return title[:31]


def filename(kind, month, extension):
    """approved-bonuses-2026-10.csv, approved-savings-matches-2026-10.xlsx."""
    return f"approved-{kind}-{month_key(month)}.{extension}"
