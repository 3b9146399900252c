"""Writes about API tokens: create (the only moment a token exists in clear) and revoke, each one
transaction with its audit entry.

Tokens are Wagtail's own `APIToken` rows (wagtail.models): only an HMAC-SHA-256 digest keyed with
SECRET_KEY is stored, with a short prefix for telling tokens apart; revoking keeps the row.
"""

from django.db import transaction
from wagtail.log_actions import log
from wagtail.models import APIToken


@transaction.atomic
def create_token(*, user, name: str, by) -> tuple[APIToken, str]:
    """A new token for `user`: returns (token, plaintext). Show the plaintext once; it is not kept."""
    token, plaintext = APIToken.create_token(user=user, name=name.strip())
    log(token, "wagtail.apitoken.create", user=by, data={"owner": user.pk, "prefix": token.prefix})
    return token, plaintext


@transaction.atomic
def revoke_token(*, token: APIToken, by) -> APIToken:
    """Stop the token at once. The row stays: whose it was, when it was last used, when it was revoked."""
    token = APIToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        return token
    token.revoke()
    log(token, "wagtail.apitoken.revoke", user=by, data={"owner": token.user_id, "prefix": token.prefix})
    return token
