"""Staff confirm each sign-in with a second factor (people.two_factor): an authenticator app's code, or a
single-use recovery code; nobody who must have one reaches the admin (or any other page) without it."""

import re
from base64 import b32decode

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.models import ModelLogEntry

from people.models import Role
from people.two_factor import ENROL_ACTION, RECOVERY_CODE_ACTION
from tests.conftest import user_with_role
from tests.factories import PASSWORD
from tests.second_factor import code_now, sign_in_with_password_only

pytestmark = pytest.mark.django_db

TWO_FACTOR = "/accounts/two-factor/"
SETUP = "/accounts/two-factor/setup/"


def sign_in(client, user, next_url=""):
    """The sign-in form, as a person fills it in: returns where it sends them."""
    response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD, "next": next_url})
    assert response.status_code == 302, response.content
    return response["Location"]


def code_from_secret(secret_as_shown):
    """What an authenticator app shows now for the secret a person typed from the set-up page."""
    key = b32decode(secret_as_shown.replace(" ", "") + "=" * (-len(secret_as_shown.replace(" ", "")) % 8))
    return f"{totp(key):06d}"


def a_wrong_code(right):
    return f"{(int(right) + 1) % 1_000_000:06d}"


def enrol_through_the_pages(client, user):
    """Password, then the set-up page: type the app's code. Returns the recovery codes shown."""
    sign_in(client, user)
    page = client.get(SETUP).content.decode()
    secret = re.search(r'data-testid="two-factor-secret">([A-Z2-7 ]+)<', page)[1]
    response = client.post(SETUP, {"code": code_from_secret(secret), "next": "/admin/"})
    assert response.status_code == 200
    return re.findall(r"<li><code>([a-z2-7]{8})</code></li>", response.content.decode())


@pytest.fixture
def superuser(db):
    return user_with_role(Role.LEARNER, username="root", is_superuser=True)


@pytest.mark.parametrize("who", ["manager", "staff_a", "superuser"])
def test_staff_signed_in_with_only_a_password_cannot_reach_any_admin_page(request, client, who):
    user = request.getfixturevalue(who)
    sign_in_with_password_only(client, user)
    for path in ("/admin/", "/admin/reports/audit-trail/", "/admin/images/", "/admin/people/partner/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == f"{TWO_FACTOR}?next={path.replace('/', '%2F')}"
    # Not even by posting: the admin's forms are refused the same way.
    assert client.post("/admin/images/multiple/add/", {})["Location"] == TWO_FACTOR


def test_an_instructor_needs_the_second_factor_only_where_the_organization_asks_for_it(client, instructor_a):
    sign_in_with_password_only(client, instructor_a)
    assert client.get("/teach/").status_code == 200
    assert client.get(TWO_FACTOR)["Location"] == "/teach/"  # nothing to confirm

    instructor_a.partner.instructors_need_second_factor = True
    instructor_a.partner.save()
    response = client.get("/teach/")
    assert response["Location"] == f"{TWO_FACTOR}?next=%2Fteach%2F"
    assert client.get(response["Location"])["Location"] == f"{SETUP}?next=%2Fteach%2F"


def test_learners_are_never_asked_for_a_second_factor(client, learner_a):
    assert sign_in(client, learner_a.user) == "/learn/"
    assert client.get("/learn/").status_code == 200
    assert client.get(SETUP)["Location"] == "/learn/"


def test_a_manager_enrols_an_app_and_gets_ten_single_use_recovery_codes(client, manager):
    assert sign_in(client, manager) == f"{TWO_FACTOR}?next=%2Fadmin%2F"
    assert client.get(f"{TWO_FACTOR}?next=%2Fadmin%2F")["Location"] == f"{SETUP}?next=%2Fadmin%2F"
    page = client.get(SETUP).content.decode()
    assert 'src="data:image/svg+xml' in page  # the QR code, drawn in the page
    secret = re.search(r'data-testid="two-factor-secret">([A-Z2-7 ]+)<', page)[1]
    # The same secret until it is confirmed: reloading the page must not break the app just scanned.
    assert secret in client.get(SETUP).content.decode()

    wrong = client.post(SETUP, {"code": a_wrong_code(code_from_secret(secret))})
    assert "That code is not right" in wrong.content.decode()
    assert client.get("/admin/").status_code == 302
    TOTPDevice.objects.filter(user=manager).update(throttling_failure_count=0, throttling_failure_timestamp=None)

    shown = client.post(SETUP, {"code": code_from_secret(secret), "next": "/admin/"})
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", shown.content.decode())
    assert len(set(codes)) == 10
    assert client.get("/admin/").status_code == 200
    assert ModelLogEntry.objects.filter(action=ENROL_ACTION, object_id=str(manager.pk), user=manager).count() == 1
    # Shown once: the set-up page now sends an enrolled person to the code page instead.
    assert client.get(SETUP)["Location"].startswith(TWO_FACTOR)


def test_an_enrolled_manager_signs_in_with_the_code_the_app_shows(client, manager):
    app = TOTPDevice.objects.create(user=manager, name="phone", confirmed=True)
    assert sign_in(client, manager, next_url="/admin/reports/audit-trail/") == (
        f"{TWO_FACTOR}?next=%2Fadmin%2Freports%2Faudit-trail%2F"
    )
    assert client.get("/admin/").status_code == 302
    response = client.post(TWO_FACTOR, {"code": code_now(app), "next": "/admin/reports/audit-trail/"})
    assert response["Location"] == "/admin/reports/audit-trail/"
    assert client.get("/admin/").status_code == 200

    # The same code a second time (someone who watched it typed) is refused.
    other = Client()
    sign_in(other, manager)
    refused = other.post(TWO_FACTOR, {"code": code_now(app)})
    assert refused.status_code == 200 and "That code is not right" in refused.content.decode()
    assert other.get("/admin/").status_code == 302


def test_a_code_for_another_site_address_goes_home_instead(client, manager):
    app = TOTPDevice.objects.create(user=manager, name="phone", confirmed=True)
    sign_in(client, manager)
    response = client.post(TWO_FACTOR, {"code": code_now(app), "next": "https://evil.example/admin/"})
    assert response["Location"] == "/admin/"


def test_a_recovery_code_signs_in_once_and_is_audited(staff_a):
    codes = enrol_through_the_pages(Client(), staff_a)

    phone_lost = Client()
    sign_in(phone_lost, staff_a)
    response = phone_lost.post(TWO_FACTOR, {"code": codes[3].upper(), "next": "/admin/"}, follow=True)
    assert response.redirect_chain[0][0] == "/admin/"
    assert "9 recovery codes are left" in response.content.decode()
    entry = ModelLogEntry.objects.get(action=RECOVERY_CODE_ACTION, object_id=str(staff_a.pk))
    assert entry.user == staff_a and entry.data == {"codes_left": 9}

    again = Client()
    sign_in(again, staff_a)
    refused = again.post(TWO_FACTOR, {"code": codes[3]})
    assert "That code is not right" in refused.content.decode()
    assert again.get("/admin/").status_code == 302
    assert StaticToken.objects.filter(device__user=staff_a).count() == 9


def test_the_pages_are_in_the_persons_language(client, manager):
    sign_in(client, manager)
    client.cookies["django_language"] = "ar"
    page = client.get(SETUP).content.decode()
    assert 'dir="rtl"' in page
    assert "Set up sign-in codes" not in page


def test_a_reset_removes_the_app_and_codes_and_the_next_sign_in_sets_up_again(client, staff_a):
    from io import StringIO

    from django.core.management import call_command

    enrol_through_the_pages(client, staff_a)
    assert client.get("/admin/").status_code == 200

    call_command("reset_second_factor", staff_a.username, stdout=StringIO())

    assert client.get("/admin/")["Location"].startswith(TWO_FACTOR)  # the removed app no longer counts
    assert client.get(TWO_FACTOR)["Location"].startswith(SETUP)
    assert ModelLogEntry.objects.filter(action="people.two_factor.reset", object_id=str(staff_a.pk)).exists()
