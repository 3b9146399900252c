"""manage.py verify_credential FILE: check an Open Badges 3.0 file as an outside verifier would.

By default the file is checked against this site's own key (settings) and its revocation status list is
built from this site's records, exactly as /credentials/status/<n>/ serves it. With --jwks URL the key set
and the status list are fetched over the network instead, as anyone else checking the file would. Exits
non-zero (1) when the file is not to be trusted, saying why: a bad signature, another issuer, dates, a
name that does not match, or a revocation.
"""

import json
import urllib.parse
import urllib.request

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import Resolver404, resolve
from jwcrypto import jwk

from credentials import openbadges

TIMEOUT = 10


def _fetch(url):
    if urllib.parse.urlsplit(url).scheme not in ("https", "http"):
        raise openbadges.NotVerified(f"Will not fetch {url!r}: only http(s) addresses.")
    request = urllib.request.Request(url, headers={"Accept": f"{openbadges.MEDIA_TYPE}, application/json"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310 (scheme checked above)
            return response.read(2_000_000).decode()
    except OSError as error:
        raise openbadges.NotVerified(f"Could not fetch {url}: {error}.") from error


def _origin(url):
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/"


def _local_status_list(url):
    """This site's status list `url`, built from the records as the status list URL serves it."""
    base = settings.WAGTAILADMIN_BASE_URL
    if not url.startswith(base):
        raise openbadges.NotVerified(f"Its status list {url} is not on this site ({base}); use --jwks.")
    try:
        match = resolve(urllib.parse.urlsplit(url).path)
    except Resolver404 as error:
        raise openbadges.NotVerified(f"This site has no status list at {url}.") from error
    if match.url_name != "status_list" or match.kwargs["number"] >= openbadges.list_count():
        raise openbadges.NotVerified(f"This site has no status list at {url}.")
    return openbadges.signed_status_list(match.kwargs["number"])


class Command(BaseCommand):
    help = "Check a signed Open Badges 3.0 file: signature, issuer, dates, holder's name and revocation."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .jwt file downloaded from Pathways")
        parser.add_argument(
            "--jwks",
            metavar="URL",
            help="check against the keys published at this URL (and fetch the status list) instead of this "
            "site's own settings, e.g. https://pathways.example/credentials/issuer/jwks.json",
        )
        parser.add_argument("--name", help="also check it was issued to this name, exactly as printed")

    def handle(self, *args, file, jwks=None, name=None, **options):
        try:
            with open(file, encoding="utf-8") as handle:
                token = handle.read()
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Could not read {file}: {error}") from error
        try:
            if jwks:
                try:
                    keys = jwk.JWKSet.from_json(_fetch(jwks))
                except (ValueError, json.JSONDecodeError, jwk.JWException) as error:
                    raise openbadges.NotVerified(f"{jwks} is not a JWK Set: {error}.") from error
                trusted_prefix, fetch_status_list = _origin(jwks), self._fetch_from(_origin(jwks))
                source = jwks
            else:
                keys, trusted_prefix = openbadges.local_keys(), openbadges.program_issuer_url()
                fetch_status_list, source = _local_status_list, "this site's key"
            claims = openbadges.check_file(
                token, keys=keys, trusted_prefix=trusted_prefix, fetch_status_list=fetch_status_list, name=name
            )
        except openbadges.NotVerified as reason:
            raise CommandError(f"NOT VALID: {reason}") from reason
        achievement = claims["credentialSubject"]["achievement"]
        self.stdout.write(f"Signature: valid ({source})")
        self.stdout.write(f"Credential: {achievement['name']}")
        self.stdout.write(f"Issued by: {claims['issuer'].get('name', claims['issuer']['id'])}")
        self.stdout.write(f"Valid from: {claims['validFrom']}")
        if name is not None:
            self.stdout.write(f"Issued to: {name}")
        self.stdout.write(f"Verification page: {claims['id']}")
        self.stdout.write(self.style.SUCCESS("VALID: not revoked."))

    @staticmethod
    def _fetch_from(origin):
        def fetch(url):
            if not url.startswith(origin):
                raise openbadges.NotVerified(f"Its status list {url} is not published by {origin}.")
            return _fetch(url)

        return fetch
