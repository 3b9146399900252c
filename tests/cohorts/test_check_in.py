"""Self check-in at /learn/check-in/: the code shown in class, typed or scanned, inside the session's window."""

# Fixtures come from tests/cohorts/learner_world.py; test arguments of the same name are those fixtures.
# ruff: noqa: F811

import datetime
from urllib.parse import quote

import pytest
from django.utils import timezone

from cohorts.models import Attendance, Session
from cohorts.services import issue_check_in_code
from tests.cohorts.learner_world import ROLES, STAFF_ROLES, client_as, empty_cache, world  # noqa: F401
from tests.factories_cohorts import AttendanceFactory, SessionFactory

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
CLASS_START = datetime.datetime(2026, 10, 5, 22, 0, tzinfo=UTC)  # Monday 18:00 in New York; class until 20:00


class Clock:
    now = CLASS_START

    @classmethod
    def at(cls, **after_start):
        cls.now = CLASS_START + datetime.timedelta(**after_start)


@pytest.fixture
def clock(monkeypatch):
    Clock.now = CLASS_START
    monkeypatch.setattr(timezone, "now", lambda: Clock.now)
    return Clock


@pytest.fixture
def todays_session(world):
    session = SessionFactory(cohort=world.cohort, date=datetime.date(2026, 10, 5), topic="Greetings")
    return issue_check_in_code(session=session, by=world.instructor)


@pytest.fixture
def learner_client(client, world, clock):
    return client_as(client, world, "learner")


def check_in(client, code):
    return client.post("/learn/check-in/", {"code": code})


def marks(world):
    return list(Attendance.objects.filter(enrollment=world.enrollment).values_list("status", "minutes_late", "source"))


def test_right_code_in_the_window_marks_the_learner_present(learner_client, world, clock, todays_session):
    clock.at(minutes=5)
    response = check_in(learner_client, todays_session.check_in_code)
    html = response.content.decode()
    assert response.status_code == 200
    assert "You're marked present for <bdi>English Level 1</bdi> at <bdi>6:05 p.m.</bdi></p>" in html
    assert marks(world) == [("present", None, "check_in")]


def test_code_typed_in_small_letters_with_spaces_still_works(learner_client, world, clock, todays_session):
    code = todays_session.check_in_code
    check_in(learner_client, f" {code[:3].lower()} {code[3:].lower()} ")
    assert marks(world) == [("present", None, "check_in")]


def test_twenty_minutes_after_the_start_is_late_with_the_minutes(learner_client, world, clock, todays_session):
    clock.at(minutes=20)
    html = check_in(learner_client, todays_session.check_in_code).content.decode()
    assert (
        "You're marked late for <bdi>English Level 1</bdi> at <bdi>6:20 p.m.</bdi> (20 minutes after the start)" in html
    )
    assert marks(world) == [("late", 20, "check_in")]


def test_before_the_window_opens_nothing_is_recorded(learner_client, world, clock, todays_session):
    clock.at(minutes=-30)
    html = check_in(learner_client, todays_session.check_in_code).content.decode()
    assert "Check-in opens 15 minutes before class starts." in html
    assert marks(world) == []


def test_fifteen_minutes_early_is_already_allowed(learner_client, world, clock, todays_session):
    clock.at(minutes=-15)
    check_in(learner_client, todays_session.check_in_code)
    assert marks(world) == [("present", None, "check_in")]


def test_after_the_session_ended_nothing_is_recorded(learner_client, world, clock, todays_session):
    clock.at(hours=2, minutes=1)
    html = check_in(learner_client, todays_session.check_in_code).content.decode()
    assert "Check-in for this session has closed. Ask your instructor to mark you." in html
    assert marks(world) == []


NOT_RIGHT = "That code is not right for any of your classes. Check it and try again."


def test_wrong_code_is_refused(learner_client, world, clock, todays_session):
    wrong = "CDEFGH" if todays_session.check_in_code != "CDEFGH" else "HGFEDC"
    html = check_in(learner_client, wrong).content.decode()
    assert NOT_RIGHT in html
    assert marks(world) == []


def test_a_code_for_someone_elses_class_gets_the_same_message(learner_client, world, clock, todays_session):
    """No leak: a real code of a class the learner is not in reads exactly like a wrong one."""
    other = issue_check_in_code(
        session=SessionFactory(cohort=world.other_cohort, date=datetime.date(2026, 10, 5)), by=None
    )
    html = check_in(learner_client, other.check_in_code).content.decode()
    assert NOT_RIGHT in html
    assert not Attendance.objects.exists()


def test_a_mark_from_the_instructor_is_not_overwritten(learner_client, world, clock, todays_session):
    AttendanceFactory(
        session=todays_session, enrollment=world.enrollment, status="absent", recorded_by=world.instructor
    )
    clock.at(minutes=30)
    html = check_in(learner_client, todays_session.check_in_code).content.decode()
    assert "Your instructor already marked you “Absent”" in html
    assert marks(world) == [("absent", None, "roster")]


def test_cancelled_session_refuses_check_in(learner_client, world, clock, todays_session):
    Session.objects.filter(pk=todays_session.pk).update(status="cancelled", cancellation_reason="Snow")
    html = check_in(learner_client, todays_session.check_in_code).content.decode()
    assert "This session was cancelled." in html
    assert marks(world) == []


def test_too_many_wrong_codes_pause_check_in_for_that_learner_only(client, world, clock, todays_session):
    client_as(client, world, "learner")
    for _attempt in range(10):
        assert check_in(client, "XXXXXX").status_code == 200
    response = check_in(client, todays_session.check_in_code)
    assert response.status_code == 429
    assert "Too many codes that did not work. Wait 10 minutes" in response.content.decode()
    assert marks(world) == []  # even the right code waits


def test_the_limit_is_per_learner(client, world, clock, todays_session):
    from cohorts.models import Enrollment
    from tests.cohorts.learner_world import learner_with_account
    from tests.factories_cohorts import EnrollmentFactory

    classmate = learner_with_account(world.partner, full_name="Classmate")
    EnrollmentFactory(cohort=world.cohort, learner=classmate, status=Enrollment.Status.ACTIVE)
    client_as(client, world, "learner")
    for _attempt in range(10):
        check_in(client, "XXXXXX")
    client.force_login(classmate.user)
    assert check_in(client, todays_session.check_in_code).status_code == 200
    assert Attendance.objects.get().enrollment.learner == classmate


# --- the QR code link and signing in ----------------------------------------------------------


def test_qr_link_prefills_the_code_in_a_phone_friendly_input(learner_client, todays_session):
    code = todays_session.check_in_code
    html = learner_client.get(f"/learn/check-in/?code={code}").content.decode()
    assert f'value="{code}"' in html
    for attribute in ['autocomplete="one-time-code"', 'autocapitalize="characters"', 'inputmode="text"']:
        assert attribute in html


def test_anonymous_scan_goes_to_sign_in_and_keeps_the_code(client, world, todays_session):
    code = todays_session.check_in_code
    response = client.get(f"/learn/check-in/?code={code}")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=" + quote(f"/learn/check-in/?code={code}", safe="/")
    # After signing in, the login page sends them back to the prefilled form.
    world.learner.user.set_password("a long pass phrase 42")
    world.learner.user.save()
    response = client.post(
        response["Location"],
        {
            "username": world.learner.user.username,
            "password": "a long pass phrase 42",
            "next": f"/learn/check-in/?code={code}",
        },
    )
    assert response["Location"] == f"/learn/check-in/?code={code}"
    assert f'value="{code}"' in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_check_in_page_by_role(client, world, clock, todays_session, role):
    response = client_as(client, world, role).get("/learn/check-in/")
    if role == "anonymous":
        assert response["Location"].startswith("/accounts/login/?next=/learn/check-in/")
    elif role in STAFF_ROLES:
        assert response["Location"] == "/teach/"
    else:
        assert response.status_code == 200  # a signed-in learner is never asked to sign in again
        assert "Check in to class" in response.content.decode()
    if role != "learner":
        response = client.post("/learn/check-in/", {"code": todays_session.check_in_code})
        assert not Attendance.objects.exists()
