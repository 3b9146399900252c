"""The deployment check of the public address printed on certificates (settings.PATHWAYS_PUBLIC_URL)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, register

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
