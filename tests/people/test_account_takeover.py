"""Issue 16, finding 1: staff-issued set-up codes cannot take over an account the learner already set up.

An instructor (or partner staff) gets a code only for an account nobody has set up; a code for an account that
was set up since stops working; only a program manager may replace a learner's password, and the audit trail
names the manager. The learner's own way back in is the password reset sent to their email."""

# Fixtures come from tests/cohorts/learner_world.py; test arguments of the same name are those fixtures.
# ruff: noqa: F811

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone
from wagtail.models import ModelLogEntry

from people.models import PortalInvite
from people.services import INVITE_VALID_FOR, invite_to_portal
from tests.cohorts.learner_world import client_as, empty_cache, world  # noqa: F401
from tests.factories import PASSWORD
from tests.factories_cohorts import LearnerFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "river-lantern-42"


def setup(client, code, password=NEW_PASSWORD):
    return client.post("/accounts/setup/", {"code": code, "new_password1": password, "new_password2": password})


def shown_code(response):
    match = re.search(r'class="setup-code">([A-Z0-9-]+)<', response.content.decode())
    return match.group(1) if match else None


@pytest.mark.parametrize("role", ["instructor", "partner_staff"])
def test_staff_cannot_take_over_a_learners_account_with_a_setup_code(client, world, role):
    """The attack from the issue: invite a learner who already has an account, then set it up anonymously."""
    amina = world.learner
    client_as(client, world, role)
    response = client.post(f"/accounts/invite/{amina.pk}/", follow=True)

    assert shown_code(response) is None
    assert "This learner already chose a password." in response.content.decode()
    assert not PortalInvite.objects.filter(learner=amina).exists()
    client.logout()
    # Her password still works, and nobody else signed in as her.
    assert client.login(username=amina.user.username, password=PASSWORD)


def test_the_invite_page_offers_no_code_for_an_account_already_set_up(client, world):
    client_as(client, world, "instructor")
    html = client.get(f"/accounts/invite/{world.learner.pk}/").content.decode()
    assert "with a password they chose" in html
    assert "Create a new setup code" not in html


def test_a_code_for_a_new_account_stops_working_once_the_account_is_set_up_another_way(client, world):
    learner = LearnerFactory(partner=world.partner, email="rosa@example.org")
    code = invite_to_portal(learner=learner, by=world.instructor).code
    learner.refresh_from_db()
    learner.user.set_password("rosa-chose-this-1")
    learner.user.save()

    html = setup(client, code).content.decode()

    assert "This account is already set up." in html
    learner.user.refresh_from_db()
    assert learner.user.check_password("rosa-chose-this-1")
    assert client.session.get("_auth_user_id") is None


def test_setup_codes_live_72_hours(world):
    learner = LearnerFactory(partner=world.partner)
    before = timezone.now()
    issued = invite_to_portal(learner=learner, by=world.instructor)
    assert INVITE_VALID_FOR == datetime.timedelta(hours=72)
    assert before + datetime.timedelta(hours=71, minutes=59) < issued.invite.expires_at
    assert issued.invite.expires_at <= timezone.now() + datetime.timedelta(hours=72)


def test_a_program_manager_may_reset_a_learners_password_and_the_audit_names_the_manager(client, world):
    amina = world.learner
    client_as(client, world, "manager")
    html = client.get(f"/accounts/invite/{amina.pk}/").content.decode()
    assert "A new code replaces their password when it is used" in html
    code = shown_code(client.post(f"/accounts/invite/{amina.pk}/"))
    assert code
    client.logout()

    assert setup(client, code)["Location"] == "/learn/"

    amina.user.refresh_from_db()
    assert amina.user.check_password(NEW_PASSWORD)
    reset = ModelLogEntry.objects.get(action="people.portal.reset")
    assert reset.user == world.manager and reset.object_id == str(amina.pk)
    used = ModelLogEntry.objects.get(action="people.portal.setup")
    assert used.data["issued_by"] == world.manager.pk and used.data["reset"] is True


def test_the_owner_resets_their_own_password_by_email_and_the_pause_ends(client, world):
    user = world.learner.user
    user.email = "amina@example.org"
    user.save()
    for _attempt in range(5):
        client.post("/accounts/login/", {"username": user.username, "password": "wrong"}, REMOTE_ADDR="203.0.113.7")
    paused = client.post(
        "/accounts/login/", {"username": user.username, "password": PASSWORD}, REMOTE_ADDR="203.0.113.7"
    )
    assert paused.status_code == 429

    response = client.post("/accounts/password-reset/", {"email": "AMINA@example.org"})
    assert response["Location"] == "/accounts/password-reset/sent/"
    (message,) = mail.outbox
    link = re.search(r"https?://\S+/accounts/password-reset/\S+/", message.body).group(0)
    path = link.split("testserver", 1)[1]
    form_page = client.get(path, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done["Location"] == "/accounts/password-reset/done/"

    signed = client.post(
        "/accounts/login/", {"username": user.username, "password": NEW_PASSWORD}, REMOTE_ADDR="203.0.113.7"
    )
    assert signed.status_code == 302 and client.session["_auth_user_id"] == str(user.pk)


def test_a_reset_asked_for_an_unknown_address_looks_the_same_and_sends_nothing(client, world):
    response = client.post("/accounts/password-reset/", {"email": "nobody@example.org"})
    assert response["Location"] == "/accounts/password-reset/sent/"
    assert mail.outbox == []
