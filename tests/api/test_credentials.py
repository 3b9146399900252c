"""Credentials through the API: scoped like the pages, and the public verification of a code, which says
what the public page says under the same rules (hidden details need the printed name; misses are limited)."""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from credentials import codes
from credentials.models import Credential, CredentialPathway
from credentials.views import VERIFY_ATTEMPTS
from tests.credentials.world import pathway as make_pathway

from .conftest import ROLES

pytestmark = pytest.mark.django_db

SEEN = {
    "learner": {"Amina Yusuf"},
    "other_learner": {"Carlos Mendes"},
    "instructor": {"Amina Yusuf"},  # teaches her: her cohort's certificate page and downloads
    "other_instructor": set(),
    "partner_staff": {"Amina Yusuf"},
    "other_partner_staff": {"Carlos Mendes"},
    "manager": {"Amina Yusuf", "Carlos Mendes"},
}


def certificate(learner, cohort, **fields):
    pathway = CredentialPathway.objects.filter(name="ESOL Level 1").first() or make_pathway("ESOL Level 1")
    return Credential.objects.create(
        learner=learner,
        pathway=pathway,
        cohort=cohort,
        partner=learner.partner,
        name_as_printed=learner.full_name,
        title_as_printed="ESOL Level 1",
        issuer_as_printed=learner.partner.name,
        issued_on=datetime.date(2026, 10, 30),
        verification_code=codes.new_code(),
        pdf="certificates/test.pdf",
        **fields,
    )


@pytest.fixture
def certificates(api_world):
    cache.clear()
    return {
        "learner": certificate(api_world.learner, api_world.cohort),
        "other_learner": certificate(api_world.other_learner, api_world.other_cohort, shown_publicly=False),
    }


@pytest.mark.parametrize("role", [role for role in ROLES if role != "anonymous"])
def test_credential_list_is_scoped_like_the_pages(call, certificates, role):
    response = call(role, "get", "/api/v1/credentials")
    assert response.status_code == 200
    assert {item["learner"]["full_name"] for item in response.json()["items"]} == SEEN[role]


def test_credential_list_needs_a_token(call, certificates):
    assert call("anonymous", "get", "/api/v1/credentials").status_code == 401


def test_a_learner_sees_their_revoked_certificate_too(call, certificates):
    credential = certificates["learner"]
    credential.status, credential.revoked_at, credential.revoked_reason = "revoked", timezone.now(), "Issued in error"
    credential.save()
    (item,) = call("learner", "get", "/api/v1/credentials").json()["items"]
    assert item["status"] == "revoked"
    assert item["verification_code"] == credential.grouped_code
    assert "revoked_reason" not in item


def test_anyone_verifies_a_public_code_without_a_token(call, certificates):
    credential = certificates["learner"]
    response = call("anonymous", "get", f"/api/v1/verify/{credential.grouped_code.lower()}")
    assert response.status_code == 200
    assert response.json() == {
        "code": credential.grouped_code,
        "details_shown": True,
        "status": "valid",
        "revoked_on": None,
        "expires_on": None,  # her pathway's certificates do not expire
        "name": "Amina Yusuf",
        "name_latin": None,  # her name is in Latin letters: no second line
        "credential": "ESOL Level 1",
        "issued_by": "Northside Learning",
        "issued_on": "2026-10-30",
        "message": "This certificate is valid.",
    }


def test_a_revoked_certificate_says_so_with_the_date(call, certificates):
    credential = certificates["learner"]
    credential.status, credential.revoked_at, credential.revoked_reason = "revoked", timezone.now(), "Issued in error"
    credential.save()
    body = call("anonymous", "get", f"/api/v1/verify/{credential.verification_code}").json()
    assert (body["status"], body["revoked_on"]) == ("revoked", timezone.now().date().isoformat())


def test_the_answer_gives_the_last_valid_day_and_says_when_it_has_passed(call, certificates):
    credential = certificates["learner"]
    today = timezone.localdate()
    credential.expires_on = today
    credential.save()
    still = call("anonymous", "get", f"/api/v1/verify/{credential.verification_code}").json()
    assert (still["status"], still["expires_on"]) == ("valid", today.isoformat())  # its last day still counts
    credential.expires_on = today - datetime.timedelta(days=1)
    credential.save()
    past = call("anonymous", "get", f"/api/v1/verify/{credential.verification_code}").json()
    assert (past["status"], past["expires_on"]) == ("expired", credential.expires_on.isoformat())
    assert past["message"] == "This certificate has expired. It is no longer valid."


def test_hidden_details_need_the_printed_name(call, certificates):
    credential = certificates["other_learner"]
    url = f"/api/v1/verify/{credential.verification_code}"
    hidden = call("anonymous", "get", url).json()
    assert hidden["details_shown"] is False
    assert hidden["name"] is None and hidden["status"] is None  # not even whether it still stands
    wrong = call("anonymous", "post", url, json_body={"name": "Someone Else"}).json()
    assert wrong["details_shown"] is False
    right = call("anonymous", "post", url, json_body={"name": "carlos  MENDES"}).json()
    assert right["details_shown"] is True and right["name"] == "Carlos Mendes"


def test_an_unknown_code_is_a_404_and_misses_are_limited(call, certificates):
    unknown = codes.new_code()
    response = call("anonymous", "get", f"/api/v1/verify/{unknown}")
    assert response.status_code == 404
    assert response.json() == {"detail": "No certificate has this code. Check it for typing mistakes."}
    for _attempt in range(VERIFY_ATTEMPTS.attempts):
        call("anonymous", "get", f"/api/v1/verify/{unknown}")
    blocked = call("anonymous", "get", f"/api/v1/verify/{certificates['learner'].verification_code}")
    assert blocked.status_code == 429  # even a real code, during the pause
    assert blocked.json()["detail"].startswith("Too many checks")
