"""Sums of money as people read them, in the reader's language. The programs we serve pay in US dollars.

Each site language writes dollars as the Unicode CLDR says (Babel carries its data), with Latin digits as the
rest of the site writes numbers: English and Spanish as written in the United States, where our learners
live ($1,200.00); Brazilian Portuguese US$ 1.200,00; Simplified Chinese US$1,200.00; Arabic ‏1,200.00 US$
(a right-to-left mark first, the sign after the number, a point before the cents). Haitian Creole keeps the
site's own form, as pathways/formats/ht decided for every number. Django's number formats are not used:
they write Arabic with a decimal comma ("$400,00") and put the dollar sign where English does.
"""

from decimal import Decimal
from functools import lru_cache

from babel import Locale
from babel.numbers import format_currency
from django.conf import settings
from django.utils.translation import get_language

CURRENCY = "USD"

# The CLDR locale each site language (settings.LANGUAGES) writes dollars in.
MONEY_LOCALES = {
    "en": "en_US",
    "es": "es_US",
    "pt-br": "pt_BR",
    "ht": "en_US",
    "zh-hans": "zh_Hans",
    "ar": "ar",
}


@lru_cache(maxsize=16)
def _formats(language):
    """(locale, pattern with cents, pattern without) for a language, looked up once."""
    code = (language or settings.LANGUAGE_CODE).lower()
    locale = Locale.parse(MONEY_LOCALES.get(code) or MONEY_LOCALES.get(code.split("-")[0]) or "en_US")
    pattern = locale.currency_formats["standard"].pattern
    return locale, pattern, pattern.replace(".00", "")


def money(amount, language=None):
    """$1,200.00 — ledgers and payment screens show cents."""
    locale, pattern, _whole = _formats(language or get_language())
    return format_currency(Decimal(amount), CURRENCY, format=pattern, locale=locale)


def money_short(amount, language=None):
    """$200, or $12.50 — learners' pages drop cents that are zero."""
    amount = Decimal(amount)
    locale, pattern, whole = _formats(language or get_language())
    if amount == amount.to_integral_value():
        return format_currency(amount, CURRENCY, format=whole, locale=locale, currency_digits=False)
    return format_currency(amount, CURRENCY, format=pattern, locale=locale)
