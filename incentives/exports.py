"""Payment files: one month's approved bonuses, or approved savings matches, as CSV and XLSX.

Columns: learner id, full name (exactly as the learner writes it, any script), partner, month (YYYY-MM),
amount, rule. Written through core.spreadsheets (a byte-order mark so Excel reads any script, formula-like
text made inert); the XLSX keeps amounts as numbers in a currency format, so the payment office can total
them. Wagtail's own spreadsheet export is not used: it exports a listing's columns and filters rather than
this fixed layout.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from core import spreadsheets
from core.spreadsheets import CSV_CONTENT_TYPE, CURRENCY_FORMAT, XLSX_CONTENT_TYPE, number_cell, text_cell

from .months import month_key

__all__ = ["CSV_CONTENT_TYPE", "XLSX_CONTENT_TYPE", "as_csv", "as_xlsx", "filename"]
CENTS = Decimal("0.01")


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


def as_csv(lines):
    rows = [headings()]
    rows += [
        [line.learner_id, line.full_name, line.partner, line.month, line.amount.quantize(CENTS), line.rule]
        for line in lines
    ]
    return spreadsheets.csv_bytes(rows)


def as_xlsx(lines, *, sheet_title):
    workbook = spreadsheets.new_workbook()
    sheet = workbook.create_sheet(title=spreadsheets.sheet_title(sheet_title))
    sheet.freeze_panes = "A2"
    for column, width in zip("ABCDEF", (12, 36, 32, 10, 12, 28), strict=True):
        sheet.column_dimensions[column].width = width
    heading_font = spreadsheets.bold()
    sheet.append([text_cell(sheet, heading, font=heading_font) for heading in headings()])
    for line in lines:
        sheet.append(
            [
                line.learner_id,
                text_cell(sheet, line.full_name),
                text_cell(sheet, line.partner),
                text_cell(sheet, line.month),
                number_cell(sheet, line.amount, CURRENCY_FORMAT),
                text_cell(sheet, line.rule),
            ]
        )
    return spreadsheets.workbook_bytes(workbook)


def filename(kind, month, extension):
    """approved-bonuses-2026-10.csv, approved-savings-matches-2026-10.xlsx."""
    return f"approved-{kind}-{month_key(month)}.{extension}"
