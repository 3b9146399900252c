"""Site chrome: the main menu, the link to the signed-in person's home and the language switcher."""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language, get_language_info
from wagtail.models import Locale, Page, Site

from cms import chrome
from people.homes import home_link as person_home_link
from people.models import Role

register = template.Library()


@register.simple_tag(takes_context=True)
def main_menu(context):
    """Live, in-menu children of the home page in the current language: [{"pk", "title", "url"}], cached
    (cms.chrome) per site and language."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None:
        return []

    def build():
        home = site.root_page.localized
        return [
            {"pk": item.pk, "title": item.title, "url": item.get_url(request=request)}
            for item in home.get_children().live().in_menu()
        ]

    return chrome.cached("menu", site.pk, get_language(), build=build)


@register.simple_tag(takes_context=True)
def show_userbar(context):
    """Wagtail's user bar only for people who may use the admin: asking a learner's permissions costs two
    queries on every page for a bar they would never see."""
    user = getattr(context.get("request"), "user", None)
    return bool(user and user.is_authenticated and (user.is_superuser or user.role != Role.LEARNER))


@register.simple_tag(takes_context=True)
def home_link(context):
    """(path, words) of the signed-in person's own home (people.homes), for the header on every page."""
    request = context.get("request")
    return person_home_link(getattr(request, "user", None))


@register.simple_tag(takes_context=True)
def language_options(context):
    """One entry per language: its own name, and where switching to it leads.

    On a Wagtail page the target is that page's translation (slugs may be
    translated); elsewhere the same URL under the other language prefix.
    """
    request = context.get("request")
    current = get_language()
    path = request.get_full_path() if request else "/"
    page = context.get("page")
    translated_urls = {}
    if isinstance(page, Page) and getattr(page, "locale_id", None):
        if getattr(request, "is_preview", False):  # a draft: nothing to cache
            translated_urls = _translated_urls(page, request)
        else:
            site = Site.find_for_request(request) if request else None
            translated_urls = chrome.cached(
                "translations", getattr(site, "pk", None), page.pk, build=lambda: _translated_urls(page, request)
            )
    options = []
    for code, _name in settings.LANGUAGES:
        info = get_language_info(code)
        options.append(
            {
                "code": code,
                "name": info["name_local"],
                "bidi": info["bidi"],
                "next": translated_urls.get(code) or translate_url(path, code),
                "current": code == current,
            }
        )
    return options


def _translated_urls(page, request):
    """{language code: URL} of the page's live translations, itself included."""
    locales = {locale.pk: locale.language_code for locale in Locale.objects.all()}
    urls = {}
    for translation in (
        page.get_translations(inclusive=True).live().only("id", "url_path", "locale_id", "path", "depth")
    ):
        url = translation.get_url(request=request)
        if url:
            urls[locales[translation.locale_id]] = url
    return urls
