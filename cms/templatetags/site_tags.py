"""Site chrome: the main menu, the link to the signed-in person's home and the language switcher."""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language, get_language_info
from wagtail.models import Locale, Page, Site

from people.homes import home_link as person_home_link

register = template.Library()


@register.simple_tag(takes_context=True)
def main_menu(context):
    """Live, in-menu children of the home page in the current language."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None:
        return Page.objects.none()
    home = site.root_page.localized
    return home.get_children().live().in_menu().specific(defer=True)


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
        locales = {locale.pk: locale.language_code for locale in Locale.objects.all()}
        for translation in (
            page.get_translations(inclusive=True).live().only("id", "url_path", "locale_id", "path", "depth")
        ):
            url = translation.get_url(request=request)
            if url:
                translated_urls[locales[translation.locale_id]] = url
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
