"""Dollars as each site language writes them: the ledgers' form with cents and the learners' short form.

The expected strings were written out by hand from the CLDR patterns each language uses (see incentives.money):
an Arabic reader sees a point before the cents and the sign after the number, never "$400,00"."""

from decimal import Decimal

import pytest
from django.utils import translation

from incentives.money import money, money_short

RLM, NBSP = "\u200f", "\u00a0"


@pytest.mark.parametrize(
    ("language", "ledger", "short_whole", "short_cents"),
    [
        ("en", "$1,200.00", "$200", "$12.50"),
        ("es", "$1,200.00", "$200", "$12.50"),
        ("pt-br", f"US${NBSP}1.200,00", f"US${NBSP}200", f"US${NBSP}12,50"),
        ("ht", "$1,200.00", "$200", "$12.50"),
        ("zh-hans", "US$1,200.00", "US$200", "US$12.50"),
        ("ar", f"{RLM}1,200.00{NBSP}US$", f"{RLM}200{NBSP}US$", f"{RLM}12.50{NBSP}US$"),
    ],
)
def test_each_language_writes_dollars_its_own_way(language, ledger, short_whole, short_cents):
    with translation.override(language):
        assert money(Decimal("1200")) == ledger
        assert money_short(Decimal("200")) == short_whole
        assert money_short(Decimal("12.5")) == short_cents


def test_arabic_admin_no_longer_writes_a_decimal_comma():
    with translation.override("ar"):
        assert money(Decimal("400")) == f"{RLM}400.00{NBSP}US$"
