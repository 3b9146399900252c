"""The API hands out a certificate's signed Open Badges 3.0 file to the same people as the portal and the
admin: checked here with PyJWT against the published key, scoped by role, and withheld from a learner once
the certificate is revoked."""

import jwt as pyjwt
import pytest
from django.utils import timezone

from .conftest import ROLES
from .test_credentials import certificate

pytestmark = pytest.mark.django_db

# Who may have the learner's (Northside's) certificate file: as for its PDF.
MAY_HAVE = {"learner", "instructor", "partner_staff", "manager"}


@pytest.fixture
def credential(api_world):
    return certificate(api_world.learner, api_world.cohort)


@pytest.mark.parametrize("role", ROLES)
def test_the_signed_open_badge_goes_to_those_who_may_download_the_certificate(client, call, credential, role):
    response = call(role, "get", f"/api/v1/credentials/{credential.pk}/openbadge")

    if role == "anonymous":
        assert response.status_code == 401
    elif role not in MAY_HAVE:
        assert response.status_code == 404
        assert "open_badge" not in response.json()
    else:
        assert response.status_code == 200
        body = response.json()
        assert body["id"] == credential.pk and body["media_type"] == "application/vc+jwt"
        token = body["open_badge"]
        jwks = pyjwt.PyJWKSet.from_dict(client.get("/credentials/issuer/jwks.json").json())
        claims = pyjwt.decode(token, jwks[pyjwt.get_unverified_header(token)["kid"]].key, algorithms=["EdDSA"])
        assert claims["credentialSubject"]["achievement"]["name"] == "ESOL Level 1"
        assert claims["validFrom"].startswith("2026-10-30T00:00:00")
        assert claims["id"].endswith(f"/verify/{credential.verification_code}/")


def test_a_learner_no_longer_gets_the_file_of_a_revoked_certificate(call, credential):
    credential.status, credential.revoked_at, credential.revoked_reason = "revoked", timezone.now(), "Issued in error"
    credential.save()

    assert call("learner", "get", f"/api/v1/credentials/{credential.pk}/openbadge").status_code == 404
    assert call("manager", "get", f"/api/v1/credentials/{credential.pk}/openbadge").status_code == 200
