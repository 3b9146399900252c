"""Every person finds their way, on a phone (Debian's Chromium at 390×844), in English and in Arabic, by tapping
links and buttons from the first page they open (the site's front page, or the sign-in page):

- an anonymous visitor finds a course and joins a full class's waitlist;
- a learner reaches her classes, her bonus progress and her certificate, and downloads it;
- an instructor takes today's attendance, two learners absent;
- partner staff read their to-do list: their partner's counts, never the other partner's;
- a program manager computes last month's bonuses, approves them and issues an ended cohort's certificates.

Each asserts what the person reads; screenshots go to screenshots/journeys/ (not committed).
"""

import datetime
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext, pgettext
from playwright.sync_api import expect
from wagtail.models import Locale, Page, Site

from cms.models import HomePage
from cohorts.models import Attendance, Cohort, Enrollment
from courses.models import CoursePage, ProgramIndexPage, Track
from credentials import services as credential_services
from credentials.models import CredentialPathway
from incentives import services as incentive_services
from incentives.models import Decision, MonthlyBonus
from incentives.money import money, money_short
from incentives.months import month_label
from people.models import Learner
from tests.builders import ProgramOfTwoPartners, cohort_on, enrolled, held_sessions, mark, present
from tests.courses.test_translation import translate_everything
from tests.credentials.world import certificate_template
from tests.e2e.conftest import choose_language, sign_in
from tests.factories import PartnerFactory
from tests.incentives.conftest import bonus_rule

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SCREENSHOTS = Path(settings.BASE_DIR) / "screenshots" / "journeys"
LANGUAGES = ["en", "ar"]


def words(language, text, context=None):
    """`text` as the person reads it: from the same catalog the pages use."""
    with translation.override(language):
        return pgettext(context, text) if context else gettext(text)


def counted(language, singular, plural, count, **values):
    """A sentence with a number in it, as the person reads it (Arabic has forms for one, two, a few, many)."""
    with translation.override(language):
        return ngettext(singular, plural, count) % {"count": count, **values}


def shoot(page, name, language):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, f"{name}: the page scrolls sideways"
    page.screenshot(path=SCREENSHOTS / f"{name}-{language}.png", full_page=True)


def last_month(today):
    return (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


class Journeys(ProgramOfTwoPartners):
    """Two partners (Northside, Unidos), one user per role, and the program's bonus rule ($200 for 75% of a
    month's ESOL or job-training classes), begun last month:

    - "Northside Evening English", under way, taught by the instructor: eight classes last month, all marked
      (Fatima came to all, Wang Xiuying to two, then missed the rest), a class tonight; Bashir Rahimi joined it;
    - "Northside Summer English", ended, its three learners' completions recorded: Fatima holds its
      certificate already, Bashir and Dilnoza do not yet;
    - Unidos: María came to every class of its ESOL cohort last month, and two classes of its business course,
      which no one teaches yet, went unmarked this week.
    """

    def __init__(self):
        self.today = timezone.localdate()
        self.month = last_month(self.today)
        self.rule = bonus_rule(active_from=self.month)  # the bonus began last month
        super().__init__(
            days=[self.month + datetime.timedelta(days=d) for d in (0, 3, 7, 10, 14, 17, 21, 24)], second_learner_came=2
        )
        start, end = self.today - datetime.timedelta(days=150), self.today + datetime.timedelta(days=60)
        Cohort.objects.filter(partner__in=[self.partner, self.other_partner]).update(start_date=start, end_date=end)
        Enrollment.objects.update(enrolled_on=start)
        self.tonight = held_sessions(self.cohort, [self.today])[0]
        self.bashir = Learner.objects.create(partner=self.partner, full_name="Bashir Rahimi", consent_data=True)
        enrolled(self.cohort, self.bashir, enrolled_on=self.today)
        # Not a course the bonus covers, so these two never change last month's bonuses, whatever today is.
        business = cohort_on(
            Track.ENTREPRENEURSHIP, partner=self.other_partner, name="Unidos Start Your Business", start_date=start
        )
        enrolled(business, self.other_learner, enrolled_on=start)
        held_sessions(business, [self.today - datetime.timedelta(days=d) for d in (1, 2)])

        self.ended = self._ended_cohort()
        self.pathway = CredentialPathway.objects.create(
            name="ESOL Level 1",
            tracks=[Track.ESOL],
            certifies=CredentialPathway.Certifies.COMPLETION,
            min_attendance_percent=Decimal("75"),
            template=certificate_template(),
        )
        credential_services.issue_credential(
            learner=self.learner, pathway=self.pathway, cohort=self.ended, by=self.manager
        )

    def _ended_cohort(self):
        ended = cohort_on(
            partner=self.partner,
            name="Northside Summer English",
            start_date=self.today - datetime.timedelta(days=130),
            end_date=self.today - datetime.timedelta(days=70),
            status=Cohort.Status.FINISHED,
        )
        sessions = held_sessions(ended, [self.today - datetime.timedelta(days=d) for d in (125, 115, 105, 95, 85, 75)])
        self.dilnoza = Learner.objects.create(partner=self.partner, full_name="Dilnoza Karimova", consent_data=True)
        for learner in (self.learner, self.bashir, self.dilnoza):
            enrollment = enrolled(
                ended,
                learner,
                enrolled_on=ended.start_date,
                status=Enrollment.Status.COMPLETED,
                completed_on=ended.end_date,
            )
            mark(enrollment, sessions, present(len(sessions)))
        return ended

    def compute_and_approve(self):
        incentive_services.compute_month(month=self.month, by=self.manager)
        eligible = MonthlyBonus.objects.filter(month=self.month, status=Decision.ELIGIBLE)
        incentive_services.approve_bonuses(bonus_ids=[b.pk for b in eligible], by=self.manager)


@pytest.fixture
def journeys(transactional_db):
    return Journeys()


# --- an anonymous visitor -----------------------------------------------------------------------------------


@pytest.fixture
def public_site(transactional_db):
    """The public site: a home page whose menu leads to Programs, and one course with a full class starting
    next month, in English and in Arabic."""
    root = Page.get_first_root_node()
    Page.objects.filter(depth=2).delete()
    home = root.add_child(instance=HomePage(title="Home", slug="home", heading="Learn with us"))
    Site.objects.update_or_create(is_default_site=True, defaults={"hostname": "localhost", "root_page": home})
    index = home.add_child(instance=ProgramIndexPage(title="Programs", slug="programs", show_in_menus=True))
    course = index.add_child(
        instance=CoursePage(
            title="English for Everyday Life", slug="everyday", track=Track.ESOL, summary="For adults new to English."
        )
    )
    arabic = Locale.objects.create(language_code="ar")
    for page in (home, index, course):
        translate_everything(page.specific, arabic, "(ع)")
    today = timezone.localdate()
    cohort = Cohort.objects.create(
        course=course,
        partner=PartnerFactory(name="Northside Refugee Center", slug="northside"),
        name="Evening English",
        start_date=today + datetime.timedelta(days=20),
        end_date=today + datetime.timedelta(days=120),
        capacity=1,
        status=Cohort.Status.PLANNED,
        location="Northside Library",
    )
    enrolled(cohort, name="Amina Yusuf")  # the only seat is taken
    return cohort


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_visitor_finds_a_course_and_joins_the_waitlist(live_server, phone, public_site, language):
    page = phone.new_page()
    page.goto(f"{live_server.url}/")
    if language == "ar":  # the visitor picks her language in the switcher, in its own words
        page.locator("nav.languages button[value=ar]").tap()
    expect(page.locator("html")).to_have_attribute("lang", language)
    shoot(page, "visitor-1-home", language)

    page.locator("nav.main-nav a").first.tap()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Programs")
    page.locator(".cards .card__title a").first.tap()
    expect(page.get_by_role("heading", level=1)).to_contain_text("English for Everyday Life")
    card = page.locator(".cohort-card", has_text="Evening English")
    expect(card).to_contain_text(words(language, "Full — nobody on the waitlist yet"))
    shoot(page, "visitor-2-course", language)
    card.get_by_role("link", name=words(language, "Join the waitlist")).tap()

    expect(page.get_by_role("heading", level=1)).to_have_text(words(language, "Join the waitlist"))
    page.get_by_label(words(language, "Full name")).fill("Hodan Abdi")
    page.get_by_label(words(language, "Phone")).fill("+1 617 555 0142")
    page.get_by_label(
        words(
            language,
            "I agree that the program keeps my name and contact details to manage the waitlist and my classes.",
        )
    ).check()
    shoot(page, "visitor-3-form", language)
    page.get_by_role("button", name=words(language, "Put me on the waitlist")).tap()

    expect(page.get_by_role("heading", level=1)).to_have_text(words(language, "Thank you!"))
    place = page.locator("main p", has=page.locator("strong", has_text="1")).last
    # Read as a sentence, "Your place in line: 1", not squeezed into the staff page's round number badge.
    assert place.inner_text() == words(language, "Your place in line: <strong>%(position)s</strong>").replace(
        "<strong>%(position)s</strong>", "1"
    )
    assert place.evaluate("p => getComputedStyle(p).backgroundColor") == "rgba(0, 0, 0, 0)"
    expect(page.locator("main")).to_contain_text("Hodan Abdi")
    shoot(page, "visitor-4-joined", language)
    enrollment = Enrollment.objects.get(learner__full_name="Hodan Abdi")
    assert enrollment.cohort == public_site and enrollment.status == Enrollment.Status.WAITLISTED
    assert enrollment.learner.preferred_language == language


# --- a learner ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_learner_reaches_her_classes_bonus_and_certificate(live_server, phone, journeys, language):
    journeys.compute_and_approve()
    choose_language(journeys.learner.user, language)
    page = phone.new_page()
    sign_in(page, live_server, journeys.learner.user, "/learn/")

    expect(page.locator("#cohorts-heading")).to_have_text(words(language, "My classes"))
    classes = page.locator("section[aria-labelledby=cohorts-heading] .card__title")
    expect(classes).to_contain_text(["Northside Evening English", "Northside Summer English"], ignore_case=False)
    bonus = page.locator("#bonus")
    with translation.override(language):
        this_month = month_label(journeys.today.replace(day=1))
    expect(bonus.locator("h2")).to_have_text(words(language, "Training bonus — %(month)s") % {"month": this_month})
    two_hundred = money_short(Decimal("200"), language)  # $200, or ‏200 US$ as Arabic writes it
    expect(bonus.locator(".bonus-progress__headline")).to_contain_text(two_hundred)  # this month's, in a sentence
    payments = page.locator("#payments")
    expect(payments).to_contain_text(two_hundred)
    expect(payments).to_contain_text(words(language, "Approved — payment on the way", "learner's bonus"))
    certificates = page.locator("#certificates")
    expect(certificates.locator(".card__title")).to_have_text("ESOL Level 1")
    shoot(page, "learner-1-home", language)

    with page.expect_download() as download:
        certificates.get_by_role("link", name=words(language, "Download the PDF")).tap()
    text = subprocess.run(["pdftotext", download.value.path(), "-"], capture_output=True, text=True, check=True).stdout
    assert "فاطمة الزهراء أحمد" in text or "Fatima" in text
    assert "ESOL Level 1" in text

    certificates.get_by_role("link", name=words(language, "See all my certificates and what is left to do")).tap()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    shoot(page, "learner-2-certificates", language)
    page.locator("header .home-link").tap()
    expect(page).to_have_url(f"{live_server.url}/learn/")


# --- an instructor ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_instructor_marks_todays_roster(live_server, phone, journeys, language):
    choose_language(journeys.instructor, language)
    page = phone.new_page()
    sign_in(page, live_server, journeys.instructor, "/teach/")

    card = page.locator(".agenda-item", has_text="Northside Evening English")
    expect(card).to_contain_text(words(language, "%(marked)s of %(total)s marked") % {"marked": 0, "total": 3})
    shoot(page, "instructor-1-today", language)
    card.get_by_role("link", name=words(language, "Take attendance"), exact=True).tap()

    expect(page.locator(".roster-row")).to_have_count(3)
    # roster.js ran (it shows the name filter): a tap before it would be a plain form's radio, saved only by Save.
    expect(page.get_by_label(words(language, "Find a learner"))).to_be_visible()
    for enrollment in (journeys.second_learner, journeys.bashir):
        row = page.locator(".roster-row", has_text=enrollment.full_name)
        row.locator(".segmented__option--absent").tap()
        expect(row.locator(".roster-row__state")).to_have_text(words(language, "Saved"))  # saved as it was tapped
    page.get_by_role("button", name=words(language, "Mark everyone not yet marked as present")).tap()
    expect(page.locator(".messages")).to_be_visible()
    expect(
        page.locator(".roster-row", has_text="Fatima").locator("input.segmented__input[value=present]")
    ).to_be_checked()
    shoot(page, "instructor-2-roster", language)
    with page.expect_navigation():  # the summary of the last step names them too: wait for Save's own
        page.locator(".roster-bar__save").tap()

    summary = page.locator(".messages")
    expect(summary).to_contain_text("王秀英")
    expect(summary).to_contain_text("Bashir Rahimi")
    shoot(page, "instructor-3-saved", language)
    marks = dict(
        Attendance.objects.filter(session=journeys.tonight).values_list("enrollment__learner__full_name", "status")
    )
    assert marks == {"فاطمة الزهراء أحمد": "present", "王秀英": "absent", "Bashir Rahimi": "absent"}


# --- partner staff ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_partner_staff_see_their_partners_to_do_list(live_server, phone, journeys, language):
    incentive_services.compute_month(month=journeys.month, by=journeys.manager)
    choose_language(journeys.partner_staff, language)
    page = phone.new_page()
    sign_in(page, live_server, journeys.partner_staff, "/admin/")

    def item(key):
        return page.locator(f"[data-todo={key}] .todo__link")

    with translation.override(language):
        from django.utils.translation import ngettext

        def count(singular, plural, n):
            return ngettext(singular, plural, n) % {"count": n}

        # Northside: Fatima's bonus; Bashir's and Dilnoza's certificates; Wang Xiuying missed six in a row.
        # Unidos's two unmarked classes and María's bonus are not Northside's.
        expected = {
            "bonuses_to_approve": count("%(count)s bonus awaiting approval", "%(count)s bonuses awaiting approval", 1),
            "unmarked_sessions": count(
                "%(count)s past session with no attendance taken", "%(count)s past sessions with no attendance taken", 0
            ),
            "credentials_to_issue": count(
                "%(count)s learner eligible for a credential not yet issued",
                "%(count)s learners eligible for a credential not yet issued",
                2,
            ),
            "learners_at_risk": count("%(count)s learner at risk", "%(count)s learners at risk", 1),
        }
    for key, text in expected.items():
        expect(item(key)).to_have_text(text)
    expect(page.locator("[data-todo=months_not_computed]")).to_have_count(0)  # the managers' decision
    shoot(page, "partner-staff-1-todo", language)

    item("bonuses_to_approve").tap()
    listing = page.locator("main table")
    expect(listing).to_contain_text("فاطمة الزهراء أحمد")
    expect(listing).not_to_contain_text("María José Pérez")
    shoot(page, "partner-staff-2-bonuses", language)


# --- a program manager --------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_manager_computes_and_approves_bonuses_and_issues_certificates(live_server, phone, journeys, language):
    choose_language(journeys.manager, language)
    page = phone.new_page()
    sign_in(page, live_server, journeys.manager, "/admin/")
    with translation.override(language):
        month = month_label(journeys.month)
    todo = page.locator("[data-todo=months_not_computed]")
    expect(todo.locator(".todo__link")).to_have_text(
        words(language, "%(count)s month whose bonuses are not computed") % {"count": 1}
    )
    expect(todo.locator(".todo__details")).to_have_text(month)
    # Unidos's two unmarked classes: its cohort has no instructor yet, and the list says so.
    expect(page.locator("[data-todo=unmarked_sessions] .todo__details")).to_have_text(
        counted(
            language,
            "%(name)s: %(count)s session",
            "%(name)s: %(count)s sessions",
            2,
            name=words(language, "No instructor"),
        )
    )
    shoot(page, "manager-1-todo", language)

    todo.locator(".todo__details a").tap()
    compute = page.get_by_role("button", name=words(language, "Compute"), exact=True)
    expect(compute).to_be_visible()
    shoot(page, "manager-2-compute", language)
    compute.tap()
    listing = page.locator("main table")
    expect(listing).to_contain_text("فاطمة الزهراء أحمد")
    expect(listing).to_contain_text("María José Pérez")
    shoot(page, "manager-3-ledger", language)
    assert set(MonthlyBonus.objects.values_list("learner__full_name", "status")) == {
        ("فاطمة الزهراء أحمد", Decision.ELIGIBLE),
        ("王秀英", Decision.NOT_ELIGIBLE),
        ("María José Pérez", Decision.ELIGIBLE),
    }

    page.locator("input[data-bulk-action-select-all-checkbox]").first.tap()
    page.locator(".bulk-actions-buttons").get_by_role(
        "link", name=words(language, "Approve the selected eligible bonuses")
    ).tap()
    confirm = page.get_by_role("button", name=words(language, "Yes, approve them"))
    expect(confirm).to_be_visible()
    shoot(page, "manager-4-approve", language)
    confirm.tap()
    with translation.override(language):
        total = money(Decimal("400"))  # $400.00, or ‏400.00 US$ as Arabic writes it
    expect(page.locator(".messages")).to_contain_text(
        counted(
            language,
            "Approved %(count)d bonus, %(total)s.",
            "Approved %(count)d bonuses, %(total)s in all.",
            2,
            total=total,
        )
    )
    assert set(MonthlyBonus.objects.values_list("learner__full_name", "status")) == {
        ("فاطمة الزهراء أحمد", Decision.APPROVED),
        ("王秀英", Decision.NOT_ELIGIBLE),
        ("María José Pérez", Decision.APPROVED),
    }

    # Back to the to-do list: the admin's menu, behind its button on a phone, starts with the way home.
    page.get_by_role("button", name=words(language, "Toggle sidebar")).first.tap()
    page.locator(
        "#wagtail-sidebar a[href='/admin/']"
    ).first.tap()  # the logo, named "Dashboard" by Wagtail's own catalog
    todo = page.locator("[data-todo=credentials_to_issue] .todo__link")
    expect(todo).to_have_text(
        counted(
            language,
            "%(count)s learner eligible for a credential not yet issued",
            "%(count)s learners eligible for a credential not yet issued",
            2,
        )
    )
    todo.tap()  # one cohort and one credential waiting: straight to the check before issuing
    issue = page.get_by_role(
        "button", name=counted(language, "Issue %(count)s certificate", "Issue %(count)s certificates", 2)
    )
    expect(issue).to_be_visible()
    main = page.locator("main")
    for name in ("Bashir Rahimi", "Dilnoza Karimova"):
        expect(main.locator("form tbody")).to_contain_text(name)
    expect(main).to_contain_text(
        counted(language, "%(count)s learner already holds it", "%(count)s learners already hold it", 1)
    )
    shoot(page, "manager-5-preview", language)
    issue.tap()
    expect(page.locator(".credential-batch__percent")).to_contain_text("100")
    expect(page.locator("#batch-progress")).to_contain_text(
        counted(
            language,
            "%(done)s of %(total)s learner done: %(issued)s issued.",
            "%(done)s of %(total)s learners done: %(issued)s issued.",
            2,
            done=2,
            total=2,
            issued=2,
        )
    )
    shoot(page, "manager-6-batch", language)
    assert set(journeys.pathway.credentials.values_list("learner__full_name", flat=True)) == {
        "فاطمة الزهراء أحمد",
        "Bashir Rahimi",
        "Dilnoza Karimova",
    }
