"""After signing in, each person reaches their own pages: learners their portal, instructors Today, partner
staff and managers the admin home; a safe `next` wins; the header links home on every page; a learner's
language comes from their learner record."""

import pytest
from django.conf import settings
from django.test import Client

from people.models import Role
from tests.builders import page_text
from tests.conftest import user_with_role
from tests.factories import PASSWORD, LearnerFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def sign_in(client, user, **extra):
    return client.post(LOGIN, {"username": user.username, "password": PASSWORD, **extra})


@pytest.fixture
def fatima(partner_a):
    """Her learner record says Arabic; her account was made with the default (English)."""
    account = user_with_role(Role.LEARNER, username="fatima")
    return LearnerFactory(partner=partner_a, full_name="Fatima Haidari", user=account, preferred_language="ar")


@pytest.mark.parametrize(
    ("who", "home"),
    [
        ("learner", "/learn/"),
        ("instructor", "/teach/"),
        # staff by way of their second factor (people.two_factor), which then sends them on
        ("partner_staff", "/accounts/two-factor/?next=%2Fadmin%2F"),
        ("manager", "/accounts/two-factor/?next=%2Fadmin%2F"),
    ],
)
def test_signing_in_leads_each_role_to_their_own_home(who, home, fatima, instructor_a, staff_a, manager):
    user = {"learner": fatima.user, "instructor": instructor_a, "partner_staff": staff_a, "manager": manager}[who]

    response = sign_in(Client(), user)

    assert response.status_code == 302 and response["Location"] == home


def test_a_safe_next_still_wins(instructor_a):
    response = sign_in(Client(), instructor_a, next="/teach/cohorts/")

    assert response["Location"] == "/teach/cohorts/"


def test_a_next_to_another_site_leads_home_instead(staff_a):
    response = sign_in(Client(), staff_a, next="https://evil.example/admin/")

    assert response["Location"] == "/accounts/two-factor/?next=%2Fadmin%2F"  # home, after the second factor


@pytest.mark.parametrize(
    ("who", "words", "home"),
    [
        ("learner", "My classes", "/learn/"),
        ("instructor", "My teaching", "/teach/"),
        ("manager", "My to-do list", "/admin/"),
    ],
)
def test_the_header_links_home_on_the_public_site_and_the_persons_own_pages(
    who, words, home, site_tree, learner_a, instructor_a, manager
):
    user = {"learner": learner_a.user, "instructor": instructor_a, "manager": manager}[who]
    client = Client()
    client.force_login(user)

    for path in ("/en/", "/en/about/", home if home != "/admin/" else "/en/programs/"):
        text = page_text(client.get(path))
        assert f'<a class="home-link" href="{home}">{words}</a>' in text, path


def test_a_visitor_sees_no_home_link(site_tree):
    assert "home-link" not in page_text(Client().get("/en/"))


def test_a_learner_signing_in_gets_the_language_of_their_learner_record(fatima):
    phone = Client()  # a phone with no language chosen on it

    response = sign_in(phone, fatima.user)
    portal = phone.get(response["Location"])

    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ar"
    assert portal.headers["Content-Language"] == "ar" and 'dir="rtl"' in portal.content.decode()
    assert "فصولي" in page_text(portal)  # "My classes" in the header, in Arabic


def test_the_learner_record_wins_over_an_older_choice_on_the_account(fatima):
    """Staff changed her language on the learner record after she once chose Spanish: the record is the source."""
    fatima.user.preferred_language = "es"
    fatima.user.save()

    response = sign_in(Client(), fatima.user)

    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ar"


def test_the_switcher_still_keeps_a_learners_choice_for_the_next_sign_in(fatima):
    phone = Client()
    phone.force_login(fatima.user)
    phone.post("/i18n/setlang/", {"language": "ht", "next": "/learn/"})

    response = sign_in(Client(), fatima.user)

    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ht"
