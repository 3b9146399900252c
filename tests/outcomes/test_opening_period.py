"""The dashboard and the funder report open on data: the default period starts on the first day a cohort in
the user's scope ran within the last twelve months (the world's cohorts began 7 September and 1 October 2026;
today is 16 November 2026), so the weekly chart spans the eleven weeks with classes, not fifty-two; the funder
report can be set to open on the program year instead."""

import datetime

import pytest
from django.test import override_settings

from outcomes import figures
from outcomes.filters import opening_on_data, program_year_so_far, report_period
from tests.builders import signed_in

from .test_pages import text_of
from .world import day

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2026, 11, 16)


@pytest.mark.parametrize(
    ("cohorts", "period"),
    [
        # Classes since September: from their first day.
        ([(D(2026, 9, 7), D(2026, 12, 18)), (D(2026, 10, 1), D(2026, 12, 18))], (D(2026, 9, 7), TODAY)),
        # A cohort that began before the twelve months: the twelve months, from 1 December 2025.
        ([(D(2025, 6, 1), D(2026, 1, 31))], (D(2025, 12, 1), TODAY)),
        # A cohort that has not begun yet is no activity; nothing else: the plain twelve months.
        ([(D(2027, 1, 4), D(2027, 3, 26))], (D(2025, 12, 1), TODAY)),
        # Nothing in the last twelve months: the twelve months up to the day the last cohort ended.
        ([(D(2024, 2, 5), D(2024, 6, 28))], (D(2024, 2, 5), D(2024, 6, 28))),
        ([], (D(2025, 12, 1), TODAY)),
    ],
)
def test_the_default_period_opens_on_the_most_recent_activity(cohorts, period):
    assert opening_on_data(TODAY, cohorts) == period


def test_the_program_year_begins_on_the_configured_day():
    with override_settings(OUTCOMES_PROGRAM_YEAR_START=(7, 1)):
        assert program_year_so_far(TODAY) == (D(2026, 7, 1), TODAY)
        assert program_year_so_far(D(2026, 3, 2)) == (D(2025, 7, 1), D(2026, 3, 2))
    with override_settings(OUTCOMES_PROGRAM_YEAR_START=(10, 1), OUTCOMES_REPORT_PERIOD="program_year"):
        assert report_period(TODAY, [(D(2026, 9, 7), D(2026, 12, 18))]) == (D(2026, 10, 1), TODAY)


def test_the_dashboards_weekly_chart_spans_the_weeks_with_classes(client, world):
    summary = figures.summary(world.manager, {})

    # Monday 7 September to the week of Monday 16 November: eleven weeks, not the fifty-two of a year.
    assert [row.week for row in summary.weeks][:2] == [day(9, 7), day(9, 14)]
    assert len(summary.weeks) == 11
    page = text_of(signed_in(client, world.manager).get("/admin/outcomes/"))
    assert "7 September 2026 to 16 November 2026" in page


def test_a_chosen_period_is_kept_whole(world):
    summary = figures.summary(world.manager, {"start": "2026-01-05", "end": "2026-11-16"})

    assert summary.weeks[0].week == D(2026, 1, 5) and len(summary.weeks) == 46


@override_settings(OUTCOMES_REPORT_PERIOD="program_year", OUTCOMES_PROGRAM_YEAR_START=(7, 1))
def test_the_funder_report_can_open_on_the_program_year(client, world):
    page = text_of(signed_in(client, world.manager).get("/admin/outcomes/report/"))

    assert "1 July 2026 to 16 November 2026" in page
    assert "Unduplicated people served 6" in page
