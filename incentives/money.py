"""Sums of money as people read them. The programs we serve pay in US dollars."""

from django.template.defaultfilters import floatformat


def money(amount):
    """$1,200.00 — ledgers and payment screens show cents."""
    return f"${floatformat(amount, '2g')}"


def money_short(amount):
    """$200, or $12.50 — learners' pages drop cents that are zero."""
    return f"${floatformat(amount, '-2g')}"
