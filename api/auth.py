"""`Authorization: Bearer <token>`: the request acts as the token's user, scoped like their pages.

Tokens are Wagtail's `APIToken` (digest lookup, with SECRET_KEY_FALLBACKS so a key rotation does not
lock integrations out). A malformed token is refused without a query.
"""

import datetime

from django.utils import timezone
from ninja.security import HttpBearer
from wagtail.models import APIToken

from .errors import BadToken

TOUCH_EVERY = datetime.timedelta(minutes=1)  # last_used_at is for people reviewing tokens, not an access log


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        token = token.strip()
        if not APIToken.validate_token_format(token):
            raise BadToken()
        found = (
            APIToken.objects.select_related("user")
            .filter(key_hash__in=APIToken.candidate_key_hashes(token), revoked_at__isnull=True)
            .first()
        )
        if found is None or not found.user.is_active:
            raise BadToken()
        now = timezone.now()
        if found.last_used_at is None or now - found.last_used_at >= TOUCH_EVERY:
            APIToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user  # never a session's user: the token decides who is asking
        return found.user
