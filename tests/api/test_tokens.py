"""Token authentication (valid, revoked, wrong, missing) and the token admin (created and revoked in the
Wagtail admin; the token shown once, stored only as a digest)."""

import re

import pytest
from django.utils import timezone
from wagtail.models import APIToken, ModelLogEntry

from api.services import create_token, revoke_token

pytestmark = pytest.mark.django_db

MISSING = "Sign in with an API token: send the header “Authorization: Bearer <your token>”."
NOT_VALID = "This API token is not valid: it may be mistyped or revoked. Ask for a new one in the admin."


def test_a_valid_token_acts_as_its_user(call, api_world):
    response = call("instructor", "get", "/api/v1/me")
    assert response.status_code == 200
    assert response.json() | {"id": None} == {
        "id": None,
        "username": "teacher",
        "role": "instructor",
        "partner": {"id": api_world.partner.pk, "name": "Northside Learning"},
        "language": "en",
    }


def test_no_token_is_a_401_saying_how_to_send_one(call):
    response = call("anonymous", "get", "/api/v1/cohorts")
    assert response.status_code == 401
    assert response.json() == {"detail": MISSING}
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "header",
    [
        "Bearer wagtail_0000000000000000000000000000000000000",  # well-formed, not ours
        "Bearer not-a-token",
        "Bearer " + "x" * 5000,
        "Bearer",
        "Bearer 🙂",
        "Token abc",
    ],
)
def test_a_wrong_token_is_a_401(client, api_world, header):
    response = client.get("/api/v1/cohorts", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response.json()["detail"] in (NOT_VALID, MISSING)


def test_a_revoked_token_stops_at_once(call, api_world):
    assert call("manager", "get", "/api/v1/cohorts").status_code == 200
    token = APIToken.objects.get(user=api_world.manager)
    revoke_token(token=token, by=api_world.manager)
    response = call("manager", "get", "/api/v1/cohorts")
    assert response.status_code == 401
    assert response.json() == {"detail": NOT_VALID}


def test_a_deactivated_persons_token_stops(call, api_world):
    api_world.instructor.is_active = False
    api_world.instructor.save()
    assert call("instructor", "get", "/api/v1/cohorts").status_code == 401


def test_a_signed_in_browser_session_is_not_enough(client, api_world):
    """The API reads only the token: a session cookie (and so a cross-site request) does not authenticate."""
    client.force_login(api_world.manager)
    assert client.get("/api/v1/cohorts").status_code == 401


def test_only_a_digest_of_the_token_is_stored(api_world):
    token, plaintext = create_token(user=api_world.manager, name="Reporting", by=api_world.manager)
    row = APIToken.objects.filter(pk=token.pk).values().get()
    assert plaintext not in str(row)
    assert re.fullmatch(r"[0-9a-f]{64}", row["key_hash"])
    assert plaintext.startswith(row["prefix"]) and len(row["prefix"]) < len(plaintext) // 3


def test_last_use_is_recorded(call, api_world, clock):
    call("partner_staff", "get", "/api/v1/cohorts")
    assert APIToken.objects.get(user=api_world.partner_staff).last_used_at == timezone.now()


# --- the admin ---------------------------------------------------------------------------------------------


@pytest.fixture
def admins(api_world):
    """The manager and the partner staff in their admin groups, as people.services.assign_role puts them."""
    from people.models import Role
    from people.services import assign_role

    assign_role(user=api_world.manager, role=Role.PROGRAM_MANAGER, partner=None)
    assign_role(user=api_world.partner_staff, role=Role.PARTNER_STAFF, partner=api_world.partner)
    return api_world


def test_a_manager_creates_a_token_for_an_instructor_and_sees_it_once(client, admins, api_world):
    client.force_login(api_world.manager)
    response = client.post("/admin/api-tokens/new/", {"name": "Room 4 tablet", "user": api_world.instructor.pk})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    plaintext = re.search(r'value="(wagtail_[0-9A-Za-z]+)"', response.content.decode()).group(1)
    token = APIToken.objects.get(name="Room 4 tablet")
    assert token.user == api_world.instructor
    # The token works, as the instructor.
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {plaintext}").json()["username"] == "teacher"
    # The listing shows its prefix, never the token itself.
    listing = client.get("/admin/api-tokens/").content.decode()
    assert token.prefix in listing and plaintext not in listing
    assert ModelLogEntry.objects.filter(action="wagtail.apitoken.create", user=api_world.manager).exists()


def test_a_manager_revokes_a_token_in_the_admin(client, call, admins, api_world):
    token = APIToken.objects.get(user=api_world.instructor)
    client.force_login(api_world.manager)
    assert client.get(f"/admin/api-tokens/revoke/{token.pk}/").status_code == 200
    assert client.post(f"/admin/api-tokens/revoke/{token.pk}/").status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None  # kept, as the record
    assert call("instructor", "get", "/api/v1/me").status_code == 401
    assert ModelLogEntry.objects.filter(action="wagtail.apitoken.revoke", user=api_world.manager).exists()


def test_partner_staff_manage_only_their_own_tokens(client, admins, api_world):
    client.force_login(api_world.partner_staff)
    form = client.get("/admin/api-tokens/new/").content.decode()
    assert 'name="user"' not in form  # no choosing someone else
    client.post("/admin/api-tokens/new/", {"name": "My reports", "user": api_world.manager.pk})
    assert APIToken.objects.get(name="My reports").user == api_world.partner_staff
    others = APIToken.objects.get(user=api_world.manager)
    assert client.get(f"/admin/api-tokens/revoke/{others.pk}/").status_code == 404
    assert client.post(f"/admin/api-tokens/revoke/{others.pk}/").status_code == 404
    others.refresh_from_db()
    assert others.revoked_at is None
    listing = client.get("/admin/api-tokens/").content.decode()
    assert "My reports" in listing and "manager test" not in listing


@pytest.mark.parametrize("role", ["instructor", "learner"])
def test_people_without_an_admin_have_no_token_pages(client, api_world, role):
    client.force_login(api_world.user(role))
    for path in ("/admin/api-tokens/", "/admin/api-tokens/new/"):
        response = client.get(path)
        assert response.status_code in (302, 403), (path, response.status_code)
        assert "wagtail_" not in response.content.decode()
