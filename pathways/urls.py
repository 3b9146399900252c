"""Top-level URLs: unprefixed service URLs, then Wagtail pages under a language prefix."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.templatetags.static import static as static_url
from django.urls import include, path
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from people import views as people_views


class FaviconView(RedirectView):
    """The icon's static address, looked up when asked (not at import: the manifest exists only after
    collectstatic, and `check --deploy` imports the URLs before it)."""

    def get_redirect_url(self, *args, **kwargs):
        return static_url("cms/favicon.ico")


urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/setlang/", people_views.set_language, name="set_language"),
    path("accounts/", include("people.urls")),
    path("incentives/", include("incentives.urls")),
    path("", include("credentials.urls")),
    path("", include("cohorts.urls")),
    path("api/v1/", include("api.urls")),  # JSON API; never under a language prefix
    # Browsers ask for /favicon.ico whatever the page says; it lives with the other static files.
    path("favicon.ico", FaviconView.as_view(permanent=True)),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Pages are served under /en/, /es/, /ar/...; "/" redirects to the visitor's
# remembered (cookie) or browser language.
urlpatterns += i18n_patterns(
    path("join/", include(("cohorts.views.public", "join"))),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)
