"""The sign-in and setup pages in the reader's language, in one word for "password"."""

import pytest
from django.test import Client

from people.models import Role
from tests.builders import page_text
from tests.conftest import user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def arabic(client):
    client.cookies["django_language"] = "ar"
    return client


def test_the_arabic_sign_in_page_says_password_the_way_every_other_page_does(arabic):
    user_with_role(Role.LEARNER, username="fatima")

    form = page_text(arabic.get("/accounts/login/"))
    refused = page_text(arabic.post("/accounts/login/", {"username": "fatima", "password": "wrong"}))

    assert "كلمة المرور" in form and "رمز المرور" not in form
    assert "كلمة المرور" in refused and "كلمة السر" not in refused


def test_the_password_rules_on_the_setup_page_follow_each_readers_language(arabic):
    """Django's rules were computed once, in the language of whichever request first imported the form."""
    spanish = Client()
    spanish.cookies["django_language"] = "es"

    in_arabic = page_text(arabic.get("/accounts/setup/"))
    in_spanish = page_text(spanish.get("/accounts/setup/"))

    assert "لا يمكن أن تكون كلمة المرور مكونة من أرقام فقط." in in_arabic
    assert "Su contraseña no puede ser completamente numérica." in in_spanish
