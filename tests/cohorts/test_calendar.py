"""Private iCalendar feeds: structure a calendar app can read, only the owner's sessions, revocable."""

# Fixtures come from tests/cohorts/learner_world.py; test arguments of the same name are those fixtures.
# ruff: noqa: F811

import datetime
import re

import pytest
from django.utils import timezone

from cohorts import ics
from cohorts.models import CalendarFeed, Enrollment
from cohorts.services import cancel_session, open_calendar_feed, revoke_calendar_feeds
from tests.cohorts.learner_world import ROLES, client_as, empty_cache, world  # noqa: F401
from tests.factories_cohorts import CohortFactory, EnrollmentFactory, SessionFactory

pytestmark = pytest.mark.django_db


def unfold(body):
    """Content lines as a calendar app reads them (RFC 5545 3.1)."""
    return body.replace("\r\n ", "").split("\r\n")[:-1]


def events(lines):
    found, current = [], None
    for line in lines:
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            found.append(current)
            current = None
        elif current is not None:
            name, _, value = line.partition(":")
            current[name] = value
    return found


def fetch(client, feed):
    response = client.get(f"/calendar/{feed.token}.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return response.content.decode("utf-8")


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


def test_learner_feed_is_a_well_formed_calendar_of_their_sessions(client, world, sessions):
    body = fetch(client, open_calendar_feed(learner=world.learner))
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.endswith("END:VCALENDAR\r\n")
    assert "\n" not in body.replace("\r\n", "")  # CRLF only, never a bare newline
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))
    lines = unfold(body)
    assert "VERSION:2.0" in lines and any(line.startswith("PRODID:") for line in lines)
    assert lines.count("BEGIN:VTIMEZONE") == 1 and "TZID:America/New_York" in lines
    found = events(lines)
    assert len(found) == 3  # one per session of the learner's cohort, cancelled included
    by_uid = {event["UID"]: event for event in found}
    first = by_uid[f"session-{sessions['first'].pk}@testserver"]
    assert first["SUMMARY"] == "English\\, Level 1\\; evenings: Greetings"
    assert first["DTSTART;TZID=America/New_York"] == "20261005T180000"
    assert first["DTEND;TZID=America/New_York"] == "20261005T200000"
    assert first["LOCATION"] == "Room 4"
    assert first["STATUS"] == "CONFIRMED"
    cancelled = by_uid[f"session-{sessions['cancelled'].pk}@testserver"]
    assert cancelled["STATUS"] == "CANCELLED"
    assert cancelled["DTSTART;TZID=America/New_York"] == "20261102T180000"  # wall-clock time kept across DST
    assert "Building closed" in cancelled["DESCRIPTION"]
    assert "Other class" not in body


def test_uids_are_stable_between_fetches(client, world, sessions):
    feed = open_calendar_feed(learner=world.learner)
    uids = [re.findall(r"UID:(\S+)", fetch(client, feed)) for _ in range(2)]
    assert uids[0] == uids[1] and len(set(uids[0])) == 3


def test_vtimezone_describes_both_offsets_of_the_year(client, world, sessions):
    lines = unfold(fetch(client, open_calendar_feed(learner=world.learner)))
    zone = lines[lines.index("BEGIN:VTIMEZONE") : lines.index("END:VTIMEZONE")]
    assert "BEGIN:DAYLIGHT" in zone and "TZOFFSETTO:-0400" in zone
    assert "DTSTART:20261101T020000" in zone and "TZOFFSETTO:-0500" in zone


def test_another_learners_token_shows_only_that_learners_sessions(client, world, sessions):
    body = fetch(client_as(client, world, "learner"), open_calendar_feed(learner=world.other_learner))
    found = events(unfold(body))
    assert [event["UID"] for event in found] == [f"session-{sessions['other'].pk}@testserver"]
    assert "Greetings" not in body


def test_waitlisted_and_withdrawn_cohorts_stay_out_of_the_feed(client, world, sessions):
    waiting = CohortFactory(partner=world.partner, name="Waiting Cohort")
    EnrollmentFactory(cohort=waiting, learner=world.learner, status=Enrollment.Status.WAITLISTED)
    SessionFactory(cohort=waiting, date=datetime.date(2026, 10, 7))
    left = CohortFactory(partner=world.partner, name="Left Cohort")
    EnrollmentFactory(cohort=left, learner=world.learner, status=Enrollment.Status.WITHDRAWN)
    SessionFactory(cohort=left, date=datetime.date(2026, 10, 8))
    body = fetch(client, open_calendar_feed(learner=world.learner))
    assert "Waiting Cohort" not in body and "Left Cohort" not in body
    assert len(events(unfold(body))) == 3


def test_online_session_has_the_meeting_link(client, world):
    online = CohortFactory(
        partner=world.partner, name="Online", delivery="online", location="", meeting_link="https://meet.example/x"
    )
    EnrollmentFactory(cohort=online, learner=world.learner)
    SessionFactory(cohort=online, date=datetime.date(2026, 10, 7))
    (event,) = events(unfold(fetch(client, open_calendar_feed(learner=world.learner))))
    assert event["LOCATION"] == "https://meet.example/x"
    assert event["URL"] == "https://meet.example/x"


def test_instructor_feed_has_the_cohorts_they_teach(client, world, sessions):
    body = fetch(client, open_calendar_feed(user=world.instructor))
    assert len(events(unfold(body))) == 3 and "Other class" not in body
    other_body = fetch(client, open_calendar_feed(user=world.other_instructor))
    assert events(unfold(other_body)) == []


def test_feed_of_a_deactivated_instructor_is_gone(client, world, sessions):
    feed = open_calendar_feed(user=world.instructor)
    world.instructor.is_active = False
    world.instructor.save()
    assert client.get(f"/calendar/{feed.token}.ics").status_code == 404


def test_revoked_and_unknown_tokens_are_not_found(client, world, sessions):
    feed = open_calendar_feed(learner=world.learner)
    revoke_calendar_feeds(learner=world.learner)
    assert client.get(f"/calendar/{feed.token}.ics").status_code == 404
    assert client.get("/calendar/not-a-real-token.ics").status_code == 404
    new_feed = open_calendar_feed(learner=world.learner)
    assert new_feed.token != feed.token
    assert client.get(f"/calendar/{new_feed.token}.ics").status_code == 200


def test_opening_a_feed_twice_gives_the_same_link(world):
    assert open_calendar_feed(learner=world.learner) == open_calendar_feed(learner=world.learner)
    assert CalendarFeed.objects.count() == 1


@pytest.mark.parametrize("role", ROLES)
def test_a_feed_is_read_by_its_token_alone(client, world, sessions, role):
    """Calendar apps fetch without signing in; who is signed in changes nothing about what a token shows."""
    body = fetch(client_as(client, world, role), open_calendar_feed(learner=world.learner))
    assert len(events(unfold(body))) == 3 and "Other class" not in body


def test_feed_queries_do_not_grow_with_sessions(client, world, sessions, django_assert_max_num_queries):
    feed = open_calendar_feed(learner=world.learner)
    for day in range(1, 25):
        SessionFactory(cohort=world.cohort, date=datetime.date(2026, 12, 1) + datetime.timedelta(days=day - 1))
    with django_assert_max_num_queries(2):  # the feed with its owner, then the sessions with their cohorts
        fetch(client, feed)


# --- the serializer on its own ----------------------------------------------------------------


def test_text_escaping():
    assert ics.escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"


def test_folding_never_splits_a_character_and_keeps_75_octets():
    line = "SUMMARY:" + "دروس اللغة الإنجليزية " * 10
    folded = ics.fold(line)
    physical = folded.split("\r\n")
    assert len(physical) > 1
    assert all(len(part.encode("utf-8")) <= 75 for part in physical)
    assert all(part.startswith(" ") for part in physical[1:])
    assert folded.replace("\r\n ", "") == line


def test_zone_without_daylight_saving_has_one_observance():
    lines = ics.vtimezone("Asia/Kolkata", 2026, 2026)
    assert lines.count("BEGIN:STANDARD") == 1 and "BEGIN:DAYLIGHT" not in lines
    assert "TZOFFSETTO:+0530" in lines


def test_event_times_are_written_in_the_events_zone():
    zone = "Europe/Berlin"
    start = datetime.datetime(2026, 7, 1, 16, 0, tzinfo=datetime.UTC)
    body = ics.calendar(
        [ics.Event(uid="x", start=start, end=start + datetime.timedelta(hours=1), time_zone=zone, summary="S")],
        name="N",
        stamp=timezone.now(),
    )
    assert "DTSTART;TZID=Europe/Berlin:20260701T180000\r\n" in body
