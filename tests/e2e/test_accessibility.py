"""Learner, instructor and public pages in Debian's Chromium at 390×844, in English and in Arabic: WCAG 2.1 AA by
axe-core with no violation, touch targets of 44 CSS px, no sideways scrolling at 200% zoom, under 200 KB on a
first visit with nothing fetched from another host, and in Arabic a mirrored page whose Latin names and numbers
are isolated so they cannot scramble the sentence around them.

axe-core comes from npm (package.json; `npm ci` installs it into node_modules/). The pages forbid inline
scripts, so it is injected through the DevTools protocol (`page.evaluate`), which the policy does not govern.

Touch targets (WCAG 2.5.5, whose 44×44 px we hold ourselves to): every visible, enabled `a[href]`, `button`,
`input`, `select`, `textarea`, `summary` and `[role=button]` must have a box of at least 44×44 CSS px, with
these precise exceptions:
- inline links in running text (2.5.5's "inline" exception): an `a` whose computed display is `inline` and
  whose nearest block-level ancestor holds text besides the link's own. A link alone in its paragraph is not
  in running text and must be 44 px tall like any button;
- a radio button or checkbox is measured together with its labels (one box around both), since tapping the
  label sets it: the segmented attendance buttons are labels over visually hidden radios;
- controls that take no space (1×1 px or less: visually hidden for screen readers) or are inside
  `aria-hidden`/`inert` are not targets. The skip link is focused before measuring, as a keyboard user meets it.
Every <details> is opened first, so the controls inside are measured (and audited) too.
"""

import datetime
import functools
import json
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.utils import timezone

from cms.models import BrandingSettings
from cohorts import services as cohort_services
from cohorts.models import Attendance, Enrollment, Session
from courses.models import Track
from credentials import services as credential_services
from incentives import services as incentive_services
from incentives.models import BonusRule, MilestoneAchievement, MilestoneType
from people.models import Learner, Role
from people.services import assign_role
from tests.credentials.world import certificate_template, pathway
from tests.factories import PASSWORD, PartnerFactory, UserFactory
from tests.factories_cohorts import CohortFactory, SessionFactory

from .conftest import PHONE, pass_second_factor, ready_second_factor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

AXE_SOURCE = Path(settings.BASE_DIR, "node_modules", "axe-core", "axe.min.js")
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
MAX_BYTES = 200 * 1024
ZOOMED = {"width": 195, "height": 422}  # 390×844 at 200%
LANGUAGES = ["en", "ar"]

RUN_AXE = """async (tags) => {
  const results = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
  return results.violations.map((v) => ({
    id: v.id, help: v.help, nodes: v.nodes.map((node) => `${node.target.join(" ")}: ${node.failureSummary.replace(/\\s+/g, " ")}`),
  }));
}"""

OPEN_DETAILS = "() => document.querySelectorAll('details').forEach((details) => { details.open = true; })"

SMALL_TARGETS = r"""(minimum) => {
  const problems = [];
  const skip = document.querySelector(".skip-link");
  if (skip) skip.focus();
  const words = (node) => node.textContent.replace(/\s+/g, " ").trim();
  const inRunningText = (element) => {
    if (element.tagName !== "A" || getComputedStyle(element).display !== "inline") return false;
    let block = element.parentElement;
    while (block && getComputedStyle(block).display.startsWith("inline")) block = block.parentElement;
    return Boolean(block) && words(block).length > words(element).length;
  };
  const selector = "a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button]";
  for (const element of document.querySelectorAll(selector)) {
    if (element.disabled || element.closest("[aria-hidden=true], [inert]")) continue;
    if (!element.getClientRects().length || getComputedStyle(element).visibility === "hidden") continue;
    let {left, top, right, bottom} = element.getBoundingClientRect();
    if (element.type === "radio" || element.type === "checkbox") {
      for (const label of element.labels) {
        const box = label.getBoundingClientRect();
        left = Math.min(left, box.left); top = Math.min(top, box.top);
        right = Math.max(right, box.right); bottom = Math.max(bottom, box.bottom);
      }
    } else if (right - left <= 1 && bottom - top <= 1) {
      continue;
    }
    if (inRunningText(element)) continue;
    const [width, height] = [right - left, bottom - top];
    if (width < minimum - 0.5 || height < minimum - 0.5) {
      const name = words(element) || element.value || element.name || element.type;
      problems.push(`<${element.tagName.toLowerCase()} class="${element.className}"> "${name.slice(0, 50)}" is ${Math.round(width)}×${Math.round(height)}`);
    }
  }
  if (skip) skip.blur();
  return problems;
}"""

# Compared with the width we set: an emulated phone widens its layout viewport (innerWidth) to whatever the page
# needs, which would hide the overflow.
DOES_NOT_FIT = r"""([width, mainControl]) => {
  const problems = [];
  const scrollWidth = document.scrollingElement.scrollWidth;
  if (scrollWidth > width) problems.push(`the page scrolls sideways: ${scrollWidth} px wide in ${width} px`);
  const visible = (element) => element && element.getClientRects().length && getComputedStyle(element).visibility !== "hidden";
  if (!visible(document.querySelector("main h1"))) problems.push("the page's heading is gone");
  if (!visible(document.querySelector(mainControl))) problems.push(`its main control (${mainControl}) is gone`);
  const controls = "a[href], button, input:not([type=hidden]), select, textarea, summary";
  for (const element of document.querySelectorAll(controls)) {
    if (!visible(element) || element.closest("[aria-hidden=true], .skip-link")) continue;
    const box = element.getBoundingClientRect();
    if (box.width <= 1 && box.height <= 1) continue;
    if (box.left < -1 || box.right > width + 1) {
      problems.push(`"${element.textContent.trim().slice(0, 40)}" is cut off (${Math.round(box.left)} to ${Math.round(box.right)} px)`);
    }
  }
  return problems;
}"""

# Data (names, places, times, codes) inside text must sit in its own bidi island (<bdi>, or an element with
# dir): otherwise a Latin name next to Arabic words, or "6:00 p.m." in an Arabic sentence, comes out in the
# wrong order. Form controls are islands of their own.
NOT_ISOLATED = r"""({needles, patterns}) => {
  const problems = [];
  const regexps = patterns.map((pattern) => new RegExp(pattern));
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent;
    const found = needles.filter((needle) => text.includes(needle)).concat(regexps.filter((re) => re.test(text)).map(String));
    if (!found.length) continue;
    const parent = node.parentElement;
    if (parent.closest("script, style, [hidden], bdi, [dir]:not(html), input, select, option, textarea")) continue;
    problems.push(`${found.join(", ")} in <${parent.tagName.toLowerCase()} class="${parent.className}">: "${text.trim().slice(0, 60)}"`);
  }
  return problems;
}"""

# Bytes the page's own body and every resource it loaded took on the wire (before any content decoding). The load
# event has fired: stylesheets, scripts, images and the fonts they asked for are all in.
WEIGHT = """() => [...performance.getEntriesByType("navigation"), ...performance.getEntriesByType("resource")]
  .reduce((total, entry) => total + entry.encodedBodySize, 0)"""

# In a right-to-left page the heading's text starts at the right edge of its box (unless the heading is content
# with a direction of its own, like a course title not yet translated: <h1 dir="auto">).
HEADING_GAP_ON_THE_RIGHT = """() => {
  const heading = document.querySelector("main h1");
  if (heading.closest("[dir]") !== document.documentElement) return 0;
  const range = document.createRange();
  range.selectNodeContents(heading);
  return heading.getBoundingClientRect().right - range.getClientRects()[0].right;
}"""


# --- the program on the pages ---------------------------------------------------------------------------


def local_now(cohort):
    return timezone.now().astimezone(ZoneInfo(cohort.time_zone))


def class_in_progress(cohort, now):
    """Today's class, started five minutes ago (so the check-in code works now), two hours long, within today."""
    start = max(
        datetime.datetime.combine(now.date(), datetime.time(0)),
        now.replace(tzinfo=None, second=0, microsecond=0) - datetime.timedelta(minutes=5),
    )
    end = min(start + datetime.timedelta(hours=2), datetime.datetime.combine(now.date(), datetime.time(23, 59)))
    return SessionFactory(
        cohort=cohort, date=now.date(), start_time=start.time(), end_time=end.time(), topic="At the pharmacy"
    )


@pytest.fixture
def program(site_tree):
    """Northside's evening English class, full with a waitlist, as Rosa the instructor and Amina the learner see it:
    a class on now, earlier classes marked (Bashir missed the last two), next week's, last month's bonus computed,
    a milestone reached, a certificate issued and another on its way, a calendar link and a seat offered elsewhere."""
    branding = BrandingSettings.for_site(site_tree.site)
    branding.contact_phone, branding.contact_email = "+1 555 010 2000", "hello@northside.example"
    branding.address = "200 Main Street\nSpringfield"
    branding.save()
    partner = PartnerFactory(name="Northside Learning", slug="northside")
    teacher = assign_role(
        user=UserFactory(username="teacher", first_name="Rosa", last_name="Díaz"), role=Role.INSTRUCTOR, partner=partner
    )
    manager = assign_role(user=UserFactory(username="maya"), role=Role.PROGRAM_MANAGER)
    cohort = CohortFactory(
        partner=partner,
        course=site_tree.courses["everyday-english"],
        name="Evening English",
        term="Fall 2026",
        location="Northside Library, Room 2",
        instructors=[teacher],
        capacity=4,
        time_zone="America/New_York",
    )
    now = local_now(cohort)
    first_of_this_month = now.date().replace(day=1)
    last_month = (first_of_this_month - datetime.timedelta(days=1)).replace(day=1)
    cohort.start_date, cohort.end_date = last_month, now.date() + datetime.timedelta(days=60)
    cohort.save()
    today = class_in_progress(cohort, now)
    earlier_days = sorted(
        {last_month + datetime.timedelta(days=days) for days in (2, 9, 16)}
        | {now.date() - datetime.timedelta(days=days) for days in (14, 7)}
    )
    earlier = [
        SessionFactory(cohort=cohort, date=day, start_time=datetime.time(18), end_time=datetime.time(20))
        for day in earlier_days
    ]
    coming = SessionFactory(
        cohort=cohort,
        date=now.date() + datetime.timedelta(days=2),
        start_time=datetime.time(18),
        end_time=datetime.time(20),
    )

    def learner(full_name, preferred_name="", **fields):
        return Learner.objects.create(
            partner=partner, full_name=full_name, preferred_name=preferred_name, consent_data=True, **fields
        )

    amina = learner("Amina Yusuf", "Amina", preferred_language="en")
    amina.user = assign_role(user=UserFactory(username="amina", first_name="Amina"), role=Role.LEARNER)
    amina.save()
    classmates = [learner("فاطمة الزهراء", "Fatima"), learner("陈伟", "Chen"), learner("Bashir Rahimi")]
    enrollments = [cohort_services.enroll(learner=person, cohort=cohort, by=teacher) for person in [amina, *classmates]]
    for person in (learner("Dilnoza Karimova"), learner("Esperanza Flores Gutiérrez", "Esperanza")):
        cohort_services.enroll(learner=person, cohort=cohort, by=teacher)  # full: the waitlist
    Attendance.objects.bulk_create(
        [
            Attendance(
                session=session,
                enrollment=enrollment,
                status="absent"
                if enrollment.learner.full_name == "Bashir Rahimi" and session in earlier[-2:]
                else "present",
                recorded_by=teacher,
            )
            for session in earlier
            for enrollment in enrollments
        ]
    )
    cohort_services.issue_check_in_code(session=today, by=teacher)

    BonusRule.objects.create(name="Training bonus", tracks=[Track.ESOL], active_from=datetime.date(2020, 1, 1))
    incentive_services.compute_month(month=last_month)
    interview = MilestoneType.objects.create(name="Job interview practice", slug="interview", track=Track.ESOL)
    MilestoneType.objects.create(name="Résumé written", slug="resume", track=Track.ESOL, sort_order=1)
    MilestoneAchievement.objects.create(
        learner=amina, milestone_type=interview, achieved_on=now.date(), status=MilestoneAchievement.Status.VERIFIED
    )
    level_one = pathway("ESOL Level 1", template=certificate_template())
    pathway("English at Work", milestones=[MilestoneType.objects.get(slug="resume")])
    credential = credential_services.issue_credential(learner=amina, pathway=level_one, cohort=cohort, by=manager)
    cohort_services.open_calendar_feed(learner=amina)
    cohort_services.open_calendar_feed(user=teacher)

    weekend = CohortFactory(
        partner=partner, course=site_tree.courses["warehouse-skills"], name="Saturday Warehouse Skills", capacity=10
    )
    Enrollment.objects.create(
        cohort=weekend,
        learner=amina,
        status=Enrollment.Status.OFFERED,
        offer_expires_at=timezone.now() + datetime.timedelta(days=2),
    )
    return {
        "cohort": cohort,
        "today": Session.objects.get(pk=today.pk),
        "coming": coming,
        "amina": amina,
        "credential": credential,
        "waiting": Learner.objects.get(full_name="Dilnoza Karimova"),
    }


# --- the audit ------------------------------------------------------------------------------------------

# Names, places and terms of the program above, which must be isolated wherever they appear in an Arabic page.
DATA = [
    "Amina Yusuf",
    "Amina",
    "Bashir Rahimi",
    "Dilnoza Karimova",
    "Esperanza",
    "Evening English",
    "Northside",
    "Fall 2026",
    "ESOL Level 1",
    "Job interview practice",
    "At the pharmacy",
    "Main Street",
]


@functools.cache
def axe_source():
    if not AXE_SOURCE.exists():
        pytest.fail(f"{AXE_SOURCE} is missing: run `npm ci` (make test does)")
    return AXE_SOURCE.read_text()


class Audit:
    """Runs every check on the pages one browser context visits and keeps what each found, page by page.

    The browser's cache is off, so every visit is a first load: what it fetched is what a new visitor pays for.
    """

    def __init__(self, browser, live_server, language):
        self.base, self.language = live_server.url, language
        self.context = browser.new_context(**PHONE)
        self.context.set_default_timeout(15_000)
        self.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": self.base}])
        own_host = urlsplit(self.base).netloc
        self.problems = []
        self.weights = {}
        self.context.on(  # no font, script or image from anywhere but the server
            "request",
            lambda request: (
                self.problems.append(f"{self.page.url}: fetched from another host: {request.url}")
                if urlsplit(request.url).netloc != own_host
                else None
            ),
        )
        self.page = self.context.new_page()
        devtools = self.context.new_cdp_session(self.page)
        devtools.send("Network.enable")
        devtools.send("Network.setCacheDisabled", {"cacheDisabled": True})

    def sign_in(self, username):
        recovery_code = ready_second_factor(username)
        self.page.goto(f"{self.base}/accounts/login/")
        self.page.fill("input[name=username]", username)
        self.page.fill("input[name=password]", PASSWORD)
        with self.page.expect_navigation():
            self.page.click("main button[type=submit]")
        pass_second_factor(self.page, recovery_code)
        assert "/accounts/login/" not in self.page.url, f"{username} could not sign in"

    def visit(self, path, main_control):
        response = self.page.goto(self.base + path)
        assert response.status == 200, f"{path}: {response.status}"
        self.weigh(path)
        self.check(path, main_control)

    def submit(self, name, main_control):
        """Send the page's form as a person would, and check the page that comes back."""
        with self.page.expect_navigation() as navigation:
            self.page.click("main button[type=submit]")
        assert navigation.value.status == 200, f"{name}: {navigation.value.status}"
        self.check(name, main_control)

    def weigh(self, path):
        """The bodies of the page and of everything it loaded (HTML, CSS, JS, fonts, images), as sent."""
        size = self.page.evaluate(WEIGHT)
        self.weights[path] = size
        if size >= MAX_BYTES:
            self.problems.append(f"{path}: {size / 1024:.1f} KB on first load")

    def check(self, name, main_control):
        """Check the page the browser is on, as it is now (after a form was sent, for instance)."""
        page = self.page
        page.evaluate(OPEN_DETAILS)
        page.evaluate(axe_source())
        for violation in page.evaluate(RUN_AXE, WCAG_AA):
            nodes = "\n      ".join(violation["nodes"])
            self.problems.append(f"{name}: axe {violation['id']}: {violation['help']}\n      {nodes}")
        self.problems += [f"{name}: small target: {problem}" for problem in page.evaluate(SMALL_TARGETS, 44)]
        page.set_viewport_size(ZOOMED)
        self.problems += [
            f"{name}: at 200%: {problem}" for problem in page.evaluate(DOES_NOT_FIT, [ZOOMED["width"], main_control])
        ]
        page.set_viewport_size(PHONE["viewport"])
        if self.language == "ar":
            self.check_right_to_left(name)

    def check_right_to_left(self, name):
        page = self.page
        html = page.locator("html")
        if (html.get_attribute("dir"), html.get_attribute("lang")) != ("rtl", "ar"):
            self.problems.append(f"{name}: <html dir={html.get_attribute('dir')} lang={html.get_attribute('lang')}>")
        if page.locator("main h1").count() and (gap := page.evaluate(HEADING_GAP_ON_THE_RIGHT)) > 1:
            self.problems.append(f"{name}: the heading does not start on the right ({gap:.0f} px short of it)")
        brand, account = page.locator(".brand").bounding_box(), page.locator(".account").bounding_box()
        if brand["x"] < account["x"]:
            self.problems.append(f"{name}: the header is not mirrored (the name is left of the sign-in)")
        found = page.evaluate(NOT_ISOLATED, {"needles": DATA, "patterns": [r"\d{1,2}:\d{2}"]})
        self.problems += [f"{name}: not isolated: {problem}" for problem in found]

    def finish(self):
        self.context.close()
        weights = {path: f"{size / 1024:.1f} KB" for path, size in self.weights.items()}
        print(f"\nfirst-load weights ({self.language}):", json.dumps(weights, indent=1))
        assert self.weights, "nothing was weighed"
        assert not self.problems, f"{len(self.problems)} problems:\n" + "\n".join(self.problems)


# --- the tests ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_learner_pages_pass_the_audit(program, live_server, chromium, language):
    audit = Audit(chromium, live_server, language)
    audit.sign_in("amina")

    audit.visit("/learn/", ".portal .button--primary")
    audit.visit("/credentials/mine/", ".certificate .button--primary")
    audit.visit("/learn/check-in/", "main button[type=submit]")
    audit.page.fill("input[name=code]", "ZZZ999")
    audit.submit("/learn/check-in/ (wrong code)", "main button[type=submit]")
    audit.page.fill("input[name=code]", program["today"].check_in_code)
    audit.submit("/learn/check-in/ (checked in)", "main .button")

    audit.finish()
    assert Attendance.objects.filter(session=program["today"], enrollment__learner=program["amina"]).exists()


@pytest.mark.parametrize("language", LANGUAGES)
def test_instructor_pages_pass_the_audit(program, live_server, chromium, language):
    cohort, today, coming = program["cohort"], program["today"], program["coming"]
    audit = Audit(chromium, live_server, language)
    audit.sign_in("teacher")

    audit.visit("/teach/", ".agenda-item .button--primary")
    audit.visit(f"/teach/sessions/{today.pk}/", ".roster-bar__save")
    audit.visit(f"/teach/sessions/{today.pk}/check-in/", ".check-in-code")
    audit.visit(f"/teach/sessions/{coming.pk}/check-in/", "main button[type=submit]")
    audit.visit(f"/teach/cohorts/{cohort.pk}/", ".cohort-actions .button--primary")
    audit.visit(f"/teach/cohorts/{cohort.pk}/add/", "main button[type=submit]")
    audit.visit(f"/teach/cohorts/{cohort.pk}/import/", "main button[type=submit]")
    audit.page.set_input_files(
        "input[type=file]",
        {
            "name": "roster.csv",
            "mimeType": "text/csv",
            "buffer": b"name,phone\nNadia Ahmadi,+1 555 010 2001\n,12\n",
        },
    )
    audit.submit(f"/teach/cohorts/{cohort.pk}/import/ (preview with a problem)", ".import-confirm button[type=submit]")
    audit.visit(f"/incentives/milestones/record/{program['amina'].pk}/", "main button[type=submit]")
    audit.visit(f"/credentials/cohorts/{cohort.pk}/", ".eligibility")
    audit.visit("/calendar/mine/", "main button[type=submit]")
    audit.visit(f"/accounts/invite/{program['waiting'].pk}/", "main button[type=submit]")
    audit.submit("/accounts/invite/ (setup code)", ".setup-code")

    audit.finish()


@pytest.mark.parametrize("language", LANGUAGES)
def test_public_pages_pass_the_audit(program, live_server, chromium, language):
    audit = Audit(chromium, live_server, language)

    audit.visit("/accounts/login/", "main button[type=submit]")
    audit.visit(f"/{language}/", "main h1")
    audit.visit(f"/{language}/programs/everyday-english/", ".unit summary")
    audit.visit(f"/{language}/join/{program['cohort'].pk}/", "main button[type=submit]")
    audit.visit("/verify/", "main button[type=submit]")
    audit.visit(f"/verify/{program['credential'].grouped_code}/", "main h1")
    audit.visit("/accounts/setup/", "main button[type=submit]")

    audit.finish()


def test_the_checks_catch_what_they_look_for(site_tree, live_server, chromium):
    """Without this, checks that could see nothing would let every page above pass for the wrong reason."""
    audit = Audit(chromium, live_server, "ar")
    audit.page.goto(f"{live_server.url}/accounts/login/")
    audit.page.evaluate(  # styles set through the DOM: the policy refuses style attributes in markup
        """() => {
          const main = document.querySelector("main");
          main.insertAdjacentHTML("beforeend", '<img src="/static/none.png"><p id="faint">faint</p>'
            + '<p><a href="/x">alone</a></p><button id="tiny">x</button><p>Amina Yusuf 6:00 p.m.</p><div id="wide">wide</div>');
          document.getElementById("faint").style.color = "#bbb";
          Object.assign(document.getElementById("tiny").style, {padding: "0", minHeight: "0"});
          document.getElementById("wide").style.width = "600px";
          document.querySelector("main h1").style.textAlign = "left";
        }"""
    )
    audit.weigh("planted")
    audit.check("planted", "main button[type=submit]")

    found = "\n".join(audit.problems)
    assert "axe image-alt" in found and "axe color-contrast" in found
    assert '"alone" is' in found and '"x" is' in found  # a link alone in its paragraph, a tiny button
    assert "at 200%: the page scrolls sideways" in found
    assert "not isolated: Amina Yusuf" in found and r"/\d{1,2}:\d{2}/" in found
    assert "the heading does not start on the right" in found
    assert audit.weights["planted"] > Path(settings.BASE_DIR, "cms", "static", "cms", "site.css").stat().st_size
