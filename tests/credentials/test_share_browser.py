"""In Debian's Chromium, on a 390×844 phone: the learner copies her certificate's link with the button that
script adds (the link stays in view without it), opens its QR code, and an employer reads the verification
page; in English and in Arabic. Screenshots go to $SCREENSHOTS when it is set, to look at."""

import os
from decimal import Decimal

import pytest
from django.conf import settings
from wagtail.models import Locale

from credentials import services
from people.models import Learner
from tests.factories import PASSWORD

from .test_verification import png_logo
from .world import World

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 1}


@pytest.fixture
def browser():
    from django.db import connections
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
        connections.close_all()


def screenshot(page, name):
    directory = os.environ.get("SCREENSHOTS")
    if directory:
        page.screenshot(path=f"{directory}/{name}.png", full_page=True)


@pytest.mark.parametrize("language", ["en", "ar"])
def test_she_copies_her_link_and_shows_its_qr_code_and_an_employer_reads_the_page(live_server, browser, language):
    world = World()
    world.pathway.description = "Everyday English for work: speaking with customers, reading a schedule."
    world.pathway.validity_months = 24
    world.pathway.min_attendance_percent = Decimal("75")
    world.pathway.save()
    partner = world.cohort.partner
    partner.logo = png_logo()
    partner.save()
    template = world.pathway.template
    template.offers_english_copy = True
    template.save()
    arabic = template.copy_for_translation(Locale.objects.get_or_create(language_code="ar")[0])
    arabic.title = "شهادة إتمام"
    arabic.save()
    # The portal speaks the learner's language: Fatima reads Arabic; for the English run she reads English.
    Learner.objects.filter(pk=world.learner.pk).update(preferred_language=language)
    world.learner.refresh_from_db()
    credential = services.issue_credential(
        learner=world.learner, pathway=world.pathway, cohort=world.cohort, by=world.manager
    )
    context = browser.new_context(**PHONE, locale=language)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", world.learner.user.username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")

    page.goto(f"{live_server.url}/credentials/mine/")
    link = services.verify_url(credential.verification_code)
    assert page.input_value(".share__link") == link
    assert page.get_attribute("html", "lang") == language
    assert page.is_visible(f"a[href='/credentials/{credential.pk}/pdf/english/']") == (language == "ar")
    page.click("[data-copy]")
    page.wait_for_function("document.querySelector('.share__status').textContent.length > 0")
    assert page.evaluate("navigator.clipboard.readText()") == link
    page.click(".share__qr summary")
    assert page.is_visible("svg.qr")
    # Nothing wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, f"mine-{language}")

    verify = context.new_page()
    verify.goto(link.replace(settings.PATHWAYS_PUBLIC_URL, live_server.url))  # the public address, served here
    assert verify.is_visible(".verdict--valid") and verify.is_visible("img.verify__logo")
    assert verify.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(verify, f"verify-{language}")
    assert verify.evaluate("document.querySelector('img.verify__logo').naturalWidth") > 0  # the logo is served
    context.close()
