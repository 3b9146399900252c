"""Issue 16, finding 6: staff passwords have at least 12 characters; no password holds the product's name, an
organization's name or the username; Django's common-password list stays; learners keep a gentler minimum of 8.
The errors are in the person's language."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import translation

from people.models import Role
from tests.factories import UserFactory
from tests.factories_cohorts import PartnerFactory

pytestmark = pytest.mark.django_db


def refusals(password, user):
    try:
        validate_password(password, user)
    except ValidationError as error:
        return error.messages
    return []


@pytest.fixture
def staff():
    partner = PartnerFactory(name="Northside Learning", slug="northside")
    return UserFactory(username="maya.manager", role=Role.PARTNER_STAFF, partner=partner)


@pytest.fixture
def learner():
    return UserFactory(username="amina", role=Role.LEARNER)


def test_staff_passwords_have_at_least_12_characters(staff):
    assert refusals("violet-kite7", staff) == []  # 12
    assert refusals("violet-kit7", staff) == ["This password is too short. It must contain at least 12 characters."]


def test_learners_keep_a_minimum_of_8(learner):
    assert refusals("kite-719", learner) == []
    assert refusals("kite-71", learner) == ["This password is too short. It must contain at least 8 characters."]


@pytest.mark.parametrize(
    "password",
    ["Pathways-winter-26", "my northside! garden", "NORTHSIDE.learning.99", "maya.manager.2026", "MayaManager#walnut"],
)
def test_the_product_organization_and_username_are_refused(staff, password):
    assert "This password contains the name of the program, an organization or your username. Choose another." in (
        refusals(password, staff)
    )


def test_another_partners_name_is_refused_too(staff, learner):
    PartnerFactory(name="Harbor Center", slug="harbor")
    assert refusals("harbor-center-walnut", staff) != []
    assert refusals("amina-2026-walnut", learner) != []  # a learner's own username


def test_djangos_common_passwords_are_still_refused(staff):
    assert "This password is too common." in refusals("password1234", staff)


def test_the_errors_are_translated(staff):
    with translation.override("es"):
        messages = refusals("pathways", staff)
    assert any("12" in message and "contraseña" in message for message in messages), messages
    assert "This password contains the name of the program, an organization or your username. Choose another." not in (
        messages
    )


def test_a_staff_member_choosing_a_short_password_by_email_link_is_told_why(client, staff):
    """Through a real form: the reset page (people.views.PasswordResetConfirmView) uses the same validators."""
    import re

    from django.core import mail

    staff.email = "maya@example.org"
    staff.save()
    client.post("/accounts/password-reset/", {"email": "maya@example.org"})
    path = re.search(r"/accounts/password-reset/\S+/", mail.outbox[0].body).group(0)
    form_url = client.get(path, follow=True).redirect_chain[-1][0]

    response = client.post(form_url, {"new_password1": "kite-719-ok", "new_password2": "kite-719-ok"})

    assert response.status_code == 200
    assert "at least 12 characters" in response.content.decode()
