"""Deployment checks for credentials: production signs Open Badges with a key it was given, never one it made."""

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.exceptions import ImproperlyConfigured


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
        return [Error("PATHWAYS_OPEN_BADGES_KEY is not set.", hint=hint, id="credentials.E001")]
    try:
        _key_from_text(settings.PATHWAYS_OPEN_BADGES_KEY)
    except ImproperlyConfigured as error:
        return [Error(str(error), hint=hint, id="credentials.E002")]
    return []
