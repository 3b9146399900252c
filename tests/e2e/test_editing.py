"""An editor in the Wagtail admin, in Debian's Chromium on a laptop-sized screen: the live preview beside the
editor shows the page (it was blank: the public pages' `frame-ancestors 'none'` reached the preview).
Screenshots go to screenshots/ (not committed)."""

from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SCREENSHOTS = Path(settings.BASE_DIR) / "screenshots"
LAPTOP = {"viewport": {"width": 1400, "height": 900}, "has_touch": True}  # sign_in taps, as on a phone


@pytest.fixture
def laptop(chromium):
    context = chromium.new_context(**LAPTOP)
    context.set_default_timeout(20_000)
    yield context
    context.close()


@pytest.mark.parametrize("which", ["course", "programs"])
def test_the_side_panel_preview_shows_the_page(live_server, laptop, site_tree, manager, which):
    page_to_edit = site_tree.courses["everyday-english"] if which == "course" else site_tree.programs
    blocked = []
    browser_page = laptop.new_page()
    browser_page.on(
        "console", lambda message: blocked.append(message.text) if "frame-ancestors" in message.text else None
    )
    sign_in(browser_page, live_server, manager, "/admin/")

    browser_page.goto(f"{live_server.url}/admin/pages/{page_to_edit.pk}/edit/")
    browser_page.locator("[data-side-panel-toggle=preview]").click()

    preview = browser_page.frame_locator("#w-preview-iframe")
    expect(preview.locator("h1")).to_have_text(page_to_edit.title)
    browser_page.screenshot(path=SCREENSHOTS / f"editor-preview-{which}.png")
    assert blocked == []

    # "Preview in new tab" opens the same preview on its own.
    with laptop.expect_page() as new_tab:
        browser_page.locator("[data-w-preview-target=newTab]").click()
    expect(new_tab.value.locator("h1")).to_have_text(page_to_edit.title)


def test_untranslated_english_in_the_arabic_site_reads_left_to_right(live_server, phone, site_tree):
    page = phone.new_page()

    page.goto(f"{live_server.url}/ar/programs/everyday-english/")

    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    title = page.locator("h1")
    expect(title).to_have_attribute("lang", "en")
    assert title.evaluate("element => getComputedStyle(element).direction") == "ltr"
    assert page.locator("#syllabus-heading").evaluate("element => getComputedStyle(element).direction") == "rtl"
    page.screenshot(path=SCREENSHOTS / "arabic-course-with-english-fallback.png", full_page=True)
