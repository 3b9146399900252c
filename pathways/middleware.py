"""Project-wide middleware."""

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.shortcuts import redirect
from django.urls import Resolver404, get_resolver, reverse
from django.utils.http import urlencode

from people.two_factor import second_factor_required


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's LocaleMiddleware, except that a 404 from a view at an unprefixed URL stays a 404.

    With the Wagtail catch-all under a language prefix, Django would redirect any
    404 (e.g. /teach/sessions/999/, an object the user may not see) to
    /en/teach/sessions/999/ and 404 there: a pointless hop. When the unprefixed
    path matched one of our views, that view's 404 is the answer.
    """

    def process_response(self, request, response):
        if response.status_code == 404 and _matches_a_view(
            request.path_info, request.urlconf if hasattr(request, "urlconf") else None
        ):
            return response
        return super().process_response(request, response)


def _matches_a_view(path, urlconf):
    try:
        get_resolver(urlconf).resolve(path)
    except Resolver404:
        return False
    return True


ADMIN_PREFIX = "/admin/"
# Admin pages anyone may open keep the site's strict policy: they need no inline script.
ADMIN_PUBLIC_PREFIXES = ("/admin/login/", "/admin/logout/", "/admin/password_reset/")


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the Wagtail admin's own policy for signed-in staff.

    The site's policy (CONTENT_SECURITY_POLICY) applies everywhere; inside the admin the directives in
    ADMIN_CONTENT_SECURITY_POLICY replace the site's ones of the same name, because Wagtail needs what
    our pages must not have (see that setting for why). A view's own @csp_replace still wins.

    Wagtail renders a preview (the editor's side panel, "Preview in new tab", "View draft") by running the
    page's public route through the middleware again, inside the admin request; that inner response's
    header is the one the browser gets. It is the public page with the public policy, except that the
    admin may frame it: 'none' there left the side panel blank.
    """

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        path = request.path_info
        if not report_only and path.startswith(ADMIN_PREFIX) and not path.startswith(ADMIN_PUBLIC_PREFIXES):
            parts.replace = {**settings.ADMIN_CONTENT_SECURITY_POLICY, **(parts.replace or {})}
        elif not report_only and getattr(request, "is_preview", False):
            frame_ancestors = settings.ADMIN_CONTENT_SECURITY_POLICY["frame-ancestors"]
            parts.replace = {"frame-ancestors": frame_ancestors, **(parts.replace or {})}
        return parts


# What someone signed in with their password, but not yet with their second factor, may still open: the
# second-factor pages themselves, signing out, the language switcher, and files the pages need.
SECOND_FACTOR_OPEN_PREFIXES = ("/accounts/two-factor/", "/accounts/logout/", "/i18n/setlang/", "/static/")


class SecondFactorMiddleware:
    """Until a session has passed the second factor (django-otp's `is_verified`), a person who must have one
    (people.two_factor.second_factor_required) is sent to the second-factor page from every other page,
    the Wagtail admin included, and comes back to the page they asked for afterwards."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not request.path_info.startswith(SECOND_FACTOR_OPEN_PREFIXES)
            and not user.is_verified()
            and second_factor_required(user)
        ):
            target = reverse("people:two_factor")
            if request.method == "GET":
                target = f"{target}?{urlencode({'next': request.get_full_path()})}"
            return redirect(target)
        return self.get_response(request)
