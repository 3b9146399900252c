"""One rule for every CSV and XLSX the project writes (core.spreadsheets): formula-like text comes out inert,
names in any script survive Excel (a byte-order mark), numbers stay numbers — Wagtail's own exports too."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from wagtail.log_actions import log

from core import spreadsheets
from people.services import assign_role
from tests.cohorts.learner_world import world  # noqa: F401
from tests.factories_cohorts import LearnerFactory

FORMULA_NAME = '=HYPERLINK("http://x","y")'


def rows_of(content):
    assert content.startswith(b"\xef\xbb\xbf")  # the byte-order mark Excel needs for non-Latin names
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


@pytest.mark.parametrize("text", ["=1+1", "+1 555 010", "-2", "@SUM(A1)", "\tTab", "\rReturn", FORMULA_NAME])
def test_text_starting_like_a_formula_is_prefixed_with_a_quote(text):
    assert spreadsheets.neutralize(text) == "'" + text
    assert spreadsheets.looks_like_formula(text)


@pytest.mark.parametrize("text", ["Ana-Maria", "O'Brien", "فاطمة", "李伟", "አበበ በቂላ", "2026-10"])
def test_ordinary_names_are_left_alone(text):
    assert spreadsheets.neutralize(text) == text
    assert not spreadsheets.looks_like_formula(text)


def test_a_csv_keeps_arabic_and_chinese_names_neutralizes_formulas_and_leaves_numbers_as_numbers():
    content = spreadsheets.csv_bytes(
        [["Name", "Amount"], ["فاطمة الزهراء أحمد", Decimal("200.00")], ["王秀英", -5], [FORMULA_NAME, None]]
    )

    assert rows_of(content) == [
        ["Name", "Amount"],
        ["فاطمة الزهراء أحمد", "200.00"],
        ["王秀英", "-5"],
        ["'" + FORMULA_NAME, ""],
    ]
    assert content.count(b"\r\n") == 4


def test_an_xlsx_text_cell_is_never_a_formula_and_keeps_its_script():
    workbook = spreadsheets.new_workbook()
    sheet = workbook.create_sheet(title=spreadsheets.sheet_title("Bonuses 2026/10: [all]"))
    sheet.append([spreadsheets.text_cell(sheet, FORMULA_NAME), spreadsheets.text_cell(sheet, "王秀英")])

    opened = openpyxl.load_workbook(io.BytesIO(spreadsheets.workbook_bytes(workbook)))
    sheet = opened.active
    assert sheet.title == "Bonuses 2026 10   all "
    assert [(cell.value, cell.data_type) for cell in sheet[1]] == [(FORMULA_NAME, "s"), ("王秀英", "s")]


# --- Wagtail's own exports, through the real admin URL -------------------------------------------------------


@pytest.mark.django_db
def test_the_audit_trail_csv_writes_a_formula_name_as_inert_text_and_keeps_arabic_names(client, world):  # noqa: F811
    """Issue 16 finding 5: a learner named =HYPERLINK(...) must not become a live link in the manager's
    spreadsheet. The audit trail is Wagtail's ReportView; its CSV comes from SpreadsheetExportMixin."""
    assign_role(user=world.manager, role=world.manager.role, partner=world.manager.partner)
    formula = LearnerFactory(partner=world.partner, full_name=FORMULA_NAME)
    arabic = LearnerFactory(partner=world.partner, full_name="فاطمة الزهراء أحمد")
    for learner in (formula, arabic):
        log(instance=learner, action="wagtail.edit", user=world.manager)
    client.force_login(world.manager)

    for learner in (formula, arabic):
        response = client.get("/admin/reports/audit-trail/", {"learner": str(learner.pk), "export": "csv"})
        assert response.status_code == 200
        rows = rows_of(b"".join(response.streaming_content))
        labels = [row[3] for row in rows[1:]]
        expected = "'" + FORMULA_NAME if learner == formula else "فاطمة الزهراء أحمد"
        assert labels == [expected]
    assert rows[0][0] == "Date/Time"


@pytest.mark.django_db
def test_the_audit_trail_xlsx_stores_a_formula_name_as_text(client, world):  # noqa: F811
    assign_role(user=world.manager, role=world.manager.role, partner=world.manager.partner)
    formula = LearnerFactory(partner=world.partner, full_name=FORMULA_NAME)
    log(instance=formula, action="wagtail.edit", user=world.manager)
    client.force_login(world.manager)

    response = client.get("/admin/reports/audit-trail/", {"learner": str(formula.pk), "export": "xlsx"})

    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    label = sheet.cell(row=2, column=4)
    assert (label.value, label.data_type) == (FORMULA_NAME, "s")
