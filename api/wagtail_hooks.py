"""Admin registration for API tokens: the "API tokens" settings menu (viewsets.py) and its permission policy.

Wagtail's own token admin comes with its API v3 app, which Pathways does not install (no unauthenticated
Wagtail API); ours follows the role instead of Django permissions. The audit actions
(wagtail.apitoken.create / revoke) are Wagtail's own.
"""

from wagtail import hooks
from wagtail.models import APIToken
from wagtail.permissions import register_permission_policy

from .viewsets import ApiTokenViewSet, token_policy

register_permission_policy(APIToken, token_policy)


@hooks.register("register_admin_viewset")
def register_api_token_admin():
    return ApiTokenViewSet("api_tokens", url_prefix="api-tokens")
