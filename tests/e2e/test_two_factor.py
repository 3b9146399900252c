"""A program manager sets up an authenticator app on a phone and signs in with its codes, in Chromium."""

import re
from base64 import b32decode
from pathlib import Path

import pytest
from django.conf import settings
from django_otp.oath import totp
from playwright.sync_api import expect
from wagtail.models import ModelLogEntry

from people.models import Role
from people.two_factor import ENROL_ACTION
from tests.conftest import user_with_role
from tests.e2e.conftest import choose_language
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SCREENSHOTS = Path(settings.BASE_DIR) / "screenshots"


def app_code(secret, steps_ahead=0):
    """What the authenticator app shows for `secret` (as the page printed it), now or `steps_ahead` steps on:
    an app code is accepted once and one step early, so the second sign-in types the next step's code."""
    key = b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8))
    return f"{totp(key, t0=-30 * steps_ahead):06d}"


def type_password(page, base, user):
    page.goto(f"{base}/accounts/login/?next=/admin/")
    page.locator("input[name=username]").fill(user.username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main button[type=submit]").tap()


@pytest.mark.parametrize("language", ["en", "ar"])
def test_a_manager_sets_up_an_authenticator_app_and_signs_in_with_its_code(live_server, phone, language):
    manager = user_with_role(Role.PROGRAM_MANAGER, username="maya")
    choose_language(manager, language)
    base = live_server.url
    page = phone.new_page()

    type_password(page, base, manager)

    # Before any admin page: the set-up page, with the QR code and the key to type.
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/setup/\?next=%2Fadmin%2F$"))
    expect(page.locator("html")).to_have_attribute("dir", "rtl" if language == "ar" else "ltr")
    qr = page.locator("img.two-factor-qr")
    expect(qr).to_be_visible()
    assert qr.evaluate("image => image.naturalWidth") > 0  # the data: QR image loaded under the page's policy
    secret = page.get_by_test_id("two-factor-secret").inner_text()
    assert re.fullmatch(r"([A-Z2-7]{4} ){7}[A-Z2-7]{4}", secret)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone
    page.screenshot(path=SCREENSHOTS / f"two-factor-setup-{language}.png", full_page=True)

    page.locator("input[name=code]").fill(app_code(secret))
    page.locator("main button[type=submit]").tap()

    codes = page.get_by_test_id("recovery-codes").locator("li")
    expect(codes).to_have_count(10)
    page.locator("main a.button--primary").tap()
    expect(page).to_have_url(f"{base}/admin/")
    expect(page).to_have_title(re.compile("Wagtail"))
    assert ModelLogEntry.objects.filter(action=ENROL_ACTION, object_id=str(manager.pk)).count() == 1

    # Signed out, the next sign-in asks for the app's code, and the admin opens after it.
    phone.clear_cookies()
    type_password(page, base, manager)
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/\?next=%2Fadmin%2F$"))
    page.goto(f"{base}/admin/cohorts/")  # no way round it
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/\?next=%2Fadmin%2Fcohorts%2F$"))
    page.locator("input[name=code]").fill(app_code(secret, steps_ahead=1))
    page.locator("main button[type=submit]").tap()
    expect(page).to_have_url(f"{base}/admin/cohorts/")
