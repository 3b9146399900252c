"""Private iCalendar feeds, read as a subscriber's calendar app reads them (parsed with the icalendar library):
the owner's classes with their titles, times in the cohort's zone (across a DST change) and cancellations;
only the owner's sessions; revocable; the link's token kept only as a digest."""

# Fixtures come from tests/cohorts/learner_world.py; test arguments of the same name are those fixtures.
# ruff: noqa: F811

import datetime
import hashlib
import re

import icalendar
import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from cohorts import ics
from cohorts.models import CalendarFeed, Enrollment
from cohorts.services import cancel_session, open_calendar_feed, revoke_calendar_feeds
from tests.builders import stop_clock
from tests.cohorts.learner_world import ROLES, build_world, client_as, empty_cache, world  # noqa: F401
from tests.factories_cohorts import CohortFactory, EnrollmentFactory, SessionFactory

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


def utc(*parts):
    return datetime.datetime(*parts, tzinfo=UTC)


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    # 1 October 2026: every session below is within the feed's window (180 days back, all ahead).
    return stop_clock(monkeypatch, utc(2026, 10, 1, 12, 0))


def fetch(client, token):
    response = client.get(f"/calendar/{token}.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return response.content


def seen(body):
    """What a calendar app shows: (title, start in UTC, end in UTC, status), soonest first."""
    calendar = icalendar.Calendar.from_ical(body)
    shown = [
        (
            str(event["SUMMARY"]),
            event.decoded("DTSTART").astimezone(UTC),
            event.decoded("DTEND").astimezone(UTC),
            str(event["STATUS"]),
        )
        for event in calendar.walk("VEVENT")
    ]
    return sorted(shown, key=lambda event: event[1])


def events_by_uid(body):
    return {str(event["UID"]): event for event in icalendar.Calendar.from_ical(body).walk("VEVENT")}


@pytest.fixture
def sessions(world):
    world.cohort.name = "English, Level 1; evenings"
    world.cohort.save()
    first = SessionFactory(cohort=world.cohort, date=datetime.date(2026, 10, 5), topic="Greetings")
    second = SessionFactory(cohort=world.cohort, date=datetime.date(2026, 10, 12))
    cancelled = cancel_session(
        session=SessionFactory(cohort=world.cohort, date=datetime.date(2026, 11, 2)),  # after the DST change
        reason="Building closed",
        by=world.instructor,
    )
    other = SessionFactory(cohort=world.other_cohort, date=datetime.date(2026, 10, 6), topic="Other class")
    return {"first": first, "second": second, "cancelled": cancelled, "other": other}


# What Amina's calendar shows. Classes are 18:00–20:00 in New York: on 5 and 12 October daylight time
# (UTC-4), so 22:00–00:00 UTC; New York returns to standard time (UTC-5) on Sunday 1 November, so the
# class of Monday 2 November is 23:00–01:00 UTC — the same wall-clock hour, one hour later in UTC.
AMINAS_CALENDAR = [
    (
        "English, Level 1; evenings: Greetings",
        utc(2026, 10, 5, 22, 0),
        utc(2026, 10, 6, 0, 0),
        "CONFIRMED",
    ),
    ("English, Level 1; evenings", utc(2026, 10, 12, 22, 0), utc(2026, 10, 13, 0, 0), "CONFIRMED"),
    ("Cancelled: English, Level 1; evenings", utc(2026, 11, 2, 23, 0), utc(2026, 11, 3, 1, 0), "CANCELLED"),
]


def test_a_learner_sees_their_classes_at_the_right_times_and_the_cancelled_one(client, world, sessions):
    body = fetch(client, open_calendar_feed(learner=world.learner).token)

    assert seen(body) == AMINAS_CALENDAR
    by_uid = events_by_uid(body)
    first = by_uid[f"session-{sessions['first'].pk}@testserver"]
    assert str(first["LOCATION"]) == "Room 4"
    assert first["DTSTART"].params["TZID"] == "America/New_York"  # shown in the cohort's zone
    cancelled = by_uid[f"session-{sessions['cancelled'].pk}@testserver"]
    assert "Cancelled: Building closed" in str(cancelled["DESCRIPTION"])
    assert b"Other class" not in body


def test_the_feed_is_a_valid_calendar_with_the_zone_it_uses(client, world, sessions):
    body = fetch(client, open_calendar_feed(learner=world.learner).token)

    assert body.startswith(b"BEGIN:VCALENDAR\r\n") and body.endswith(b"END:VCALENDAR\r\n")
    assert b"\n" not in body.replace(b"\r\n", b"")  # CRLF only
    assert all(len(line) <= 75 for line in body.split(b"\r\n"))  # folded at 75 octets
    calendar = icalendar.Calendar.from_ical(body)
    assert all(not component.errors for component in calendar.walk())  # parsed without complaint
    assert str(calendar["VERSION"]) == "2.0" and "PRODID" in calendar
    (zone,) = calendar.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "America/New_York"
    offsets = {observance.decoded("TZOFFSETTO") for observance in zone.subcomponents}
    assert {datetime.timedelta(hours=-4), datetime.timedelta(hours=-5)} <= offsets


def test_uids_are_stable_between_fetches(client, world, sessions):
    token = open_calendar_feed(learner=world.learner).token
    uids = [sorted(events_by_uid(fetch(client, token))) for _ in range(2)]
    assert uids[0] == uids[1] and len(uids[0]) == 3


def test_another_learners_token_shows_only_that_learners_sessions(client, world, sessions):
    body = fetch(client_as(client, world, "learner"), open_calendar_feed(learner=world.other_learner).token)
    # Harbor Citizenship, Tuesday 6 October 18:00–20:00 in New York (UTC-4).
    assert seen(body) == [
        ("Harbor Citizenship: Other class", utc(2026, 10, 6, 22, 0), utc(2026, 10, 7, 0, 0), "CONFIRMED")
    ]


def test_waitlisted_and_withdrawn_cohorts_stay_out_of_the_feed(client, world, sessions):
    waiting = CohortFactory(partner=world.partner, name="Waiting Cohort")
    EnrollmentFactory(cohort=waiting, learner=world.learner, status=Enrollment.Status.WAITLISTED)
    SessionFactory(cohort=waiting, date=datetime.date(2026, 10, 7))
    left = CohortFactory(partner=world.partner, name="Left Cohort")
    EnrollmentFactory(cohort=left, learner=world.learner, status=Enrollment.Status.WITHDRAWN)
    SessionFactory(cohort=left, date=datetime.date(2026, 10, 8))
    assert seen(fetch(client, open_calendar_feed(learner=world.learner).token)) == AMINAS_CALENDAR


def test_online_session_has_the_meeting_link(client, world):
    online = CohortFactory(
        partner=world.partner, name="Online", delivery="online", location="", meeting_link="https://meet.example/x"
    )
    EnrollmentFactory(cohort=online, learner=world.learner)
    SessionFactory(cohort=online, date=datetime.date(2026, 10, 7))
    (event,) = events_by_uid(fetch(client, open_calendar_feed(learner=world.learner).token)).values()
    assert str(event["LOCATION"]) == "https://meet.example/x"
    assert str(event["URL"]) == "https://meet.example/x"
    assert "Online: https://meet.example/x" in str(event["DESCRIPTION"])


def test_instructor_feed_has_the_cohorts_they_teach(client, world, sessions):
    assert seen(fetch(client, open_calendar_feed(user=world.instructor).token)) == AMINAS_CALENDAR
    assert seen(fetch(client, open_calendar_feed(user=world.other_instructor).token)) == []


def test_feed_of_a_deactivated_instructor_is_gone(client, world, sessions):
    token = open_calendar_feed(user=world.instructor).token
    world.instructor.is_active = False
    world.instructor.save()
    assert client.get(f"/calendar/{token}.ics").status_code == 404


def test_revoked_and_unknown_tokens_are_not_found(client, world, sessions):
    token = open_calendar_feed(learner=world.learner).token
    revoke_calendar_feeds(learner=world.learner)
    assert client.get(f"/calendar/{token}.ics").status_code == 404
    assert client.get("/calendar/not-a-real-token.ics").status_code == 404
    new_token = open_calendar_feed(learner=world.learner).token
    assert new_token != token
    assert client.get(f"/calendar/{new_token}.ics").status_code == 200


def test_opening_a_feed_twice_gives_the_same_link_shown_only_the_first_time(world):
    made = open_calendar_feed(learner=world.learner)
    again = open_calendar_feed(learner=world.learner)
    assert made == again and CalendarFeed.objects.count() == 1
    assert made.token and again.token is None


def test_the_database_never_holds_the_raw_token(client, world, sessions):
    token = open_calendar_feed(learner=world.learner).token

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {CalendarFeed._meta.db_table}")  # every column of every feed
        stored = [str(value) for row in cursor.fetchall() for value in row]
    assert token not in " ".join(stored)
    assert hashlib.sha256(token.encode()).hexdigest() in stored
    assert seen(fetch(client, token)) == AMINAS_CALENDAR  # and the link works


# serialized_rollback: like tests/cohorts/test_concurrency.py, so the database is emptied without re-running
# post-migrate handlers and the next transactional test can put Wagtail's page tree back.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_links_made_before_hashing_keep_working_after_the_migration(client):
    before = [("cohorts", "0002_names_in_other_languages")]  # the migration before the hashing one
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    try:
        old_apps = executor.loader.project_state(before).apps
        world = build_world()
        SessionFactory(cohort=world.cohort, date=datetime.date(2026, 10, 5), topic="Greetings")
        old_token = "bookmarked-in-aminas-phone-Zx7_q1w2e3r4t5y6u7i8o9p0a1s2d3f4g5h"
        old_apps.get_model("cohorts", "CalendarFeed").objects.create(token=old_token, learner_id=world.learner.pk)
    finally:  # whatever happens, the tests after this one find the database fully migrated
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())

    assert CalendarFeed.objects.get().token_hash == hashlib.sha256(old_token.encode()).hexdigest()
    assert seen(fetch(client, old_token)) == [
        ("English Level 1: Greetings", utc(2026, 10, 5, 22, 0), utc(2026, 10, 6, 0, 0), "CONFIRMED")
    ]


@pytest.mark.parametrize("role", ROLES)
def test_a_feed_is_read_by_its_token_alone(client, world, sessions, role):
    """Calendar apps fetch without signing in; who is signed in changes nothing about what a token shows."""
    assert seen(fetch(client_as(client, world, role), open_calendar_feed(learner=world.learner).token)) == (
        AMINAS_CALENDAR
    )


def test_feed_queries_do_not_grow_with_sessions(client, world, sessions, django_assert_max_num_queries):
    token = open_calendar_feed(learner=world.learner).token
    for day in range(1, 25):
        SessionFactory(cohort=world.cohort, date=datetime.date(2026, 12, 1) + datetime.timedelta(days=day - 1))
    with django_assert_max_num_queries(2):  # the feed with its owner, then the sessions with their cohorts
        body = fetch(client, token)
    assert len(seen(body)) == 3 + 24


# --- the writer on its own ----------------------------------------------------------------


def written(zone, start, end):
    event = ics.Event(uid="x", start=start, end=end, time_zone=zone, summary="S")
    (parsed,) = icalendar.Calendar.from_ical(ics.calendar([event], name="N", stamp=timezone.now())).walk("VEVENT")
    return parsed


def test_event_times_are_written_in_the_events_zone():
    # 16:00 UTC on 1 July is 18:00 in Berlin (summer time, UTC+2).
    start = utc(2026, 7, 1, 16, 0)
    parsed = written("Europe/Berlin", start, start + datetime.timedelta(hours=1))
    assert parsed["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert parsed.decoded("DTSTART").replace(tzinfo=None) == datetime.datetime(2026, 7, 1, 18, 0)
    assert parsed.decoded("DTSTART").astimezone(UTC) == start


def test_a_zone_without_daylight_saving_keeps_its_half_hour():
    # 18:00 in Kolkata (UTC+5:30) is 12:30 UTC.
    start = utc(2026, 12, 7, 12, 30)
    parsed = written("Asia/Kolkata", start, start + datetime.timedelta(hours=2))
    assert parsed.decoded("DTSTART").replace(tzinfo=None) == datetime.datetime(2026, 12, 7, 18, 0)
    assert re.fullmatch(r"\d{8}T180000", parsed["DTSTART"].to_ical().decode())
