"""Signing in at /accounts/login/."""

import pytest

from demo.content import DEMO_PASSWORD
from people.models import Role
from people.services import assign_role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


@pytest.fixture
def demo_staff(partner_a):
    """An account like the demo's partner staff login."""
    user = UserFactory(username="staff.northside", password=DEMO_PASSWORD)
    return assign_role(user=user, role=Role.PARTNER_STAFF, partner=partner_a)


def signed_in_user_id(client):
    return client.session.get("_auth_user_id")


def test_login_page_shows_the_sign_in_form(client):
    response = client.get(LOGIN)

    page = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Sign in</h1>" in page
    assert 'name="username"' in page and 'name="password"' in page and 'type="password"' in page


def test_demo_credentials_sign_in_and_go_to_their_admin_home(client, demo_staff):
    response = client.post(LOGIN, {"username": "staff.northside", "password": DEMO_PASSWORD})

    assert response.status_code == 302
    # partner staff's home (people.homes), once they have given their second factor (people.two_factor)
    assert response["Location"] == "/accounts/two-factor/?next=%2Fadmin%2F"
    assert signed_in_user_id(client) == str(demo_staff.pk)


def test_sign_in_returns_to_the_page_asked_for(client, demo_staff):
    response = client.post(LOGIN, {"username": "staff.northside", "password": DEMO_PASSWORD, "next": "/teach/"})

    assert response.status_code == 302 and response["Location"] == "/accounts/two-factor/?next=%2Fteach%2F"


def test_sign_in_never_sends_people_to_another_site(client, demo_staff):
    response = client.post(
        LOGIN, {"username": "staff.northside", "password": DEMO_PASSWORD, "next": "https://evil.example/"}
    )

    assert response.status_code == 302 and response["Location"] == "/accounts/two-factor/?next=%2Fadmin%2F"


def test_wrong_password_shows_the_form_error_and_signs_no_one_in(client, demo_staff):
    response = client.post(LOGIN, {"username": "staff.northside", "password": "not-the-password"})

    page = response.content.decode()
    assert response.status_code == 200
    assert 'role="alert"' in page
    assert "Please enter a correct username and password." in page
    assert signed_in_user_id(client) is None


def test_deactivated_account_cannot_sign_in(client, demo_staff):
    demo_staff.is_active = False
    demo_staff.save()

    response = client.post(LOGIN, {"username": "staff.northside", "password": DEMO_PASSWORD})

    assert response.status_code == 200
    assert signed_in_user_id(client) is None
