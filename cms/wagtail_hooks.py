"""Admin hooks for every page: what happens to a page's translations when the page itself goes."""

from wagtail import hooks
from wagtail.models import Locale, Page


@hooks.register("construct_translated_pages_to_cascade_actions")
def cascade_to_translations(pages, action):
    """Unpublishing or deleting a page in the site's own language does the same to its translations.

    wagtail-localize does not feed this core hook (wagtail-localize #15), so a course unpublished in English
    stayed live in Arabic and Spanish, and a deleted one left its translations behind as orphan drafts.
    Only from the source language: unpublishing the Arabic page alone leaves the English one alone.
    Unpublishing reaches real translations (aliases follow their source already); deleting reaches
    aliases too.
    """
    if action not in ("unpublish", "delete"):
        return None
    default_locale = Locale.get_default()
    cascade = {}
    for page in pages:
        if page.locale_id != default_locale.pk:
            continue
        translations = Page.objects.translation_of(page, inclusive=False)
        if action == "unpublish":
            translations = translations.filter(alias_of__isnull=True).live()
        cascade[page] = list(translations)
    return cascade
