"""Browser tests: Debian's Chromium, driven by Playwright's sync API, against pytest-django's live server.

Never `playwright install`: the browser is the system's /usr/bin/chromium.
"""

import os
import re

import pytest
from django.db import connections
from playwright.sync_api import expect

from people.models import Learner, Role, User
from people.two_factor import second_factor_required
from tests.factories import PASSWORD
from tests.second_factor import fresh_recovery_code

# Playwright's sync API runs an event loop in the test's thread; Django refuses database calls from a
# thread with a running loop unless told this is safe (it is: the loop only talks to the browser).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}


@pytest.fixture
def chromium():
    """One browser per test, started after the test's database fixtures and stopped before them.

    Not session-wide: while Playwright's event loop runs, Django keeps database connections per
    async context, so a transactional test starting then would not find the serialized data it
    restores (Wagtail's page tree) on its connection.
    """
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
        # The test's own queries ran on connections opened for this async context; close them here,
        # or PostgreSQL refuses to drop the test database at the end ("being accessed by other users").
        connections.close_all()


@pytest.fixture
def phone(chromium):
    """A 390×844 touch screen, like a cheap Android phone."""
    context = chromium.new_context(**PHONE)
    context.set_default_timeout(15_000)
    yield context
    context.close()


@pytest.fixture
def phone_without_javascript(chromium):
    context = chromium.new_context(**PHONE, java_script_enabled=False)
    context.set_default_timeout(15_000)
    yield context
    context.close()


def choose_language(user, language):
    """Their own choice of language: staff's on their account, the learner's on her learner record only."""
    if user.role == Role.LEARNER:
        Learner.objects.filter(user=user).update(preferred_language=language)
    else:
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])


def sign_in(page, live_server, user, home):
    """Sign in on the sign-in page (the one address a person types) and land on `home`."""
    recovery_code = ready_second_factor(user)
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=username]").fill(user.username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main button[type=submit]").tap()
    pass_second_factor(page, recovery_code)
    expect(page).to_have_url(f"{live_server.url}{home}")


def ready_second_factor(user):
    """For staff who must give a second factor: their app enrolled and a recovery code to type after the
    password (`pass_second_factor`), or None for everyone else. A recovery code goes through the same page and
    check as the app's code, and works however often a test signs the same person in, where each app code
    works once. The browser test of the app's code itself is tests/e2e/test_two_factor.py."""
    if isinstance(user, str):
        user = User.objects.get(username=user)
    return fresh_recovery_code(user) if second_factor_required(user) else None


def pass_second_factor(page, recovery_code):
    if recovery_code is None:
        return
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/\?next="))
    page.locator("input[name=code]").fill(recovery_code)
    with page.expect_navigation():
        page.locator("main button[type=submit]").click()
