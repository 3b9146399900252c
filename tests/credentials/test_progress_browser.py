"""In Debian's Chromium: a running batch's progress bar updates by itself (htmx, under the admin's
Content-Security-Policy) and stops asking once the batch is finished."""

import os

import pytest

from credentials.models import BulkIssuance
from tests.e2e.conftest import pass_second_factor, ready_second_factor
from tests.factories import PASSWORD

from .world import World

# Playwright's sync API runs an event loop in the test's thread (see tests/e2e/conftest.py).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


@pytest.fixture
def browser():
    from django.db import connections
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
        connections.close_all()


def test_the_progress_bar_follows_the_batch_until_it_is_finished(live_server, browser):
    world = World()
    batch = BulkIssuance.objects.create(
        cohort=world.cohort,
        pathway=world.pathway,
        requested_by=world.manager,
        learner_ids=[],
        total=10,
        issued=3,
        status=BulkIssuance.Status.RUNNING,
    )
    page = browser.new_page()
    page.set_default_timeout(15_000)
    problems = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    polls = []
    page.on("request", lambda request: polls.append(request.url) if request.headers.get("hx-request") else None)
    recovery_code = ready_second_factor(world.manager)  # a manager confirms sign-in with a second factor
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", world.manager.username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    pass_second_factor(page, recovery_code)

    page.goto(f"{live_server.url}/admin/certificate-batches/inspect/{batch.pk}/")
    assert page.text_content("#batch-progress").count("3 of 10 learners done") == 1
    assert "30% done." in page.text_content("#batch-progress")
    assert "the work goes on" in page.text_content("#batch-progress")

    BulkIssuance.objects.filter(pk=batch.pk).update(issued=7)
    page.wait_for_selector("text=7 of 10 learners done: 7 issued.")
    assert "70% done." in page.text_content("#batch-progress")
    BulkIssuance.objects.filter(pk=batch.pk).update(issued=10, status=BulkIssuance.Status.DONE)
    page.wait_for_selector("text=See the certificates")
    asked = len(polls)
    page.wait_for_timeout(4500)

    assert page.get_attribute("#batch-bar", "value") == "10"
    finished = page.text_content("#batch-progress")
    assert "100% done." in finished and "Finished" in finished
    assert "the work goes on" not in finished and "Issuing" not in page.text_content("main")
    assert asked >= 2 and len(polls) == asked  # it stopped asking once finished
    assert [problem for problem in problems if "status of 404" not in problem] == []  # no CSP refusal, no script error
