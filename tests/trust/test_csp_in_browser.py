"""Every kind of page works under the Content-Security-Policy in Debian's Chromium: the public site, a
course, the instructor's roster (roster.js), the learner portal and the Wagtail admin report no violation.

Violations are collected two ways: the `securitypolicyviolation` DOM event (reported back through a
binding, so none is lost when the page navigates) and Chromium's console messages about the policy.
"""

import datetime

import pytest
from playwright.sync_api import expect

from cms.models import BrandingSettings
from cohorts.models import Enrollment
from people.models import Role
from people.services import assign_role
from tests.e2e.conftest import pass_second_factor, ready_second_factor
from tests.factories import PASSWORD, LearnerFactory, PartnerFactory, UserFactory
from tests.factories_cohorts import CohortFactory, SessionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

BRAND = "#5b2a86"  # a colour no stylesheet has: seeing it proves the nonce'd brand rule applied
LISTEN = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportViolation(`${event.violatedDirective} blocked ${event.blockedURI || "inline"} at ${event.sourceFile}:${event.lineNumber}`);
}, true);
"""


class Violations(list):
    def watch(self, context):
        context.expose_binding(
            "reportViolation", lambda source, message: self.append(f"{source['page'].url}: {message}")
        )
        context.add_init_script(LISTEN)

    def watch_console(self, page):
        page.on(
            "console",
            lambda message: (
                self.append(f"{page.url}: console: {message.text}")
                if "Content Security Policy" in message.text
                else None
            ),
        )


@pytest.fixture
def program(site_tree):
    branding = BrandingSettings.for_site(site_tree.site)
    branding.primary_colour = BRAND
    branding.save()
    partner = PartnerFactory(name="Northside Learning", slug="northside")
    instructor = assign_role(user=UserFactory(username="teacher"), role=Role.INSTRUCTOR, partner=partner)
    manager = assign_role(user=UserFactory(username="maya"), role=Role.PROGRAM_MANAGER)
    cohort = CohortFactory(
        partner=partner, course=site_tree.courses["everyday-english"], name="Evening English", instructors=[instructor]
    )
    today = cohort.local_today()
    cohort.start_date, cohort.end_date = today - datetime.timedelta(days=30), today + datetime.timedelta(days=60)
    cohort.save()
    session = SessionFactory(cohort=cohort, date=today, start_time=datetime.time(18), end_time=datetime.time(20))
    learner = LearnerFactory(
        partner=partner,
        full_name="Amina Yusuf",
        user=assign_role(user=UserFactory(username="amina"), role=Role.LEARNER),
    )
    enrollment = Enrollment.objects.create(cohort=cohort, learner=learner, status=Enrollment.Status.ACTIVE)
    return {"cohort": cohort, "session": session, "enrollment": enrollment, "manager": manager}


@pytest.fixture
def violations():
    return Violations()


SITE_SCRIPTS = ["'self'"]
ADMIN_SCRIPTS = ["'self'", "'unsafe-inline'"]  # Wagtail 8.0 needs it; see ADMIN_CONTENT_SECURITY_POLICY


def open_page(page, url, scripts=SITE_SCRIPTS):
    """Load a page, wait for its scripts to settle, and check which policy it was served under."""
    response = page.goto(url)
    page.wait_for_load_state("networkidle")
    policy = {
        part.split()[0]: part.split()[1:]
        for part in response.headers.get("content-security-policy", "").split(";")
        if part.strip()
    }
    assert policy.get("default-src") == ["'self'"], f"{url} was served without our policy: {policy}"
    assert policy.get("script-src") == scripts, f"{url}: script-src {policy.get('script-src')}"
    return response


def browser_as(chromium, violations, live_server, username=None):
    context = chromium.new_context(viewport={"width": 390, "height": 844})
    context.set_default_timeout(15_000)
    violations.watch(context)
    page = context.new_page()
    violations.watch_console(page)
    if username:
        recovery_code = ready_second_factor(username)
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(PASSWORD)
        with page.expect_navigation():
            page.locator("main").get_by_role("button", name="Sign in").click()
        pass_second_factor(page, recovery_code)
    return page


def test_the_collector_sees_an_inline_script_the_policy_blocks(live_server, site_tree, chromium, violations):
    """Without this, a collector that saw nothing would make the tests below pass for the wrong reason."""
    page = browser_as(chromium, violations, live_server)
    open_page(page, f"{live_server.url}/en/")

    page.evaluate(
        """() => { const s = document.createElement("script"); s.textContent = "window.ran = 1"; document.head.append(s); }"""
    )
    page.wait_for_timeout(300)

    assert page.evaluate("window.ran") is None
    assert any("script-src" in violation for violation in violations), violations


def test_public_pages_run_under_the_policy(live_server, program, site_tree, chromium, violations):
    page = browser_as(chromium, violations, live_server)
    base = live_server.url

    open_page(page, f"{base}/en/")
    header = page.locator(".site-header")
    expect(header).to_have_css("background-color", "rgb(91, 42, 134)")  # the brand rule was let through
    open_page(page, f"{base}/ar/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    open_page(page, f"{base}/en/programs/everyday-english/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("English for Everyday Life")
    open_page(page, f"{base}/en/join/{program['cohort'].pk}/")
    open_page(page, f"{base}/accounts/login/")
    open_page(page, f"{base}/admin/login/")  # Wagtail's sign-in page keeps the strict policy

    assert violations == []


def test_the_instructor_roster_works_under_the_policy(live_server, program, chromium, violations):
    page = browser_as(chromium, violations, live_server, "teacher")
    session, enrollment = program["session"], program["enrollment"]

    open_page(page, f"{live_server.url}/teach/")
    open_page(page, f"{live_server.url}/teach/sessions/{session.pk}/")
    expect(page.locator(".roster-filter")).to_be_visible()  # roster.js, loaded from our origin, runs
    row = page.locator(f"#row-{enrollment.pk}")
    row.get_by_text("Present", exact=True).click()
    expect(row.locator(".roster-row__state")).to_have_text("Saved")  # roster.js posted the row and swapped it in
    open_page(page, f"{live_server.url}/teach/sessions/{session.pk}/check-in/")
    open_page(page, f"{live_server.url}/teach/cohorts/{program['cohort'].pk}/")

    assert violations == []


def test_the_learner_portal_works_under_the_policy(live_server, program, chromium, violations):
    page = browser_as(chromium, violations, live_server, "amina")

    open_page(page, f"{live_server.url}/learn/")
    expect(page.get_by_text("Evening English").first).to_be_visible()
    open_page(page, f"{live_server.url}/learn/check-in/")

    assert violations == []


def test_the_wagtail_admin_works_under_its_policy(live_server, program, site_tree, chromium, violations):
    page = browser_as(chromium, violations, live_server, "maya")
    page.set_viewport_size({"width": 1280, "height": 900})
    base, cohort = live_server.url, program["cohort"]

    open_page(page, f"{base}/admin/", scripts=ADMIN_SCRIPTS)
    expect(page).to_have_title("Dashboard - Wagtail")
    expect(page.get_by_role("navigation", name="Main menu").get_by_role("button", name="Cohorts")).to_be_visible()
    open_page(page, f"{base}/admin/cohorts/", scripts=ADMIN_SCRIPTS)
    open_page(page, f"{base}/admin/cohorts/edit/{cohort.pk}/", scripts=ADMIN_SCRIPTS)
    meeting_times = page.locator("[id^=inline_child_meeting_times]")
    before = meeting_times.count()
    page.get_by_role("button", name="Add meeting time").first.click()  # InlinePanel's script ran
    expect(meeting_times).to_have_count(before + 4)  # Wagtail adds the child and its hidden fields
    open_page(page, f"{base}/admin/pages/{site_tree.courses['everyday-english'].pk}/edit/", scripts=ADMIN_SCRIPTS)
    open_page(page, f"{base}/en/")  # the public site for a signed-in manager, with Wagtail's user bar

    assert violations == []
