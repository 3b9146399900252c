"""Every figure of outcomes.figures.summary on the hand-built program of world.py, whose right answers are worked
out there: withdrawn learners, a cancelled session with marks, a revoked credential, a learner in two cohorts,
partner scoping, each filter, the period, and the same queries whatever is asked."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import gettext

from cohorts.models import Attendance, Enrollment
from cohorts.services import Mark, record_attendance
from courses.models import Track
from outcomes import figures as figures_module
from outcomes.figures import InvalidFilters, summary
from outcomes.models import SessionAttendanceCount

from .world import FILTER_SETS, day, more_of_everything

pytestmark = pytest.mark.django_db


def figures(world, role="manager", **filters):
    return summary(world.user(role), filters)


def cohort_row(result, name):
    return next(row for row in result.cohorts if row.name == name)


def milestones_of(result):
    return {row.slug: (row.count, row.amount) for row in result.milestones}


# --- the headline figures ---------------------------------------------------------------------------------


def test_the_managers_headline_figures_match_the_hand_count(world):
    result = figures(world)

    assert (result.period_start, result.period_end) == (day(9, 7), day(11, 16))  # opens on the first cohort day
    assert (result.people_served, result.active, result.waiting) == (6, 3, 2)
    assert result.attendance.sessions == 8
    assert result.attendance.hours == Decimal("18.00")
    assert (result.attendance.present, result.attendance.late, result.attendance.absent) == (11, 1, 4)
    assert result.attendance.excused == 1
    assert result.attendance.rate.percent == Decimal("75.0")
    assert result.attendance.learner_hours == Decimal("26.00")
    assert (result.enrollments.retained, result.enrollments.retention_base) == (5, 6)
    assert result.enrollments.retention.percent == Decimal("83.3")
    assert (result.enrollments.completed, result.enrollments.withdrawn) == (1, 2)
    assert result.enrollments.completion.percent == Decimal("33.3")
    assert result.credentials_issued == 2
    assert milestones_of(result) == {
        "business-license": (1, Decimal("0.00")),
        "seed-grant-awarded": (2, Decimal("15000.00")),
    }
    assert result.grant_dollars == Decimal("15000.00")
    assert (result.bonuses_paid.count, result.bonuses_paid.amount) == (3, Decimal("600.00"))
    assert (result.bonuses_approved.count, result.bonuses_approved.amount) == (1, Decimal("200.00"))


def test_a_learner_in_two_cohorts_is_one_person_overall_and_one_in_each_program(world):
    result = figures(world)

    by_track = {row.key: row.people_served for row in result.by_track}
    assert by_track == {Track.ESOL: 5, Track.JOB_TRAINING: 2}  # Amina is in both programs
    assert result.people_served == 6  # but one person
    assert result.enrollments.served == 7


def test_each_partner_counts_its_own_different_learners_and_adds_up_its_cohorts(world):
    partners = {row.label: row for row in figures(world).by_partner}
    northside, unidos = partners["Northside Refugee Center"], partners["Unidos Community Services"]

    # Amina, Bashir, Chen, Dawit (Evening English) and Amina again, Gul (Warehouse Skills): five people.
    assert (northside.people_served, unidos.people_served) == (5, 1)
    assert (northside.enrollments.served, unidos.enrollments.served) == (6, 1)
    assert (northside.attendance.sessions, northside.attendance.hours) == (7, Decimal("16.00"))
    assert northside.attendance.rate == figures_module.Rate(11, 15)
    assert (unidos.attendance.sessions, unidos.attendance.learner_hours) == (1, Decimal("2.00"))


def test_leaving_the_waitlist_without_a_seat_is_not_being_served(world):
    result = figures(world)
    evening = cohort_row(result, "Evening English")

    assert (evening.enrollments.signed_up, evening.enrollments.served) == (6, 4)  # Esra waits, Farah never sat
    assert evening.enrollments.withdrawn == 2  # Chen and Dawit, who took their seats


def test_marks_at_a_cancelled_session_count_for_no_one(world):
    evening = cohort_row(figures(world), "Evening English")

    assert evening.attendance.sessions == 5
    assert evening.attendance.hours == Decimal("10.00")
    a = evening.attendance
    assert (a.present, a.late, a.absent, a.excused) == (8, 1, 4, 1)  # without the two "present" of 12 October
    assert evening.attendance.learner_hours == Decimal("18.00")


def test_a_revoked_credential_is_not_counted(world):
    result = figures(world)

    assert result.credentials_issued == 2
    assert {row.month: row.credentials for row in result.months if row.credentials} == {
        day(10, 1): 1,  # Bashir's; Amina's of 22 October was revoked
        day(11, 1): 1,
    }


def test_only_verified_milestones_count(world):
    # Dawit's business license of 11 October is recorded but not verified.
    assert milestones_of(figures(world))["business-license"] == (1, Decimal("0.00"))


def test_withdrawals_in_the_first_four_weeks_lower_retention_and_all_withdrawals_lower_completion(world):
    result = figures(world)

    # Chen left after 14 days: not retained. Dawit left after 39 days: retained, but did not complete.
    assert result.enrollments.retention == figures_module.Rate(5, 6)
    assert result.enrollments.completion == figures_module.Rate(1, 3)


def test_a_learner_who_joined_less_than_four_weeks_ago_is_not_yet_judged_for_retention(world):
    warehouse = cohort_row(figures(world), "Warehouse Skills")

    assert warehouse.enrollments.served == 2
    assert warehouse.enrollments.retention_base == 1  # Amina (1 October); Gul joined on 2 November


def test_a_session_counts_once_it_has_started_in_the_cohorts_time_zone(world, clock):
    before = figures(world).attendance.sessions
    clock.now += datetime.timedelta(hours=8, minutes=1)  # 18:01 in New York: tonight's class has begun

    assert (before, figures(world).attendance.sessions) == (8, 9)


def test_a_cohort_far_east_has_had_its_evening_class_while_new_york_is_still_in_the_morning(world):
    assert figures(world).attendance.sessions == 8
    # 15:00 UTC is 05:00 on 17 November in Kiritimati (UTC+14): a class there dated 16 November has been held.
    world.esol.time_zone = "Pacific/Kiritimati"
    world.esol.save()

    assert figures(world).attendance.sessions == 9


# --- partner scoping --------------------------------------------------------------------------------------


def test_partner_staff_see_only_their_own_partners_figures(world):
    result = figures(world, "partner_staff")

    assert (result.people_served, result.active, result.waiting) == (5, 2, 1)
    assert (result.attendance.sessions, result.attendance.hours) == (7, Decimal("16.00"))
    assert result.attendance.rate == figures_module.Rate(11, 15)
    assert result.credentials_issued == 1
    assert milestones_of(result)["seed-grant-awarded"] == (1, Decimal("5000.00"))
    assert (result.bonuses_paid.count, result.bonuses_paid.amount) == (2, Decimal("400.00"))
    assert {row.partner for row in result.cohorts} == {"Northside Refugee Center"}
    assert [row.label for row in result.by_partner] == ["Northside Refugee Center"]


def test_partner_staff_cannot_reach_another_partner_through_a_filter(world):
    unidos = figures(world, "other_partner_staff", partner=str(world.northside.pk))

    # No partner to choose for someone who sees one: the value is ignored, the scope holds.
    assert unidos.people_served == 1
    assert {row.name for row in unidos.cohorts} == {"Citizenship English"}
    with pytest.raises(InvalidFilters) as refused:
        figures(world, "other_partner_staff", cohort=str(world.esol.pk))
    assert "cohort" in refused.value.errors


@pytest.mark.parametrize("role", ["anonymous", "learner", "instructor", "other_instructor"])
def test_only_program_managers_and_partner_staff_get_figures(world, role):
    with pytest.raises(PermissionDenied):
        figures(world, role)


# --- filters ---------------------------------------------------------------------------------------------------


def test_a_program_filter_narrows_cohorts_and_follows_their_learners_to_milestones_and_bonuses(world):
    result = figures(world, track=Track.JOB_TRAINING)

    assert {row.name for row in result.cohorts} == {"Warehouse Skills", "Forklift Mornings"}
    assert (result.people_served, result.attendance.sessions, result.attendance.hours) == (2, 2, Decimal("6.00"))
    assert milestones_of(result) == {
        "business-license": (1, Decimal("0.00")),
        "seed-grant-awarded": (0, Decimal("0.00")),
    }
    assert result.credentials_issued == 0  # Amina's job-training class issued none (her ESOL one was revoked)
    assert (result.bonuses_paid.count, result.bonuses_approved.count) == (2, 0)  # Amina's two


def test_language_course_cohort_term_and_partner_filters(world):
    def served(**filters):
        return figures(world, **filters).people_served

    assert served(language="ar") == 4  # Evening English: Amina, Bashir, Chen, Dawit
    assert served(language="es") == 3  # Amina, Gul, María
    assert served(course=str(world.esol.course_id)) == 5  # both ESOL cohorts run that course
    assert served(cohort=str(world.unidos_esol.pk)) == 1
    assert served(term="Fall 2026") == 6
    assert served(partner=str(world.unidos.pk)) == 1
    assert served(partner=str(world.northside.pk), track=Track.ESOL, language="ar") == 4


def test_a_period_counts_what_happened_in_it(world):
    result = figures(world, start="2026-10-01", end="2026-10-10")

    assert result.attendance.sessions == 5  # 1, 5, 8 (ESOL), 6 (warehouse), 7 October (Unidos)
    # Amina (twice), Bashir, Dawit, María: not Chen (left in September) nor Gul (came in November).
    assert (result.people_served, result.enrollments.served) == (4, 5)
    assert result.enrollments.retention == figures_module.Rate(4, 4)  # judged as of 10 October
    assert milestones_of(result)["business-license"] == (1, Decimal("0.00"))
    assert milestones_of(result)["seed-grant-awarded"] == (0, Decimal("0.00"))
    assert result.credentials_issued == 0
    assert (result.bonuses_paid.count, result.bonuses_approved.count) == (2, 1)  # October's; not September's
    assert [row.month for row in result.months] == [day(10, 1)]


def test_an_open_period_counts_everything_so_far(world):
    result = figures(world, start="", end="")

    assert (result.period_start, result.period_end) == (None, None)
    assert result.people_served == 6
    assert result.weeks[0].week == day(9, 28)  # from the first week with a session
    assert result.months[0].month == day(10, 1)


@pytest.mark.parametrize(
    ("filters", "field", "message"),
    [
        ({"start": "2026-10-10", "end": "2026-10-01"}, "end", "The end of the period must be on or after its start."),
        ({"start": "2026-13-01"}, "start", "Enter a valid date."),
        ({"partner": "abc"}, "partner", "Select a valid choice."),
        ({"track": "astronomy"}, "track", "Select a valid choice."),
        ({"language": "xx"}, "language", "Select a valid choice."),
    ],
)
def test_bad_filters_are_refused_with_a_message_for_the_field(world, filters, field, message):
    with pytest.raises(InvalidFilters) as refused:
        figures(world, **filters)

    assert field in refused.value.errors
    assert any(text.startswith(message) for text in refused.value.errors[field])


def test_filter_errors_are_in_the_users_language(world):
    with translation.override("es"), pytest.raises(InvalidFilters) as refused:
        figures(world, start="nope")

    with translation.override("es"):
        in_spanish = gettext("Enter a valid date.")
    assert in_spanish != "Enter a valid date."
    assert refused.value.errors["start"] == [in_spanish]


# --- series ---------------------------------------------------------------------------------------------------


def test_weekly_attendance_runs_monday_to_sunday_and_leaves_cancelled_classes_out(world):
    weeks = {row.week: row.attendance for row in figures(world).weeks}

    assert weeks[day(9, 28)].rate == figures_module.Rate(3, 3)
    assert weeks[day(10, 5)].rate == figures_module.Rate(6, 8)  # 5, 6, 7 and 8 October
    assert weeks[day(10, 12)].rate == figures_module.Rate(2, 4)  # 13 and 15 October; the 12th was cancelled
    assert (weeks[day(10, 19)].rate, weeks[day(10, 19)].excused) == (figures_module.Rate(1, 1), 1)
    assert weeks[day(11, 16)].sessions == 0  # tonight's class has not begun
    assert min(weeks) == day(9, 7)  # the whole period (from the first cohort day), empty weeks included


def test_each_cohorts_attendance_and_every_weeks_add_up_to_the_programs(world):
    for result in (figures(world), figures(world, start="", end=""), figures(world, start="2026-10-06")):
        totals = [
            tuple(sum(getattr(row.attendance, name) for row in rows) for name in ("sessions", "minutes", "present"))
            for rows in (result.cohorts, result.weeks)
        ]

        assert totals == [(result.attendance.sessions, result.attendance.minutes, result.attendance.present)] * 2
        assert cohort_row(result, "Forklift Mornings").attendance == figures_module.Attendance()  # no sessions


def test_a_cohorts_attendance_counts_its_held_and_started_sessions(world):
    evening = cohort_row(figures(world), "Evening English")

    # 1, 5, 8, 15 and 19 October (the 12th was cancelled, the 16th of November has not begun), two hours each,
    # with 9 of 13 marks present or late.
    assert (evening.attendance.sessions, evening.attendance.hours) == (5, Decimal("10.00"))
    assert (evening.attendance.present, evening.attendance.late, evening.attendance.absent) == (8, 1, 4)
    assert evening.attendance.learner_hours == Decimal("18.00")


def test_the_funnel_and_the_monthly_series(world):
    result = figures(world)

    assert (result.enrollments.signed_up, result.enrollments.served, result.enrollments.completed) == (10, 7, 1)
    by_month = {row.month: (row.credentials, row.milestones) for row in result.months}
    assert by_month[day(10, 1)] == (1, 2)
    assert by_month[day(11, 1)] == (1, 1)
    assert len(result.months) == 3  # September to November 2026


def test_to_dict_is_plain_json(world):
    import json

    data = figures(world).to_dict()

    assert json.loads(json.dumps(data)) == data
    assert data["people_served"] == 6
    assert data["attendance_rate"] == {"part": 12, "whole": 16, "percent": "75.0"}
    assert data["grant_dollars"] == "15000.00"


def test_without_the_credentials_app_the_figure_is_left_out(world, monkeypatch):
    real = figures_module.apps.is_installed
    monkeypatch.setattr(figures_module.apps, "is_installed", lambda name: name != "credentials" and real(name))

    assert figures(world).credentials_issued is None


# --- the per-session counts the attendance figures read ----------------------------------------------------------


def test_an_attendance_edit_moves_the_figures_in_the_same_transaction(world):
    amina = Enrollment.objects.get(learner=world.amina, cohort=world.esol)
    record_attendance(
        session=world.esol_sessions[4],  # 15 October: absent, now present
        marks=[Mark(enrollment_id=amina.pk, status=Attendance.Status.PRESENT)],
        recorded_by=world.instructor,
    )

    assert figures(world).attendance.rate == figures_module.Rate(13, 16)


def test_a_failed_roster_save_leaves_the_counts_as_they_were(world):
    before = figures(world).attendance.rate
    amina = Enrollment.objects.get(learner=world.amina, cohort=world.esol)
    with pytest.raises(RuntimeError), transaction.atomic():
        record_attendance(
            session=world.esol_sessions[4],
            marks=[Mark(enrollment_id=amina.pk, status=Attendance.Status.PRESENT)],
            recorded_by=world.instructor,
        )
        raise RuntimeError("the request failed after the save")

    assert figures(world).attendance.rate == before


def test_rebuilding_the_counts_gives_the_same_figures(world):
    before = figures(world).to_dict()
    SessionAttendanceCount.objects.all().delete()
    assert figures(world).attendance.rate.whole == 0

    call_command("rebuild_outcome_counts", stdout=open("/dev/null", "w"))

    assert figures(world).to_dict() == before


def test_the_counts_equal_the_marks(world):
    for count in SessionAttendanceCount.objects.all():
        marks = list(Attendance.objects.filter(session_id=count.session_id).values_list("status", flat=True))
        assert (count.present, count.late, count.excused, count.absent) == tuple(
            marks.count(status) for status in ("present", "late", "excused", "absent")
        )


# --- queries ---------------------------------------------------------------------------------------------------


def queries_for(world, role, filters):
    filters = {
        key: value.format(northside=world.northside.pk, course=world.esol.course_id, cohort=world.esol.pk)
        for key, value in filters.items()
    }
    with CaptureQueriesContext(connection) as captured:
        summary(world.user(role), filters)
    return len(captured)


@pytest.mark.parametrize("role", ["manager", "partner_staff"])
def test_the_same_few_queries_whatever_the_filters_and_the_data(world, role):
    # 5 for the filter choices: partners, the default locale, courses, cohorts, languages; then 8 for the
    # figures: cohorts, learners (overall and per partner, per program), enrollments by cohort, sessions (by
    # cohort and by day), credentials, milestone types, milestones by month, bonuses.
    small = [queries_for(world, role, filters) for filters in FILTER_SETS]
    more_of_everything(world)
    larger = [queries_for(world, role, filters) for filters in FILTER_SETS]

    assert len(set(small + larger)) == 1, (small, larger)
    assert small[0] <= 13
