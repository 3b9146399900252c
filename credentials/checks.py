"""Deployment checks for credentials: the public address printed on certificates (settings.PATHWAYS_PUBLIC_URL),
and the key Open Badges are signed with (production signs with a key it was given, never one it made)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.exceptions import ImproperlyConfigured

# Hosts nobody outside this machine (or a test run) can open.
LOCAL_HOSTS = {"localhost", "127.0.0.1", "0.0.0.0", "::1", "testserver"}


def public_url_problem(url):
    """Why `url` cannot be printed on certificates, or "" when it can."""
    if not url:
        return "PATHWAYS_PUBLIC_URL is not set."
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        return f"PATHWAYS_PUBLIC_URL must be an https:// address, not {url!r}."
    if parts.hostname in LOCAL_HOSTS or parts.hostname.startswith("127.") or parts.hostname.endswith(".local"):
        return f"PATHWAYS_PUBLIC_URL names a host the public cannot reach: {parts.hostname}."
    if parts.path.strip("/") or parts.query or parts.fragment:
        return f"PATHWAYS_PUBLIC_URL must be the site's root address, without a path: {url!r}."
    return ""


@register(Tags.security, deploy=True)
def check_public_url(app_configs, **kwargs):
    problem = public_url_problem(getattr(settings, "PATHWAYS_PUBLIC_URL", ""))
    if not problem:
        return []
    return [
        Error(
            problem,
            hint=(
                "Set PATHWAYS_PUBLIC_URL in the environment to the https address the public opens, for example "
                "https://pathways.example.org: it is printed on every certificate and in its QR code."
            ),
            id="credentials.E001",
        )
    ]


@register(Tags.security, deploy=True)
def open_badges_key(app_configs, **kwargs):
    """Every machine must sign with the same key, and the key must outlive the machine: a key generated on
    one server would make the files it signed unverifiable once that server is gone."""
    from .openbadges import _key_from_text

    hint = (
        "Generate one with `openssl genpkey -algorithm ed25519` and set PATHWAYS_OPEN_BADGES_KEY to the PEM "
        "(or an Ed25519 private JWK) in the environment. Keep it secret and keep a copy: it signs every "
        "Open Badges file and revocation list."
    )
    if not settings.PATHWAYS_OPEN_BADGES_KEY:
        return [Error("PATHWAYS_OPEN_BADGES_KEY is not set.", hint=hint, id="credentials.E002")]
    try:
        _key_from_text(settings.PATHWAYS_OPEN_BADGES_KEY)
    except ImproperlyConfigured as error:
        return [Error(str(error), hint=hint, id="credentials.E003")]
    return []
