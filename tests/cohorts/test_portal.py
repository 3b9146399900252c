"""The learner portal: my cohorts with waitlist place and seat offers, the next 14 days, attendance history,
the learner's language, and who may open it."""

# Fixtures come from tests/cohorts/learner_world.py; test arguments of the same name are those fixtures.
# ruff: noqa: F811

import datetime
import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cohorts.models import Attendance, CalendarFeed, Enrollment
from tests.builders import stop_clock
from tests.cohorts.learner_world import ROLES, STAFF_ROLES, client_as, empty_cache, world  # noqa: F401
from tests.factories_cohorts import AttendanceFactory, CohortFactory, EnrollmentFactory, LearnerFactory, SessionFactory

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
NOW = datetime.datetime(2026, 10, 5, 22, 5, tzinfo=UTC)  # Monday 18:05 in New York, class 18:00–20:00


@pytest.fixture
def clock(monkeypatch):
    return stop_clock(monkeypatch, NOW)


def session(cohort, day, **fields):
    return SessionFactory(cohort=cohort, date=datetime.date(2026, *day), **fields)


@pytest.fixture
def timetable(world):
    """Amina's class: three past sessions with marks, today's, two more within 14 days (one cancelled), one later."""
    cohort = world.cohort
    past = [session(cohort, (9, 14)), session(cohort, (9, 21)), session(cohort, (9, 28))]
    for held, status in zip(past, ["late", "present", "absent"], strict=True):
        AttendanceFactory(
            session=held, enrollment=world.enrollment, status=status, minutes_late=15 if status == "late" else None
        )
    return {
        "past": past,
        "today": session(cohort, (10, 5), topic="Greetings"),
        "next": session(cohort, (10, 12), topic="At the doctor"),
        "cancelled": session(cohort, (10, 19), status="cancelled", cancellation_reason="Building closed for repairs"),
        "later": session(cohort, (10, 26), topic="Far away topic"),
        "not_mine": session(world.other_cohort, (10, 6), topic="Someone else's class"),
    }


# --- who may open /learn/ -------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_portal_by_role(client, world, clock, role):
    response = client_as(client, world, role).get("/learn/")
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=/learn/")
    elif role in STAFF_ROLES:
        assert response.status_code == 302
        assert response["Location"] == "/teach/"
    else:
        assert response.status_code == 200
        html = response.content.decode()
        own, other = (world.cohort, world.other_cohort) if role == "learner" else (world.other_cohort, world.cohort)
        assert own.name in html
        assert other.name not in html


def test_a_learner_sees_only_their_own_sessions_and_attendance(client, world, clock, timetable):
    html = client_as(client, world, "other_learner").get("/learn/").content.decode()
    assert "Someone else&#x27;s class" in html
    for text in ["Greetings", "At the doctor", "Building closed", "You came to 2"]:
        assert text not in html
    assert "No classes held yet." in html  # Carlos's own class has not met yet


def test_account_without_a_learner_record_is_told_to_ask_staff(client, world):
    from tests.factories_cohorts import UserFactory

    client.force_login(UserFactory(role="learner"))
    response = client.get("/learn/")
    assert response.status_code == 403
    assert "not linked to a learner record" in response.content.decode()


# --- what the learner sees ----------------------------------------------------------------------


def test_next_fourteen_days_with_local_time_place_and_cancellations(client, world, clock, timetable):
    html = client_as(client, world, "learner").get("/learn/").content.decode()
    upcoming = html.split('id="upcoming-heading"')[1].split('id="cohorts-heading"')[0]
    # Today's class is still on (18:05, it ends at 20:00); times are the cohort's (New York) with its zone.
    assert "Greetings" in upcoming and "At the doctor" in upcoming
    assert "<bdi>6 p.m.</bdi>–<bdi>8 p.m.</bdi> <bdi>EDT</bdi>" in upcoming
    assert "Room 4" in upcoming
    # Cancelled sessions stay in the list, marked, with the reason.
    assert "Building closed for repairs" in upcoming
    assert upcoming.count("session-item--cancelled") == 1
    # Beyond 14 days, and other people's classes, are not listed.
    assert "Far away topic" not in upcoming
    assert "Someone else" not in upcoming


def test_online_class_shows_the_meeting_link_not_a_room(client, world, clock):
    online = CohortFactory(
        partner=world.partner,
        name="Online English",
        delivery="online",
        location="",
        meeting_link="https://meet.example/abc",
    )
    EnrollmentFactory(cohort=online, learner=world.learner)
    session(online, (10, 7))
    html = client_as(client, world, "learner").get("/learn/").content.decode()
    assert 'href="https://meet.example/abc"' in html
    assert "Join online" in html


def test_attendance_history_counts_attended_of_held(client, world, clock, timetable):
    html = client_as(client, world, "learner").get("/learn/").content.decode()
    history = html.split('id="attendance-heading"')[1]
    # Sep 14 late, Sep 21 present, Sep 28 absent: 2 of 3 (the program's reading, as on the cohort page and
    # for credentials). Oct 5 started and is not marked yet: on neither side, told apart.
    assert "You came to 2 of 3 classes. 1 class is not marked yet: ask your instructor." in history
    assert history.count("status-tag--absent") == 1
    assert "Late (15 min)" in history
    assert "Not marked yet" in history
    # Cancelled and future sessions are not in the history.
    assert "Oct. 19, 2026" not in history and "Oct. 12, 2026" not in history


def test_excused_counts_on_neither_side(client, world, clock, timetable):
    Attendance.objects.filter(session=timetable["past"][2]).update(status="excused")
    html = client_as(client, world, "learner").get("/learn/").content.decode()
    # Sep 28 excused: 2 of 2, and Oct 5 still not marked.
    assert "You came to 2 of 2 classes. 1 excused. 1 class is not marked yet: ask your instructor." in html


def test_waitlist_position_and_status(client, world, clock):
    full = CohortFactory(partner=world.partner, name="Citizenship Prep", capacity=1)
    EnrollmentFactory(cohort=full, status=Enrollment.Status.ACTIVE)
    for minutes in (1, 2):  # two people ahead of Amina
        EnrollmentFactory(
            cohort=full,
            status=Enrollment.Status.WAITLISTED,
            enrolled_on=None,
            waitlisted_at=NOW - datetime.timedelta(days=3, minutes=-minutes),
        )
    EnrollmentFactory(
        cohort=full,
        learner=world.learner,
        status=Enrollment.Status.WAITLISTED,
        enrolled_on=None,
        waitlisted_at=NOW - datetime.timedelta(days=1),
    )
    html = client_as(client, world, "learner").get("/learn/").content.decode()
    assert "You are number <strong>3</strong> on the waitlist." in html
    assert "On the waitlist" in html


def offered(world):
    cohort = CohortFactory(partner=world.partner, name="Job Readiness", capacity=1)
    return EnrollmentFactory(
        cohort=cohort,
        learner=world.learner,
        status=Enrollment.Status.OFFERED,
        enrolled_on=None,
        offer_expires_at=NOW + datetime.timedelta(hours=48),
    )


def test_seat_offer_is_accepted_from_the_portal(client, world, clock):
    enrollment = offered(world)
    client_as(client, world, "learner")
    html = client.get("/learn/").content.decode()
    assert "A seat is waiting for you" in html and "Accept seat" in html
    response = client.post(f"/learn/offers/{enrollment.pk}/accept/", follow=True)
    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.ACTIVE
    assert "Your seat in Job Readiness is confirmed" in response.content.decode()


def test_expired_offer_shows_the_services_message(client, world, clock):
    enrollment = offered(world)
    Enrollment.objects.filter(pk=enrollment.pk).update(offer_expires_at=NOW - datetime.timedelta(minutes=1))
    response = client_as(client, world, "learner").post(f"/learn/offers/{enrollment.pk}/accept/", follow=True)
    assert "This offer has expired" in response.content.decode()
    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.OFFERED


@pytest.mark.parametrize("role", ROLES)
def test_accepting_an_offer_by_role(client, world, clock, role):
    enrollment = offered(world)
    response = client_as(client, world, role).post(f"/learn/offers/{enrollment.pk}/accept/")
    enrollment.refresh_from_db()
    if role == "learner":
        assert response.status_code == 302 and enrollment.status == Enrollment.Status.ACTIVE
        return
    assert enrollment.status == Enrollment.Status.OFFERED
    if role == "anonymous":
        assert response["Location"].startswith("/accounts/login/")
    elif role == "other_learner":
        # Not theirs: not found. (Django's locale middleware turns an unprefixed 404 into a redirect
        # to the /en/ address, which is a 404 too.)
        if response.status_code == 302:
            assert response["Location"] == f"/en/learn/offers/{enrollment.pk}/accept/"
            response = client.get(response["Location"])
        assert response.status_code == 404
    else:
        assert response["Location"] == "/teach/"


# --- language ---------------------------------------------------------------------------------


def test_portal_speaks_the_learners_language_until_they_choose_another(client, world, clock):
    world.learner.preferred_language = "ar"
    world.learner.save()
    client_as(client, world, "learner")
    response = client.get("/learn/", headers={"accept-language": "en"})
    html = response.content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert response["Content-Language"] == "ar"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    html = client.get("/learn/").content.decode()
    assert '<html lang="es" dir="ltr">' in html


# --- queries ----------------------------------------------------------------------------------


def portal_queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/learn/").status_code == 200
    return len(queries)


def test_portal_queries_do_not_grow_with_cohorts_or_sessions(client, world, clock, timetable):
    client_as(client, world, "learner")
    portal_queries(client)  # the first page of a site creates its branding settings
    portal_queries(client)  # the second fills the caches
    few = portal_queries(client)
    for number in range(4):
        cohort = CohortFactory(partner=world.partner, name=f"Extra {number}")
        enrollment = EnrollmentFactory(cohort=cohort, learner=world.learner)
        for day in (21, 28):
            AttendanceFactory(session=session(cohort, (9, day)), enrollment=enrollment)
        session(cohort, (10, 8))
    many = portal_queries(client)
    assert many == few
    # session, user, learner, enrollments (with waitlist place), feed, upcoming sessions, marks, held sessions,
    # then the page chrome: the site (branding comes from the cache, and a learner gets no admin user bar) (9);
    # then the sections incentives adds: the month's bonus rules (none here), past bonuses, savings,
    # the learner's tracks, their milestones and the milestone types (6); credentials adds its pathways (1).
    assert many <= 16


# --- calendar link from the portal ------------------------------------------------------------


def test_learner_creates_and_stops_their_calendar_link(client, world, clock):
    client_as(client, world, "learner")
    html = client.get("/learn/").content.decode()
    assert "Create calendar link" in html
    response = client.post("/calendar/mine/", {"action": "create"})
    assert response["Location"] == "/learn/#calendar"
    html = client.get("/learn/").content.decode()
    (link,) = re.findall(r'href="http://testserver(/calendar/[^"]+\.ics)"', html)
    assert "This link is shown only now" in html
    assert client.get(link).status_code == 200
    # Only its digest is kept: the next visit says the link works, and offers a new one instead of showing it.
    html = client.get("/learn/").content.decode()
    assert link not in html and "Your calendar link is working." in html and "Make a new link" in html
    client.post("/calendar/mine/", {"action": "renew"})
    (new_link,) = re.findall(r'href="http://testserver(/calendar/[^"]+\.ics)"', client.get("/learn/").content.decode())
    assert new_link != link
    assert client.get(link).status_code == 404 and client.get(new_link).status_code == 200
    client.post("/calendar/mine/", {"action": "revoke"})
    assert client.get(new_link).status_code == 404
    assert "Create calendar link" in client.get("/learn/").content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_my_calendar_by_role(client, world, role):
    client_as(client, world, role)
    response = client.post("/calendar/mine/", {"action": "create"})
    if role == "anonymous":
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
        assert not CalendarFeed.objects.exists()
    elif role in ("learner", "other_learner"):
        assert response["Location"] == "/learn/#calendar"
        assert CalendarFeed.objects.get().learner == world.user(role).learner
    elif role in ("instructor", "other_instructor"):
        assert response["Location"] == "/calendar/mine/"
        feed = CalendarFeed.objects.get()
        assert feed.user == world.user(role) and feed.learner is None
        page = client.get("/calendar/mine/").content.decode()
        (link,) = re.findall(r'href="http://testserver(/calendar/[^"]+\.ics)"', page)
        assert client.get(link).status_code == 200
    else:  # partner staff and managers teach no sessions
        assert response.status_code == 403
        assert not CalendarFeed.objects.exists()


def test_another_learners_enrollment_is_never_shown_even_in_the_same_cohort(client, world, clock, timetable):
    classmate = LearnerFactory(partner=world.partner, full_name="Classmate Private Name")
    classmate_enrollment = EnrollmentFactory(cohort=world.cohort, learner=classmate)
    AttendanceFactory(session=timetable["past"][0], enrollment=classmate_enrollment, status="absent")
    html = client_as(client, world, "learner").get("/learn/").content.decode()
    assert "Classmate Private Name" not in html
    assert html.count("status-tag--absent") == 1  # Amina's own Sep 28 absence only


# --- the cohort's name in the learner's language --------------------------------------------------------------


def test_an_arabic_learner_reads_the_cohort_and_term_in_arabic_and_the_main_name_when_none(client, world, clock):
    world.learner.preferred_language = "ar"
    world.learner.save()
    cohort = world.cohort
    cohort.term, cohort.term_translations = "Fall 2026", {"es": "Otoño 2026"}  # no Arabic term
    cohort.name_translations = {"ar": "الإنجليزية المستوى 1", "es": "Inglés nivel 1"}
    cohort.save()
    client_as(client, world, "learner")

    html = client.get("/learn/").content.decode()  # in her language, Arabic

    assert '<html lang="ar" dir="rtl">' in html
    assert "<bdi>الإنجليزية المستوى 1</bdi>" in html
    assert "English Level 1" not in html
    assert '<bdi lang="en">Fall 2026</bdi>' in html  # the main term, marked as English inside the Arabic page
    assert "Otoño" not in html
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    html = client.get("/learn/").content.decode()
    assert "<bdi>Inglés nivel 1</bdi>" in html and "<bdi>Otoño 2026</bdi>" in html
