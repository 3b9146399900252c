"""Schedule generation: the weekly pattern, holidays, moved and cancelled sessions, pattern edits, time zones."""

import datetime
from decimal import Decimal

import pytest
from wagtail.models import ModelLogEntry

from cohorts.models import Cohort, Holiday, MeetingTime, Session
from cohorts.services import cancel_session, generate_sessions, move_session, plan_schedule
from tests.builders import stop_clock
from tests.factories_cohorts import (
    AttendanceFactory,
    CohortFactory,
    EnrollmentFactory,
    InstructorFactory,
    MeetingTimeFactory,
    PartnerFactory,
)

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
D = datetime.date
T = datetime.time


@pytest.fixture
def clock(monkeypatch):
    """Pin `timezone.now()` (services and Cohort.local_today read it) to a settable instant."""
    # before every cohort below starts
    return stop_clock(monkeypatch, datetime.datetime(2026, 8, 20, 16, 0, tzinfo=UTC))


@pytest.fixture
def manager():
    return InstructorFactory()


def four_week_cohort(**kwargs):
    """Mondays and Wednesdays 18:00–20:00 from Monday 7 to Friday 2 October 2026."""
    cohort = CohortFactory(start_date=D(2026, 9, 7), end_date=D(2026, 10, 2), **kwargs)
    MeetingTimeFactory(cohort=cohort, weekday=MeetingTime.Weekday.MONDAY)
    MeetingTimeFactory(cohort=cohort, weekday=MeetingTime.Weekday.WEDNESDAY)
    return cohort


def session_dates(cohort):
    return list(cohort.sessions.order_by("date").values_list("date", flat=True))


MONDAYS_AND_WEDNESDAYS = [
    D(2026, 9, 7),
    D(2026, 9, 9),
    D(2026, 9, 14),
    D(2026, 9, 16),
    D(2026, 9, 21),
    D(2026, 9, 23),
    D(2026, 9, 28),
    D(2026, 9, 30),
]


def test_monday_and_wednesday_pattern_over_four_weeks_creates_exactly_those_dates(clock, manager):
    cohort = four_week_cohort()

    plan = generate_sessions(cohort=cohort, by=manager)

    assert [date for date, _start, _end in plan.to_create] == MONDAYS_AND_WEDNESDAYS
    assert session_dates(cohort) == MONDAYS_AND_WEDNESDAYS
    assert set(cohort.sessions.values_list("start_time", "end_time")) == {(T(18), T(20))}
    assert all(s.status == Session.Status.SCHEDULED for s in cohort.sessions.all())
    entry = ModelLogEntry.objects.get(action="cohorts.schedule.generate", object_id=str(cohort.pk))
    assert entry.data == {"created": 8, "deleted": 0}
    assert entry.user == manager


def test_plan_schedule_previews_without_saving_anything(clock):
    cohort = four_week_cohort()

    plan = plan_schedule(cohort=cohort)

    assert len(plan.to_create) == 8
    assert not cohort.sessions.exists()


def test_partner_and_global_holidays_are_skipped_but_another_partners_holiday_is_not(clock, manager):
    cohort = four_week_cohort()
    Holiday.objects.create(date=D(2026, 9, 7), name="Labor Day")  # every partner
    Holiday.objects.create(date=D(2026, 9, 16), name="Open house", partner=cohort.partner)
    Holiday.objects.create(date=D(2026, 9, 23), name="Staff retreat", partner=PartnerFactory())

    plan = generate_sessions(cohort=cohort, by=manager)

    assert plan.skipped_holidays == [(D(2026, 9, 7), "Labor Day"), (D(2026, 9, 16), "Open house")]
    dates = session_dates(cohort)
    assert D(2026, 9, 7) not in dates
    assert D(2026, 9, 16) not in dates
    assert D(2026, 9, 23) in dates  # another partner's retreat does not close this class
    assert len(dates) == 6


def test_moved_session_is_not_recreated_when_generating_again(clock, manager):
    cohort = four_week_cohort()
    generate_sessions(cohort=cohort, by=manager)
    monday = cohort.sessions.get(date=D(2026, 9, 14))

    move_session(session=monday, date=D(2026, 9, 15), start_time=T(17), end_time=T(19), topic="Job fair", by=manager)
    plan = generate_sessions(cohort=cohort, by=manager)

    assert plan.to_create == [] and plan.to_delete == []
    dates = session_dates(cohort)
    assert D(2026, 9, 14) not in dates
    assert D(2026, 9, 15) in dates
    moved = cohort.sessions.get(date=D(2026, 9, 15))
    assert (moved.pk, moved.start_time, moved.topic) == (monday.pk, T(17), "Job fair")
    assert len(dates) == 8


def test_cancelled_session_stays_cancelled_and_is_not_recreated(clock, manager):
    cohort = four_week_cohort()
    generate_sessions(cohort=cohort, by=manager)
    wednesday = cohort.sessions.get(date=D(2026, 9, 23))

    cancel_session(session=wednesday, reason="Snow day", by=manager)
    plan = generate_sessions(cohort=cohort, by=manager)

    assert plan.to_create == [] and plan.to_delete == []
    on_that_day = cohort.sessions.filter(date=D(2026, 9, 23))
    assert on_that_day.count() == 1
    assert on_that_day.get().status == Session.Status.CANCELLED
    assert on_that_day.get().cancellation_reason == "Snow day"


def test_regenerating_is_idempotent(clock, manager):
    cohort = four_week_cohort()
    generate_sessions(cohort=cohort, by=manager)
    ids_before = set(cohort.sessions.values_list("pk", flat=True))

    plan = generate_sessions(cohort=cohort, by=manager)

    assert (len(plan.to_create), len(plan.to_delete)) == (0, 0)
    assert set(cohort.sessions.values_list("pk", flat=True)) == ids_before
    # Nothing changed, so nothing new in the audit trail either.
    assert ModelLogEntry.objects.filter(action="cohorts.schedule.generate").count() == 1


def test_changing_the_pattern_deletes_future_sessions_but_keeps_those_with_attendance(clock, manager):
    cohort = CohortFactory(start_date=D(2026, 9, 7), end_date=D(2026, 10, 9))
    wednesday = MeetingTimeFactory(cohort=cohort, weekday=MeetingTime.Weekday.WEDNESDAY)
    generate_sessions(cohort=cohort, by=manager)
    learner = EnrollmentFactory(cohort=cohort)
    past_wednesdays = list(cohort.sessions.filter(date__lte=D(2026, 9, 23)))
    for session in past_wednesdays:
        AttendanceFactory(session=session, enrollment=learner)
    clock.now = datetime.datetime(2026, 9, 24, 16, 0, tzinfo=UTC)  # Thursday 24 September, noon in New York

    wednesday.weekday = MeetingTime.Weekday.THURSDAY
    wednesday.save()
    preview = plan_schedule(cohort=cohort)
    plan = generate_sessions(cohort=cohort, by=manager)

    assert [s.date for s in preview.to_delete] == [D(2026, 9, 30), D(2026, 10, 7)]
    assert [s.date for s in plan.to_delete] == [D(2026, 9, 30), D(2026, 10, 7)]
    assert plan.kept_with_attendance == past_wednesdays
    dates = session_dates(cohort)
    assert D(2026, 9, 30) not in dates and D(2026, 10, 7) not in dates
    assert {D(2026, 9, 9), D(2026, 9, 16), D(2026, 9, 23)} <= set(dates)  # attendance is never lost
    assert {D(2026, 9, 24), D(2026, 10, 1), D(2026, 10, 8)} <= set(dates)  # the new Thursdays
    assert learner.attendance.count() == 3


def test_sessions_across_the_end_of_daylight_saving_time_keep_local_clock_time(clock, manager):
    cohort = CohortFactory(time_zone="America/New_York", start_date=D(2026, 10, 18), end_date=D(2026, 11, 15))
    MeetingTimeFactory(cohort=cohort, weekday=MeetingTime.Weekday.SUNDAY, start_time=T(18), end_time=T(20))

    generate_sessions(cohort=cohort, by=manager)

    sessions = list(Session.objects.select_related("cohort").filter(cohort=cohort).order_by("date"))
    assert [s.date for s in sessions] == [
        D(2026, 10, 18),
        D(2026, 10, 25),
        D(2026, 11, 1),  # clocks go back at 02:00 this morning
        D(2026, 11, 8),
        D(2026, 11, 15),
    ]
    for session in sessions:
        assert (session.starts_at.hour, session.starts_at.minute) == (18, 0)
        assert session.hours == Decimal("2.00")
        assert session.ends_at - session.starts_at == datetime.timedelta(hours=2)
    offsets = [s.starts_at.utcoffset() for s in sessions]
    assert offsets == [datetime.timedelta(hours=-4)] * 2 + [datetime.timedelta(hours=-5)] * 3
    assert sessions[1].starts_at.astimezone(UTC) == datetime.datetime(2026, 10, 25, 22, 0, tzinfo=UTC)
    assert sessions[2].starts_at.astimezone(UTC) == datetime.datetime(2026, 11, 1, 23, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("zone", "now_utc", "start_utc"),
    [
        # 00:30 on Monday 5 October in Kabul (UTC+4:30) is still Sunday evening in New York and in UTC.
        ("Asia/Kabul", datetime.datetime(2026, 10, 4, 20, 0, tzinfo=UTC), datetime.datetime(2026, 10, 5, 4, 30)),
        # 00:30 on Monday in Addis Ababa (UTC+3).
        (
            "Africa/Addis_Ababa",
            datetime.datetime(2026, 10, 4, 21, 30, tzinfo=UTC),
            datetime.datetime(2026, 10, 5, 6, 0),
        ),
    ],
)
def test_cohort_far_from_the_server_uses_its_own_time_zone(clock, manager, zone, now_utc, start_utc):
    clock.now = now_utc
    cohort = CohortFactory(time_zone=zone, start_date=D(2026, 10, 5), end_date=D(2026, 10, 5))
    MeetingTimeFactory(cohort=cohort, weekday=MeetingTime.Weekday.MONDAY, start_time=T(9), end_time=T(11))
    generate_sessions(cohort=cohort, by=manager)

    assert now_utc.date() == D(2026, 10, 4)  # still Sunday in UTC (and in New York, the server's zone)
    assert cohort.local_today() == D(2026, 10, 5)
    session = Session.objects.select_related("cohort").get(cohort=cohort)
    assert session.date == D(2026, 10, 5)
    assert (session.starts_at.hour, session.starts_at.minute) == (9, 0)
    assert session.starts_at.astimezone(UTC) == start_utc.replace(tzinfo=UTC)
    assert Cohort.objects.get(pk=cohort.pk).zone.key == zone


def test_a_moved_session_survives_when_its_planned_day_becomes_a_holiday(clock, manager):
    cohort = four_week_cohort()
    generate_sessions(cohort=cohort, by=manager)
    monday = cohort.sessions.get(date=D(2026, 9, 14))
    move_session(session=monday, date=D(2026, 9, 15), start_time=T(18), end_time=T(20), by=manager)
    Holiday.objects.create(date=D(2026, 9, 14), name="Staff day", partner=cohort.partner)

    plan = generate_sessions(cohort=cohort, by=manager)

    assert plan.to_delete == [] and [session.pk for session in plan.kept_changed_by_hand] == [monday.pk]
    assert cohort.sessions.filter(pk=monday.pk, date=D(2026, 9, 15)).exists()
