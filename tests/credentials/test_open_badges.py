"""Open Badges 3.0: the signed file a learner downloads is checked here with PyJWT (not jwcrypto, which signs
it) against the key the site publishes; it says what the certificate and the verification page say; and once
the certificate is revoked, the published status list, the verification page and
`manage.py verify_credential` all say so.

The status list is decoded here by hand from the W3C Bitstring Status List rules (gzip, base64url, the
first index the leftmost bit), not with credentials.openbadges' own decoder."""

import base64
import datetime
import gzip
import hashlib
from zoneinfo import ZoneInfo

import jwt as pyjwt
import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils.formats import date_format
from jwcrypto import jwk

from credentials import openbadges, services
from credentials.models import Credential
from tests.builders import page_text

from .world import signed_in

pytestmark = pytest.mark.django_db

ARABIC_NAME = "فاطمة الزهراء أحمد"  # the world's learner, as printed


@pytest.fixture(autouse=True)
def fresh_limits():
    cache.clear()
    yield
    cache.clear()


def download(client, world, credential):
    response = signed_in(client, world.learner.user).get(f"/credentials/{credential.pk}/openbadge/")
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/vc+jwt"
    assert "attachment" in response["Content-Disposition"]
    return response.content.decode()


def independently_verified(client, token):
    """The file's claims, checked with PyJWT against the key set fetched from the URL its `kid` names."""
    header = pyjwt.get_unverified_header(token)
    assert header["alg"] == "EdDSA"
    jwks_url = header["kid"].split("#")[0]
    assert jwks_url == "http://testserver/credentials/issuer/jwks.json"
    published = client.get(jwks_url.removeprefix("http://testserver"))
    assert published["Cache-Control"].startswith("public")
    key = pyjwt.PyJWKSet.from_dict(published.json())[header["kid"]]
    assert key.key_type == "OKP" and published.json()["keys"][0]["crv"] == "Ed25519"
    return pyjwt.decode(token, key.key, algorithms=["EdDSA"])


def revoked_bit(client, entry):
    """The credential's bit in the status list its entry names, fetched and signature-checked like the file."""
    response = client.get(entry["statusListCredential"].removeprefix("http://testserver"))
    assert response.status_code == 200
    assert "public" in response["Cache-Control"]
    status_list = independently_verified(client, response.content.decode())
    assert status_list["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    subject = status_list["credentialSubject"]
    assert subject["type"] == "BitstringStatusList" and subject["statusPurpose"] == "revocation"
    encoded = subject["encodedList"]
    assert encoded[0] == "u"  # multibase: base64url without padding
    bits = gzip.decompress(base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4)))
    assert len(bits) * 8 >= 131072  # the W3C minimum, so one bit hides among many
    index = int(entry["statusListIndex"])
    return (bits[index // 8] >> (7 - index % 8)) & 1


def test_the_open_badge_file_is_signed_with_the_published_key_and_has_the_fields_open_badges_3_requires(
    client, world, credential
):
    claims = independently_verified(client, download(client, world, credential))

    assert claims["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert claims["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert claims["id"] == f"http://testserver/verify/{credential.verification_code}/"
    assert claims["issuer"]["type"] == ["Profile"]
    assert claims["issuer"]["id"] == f"http://testserver/credentials/issuer/{world.partner.pk}/"
    assert claims["issuer"]["name"] == "Northside Refugee Center"
    assert claims["iss"] == claims["issuer"]["id"] and claims["jti"] == claims["id"]
    # The printed date, as midnight where the cohort meets (New York: -04:00 in summer, -05:00 in winter).
    new_york = ZoneInfo("America/New_York")
    midnight = datetime.datetime.combine(credential.issued_on, datetime.time.min, tzinfo=new_york)
    offset = midnight.strftime("%z")
    assert offset in ("-0400", "-0500")
    assert claims["validFrom"] == f"{credential.issued_on.isoformat()}T00:00:00{offset[:3]}:{offset[3:]}"
    subject = claims["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"]
    achievement = subject["achievement"]
    assert achievement["type"] == ["Achievement"]
    assert achievement["id"].startswith("urn:uuid:")
    assert achievement["name"] == "ESOL Level 1"
    assert achievement["description"]
    # What the pathway asks, in the language the certificate was printed in (its template is in English only).
    assert achievement["inLanguage"] == credential.language == "en"
    assert achievement["criteria"]["narrative"] == (
        "Came to at least 75% of the classes.\nAttended at least 12 hours of class."
    )
    # The holder: a salted hash of the printed name, not the name itself.
    (identity,) = subject["identifier"]
    assert identity["type"] == "IdentityObject" and identity["identityType"] == "name" and identity["hashed"]
    expected = "sha256$" + hashlib.sha256((ARABIC_NAME + identity["salt"]).encode()).hexdigest()
    assert identity["identityHash"] == expected
    assert ARABIC_NAME not in str(claims)
    status = claims["credentialStatus"]
    assert status["type"] == "BitstringStatusListEntry" and status["statusPurpose"] == "revocation"
    assert status["statusListCredential"] == "http://testserver/credentials/status/0/"
    assert 0 <= int(status["statusListIndex"]) < 131072


def test_the_issuer_named_in_the_file_is_published_with_its_program_and_names_no_learner(client, world, credential):
    claims = independently_verified(client, download(client, world, credential))
    client.logout()

    partner = client.get(claims["issuer"]["id"].removeprefix("http://testserver")).json()
    program = client.get("/credentials/issuer/").json()

    assert partner["id"] == claims["issuer"]["id"] and partner["name"] == "Northside Refugee Center"
    assert partner["parentOrg"]["id"] == program["id"] == "http://testserver/credentials/issuer/"
    assert program["type"] == ["Profile"] and program["name"] == "Pathways"


def test_the_file_the_verify_page_and_the_certificate_agree_on_name_credential_issuer_and_date(
    client, world, credential
):
    claims = independently_verified(client, download(client, world, credential))
    client.logout()
    page = page_text(client.get(claims["id"].removeprefix("http://testserver")))

    assert "This certificate is valid." in page
    assert ARABIC_NAME in page
    identity = claims["credentialSubject"]["identifier"][0]
    assert openbadges.identity_hash(ARABIC_NAME, identity["salt"]) == identity["identityHash"]
    assert claims["credentialSubject"]["achievement"]["name"] in page
    assert claims["issuer"]["name"] in page
    issued = datetime.date.fromisoformat(claims["validFrom"][:10])
    assert issued == credential.issued_on
    assert date_format(issued, "DATE_FORMAT") in page
    assert revoked_bit(client, claims["credentialStatus"]) == 0


def test_after_revoking_the_status_list_the_verify_page_and_the_command_all_say_revoked(
    client, world, credential, tmp_path
):
    token = download(client, world, credential)
    claims = independently_verified(client, token)
    path = tmp_path / "badge.jwt"
    path.write_text(token)
    call_command("verify_credential", str(path))  # valid before: no error

    services.revoke_credential(credential=credential, reason="Issued to the wrong cohort.", by=world.manager)

    assert revoked_bit(client, claims["credentialStatus"]) == 1
    client.logout()
    page = page_text(client.get(claims["id"].removeprefix("http://testserver")))
    assert "This certificate was revoked." in page
    with pytest.raises(CommandError, match="revoked"):
        call_command("verify_credential", str(path))
    # The file itself still passes PyJWT: it is the status list that tells a verifier it no longer stands.
    assert independently_verified(client, token)["id"] == claims["id"]


def test_the_command_exits_non_zero_and_says_why(client, world, credential, tmp_path):
    token = download(client, world, credential)
    path = tmp_path / "badge.jwt"
    path.write_text(token)

    out = _run(path, name=ARABIC_NAME)
    assert "VALID" in out and "ESOL Level 1" in out and "Northside Refugee Center" in out
    with pytest.raises(CommandError, match="not issued to that name"):
        _run(path, name="Someone Else")
    # Checked against the key of the site the command runs for, never a key the file brings along.
    another_key = jwk.JWK.generate(kty="OKP", crv="Ed25519").export_to_pem(private_key=True, password=None)
    with override_settings(PATHWAYS_OPEN_BADGES_KEY=another_key.decode()):
        with pytest.raises(CommandError, match="signature does not match"):
            _run(path)

    header, payload, signature = token.split(".")
    changed = base64.urlsafe_b64encode(
        base64.urlsafe_b64decode(payload + "==").replace(b"ESOL Level 1", b"ESOL Level 9")
    ).decode()
    path.write_text(f"{header}.{changed.rstrip('=')}.{signature}")
    with pytest.raises(CommandError, match="signature does not match"):
        _run(path)

    path.write_text("not a badge")
    with pytest.raises(CommandError, match="not a signed Open Badges file"):
        _run(path)


def _run(path, **options):
    from io import StringIO

    out = StringIO()
    call_command("verify_credential", str(path), stdout=out, **options)
    return out.getvalue()


def test_the_public_page_offers_the_file_only_when_the_holder_shows_the_details(client, world, credential):
    page = client.get(f"/verify/{credential.verification_code}/")
    link = f"/verify/{credential.verification_code}/openbadge/"
    assert link in page.content.decode()
    public = client.get(link)
    assert public.status_code == 200
    assert independently_verified(client, public.content.decode())["id"].endswith(f"/{credential.verification_code}/")

    services.set_shown_publicly(credential=credential, shown=False, by=world.learner.user)

    assert client.get(link).status_code == 404
    shown = client.post(f"/verify/{credential.verification_code}/", {"name": ARABIC_NAME})
    assert "This certificate is valid." in page_text(shown) and link not in page_text(shown)


def test_a_learner_downloads_the_open_badge_from_my_certificates_while_it_is_valid(client, world, credential):
    page = signed_in(client, world.learner.user).get("/credentials/mine/").content.decode()
    assert f"/credentials/{credential.pk}/openbadge/" in page

    services.revoke_credential(credential=credential, reason="Issued by mistake.", by=world.manager)

    assert client.get(f"/credentials/{credential.pk}/openbadge/").status_code == 404
    assert signed_in(client, world.manager).get(f"/credentials/{credential.pk}/openbadge/").status_code == 200


def test_status_list_positions_are_distinct_and_stay_where_they_were_given(world, credential):
    places = {openbadges.position_for(pk) for pk in range(1, openbadges.LIST_SIZE + 1)}
    assert places == set(range(openbadges.LIST_SIZE))  # every bit of the first list used exactly once
    assert openbadges.position_for(openbadges.LIST_SIZE + 1) >= openbadges.LIST_SIZE  # then the second list

    first = openbadges.status_position(credential)
    Credential.objects.filter(pk=credential.pk).update(status_list_index=first)
    again = Credential.objects.get(pk=credential.pk)
    assert openbadges.status_position(again) == first == again.status_list_index


def test_a_status_list_beyond_the_issued_credentials_does_not_exist(client, credential):
    assert client.get("/credentials/status/0/").status_code == 200
    assert client.get("/credentials/status/1/").status_code == 404


def test_the_published_key_and_status_list_name_no_one(client, world, credential):
    services.revoke_credential(credential=credential, reason="Issued by mistake.", by=world.manager)
    jwks = client.get("/credentials/issuer/jwks.json").json()
    status_list = client.get("/credentials/status/0/").content.decode()
    published = " ".join(
        [
            str(jwks),
            str(pyjwt.decode(status_list, options={"verify_signature": False})),
            client.get(f"/credentials/issuer/{world.partner.pk}/").content.decode(),
            client.get("/credentials/issuer/").content.decode(),
        ]
    )

    assert all("d" not in key for key in jwks["keys"])  # the public half only
    for private in (ARABIC_NAME, "Fatima", world.learner.email, credential.verification_code, "mistake"):
        assert private not in published


def test_the_verify_page_and_status_list_agree_after_issue_and_after_revoke_for_each_credential(client, world):
    first = services.issue_credential(
        learner=world.learner, pathway=world.pathway, cohort=world.cohort, by=world.manager
    )
    other = services.issue_credential(
        learner=world.other_learner, pathway=world.pathway, cohort=world.other_cohort, by=world.manager
    )
    entries = {}
    for credential in (first, other):
        claims = openbadges.credential_claims(credential)
        entries[credential.pk] = claims["credentialStatus"]
    services.revoke_credential(credential=first, reason="Issued by mistake.", by=world.manager)

    for credential, revoked in ((first, 1), (other, 0)):
        assert revoked_bit(client, entries[credential.pk]) == revoked
        page = page_text(client.get(f"/verify/{credential.verification_code}/"))
        assert ("This certificate was revoked." in page) == bool(revoked)


def test_the_criteria_are_written_in_the_language_the_certificate_was_printed_in(world, credential):
    Credential.objects.filter(pk=credential.pk).update(language="ar")
    credential.refresh_from_db()

    achievement = openbadges.credential_claims(credential)["credentialSubject"]["achievement"]

    assert achievement["inLanguage"] == "ar"
    assert achievement["criteria"]["narrative"] == ("حضر 75% من الحصص على الأقل.\nحضر 12 ساعة دراسية على الأقل.")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_verifier_elsewhere_fetches_the_published_key_and_status_list_and_rejects_the_file_once_revoked(
    live_server, settings, world, tmp_path
):
    """verify_credential --jwks URL works as someone outside would: over HTTP, from the published URLs only."""
    settings.WAGTAILADMIN_BASE_URL = live_server.url
    credential = services.issue_credential(
        learner=world.learner, pathway=world.pathway, cohort=world.cohort, by=world.manager
    )
    path = tmp_path / "badge.jwt"
    path.write_text(openbadges.signed_credential(credential))
    jwks = f"{live_server.url}/credentials/issuer/jwks.json"

    assert "VALID: not revoked." in _run(path, jwks=jwks, name=ARABIC_NAME)

    services.revoke_credential(credential=credential, reason="Issued by mistake.", by=world.manager)

    with pytest.raises(CommandError, match="revoked by its issuer"):
        _run(path, jwks=jwks)
    # Keys from another address do not vouch for this site's files.
    elsewhere = (
        jwks.replace("localhost", "127.0.0.1") if "localhost" in jwks else jwks.replace("127.0.0.1", "localhost")
    )
    with pytest.raises(CommandError, match="is not the one whose keys"):
        _run(path, jwks=elsewhere)


def test_a_machine_without_a_configured_key_makes_one_once_and_keeps_it(tmp_path, settings):
    from concurrent.futures import ThreadPoolExecutor

    path = tmp_path / "open-badges-key.pem"
    make = openbadges._generated_key.__wrapped__  # uncached: every call goes to the file system

    with ThreadPoolExecutor(max_workers=8) as pool:
        made = set(pool.map(lambda _: make(str(path)), range(16)))

    assert len(made) == 1 and made == {path.read_text()}
    assert (path.stat().st_mode & 0o777) == 0o600
    assert [file.name for file in tmp_path.iterdir()] == [path.name]  # no half-written candidates left behind
    settings.PATHWAYS_OPEN_BADGES_KEY, settings.PRIVATE_STORAGE_ROOT = "", tmp_path
    assert openbadges.signing_key().thumbprint() == jwk.JWK.from_pem(path.read_bytes()).thumbprint()


def test_without_a_key_and_without_leave_to_make_one_nothing_is_signed(settings, world, credential):
    settings.PATHWAYS_OPEN_BADGES_KEY = ""
    settings.PATHWAYS_OPEN_BADGES_GENERATE_KEY = False

    with pytest.raises(openbadges.KeyMissing, match="PATHWAYS_OPEN_BADGES_KEY"):
        openbadges.signed_credential(credential)
