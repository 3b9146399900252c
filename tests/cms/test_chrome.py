"""The chrome every public page repeats (menu, language switcher, branding) is cached, never stale.

Each test first visits a page so the chrome is cached, then changes what the chrome is built from as an
editor would, and looks at the next page a visitor gets.
"""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from cms.models import BrandingSettings, StandardPage
from people.models import Role
from tests.conftest import user_with_role
from tests.factories import PASSWORD


def html(response):
    return response.content.decode()


def test_a_page_published_into_the_menu_appears_on_the_next_visit(site_tree, client):
    assert "Contact" not in html(client.get("/en/"))
    contact = site_tree.home.add_child(
        instance=StandardPage(title="Contact", slug="contact", show_in_menus=True, live=False)
    )
    contact.save_revision().publish()

    assert 'href="/en/contact/">Contact</a>' in html(client.get("/en/"))

    contact.refresh_from_db()
    contact.unpublish()
    assert "Contact" not in html(client.get("/en/"))


def test_a_renamed_menu_page_shows_its_new_title(site_tree, client):
    assert ">About us</a>" in html(client.get("/en/about/"))
    site_tree.about.title = "Who we are"
    site_tree.about.save_revision().publish()

    page = html(client.get("/en/about/"))
    assert ">Who we are</a>" in page and ">About us</a>" not in page


def test_each_language_keeps_its_own_menu(site_tree, client):
    client.get("/en/")  # the English menu is cached first

    page = html(client.get("/ar/"))
    assert 'href="/ar/about/"' in page and 'href="/en/about/"' not in page


def test_a_translation_published_later_is_offered_by_the_switcher(site_tree, client):
    site_tree.add_course("night-english", title="Night English", in_arabic=False)
    course = site_tree.courses["night-english"]
    page = html(client.get("/en/programs/night-english/"))
    assert 'value="/ar/programs/night-english/"' in page  # no Arabic page yet: the same path under /ar/

    arabic = course.copy_for_translation(site_tree.arabic)  # a draft, with its own slug once translated
    arabic.title = "الإنجليزية المسائية"
    arabic.slug = "englizi-masai"
    arabic.save_revision().publish()

    page = html(client.get("/en/programs/night-english/"))
    assert 'name="next" value="/ar/programs/englizi-masai/"' in page


def test_a_new_organization_name_shows_on_the_next_page(site_tree, client):
    client.get("/en/")
    branding = BrandingSettings.for_site(site_tree.site)
    branding.organization_name = "Bridges Collaborative"
    branding.save()

    page = html(client.get("/en/"))
    assert '<span class="brand__name">Bridges Collaborative</span>' in page
    assert "· Bridges Collaborative</title>" in page


def test_the_active_locale_is_looked_up_once_per_request(site_tree, client):
    client.get("/ar/about/")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/ar/about/")

    assert response.status_code == 200
    locale_lookups = [q["sql"] for q in queries if 'FROM "wagtailcore_locale" WHERE' in q["sql"]]
    assert len(locale_lookups) == 1, locale_lookups


def test_a_learner_gets_no_admin_user_bar_and_pays_no_query_for_it(site_tree, client):
    learner = user_with_role(Role.LEARNER)
    client.login(username=learner.username, password=PASSWORD)
    client.get("/en/about/")
    with CaptureQueriesContext(connection) as queries:
        page = html(client.get("/en/about/"))

    assert "wagtail-userbar" not in page
    assert not [q for q in queries if "auth_permission" in q["sql"]]


def test_a_program_manager_keeps_the_admin_user_bar(site_tree, client):
    manager = user_with_role(Role.PROGRAM_MANAGER)
    client.login(username=manager.username, password=PASSWORD)

    assert "wagtail-userbar" in html(client.get("/en/about/"))
