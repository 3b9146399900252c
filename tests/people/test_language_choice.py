"""The language switcher remembers the choice: in the browser (cookie) and, for someone signed in, on their
account, so the next phone, the learner's portal, emails and certificates are in that language too."""

import pytest
from django.conf import settings
from django.test import Client

from people.models import Role
from people.services import assign_role
from tests.factories import PASSWORD, LearnerFactory, PartnerFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def learner():
    user = assign_role(user=UserFactory(username="amina"), role=Role.LEARNER)
    return LearnerFactory(full_name="Amina Yusuf", user=user, preferred_language="en")


def test_a_signed_in_learner_choosing_arabic_keeps_it_on_their_account(client, learner):
    client.force_login(learner.user)

    response = client.post("/i18n/setlang/", {"language": "ar", "next": "/learn/"})

    assert response.status_code == 302 and response["Location"] == "/learn/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ar"
    learner.refresh_from_db()
    learner.user.refresh_from_db()
    assert learner.preferred_language == "ar" and learner.user.preferred_language == "ar"


def test_the_choice_follows_the_learner_to_another_phone(client, learner):
    client.force_login(learner.user)
    client.post("/i18n/setlang/", {"language": "es", "next": "/learn/"})

    other_phone = Client()  # no language cookie there
    other_phone.force_login(learner.user)
    response = other_phone.get("/learn/")

    assert response.status_code == 200
    assert response.headers["Content-Language"] == "es"
    assert 'lang="es"' in response.content.decode()


def test_a_language_we_do_not_offer_changes_nothing(client, learner):
    client.force_login(learner.user)

    response = client.post("/i18n/setlang/", {"language": "xx", "next": "/learn/"})

    assert response.status_code == 302
    learner.refresh_from_db()
    assert learner.preferred_language == "en"


def test_an_anonymous_visitor_gets_the_cookie_only(client):
    response = client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})

    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "zh-hans"


def test_staff_choosing_a_language_keep_it_too(client):
    staff = UserFactory(username="instructor")
    assign_role(user=staff, role=Role.PROGRAM_MANAGER)
    client.force_login(staff)

    client.post("/i18n/setlang/", {"language": "pt-br", "next": "/teach/"})

    staff.refresh_from_db()
    assert staff.preferred_language == "pt-br"


def sign_in(client, user):
    return client.post("/accounts/login/", {"username": user.username, "password": PASSWORD, "next": "/teach/"})


@pytest.fixture
def instructor_who_chose_arabic():
    instructor = UserFactory(username="samira", preferred_language="ar")
    return assign_role(user=instructor, role=Role.INSTRUCTOR, partner=PartnerFactory())


def test_staff_signing_in_on_another_phone_get_the_language_they_chose(instructor_who_chose_arabic):
    other_phone = Client()  # no language cookie there

    response = sign_in(other_phone, instructor_who_chose_arabic)
    today = other_phone.get("/teach/")

    assert response.status_code == 302 and response["Location"] == "/teach/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ar"
    assert today.status_code == 200
    assert today.headers["Content-Language"] == "ar" and 'dir="rtl"' in today.content.decode()


def test_a_language_chosen_on_this_phone_stays_when_signing_in(client, instructor_who_chose_arabic):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"

    response = sign_in(client, instructor_who_chose_arabic)

    assert response.status_code == 302
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies  # the phone's own choice is left alone
    assert client.get("/teach/").headers["Content-Language"] == "es"


def test_someone_who_never_chose_gets_no_language_pinned_at_sign_in(client):
    staff = assign_role(user=UserFactory(username="jo"), role=Role.INSTRUCTOR, partner=PartnerFactory())  # never chose

    response = sign_in(client, staff)
    today = client.get("/teach/", HTTP_ACCEPT_LANGUAGE="es")

    assert response.status_code == 302 and settings.LANGUAGE_COOKIE_NAME not in response.cookies
    assert today.headers["Content-Language"] == "es"  # the browser's own language still counts
