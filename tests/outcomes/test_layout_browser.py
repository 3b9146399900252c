"""In Debian's Chromium on a 390-pixel phone: the filter panel's selects stay inside the panel however long a
cohort's name, and a table wider than the screen scrolls sideways with a shadow on the side where more columns
wait (the only cue there is that the table goes on)."""

import os

import pytest

from tests.builders import cohort_on
from tests.e2e.conftest import pass_second_factor, ready_second_factor
from tests.factories import PASSWORD

from .world import World

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

LONG_NAME = "Evening English for Healthcare Workers and Family Caregivers, Tuesday and Thursday (Downtown Library)"


def test_on_a_phone_filters_fit_their_panel_and_wide_tables_show_they_scroll(live_server):
    from django.db import connections
    from playwright.sync_api import sync_playwright

    world = World()
    cohort_on(partner=world.northside, name=LONG_NAME, term="Fall 2026 semester, second half")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu", "--no-first-run"]
        )
        page = browser.new_page(viewport={"width": 390, "height": 844})
        page.set_default_timeout(15_000)
        recovery_code = ready_second_factor(world.manager)  # a manager confirms sign-in with a second factor
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", world.manager.username)
        page.fill("input[name=password]", PASSWORD)
        with page.expect_navigation():
            page.click("main button[type=submit]")
        pass_second_factor(page, recovery_code)
        page.goto(f"{live_server.url}/admin/outcomes/")
        page.click(".outcomes-filters > summary")

        overflowing = page.evaluate(
            """() => {
                const panel = document.querySelector('.outcomes-filters').getBoundingClientRect();
                return [...document.querySelectorAll('.outcomes-filters select, .outcomes-filters input')]
                    .filter((control) => control.getBoundingClientRect().right > panel.right + 0.5)
                    .map((control) => control.name);
            }"""
        )
        cohorts = page.evaluate(
            """() => {
                const region = document.querySelector('#cohorts-caption').closest('.outcomes-table');
                return {
                    scrolls: region.scrollWidth > region.clientWidth,
                    cue: getComputedStyle(region).backgroundImage,
                };
            }"""
        )
        browser.close()
    connections.close_all()

    assert overflowing == []
    assert cohorts["scrolls"]
    assert cohorts["cue"].count("radial-gradient") == 2  # a shadow for each side, shown where columns wait
