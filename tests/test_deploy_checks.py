"""Production settings pass Django's deployment checks, refuse to start without a secret key, and answer
browsers over HTTPS only with secure cookies, HSTS and a Content-Security-Policy."""

import json
import os
import secrets
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

MANAGE = Path(__file__).resolve().parent.parent / "manage.py"


def manage(*arguments, **environment):
    """Run manage.py with production settings in a clean process (settings are read at import)."""
    # Nothing from this test run leaks in: no settings module, no DJANGO_ALLOW_ASYNC_UNSAFE (the browser
    # tests set it, and check --deploy rightly warns about it), no secrets or hosts of our own.
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("DJANGO_")
        and key
        not in {"SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "PATHWAYS_PUBLIC_URL", "PATHWAYS_OPEN_BADGES_KEY"}
    }
    env.update(DJANGO_SETTINGS_MODULE="pathways.settings.production", **environment)
    # A database of this call's own (never opened by these commands), not a fixed /tmp path that
    # concurrent runs and xdist workers would share.
    with tempfile.TemporaryDirectory(prefix="pathways-deploy-") as scratch:
        env.setdefault("DATABASE_URL", f"sqlite:///{scratch}/pathways.sqlite3")
        return subprocess.run(
            [sys.executable, str(MANAGE), *arguments],
            env=env,
            cwd=MANAGE.parent,
            capture_output=True,
            text=True,
            timeout=60,
        )


def test_production_settings_pass_the_deployment_checks():
    result = manage(
        "check",
        "--deploy",
        SECRET_KEY=secrets.token_urlsafe(60),  # 80 characters, as Django's check wants (>= 50, varied)
        ALLOWED_HOSTS="pathways.example",
        PATHWAYS_PUBLIC_URL="https://pathways.example",
        PATHWAYS_OPEN_BADGES_KEY=open_badges_key(),
    )

    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "no issues" in output, output


@pytest.mark.parametrize(
    "public_url, problem",
    [
        (None, "PATHWAYS_PUBLIC_URL is not set"),
        ("http://pathways.example", "must be an https:// address"),
        ("https://127.0.0.1:8000", "a host the public cannot reach: 127.0.0.1"),
        ("https://localhost", "a host the public cannot reach: localhost"),
        ("https://pathways.example/admin", "without a path"),
    ],
)
def test_deployment_checks_refuse_a_public_address_certificates_could_not_be_checked_at(public_url, problem):
    """The address is printed on every certificate and in its QR code: a dev server's or a missing one
    would send employers nowhere for as long as the paper exists."""
    environment = {"PATHWAYS_PUBLIC_URL": public_url} if public_url else {}
    result = manage(
        "check",
        "--deploy",
        SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS="pathways.example",
        **environment,
    )

    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "credentials.E001" in output and problem in output, output


def open_badges_key():
    """A new Ed25519 private key as PEM, made with `cryptography` (not the jwcrypto Pathways signs with)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    return (
        Ed25519PrivateKey.generate()
        .private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
        .decode()
    )


def test_production_refuses_to_pass_the_deployment_checks_without_an_open_badges_key():
    """A key made up by each server would sign files no other server (and no later server) can vouch for."""
    settings = {"SECRET_KEY": secrets.token_urlsafe(60), "ALLOWED_HOSTS": "pathways.example"}

    missing = manage("check", "--deploy", **settings)
    not_ed25519 = manage("check", "--deploy", PATHWAYS_OPEN_BADGES_KEY="-----BEGIN PRIVATE KEY-----", **settings)

    assert missing.returncode != 0
    assert "credentials.E002" in missing.stderr and "PATHWAYS_OPEN_BADGES_KEY is not set" in missing.stderr
    assert not_ed25519.returncode != 0
    assert "credentials.E003" in not_ed25519.stderr, not_ed25519.stderr


def test_production_settings_refuse_to_load_without_a_secret_key():
    result = manage("check", ALLOWED_HOSTS="pathways.example")

    assert result.returncode != 0, result.stdout
    assert "SECRET_KEY" in result.stderr, result.stderr


def test_production_settings_refuse_to_load_without_allowed_hosts():
    result = manage("check", SECRET_KEY=secrets.token_urlsafe(60))

    assert result.returncode != 0, result.stdout
    assert "ALLOWED_HOSTS" in result.stderr, result.stderr


# What a browser gets from production settings, asked in a clean process. /teach/ answers an anonymous
# visitor with a redirect to sign in without touching the database, so no migrated database is needed.
PROBE = """
import json
from django.conf import settings
from django.test import Client
from django.test.client import RequestFactory
from core.ratelimit import client_ip

browser = Client(HTTP_HOST="pathways.example")
def headers(response):
    return {"status": response.status_code, **{key.lower(): value for key, value in response.items()}}
forwarded = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
print("PROBE " + json.dumps({
    "plain": headers(browser.get("/teach/")),
    "https": headers(browser.get("/teach/", HTTP_X_FORWARDED_PROTO="https")),
    "admin": headers(browser.get("/admin/", HTTP_X_FORWARDED_PROTO="https")),
    "first_backend": settings.AUTHENTICATION_BACKENDS[0],
    "visitor_behind_the_proxy": client_ip(forwarded),
}))
"""


def probe_production(**environment):
    result = manage(
        "shell",
        "-c",
        PROBE,
        SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS="pathways.example",
        **environment,
    )
    lines = [line for line in result.stdout.splitlines() if line.startswith("PROBE ")]
    assert result.returncode == 0 and lines, result.stdout + result.stderr
    return json.loads(lines[-1].removeprefix("PROBE "))


def directives(policy):
    return {part.split()[0]: part.split()[1:] for part in (p.strip() for p in policy.split(";")) if part}


def test_production_sends_plain_http_to_https_and_answers_with_the_security_headers():
    seen = probe_production()

    assert seen["plain"]["status"] == 301
    assert seen["plain"]["location"] == "https://pathways.example/teach/"

    https = seen["https"]
    assert https["status"] == 302 and https["location"].startswith("/accounts/login/")
    assert https["strict-transport-security"] == "max-age=31536000; includeSubDomains; preload"
    assert https["x-frame-options"] == "DENY"
    assert https["x-content-type-options"] == "nosniff"
    assert https["referrer-policy"] == "same-origin"
    assert https["cross-origin-opener-policy"] == "same-origin"

    policy = directives(https["content-security-policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]  # no inline script, no eval, no other host
    assert "'unsafe-inline'" not in policy["style-src"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    assert "upgrade-insecure-requests" in policy


def test_production_admin_loosens_only_what_wagtail_needs():
    admin = probe_production()["admin"]
    assert admin["status"] == 302 and admin["location"].startswith("/admin/login/")
    policy = directives(admin["content-security-policy"])
    # Wagtail 8.0's widgets and editor need inline script and style (see ADMIN_CONTENT_SECURITY_POLICY)...
    assert policy["script-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
    # ...but no eval, no other hosts, and only same-origin framing (Wagtail's preview).
    assert policy["default-src"] == ["'self'"] and policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'self'"]


def test_production_counts_sign_in_failures_per_visitor_behind_the_proxy():
    seen = probe_production()

    assert seen["first_backend"] == "axes.backends.AxesStandaloneBackend"
    # nginx appends the real address; what the client wrote before it is not trusted.
    assert seen["visitor_behind_the_proxy"] == "203.0.113.9"
    assert probe_production(TRUSTED_PROXY_COUNT="0")["visitor_behind_the_proxy"] == "127.0.0.1"
