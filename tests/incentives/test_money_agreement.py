"""One answer to "how much is approved and awaiting payment": the payment file, the ledger's totals and the
outcome figures agree, also after an approved bonus is flagged for an adjustment review.

Worked by hand: four learners came to all eight October classes and earned $200 each; a manager approved
all four ($800). Then an instructor marked one of them absent at one class, which sends that approved bonus
to "needs adjustment". The payment file now pays three: $600. The ledger says three approved, $600, and one
needing adjustment, $200. The outcome figures must say $600 awaiting payment too, with the $200 held apart.
"""

import re
from decimal import Decimal

import pytest

from incentives.models import Decision
from incentives.services import approve_bonuses, compute_month
from outcomes import figures
from people.models import Role
from tests.builders import page_text, signed_in, staff

from .conftest import OCTOBER
from .test_adjustments import Month, present
from .test_exports import csv_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(db):
    """A program manager with the admin's groups (assign_role), who may open the ledger and the outcomes."""
    return staff(Role.PROGRAM_MANAGER, None, "maya.manager")


@pytest.fixture
def flagged_month(rule, manager, instructor):
    month = Month(present(8), present(8), present(8), present(8))
    approve_bonuses(bonus_ids=[month.bonus(number).pk for number in range(4)], by=manager)
    month.edit(instructor, (0, "absent"), number=3)
    compute_month(month=OCTOBER)
    assert [month.bonus(number).status for number in range(4)] == [Decision.APPROVED] * 3 + [Decision.NEEDS_ADJUSTMENT]
    return month


def test_the_payment_file_pays_the_three_bonuses_still_approved(client, flagged_month, manager):
    rows = csv_rows(signed_in(client, manager).get("/admin/monthly-bonuses/export/csv/?month=2026-10"))[1:]

    assert [row[4] for row in rows] == ["200.00", "200.00", "200.00"]
    assert flagged_month.enrollments[3].learner.full_name not in {row[1] for row in rows}


def test_the_ledger_totals_say_the_same_as_the_payment_file(client, flagged_month, manager):
    text = page_text(signed_in(client, manager).get("/admin/monthly-bonuses/?month=2026-10"))

    assert "Approved 3 rows, $600.00" in _plain(text)
    assert "Needs adjustment 1 row, $200.00" in _plain(text)
    assert "Payment file for October 2026: 3 approved, $600.00." in _plain(text)


def test_the_outcome_figures_count_the_payment_files_dollars_as_awaiting_payment(flagged_month, manager):
    summary = figures.summary(manager, {})

    assert (summary.bonuses_approved.count, summary.bonuses_approved.amount) == (3, Decimal("600"))
    assert (summary.bonuses_held.count, summary.bonuses_held.amount) == (1, Decimal("200"))
    assert summary.bonuses_paid.count == 0
    assert summary.bonuses_decided.amount == Decimal("800")  # nothing decided is lost from the figures


def test_the_dashboard_shows_600_dollars_awaiting_payment_and_200_held(client, flagged_month, manager):
    text = _plain(page_text(signed_in(client, manager).get("/admin/outcomes/")))

    assert "$600.00 3 bonuses approved, not yet paid." in text
    assert "Approved, awaiting payment 3 $600.00" in text
    assert "Approved, held for an adjustment review 1 $200.00" in text


def _plain(html):
    """The page's words without tags, spaces squeezed: what a reader sees, in order."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()
