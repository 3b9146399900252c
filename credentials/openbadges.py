"""Open Badges 3.0: every credential as a signed W3C Verifiable Credential, the keys that verify it, and the
revocation status lists that say whether it still stands.

- A credential's document is built from what was printed (the *_as_printed fields and issued_on, never the
  learner's or pathway's current values) and secured as a VC-JWT (the JWT payload is the credential; EdDSA
  with one Ed25519 key). Ed25519 signatures are deterministic, so the same record always gives the same file.
- Issuer: the partner organization named on the certificate (a Profile at /credentials/issuer/<partner>/),
  whose parent organization is the program running this site (/credentials/issuer/); both are signed for
  by the site's one key, published as a JWKS at /credentials/issuer/jwks.json. The JWT's `kid` is that URL
  with the key's RFC 7638 thumbprint as its fragment.
- The holder is named by a salted SHA-256 `identityHash` of the printed name, not in plain text: the file
  travels by email and into wallets, and an employer who has it also has the person in front of them and
  their name to check it against (`manage.py verify_credential FILE --name "..."`), while anyone the file
  reaches by accident learns who holds it only by guessing the exact name. The salt differs per credential
  so two files cannot be linked by their hashes.
- Revocation: each credential has a fixed position in a W3C Bitstring Status List of LIST_SIZE bits,
  served signed at /credentials/status/<list>/; the bit is 1 once the credential is revoked. The position
  is a fixed permutation of the row's primary key (unique because the key is, so two issuers at once can
  never be given the same bit, with no lock), scattered so neighbours in time are not neighbours in the list,
  and stored on the row so it never moves once a document carrying it was handed out.
"""

import base64
import datetime
import functools
import gzip
import hashlib
import json
import os
import secrets
import uuid
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from jwcrypto import jwk, jwt

from . import eligibility
from .models import Credential

CONTEXT = ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
STATUS_CONTEXT = ["https://www.w3.org/ns/credentials/v2"]
MEDIA_TYPE = "application/vc+jwt"
ALGORITHM = "EdDSA"
# 131,072 bits (16 KB before compression): the W3C minimum, so one revoked bit hides among many.
LIST_SIZE = 2**17
# Any odd multiplier is a permutation of the positions modulo a power of two.
_SCATTER, _SHIFT = 76_543, 40_503
STATUS_TTL_SECONDS = 300  # how long a verifier (and a cache) may keep a status list: a revocation shows within it
KEY_FILE = "open-badges-key.pem"


class KeyMissing(ImproperlyConfigured):
    pass


# --- the key ------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=4)
def _key_from_text(text):
    text = text.strip().replace("\\n", "\n")  # a PEM in one environment line
    try:
        key = jwk.JWK.from_json(text) if text.startswith("{") else jwk.JWK.from_pem(text.encode())
    except (ValueError, TypeError, jwk.InvalidJWKValue) as error:
        raise ImproperlyConfigured(f"PATHWAYS_OPEN_BADGES_KEY is not a readable PEM or JWK: {error}") from error
    if key.get("kty") != "OKP" or key.get("crv") != "Ed25519" or not key.has_private:
        raise ImproperlyConfigured("PATHWAYS_OPEN_BADGES_KEY must be an Ed25519 private key.")
    return key


@functools.lru_cache(maxsize=4)
def _generated_key(path):
    """The key a development or test machine made for itself, made once: two processes starting together
    each write a candidate and link it into place, and the one that loses reads the winner's."""
    path = Path(path)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        candidate = path.with_name(f".{path.name}.{secrets.token_hex(8)}")  # each writer its own file
        descriptor = os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(jwk.JWK.generate(kty="OKP", crv="Ed25519").export_to_pem(private_key=True, password=None))
        try:
            os.link(candidate, path)
        except FileExistsError:
            pass
        finally:
            candidate.unlink()
    return path.read_text()


def signing_key():
    """The Ed25519 private key credentials are signed with: PATHWAYS_OPEN_BADGES_KEY (PEM or JWK), or, where
    settings allow it (development, tests), one generated into private storage on first use. Production has
    no fallback: every machine must sign with the same key (the deploy check says so)."""
    configured = settings.PATHWAYS_OPEN_BADGES_KEY
    if not configured:
        if not settings.PATHWAYS_OPEN_BADGES_GENERATE_KEY:
            raise KeyMissing("PATHWAYS_OPEN_BADGES_KEY must be set to an Ed25519 private key (PEM or JWK).")
        configured = _generated_key(str(Path(settings.PRIVATE_STORAGE_ROOT) / KEY_FILE))
    return _key_from_text(configured)


def key_id(key=None):
    return f"{absolute(reverse('credentials:issuer_jwks'))}#{(key or signing_key()).thumbprint()}"


def public_jwks():
    """The public half of the signing key, as a JWK Set (what /credentials/issuer/jwks.json serves)."""
    key = signing_key()
    public = key.export_public(as_dict=True)
    return {"keys": [{**public, "kid": key_id(key), "alg": ALGORITHM, "use": "sig"}]}


def _sign(claims):
    token = jwt.JWT(header={"alg": ALGORITHM, "typ": "vc+jwt", "kid": key_id()}, claims=claims)
    token.make_signed_token(signing_key())
    return token.serialize()


# --- addresses ----------------------------------------------------------------------------------------


def absolute(path):
    return f"{settings.WAGTAILADMIN_BASE_URL}{path}"


def program_issuer_url():
    return absolute(reverse("credentials:issuer"))


def partner_issuer_url(partner_id):
    return absolute(reverse("credentials:partner_issuer", args=[partner_id]))


def status_list_url(number):
    return absolute(reverse("credentials:status_list", args=[number]))


def program_profile():
    """The program running this site: the parent organization of every partner that issues, and the issuer of
    the status lists."""
    return {
        "@context": CONTEXT,
        "id": program_issuer_url(),
        "type": ["Profile"],
        "name": settings.PATHWAYS_OPEN_BADGES_ISSUER_NAME,
        "url": settings.WAGTAILADMIN_BASE_URL,
    }


def partner_profile(partner_id, name):
    parent = program_profile()
    del parent["@context"]
    return {
        "@context": CONTEXT,
        "id": partner_issuer_url(partner_id),
        "type": ["Profile"],
        "name": name,
        "parentOrg": parent,
    }


# --- status list positions ----------------------------------------------------------------------------


def position_for(pk):
    """The status list position a credential row gets: list number × LIST_SIZE + a scattered place in it."""
    number, place = divmod(pk - 1, LIST_SIZE)
    return number * LIST_SIZE + (place * _SCATTER + _SHIFT) % LIST_SIZE


def status_position(credential):
    """The credential's position, given to it now if it has none yet. It depends only on the row's key, so
    two requests giving it at once write the same value."""
    if credential.status_list_index is None:
        position = position_for(credential.pk)
        Credential.objects.filter(pk=credential.pk, status_list_index__isnull=True).update(status_list_index=position)
        credential.status_list_index = position
    return credential.status_list_index


def list_count():
    """How many status lists exist: enough for every credential issued so far (at least one)."""
    last = Credential.objects.order_by("-pk").values_list("pk", flat=True).first() or 1
    return (last - 1) // LIST_SIZE + 1


def encode_bits(positions):
    """A Bitstring Status List's encodedList: bit i is the i-th from the left (the first byte's highest bit),
    gzip-compressed, base64url without padding, with the multibase prefix "u"."""
    bits = bytearray(LIST_SIZE // 8)
    for position in positions:
        bits[position // 8] |= 0x80 >> (position % 8)
    return "u" + base64.urlsafe_b64encode(gzip.compress(bytes(bits), mtime=0)).decode().rstrip("=")


def decode_bits(encoded):
    """The bitstring an encodedList holds (the inverse of encode_bits)."""
    if not encoded.startswith("u"):
        raise ValueError("encodedList is not base64url multibase")
    body = encoded[1:]
    return gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))


def bit_is_set(bits, place):
    return bool(bits[place // 8] & (0x80 >> (place % 8)))


def status_list_claims(number):
    """The revocation status list `number` as a BitstringStatusListCredential: one database query, no
    personal data (positions only)."""
    start = number * LIST_SIZE
    revoked = Credential.objects.filter(
        status=Credential.Status.REVOKED, status_list_index__gte=start, status_list_index__lt=start + LIST_SIZE
    ).values_list("status_list_index", flat=True)
    url = status_list_url(number)
    now = timezone.now().replace(microsecond=0)
    return {
        "@context": STATUS_CONTEXT,
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": program_issuer_url(),
        "validFrom": _timestamp(now),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encode_bits(position - start for position in revoked),
            "ttl": STATUS_TTL_SECONDS * 1000,
        },
        "iss": program_issuer_url(),
        "jti": url,
        "nbf": int(now.timestamp()),
    }


def signed_status_list(number):
    return _sign(status_list_claims(number))


# --- the credential -----------------------------------------------------------------------------------


def _timestamp(moment):
    return moment.isoformat().replace("+00:00", "Z")


def _start_of(day, zone):
    """Midnight of a printed date in the cohort's time zone, written with its offset, so the date part of the
    timestamp is the date on the paper."""
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=zone).isoformat()


def _zone(credential):
    return ZoneInfo(credential.cohort.time_zone if credential.cohort_id else settings.TIME_ZONE)


def identity_salt(credential):
    return hashlib.sha256(f"pathways-open-badges:{credential.verification_code}".encode()).hexdigest()[:32]


def identity_hash(name, salt):
    """OB 3.0's hashed IdentityObject value for a name: "sha256$" + hex(SHA-256(name + salt))."""
    return "sha256$" + hashlib.sha256(f"{name.strip()}{salt}".encode()).hexdigest()


def criteria_narrative(pathway):
    """What a learner had to do for this credential, in the same plain words as the verification page."""
    return "\n".join(eligibility.pathway_requirements(pathway)) or _("Met the requirements of %(pathway)s.") % {
        "pathway": pathway.name
    }


def credential_claims(credential):
    """The OpenBadgeCredential for `credential`, with the JWT claims OB 3.0 maps onto it."""
    zone = _zone(credential)
    valid_from = _start_of(credential.issued_on, zone)
    position = status_position(credential)
    number, place = divmod(position, LIST_SIZE)
    list_url = status_list_url(number)
    salt = identity_salt(credential)
    pathway = credential.pathway
    issuer = partner_profile(credential.partner_id, credential.issuer_as_printed)
    del issuer["@context"]
    with translation.override(credential.language):
        narrative = criteria_narrative(pathway)
    credential_id = absolute(reverse("credentials:verify", args=[credential.verification_code]))
    return {
        "@context": CONTEXT,
        "id": credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": credential.title_as_printed,
        "issuer": issuer,
        "validFrom": valid_from,
        "awardedDate": valid_from,
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "name",
                    "hashed": True,
                    "identityHash": identity_hash(credential.name_as_printed, salt),
                    "salt": salt,
                }
            ],
            "achievement": {
                "id": uuid.uuid5(uuid.NAMESPACE_URL, f"{program_issuer_url()}achievements/{pathway.pk}").urn,
                "type": ["Achievement"],
                "achievementType": "Certificate",
                "name": credential.title_as_printed,
                "description": pathway.description or credential.title_as_printed,
                "criteria": {"narrative": narrative},
                "inLanguage": credential.language,
                "creator": issuer,
            },
        },
        "credentialStatus": {
            "id": f"{list_url}#{place}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(place),
            "statusListCredential": list_url,
        },
        "iss": issuer["id"],
        "jti": credential_id,
        "nbf": int(datetime.datetime.fromisoformat(valid_from).timestamp()),
    }


def signed_credential(credential):
    """The credential's Open Badges 3.0 file: a VC-JWT, as text."""
    return _sign(credential_claims(credential))


def file_name(credential):
    return f"{credential.title_as_printed} - {credential.name_as_printed}.jwt".replace("/", "-")


# --- checking a file ----------------------------------------------------------------------------------


class NotVerified(Exception):
    """A file that must not be trusted, and why in words an employer understands."""


def _verified_claims(token, keys):
    try:
        checked = jwt.JWT(jwt=token.strip(), key=keys, algs=[ALGORITHM], check_claims=False)
    except jwk.JWException as error:
        raise NotVerified(f"The signature does not match any of the issuer's published keys ({error}).") from error
    except ValueError as error:
        raise NotVerified(f"This is not a signed Open Badges file (a VC-JWT): {error}.") from error
    return json.loads(checked.claims)


def _moment(text, field):
    try:
        moment = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except (AttributeError, ValueError) as error:
        raise NotVerified(f"{field} is not a date and time: {text!r}.") from error
    if moment.tzinfo is None:
        raise NotVerified(f"{field} has no time zone: {text!r}.")
    return moment


def check_file(token, *, keys, trusted_prefix, fetch_status_list, name=None, now=None):
    """Check an Open Badges 3.0 file as a verifier does, in order: the signature against `keys` (a JWKSet the
    caller trusts), that it is an OpenBadgeCredential from an issuer under `trusted_prefix`, its validity
    dates, the holder's name when given, and its bit in the revocation status list that
    `fetch_status_list(url)` returns (as a VC-JWT, checked with the same keys).

    Returns the credential's claims; raises NotVerified with the first reason not to trust it."""
    now = now or timezone.now()
    claims = _verified_claims(token, keys)
    kinds = claims.get("type") or []
    if "VerifiableCredential" not in kinds or not {"OpenBadgeCredential", "AchievementCredential"} & set(kinds):
        raise NotVerified("The file is signed, but it is not an Open Badges credential.")
    issuer_id = (
        (claims.get("issuer") or {}).get("id") if isinstance(claims.get("issuer"), dict) else claims.get("issuer")
    )
    if not issuer_id or not str(issuer_id).startswith(trusted_prefix):
        raise NotVerified(f"The issuer {issuer_id!r} is not the one whose keys were used to check it.")
    if _moment(claims.get("validFrom"), "validFrom") > now:
        raise NotVerified(f"It is not valid before {claims['validFrom']}.")
    if claims.get("validUntil") and _moment(claims["validUntil"], "validUntil") <= now:
        raise NotVerified(f"It expired on {claims['validUntil']}.")
    if name is not None:
        identities = claims.get("credentialSubject", {}).get("identifier") or []
        if not any(
            identity.get("identityHash") == identity_hash(name, identity.get("salt", ""))
            if identity.get("hashed")
            else identity.get("identityHash") == name.strip()
            for identity in identities
            if identity.get("identityType") == "name"
        ):
            raise NotVerified("It was not issued to that name (the name must be exactly as printed).")
    status = claims.get("credentialStatus")
    for entry in status if isinstance(status, list) else [status] if status else []:
        if entry.get("statusPurpose") != "revocation":
            continue
        status_claims = _verified_claims(fetch_status_list(entry["statusListCredential"]), keys)
        subject = status_claims.get("credentialSubject") or {}
        if (
            "BitstringStatusListCredential" not in (status_claims.get("type") or [])
            or subject.get("statusPurpose") != "revocation"
        ):
            raise NotVerified("Its status list is not a revocation status list.")
        if status_claims.get("validUntil") and _moment(status_claims["validUntil"], "validUntil") <= now:
            raise NotVerified("Its status list is out of date.")
        try:
            revoked = bit_is_set(decode_bits(subject["encodedList"]), int(entry["statusListIndex"]))
        except (KeyError, ValueError, IndexError, OSError) as error:
            raise NotVerified(f"Its status list could not be read: {error}.") from error
        if revoked:
            raise NotVerified("It was revoked by its issuer. It is no longer valid.")
    return claims


def local_keys():
    """This site's published keys, as a verifier would get them from /credentials/issuer/jwks.json."""
    return jwk.JWKSet.from_json(json.dumps(public_jwks()))
