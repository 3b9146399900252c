"""Project-wide middleware."""

from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.urls import Resolver404, get_resolver


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
