"""Each person signs in on a phone and lands on their own home, with a link to it in the header: a learner on
/learn/, an instructor on /teach/, partner staff and a program manager on the admin home's to-do list — in
English, and in Arabic when that is their language (the learner's from her learner record), in Debian's
Chromium at 390×844. Screenshots of each home go to screenshots/ (not committed)."""

from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from people.models import Learner, Role
from tests.builders import cohort_on, enrolled, staff
from tests.e2e.conftest import choose_language, sign_in
from tests.factories import PartnerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SCREENSHOTS = Path(settings.BASE_DIR) / "screenshots"

# role: (where they land, the header link's words in English and in Arabic)
HOMES = {
    "learner": ("/learn/", "My classes", "فصولي"),
    "instructor": ("/teach/", "My teaching", "تدريسي"),
    "partner_staff": ("/admin/", "My to-do list", "مهامي"),
    "manager": ("/admin/", "My to-do list", "مهامي"),
}


@pytest.fixture
def people(transactional_db):
    partner = PartnerFactory(name="Northside Learning")
    cohort = cohort_on(partner=partner, name="English for Everyday Life · Evening")
    by_role = {
        "instructor": staff(Role.INSTRUCTOR, partner, "rosa.teacher"),
        "partner_staff": staff(Role.PARTNER_STAFF, partner, "desk.northside"),
        "manager": staff(Role.PROGRAM_MANAGER, None, "maya.manager"),
        "learner": staff(Role.LEARNER, None, "fatima"),
    }
    cohort.instructors.add(by_role["instructor"])
    learner = Learner.objects.create(
        partner=partner, full_name="فاطمة الزهراء", preferred_name="Fatima", consent_data=True, user=by_role["learner"]
    )
    enrolled(cohort, learner)
    return by_role


@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize("role", list(HOMES))
def test_each_person_lands_on_their_own_home(live_server, phone, people, role, language):
    user = people[role]
    choose_language(user, language)
    home, english, arabic = HOMES[role]
    words = arabic if language == "ar" else english
    page = phone.new_page()

    sign_in(page, live_server, user, home)

    expect(page.locator("html")).to_have_attribute("lang", language)
    page.screenshot(path=SCREENSHOTS / f"home-{role}-{language}.png", full_page=True)
    if home == "/admin/":
        expect(page.locator("[data-todo=unmarked_sessions]")).to_be_visible()
        page.goto(f"{live_server.url}/verify/")  # any page of the site: the header leads back
    link = page.locator("header .home-link")
    expect(link).to_have_text(words)
    expect(link).to_have_attribute("href", home)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "the page scrolls sideways"
    if home == "/admin/":
        page.screenshot(path=SCREENSHOTS / f"header-{role}-{language}.png")
