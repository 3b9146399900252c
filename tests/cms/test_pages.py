"""The site shell: pages in English and Arabic, the language switcher, branding, the 404 page."""

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.utils.translation import get_language_info

from cms.models import BrandingSettings


def html(response):
    return response.content.decode()


# --- pages in both directions -------------------------------------------------------------------


def test_english_home_page_shows_its_heading_left_to_right(site_tree, client):
    response = client.get("/en/")

    assert response.status_code == 200
    assert f"<h1>{site_tree.home.heading}</h1>" in html(response)
    assert '<html lang="en" dir="ltr">' in html(response)


def test_arabic_home_page_is_served_right_to_left(site_tree, client):
    response = client.get("/ar/")

    assert response.status_code == 200
    assert f"<h1>{site_tree.home.heading}</h1>" in html(response)  # an alias shows the English text until translated
    assert '<html lang="ar" dir="rtl">' in html(response)


def test_arabic_home_page_menu_links_stay_in_arabic(site_tree, client):
    page = html(client.get("/ar/"))

    assert 'href="/ar/about/"' in page and 'href="/ar/programs/"' in page
    assert 'href="/en/about/"' not in page


@pytest.mark.parametrize(("url", "lang", "direction"), [("/en/about/", "en", "ltr"), ("/ar/about/", "ar", "rtl")])
def test_standard_page_renders_its_title_and_intro_in_each_direction(site_tree, client, url, lang, direction):
    response = client.get(url)

    assert response.status_code == 200
    assert "<h1>About us</h1>" in html(response)
    assert "A network of community organizations." in html(response)
    assert f'<html lang="{lang}" dir="{direction}">' in html(response)


def test_home_page_renders_in_a_fixed_number_of_queries(site_tree, client, django_assert_max_num_queries):
    client.get("/en/")  # the first visit creates the branding row (which retires the cached chrome)
    client.get("/en/")  # the second fills the caches
    # 5 queries: routing (site, locale, home page, ancestors' aliases, view restrictions) = 5;
    # branding, the main menu and the language switcher's targets come from the cache (cms.chrome).
    with django_assert_max_num_queries(5):
        response = client.get("/en/")
    assert response.status_code == 200


# --- the language switcher ----------------------------------------------------------------------


def test_language_switcher_offers_every_language_by_its_own_name(site_tree, client):
    page = html(client.get("/en/about/"))

    for code, _english_name in settings.LANGUAGES:
        info = get_language_info(code)
        direction = "rtl" if info["bidi"] else "ltr"
        assert f'value="{code}" lang="{code}" dir="{direction}"' in page
        assert f">{info['name_local']}</button>" in page, code


def test_language_switcher_arabic_button_leads_to_the_arabic_version_of_the_page(site_tree, client):
    page = html(client.get("/en/about/"))

    assert 'name="next" value="/ar/about/"' in page


def test_choosing_arabic_redirects_to_the_same_page_in_arabic_and_remembers_it(site_tree, client):
    response = client.post("/i18n/setlang/", {"language": "ar", "next": "/en/about/"})

    assert response.status_code == 302
    assert response["Location"] == "/ar/about/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ar"
    assert '<html lang="ar" dir="rtl">' in html(client.get(response["Location"]))


def test_site_root_redirects_to_english_by_default(site_tree, client):
    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"] == "/en/"


def test_site_root_redirects_to_the_remembered_language(site_tree, client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"

    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"] == "/ar/"


# --- branding -----------------------------------------------------------------------------------


def test_brand_colour_too_light_for_white_text_is_rejected_with_a_contrast_message(site_tree):
    branding = BrandingSettings.for_site(site_tree.site)
    branding.primary_colour = "#ffff00"

    with pytest.raises(ValidationError) as error:
        branding.full_clean()

    messages = error.value.message_dict["primary_colour"]
    assert any("contrast" in message and "#ffff00" in message for message in messages), messages


def test_dark_brand_colour_is_accepted(site_tree):
    branding = BrandingSettings.for_site(site_tree.site)
    branding.primary_colour = "#0b5394"

    branding.full_clean()  # raises if rejected


# --- errors -------------------------------------------------------------------------------------


def test_missing_page_shows_the_friendly_not_found_page_with_status_404(site_tree, client):
    response = client.get("/en/no-such-page/")

    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in html(response)
    assert "We could not find this page." in html(response)


def test_missing_arabic_page_keeps_the_right_to_left_layout(site_tree, client):
    response = client.get("/ar/no-such-page/")

    assert response.status_code == 404
    assert '<html lang="ar" dir="rtl">' in html(response)


def test_the_browsers_favicon_request_finds_an_icon(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 301 and response.url == "/static/cms/favicon.ico"
    icon = Path(finders.find("cms/favicon.ico")).read_bytes()
    assert icon[:4] == b"\x00\x00\x01\x00"  # a Windows icon file
