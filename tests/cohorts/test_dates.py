"""A session's day and date read the way the page's language writes them, on the roster and the portal."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

MONDAY = datetime.date(2026, 10, 5)


def day_and_date(value, language):
    with translation.override(language):
        return Template("{% load dates %}{{ value|day_and_date }}").render(Context({"value": value}))


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Monday, Oct. 5, 2026"),
        ("es", "Lunes, 5 de octubre de 2026"),
        ("ar", "الاثنين، 5 أكتوبر، 2026"),  # the Arabic comma, not the Latin one
        ("zh-hans", "2026年10月5日 星期一"),  # the weekday after the date
    ],
)
def test_the_weekday_and_date_in_each_languages_order_and_punctuation(language, expected):
    assert day_and_date(MONDAY, language) == expected


def test_a_moment_is_dated_in_the_time_zone_of_the_page():
    # 01:30 on Tuesday in UTC is still Monday evening in New York.
    moment = datetime.datetime(2026, 10, 6, 1, 30, tzinfo=datetime.UTC)

    with timezone.override("America/New_York"):
        assert day_and_date(moment, "en") == "Monday, Oct. 5, 2026"
