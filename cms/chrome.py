"""The chrome every public page repeats — the main menu and the language switcher's targets — cached.

Without it each page spends about five of its queries on the same answers (the locale, the in-menu pages,
every locale, the page's live translations). The answers are kept in the cache (Redis in production, so every
web process sees the same) under a version that changes whenever something they are built from may have
changed: a page saved, published, unpublished, moved or deleted, a locale or a site changed. A change is
seen on the next request; nothing is ever served from an older version.
"""

import time
from contextvars import ContextVar

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.utils.functional import SimpleLazyObject
from wagtail.models import Locale, Page, Site
from wagtail.models.i18n import LocaleManager
from wagtail.signals import page_published, page_unpublished, post_page_move

VERSION_KEY = "cms:chrome-version"
ONE_DAY = 60 * 60 * 24


def version():
    """The current version. It starts from the clock, so a version key evicted from the cache can never
    bring back answers cached under an earlier one."""
    current = cache.get(VERSION_KEY)
    if current is None:
        cache.add(VERSION_KEY, time.time_ns(), timeout=None)
        current = cache.get(VERSION_KEY)
    return current


def forget(**_kwargs):
    """Retire every cached answer (they expire on their own; none is read again)."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # nothing cached yet
        pass


def cached(kind, *parts, build):
    key = ":".join(["cms", kind, str(version()), *map(str, parts)])
    answer = cache.get(key)
    if answer is None:
        answer = build()
        cache.set(key, answer, ONE_DAY)
    return answer


def written_in(page):
    """The language code a page's own text is written in: its locale's, or for an alias (a page not yet
    translated) its source's. From what the page already holds, else from the cache: no query per page."""
    codes = _locale_codes()
    if not page.alias_of_id:
        return codes.get(page.locale_id)
    if Page.alias_of.is_cached(page) and page.alias_of is not None:
        return codes.get(page.alias_of.locale_id)
    source_locale = cached(
        "alias-source-locale",
        page.alias_of_id,
        build=lambda: Page.objects.filter(pk=page.alias_of_id).values_list("locale_id", flat=True).first(),
    )
    return codes.get(source_locale)


def _locale_codes():
    """{locale id: language code}, read from the cache once per request (a listing asks for every card)."""
    memo = _locales.get()
    if memo is not None and _CODES in memo:
        return memo[_CODES]
    codes = cached("locale-codes", build=lambda: dict(Locale.objects.values_list("pk", "language_code")))
    if memo is not None:
        memo[_CODES] = codes
    return codes


def branding(request):
    """Context processor: the site's BrandingSettings as `branding`, cached per site (read on every page
    for the title, colour, header and footer)."""
    from .models import BrandingSettings

    def load():
        site = Site.find_for_request(request)
        if site is None:
            return BrandingSettings()
        return cached("branding", site.pk, build=lambda: BrandingSettings.for_site(site))

    return {"branding": SimpleLazyObject(load)}


# --- the locale, resolved once per request -------------------------------------------------------------
# Wagtail asks for the active Locale wherever it needs one (routing, `localized`, the menu) with a query
# each time, and offers no hook to share the answer. The middleware opens a memo for the request, and
# LocaleManager.get_for_language reads through it; outside a request (shell, workers, tests without the
# middleware) nothing changes.

_locales = ContextVar("pathways_locales", default=None)
_CODES = object()  # the memo's key for every locale's code (cms.chrome.written_in)
_get_for_language = LocaleManager.get_for_language


def _get_for_language_once(manager, language_code):
    memo = _locales.get()
    if memo is None:
        return _get_for_language(manager, language_code)
    if language_code not in memo:
        memo[language_code] = _get_for_language(manager, language_code)
    return memo[language_code]


class LocaleOncePerRequest:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _locales.set({})
        try:
            return self.get_response(request)
        finally:
            _locales.reset(token)


def _forget_page(sender, instance, **kwargs):
    from .models import BrandingSettings

    if isinstance(instance, Page | Locale | Site | BrandingSettings):
        forget()


def connect():
    LocaleManager.get_for_language = _get_for_language_once
    post_save.connect(_forget_page, dispatch_uid="cms-chrome-save")
    post_delete.connect(_forget_page, dispatch_uid="cms-chrome-delete")
    page_published.connect(forget, dispatch_uid="cms-chrome-published")
    page_unpublished.connect(forget, dispatch_uid="cms-chrome-unpublished")
    post_page_move.connect(forget, dispatch_uid="cms-chrome-moved")
