"""Issue 16, finding 3: sessions end. Staff after 30 minutes without activity and 12 hours after signing in;
learners may stay signed in 30 days on their phone, but sensitive pages ask for the password again when it was
last typed more than 10 minutes ago. The clock moves with time-machine (time.time and timezone.now alike)."""

# Fixtures come from tests/cohorts/learner_world.py; test arguments of the same name are those fixtures.
# ruff: noqa: F811

import datetime

import pytest
import time_machine

from people.models import Role
from people.services import assign_role
from people.two_factor import second_factor_required
from tests.cohorts.learner_world import empty_cache, world  # noqa: F401
from tests.factories import PASSWORD
from tests.second_factor import code_now, enrolled_app

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 10, 5, 8, 0, tzinfo=datetime.UTC)
MINUTE = datetime.timedelta(minutes=1)


def sign_in(client, user):
    """Through the sign-in page, and for staff who must have one, the second-factor page with their app's code."""
    response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    if second_factor_required(user):
        response = client.post("/accounts/two-factor/", {"code": code_now(enrolled_app(user))})
        assert response.status_code == 302, response.content.decode()[:500]


def signed_in(client):
    return client.session.get("_auth_user_id")


def test_staff_are_signed_out_after_30_minutes_without_activity(client, world):
    with time_machine.travel(START, tick=False) as clock:
        sign_in(client, world.instructor)
        clock.shift(29 * MINUTE)
        assert client.get("/teach/").status_code == 200
        clock.shift(29 * MINUTE)  # 58 minutes after signing in, 29 after the last page
        assert client.get("/teach/").status_code == 200

        clock.shift(31 * MINUTE)
        response = client.get("/teach/")

        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
        assert signed_in(client) is None
        page = client.get(response["Location"]).content.decode()
        assert "You were signed out after 30 minutes without activity." in page


def test_staff_are_signed_out_12_hours_after_signing_in_however_busy(client, world):
    with time_machine.travel(START, tick=False) as clock:
        sign_in(client, world.instructor)
        for _ in range(28):  # a page every 25 minutes, for 11 hours 40 minutes
            clock.shift(25 * MINUTE)
            assert client.get("/teach/").status_code == 200
        clock.shift(25 * MINUTE)  # 12 hours 5 minutes after signing in

        response = client.get("/teach/")

        assert response.status_code == 302 and signed_in(client) is None


def test_learners_stay_signed_in_for_30_days_then_sign_in_again(client, world):
    with time_machine.travel(START, tick=False) as clock:
        sign_in(client, world.learner.user)
        clock.shift(datetime.timedelta(days=29, hours=23))
        assert client.get("/learn/").status_code == 200

        clock.shift(2 * datetime.timedelta(hours=1))
        response = client.get("/learn/")

        assert response.status_code == 302 and signed_in(client) is None


def test_a_learners_sensitive_page_asks_for_the_password_again_after_10_minutes(client, world):
    with time_machine.travel(START, tick=False) as clock:
        sign_in(client, world.learner.user)
        assert client.get("/learn/name/").status_code == 200  # just signed in: the password is fresh

        clock.shift(11 * MINUTE)
        response = client.post("/learn/name/", {"name_latin": "Amina Yusuf"})
        assert response["Location"] == "/accounts/confirm-password/?next=%2Flearn%2Fname%2F"
        world.learner.refresh_from_db()
        assert world.learner.name_latin == ""  # nothing saved on the way

        wrong = client.post(response["Location"], {"password": "not-it", "next": "/learn/name/"})
        assert wrong.status_code == 400
        assert "That is not your password. Try again." in wrong.content.decode()

        right = client.post(response["Location"], {"password": PASSWORD, "next": "/learn/name/"})
        assert right["Location"] == "/learn/name/"
        assert client.post("/learn/name/", {"name_latin": "Amina Yusuf"}).status_code == 302
        world.learner.refresh_from_db()
        assert world.learner.name_latin == "Amina Yusuf"


@pytest.fixture
def manager(world):
    return assign_role(user=world.manager, role=Role.PROGRAM_MANAGER)


def test_a_staff_data_export_asks_for_the_password_again(client, world, manager):
    with time_machine.travel(START, tick=False) as clock:
        sign_in(client, world.manager)
        url = f"/admin/learners/data/{world.learner.pk}/"
        for _ in range(2):  # busy, never idle, but the password was typed 12 minutes ago
            clock.shift(6 * MINUTE)
            assert client.get("/admin/").status_code == 200

        response = client.post(url, {"action": "export"})

        assert response.status_code == 302 and response["Location"].startswith("/accounts/confirm-password/")
        client.post(response["Location"], {"password": PASSWORD, "next": url})
        export = client.post(url, {"action": "export"})
        assert export.status_code == 200 and export["Content-Type"] == "application/zip"


def test_the_admin_account_page_asks_for_the_password_again(client, world, manager):
    with time_machine.travel(START, tick=False) as clock:
        sign_in(client, world.manager)
        assert client.get("/admin/account/").status_code == 200
        clock.shift(11 * MINUTE)
        response = client.get("/admin/account/")
        assert response["Location"] == "/accounts/confirm-password/?next=%2Fadmin%2Faccount%2F"


def test_confirming_never_sends_to_another_site(client, world):
    sign_in(client, world.learner.user)
    response = client.post("/accounts/confirm-password/", {"password": PASSWORD, "next": "https://evil.example/"})
    assert response["Location"] == "/learn/"
