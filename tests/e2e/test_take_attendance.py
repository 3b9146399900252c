"""An instructor takes today's attendance on a phone: sign in, Today, the roster, everyone present,
two absent, save — in Debian's Chromium at 390×844, in English and in Arabic."""

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from cohorts.models import Attendance, Enrollment, Session
from cohorts.services import Mark, record_attendance
from people.models import Learner
from tests.factories_cohorts import CohortFactory, InstructorFactory, PartnerFactory, SessionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SCREENSHOTS = Path(settings.BASE_DIR) / "screenshots"
PASSWORD = "a-long-classroom-password"
LEARNERS = [  # (full name, preferred name): names as the learners write them
    ("Amina Yusuf", "Amina"),
    ("Bashir Rahimi", ""),
    ("陈伟", "Chen"),
    ("Dilnoza Karimova", ""),
    ("Esperanza Flores Gutiérrez", "Esperanza"),
    ("فاطمة الزهراء", "Fatima"),
]


@pytest.fixture
def classroom(transactional_db):
    partner = PartnerFactory(name="Northside Learning")
    instructor = InstructorFactory(partner=partner, username="teacher", first_name="Rosa", password=PASSWORD)
    cohort = CohortFactory(
        partner=partner,
        name="English for Everyday Life · Evening",
        instructors=[instructor],
        time_zone="America/New_York",
        location="Northside Library, Room 2",
    )
    today = cohort.local_today()
    cohort.start_date, cohort.end_date = today - datetime.timedelta(days=60), today + datetime.timedelta(days=60)
    cohort.save()
    session = SessionFactory(
        cohort=cohort, date=today, start_time=datetime.time(18), end_time=datetime.time(20), topic="At the pharmacy"
    )
    learners = Learner.objects.bulk_create(
        [Learner(partner=partner, full_name=full, preferred_name=short, consent_data=True) for full, short in LEARNERS]
    )
    enrollments = {
        enrollment.learner.display_name: enrollment
        for enrollment in Enrollment.objects.bulk_create(
            [Enrollment(cohort=cohort, learner=learner, status=Enrollment.Status.ACTIVE) for learner in learners]
        )
    }
    # Bashir missed the last two weeks: the roster flags him.
    for weeks_ago in (2, 1):
        earlier = SessionFactory(cohort=cohort, date=today - datetime.timedelta(weeks=weeks_ago))
        record_attendance(
            session=earlier,
            marks=[Mark(e.pk, "absent" if name == "Bashir Rahimi" else "present") for name, e in enrollments.items()],
            recorded_by=instructor,
        )
    return session, enrollments


def sign_in_to_today(page, live_server):
    page.goto(f"{live_server.url}/teach/")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/teach/")
    page.get_by_label("Username").fill("teacher")
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Sign in").tap()
    expect(page).to_have_url(f"{live_server.url}/teach/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Today")


def row(page, enrollment):
    return page.locator(f"#row-{enrollment.pk}")


def statuses(session):
    """{name used in class: status} as recorded in the database."""
    return {
        preferred or full: status
        for preferred, full, status in Attendance.objects.filter(session=session).values_list(
            "enrollment__learner__preferred_name", "enrollment__learner__full_name", "status"
        )
    }


def assert_fits_the_phone(page, width=390):
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "the page scrolls sideways"


def test_instructor_takes_attendance_on_a_phone(live_server, classroom, phone):
    session, enrollments = classroom
    page = phone.new_page()

    sign_in_to_today(page, live_server)
    card = page.locator(".agenda-item", has_text="English for Everyday Life")
    expect(card).to_contain_text("0 of 6 marked")
    expect(card).to_contain_text("1 learner at risk")
    assert_fits_the_phone(page)
    page.screenshot(path=SCREENSHOTS / "today-390.png")
    card.get_by_role("link", name="Take attendance").tap()

    expect(page).to_have_url(f"{live_server.url}/teach/sessions/{session.pk}/")
    expect(page.locator(".roster-row")).to_have_count(6)
    expect(row(page, enrollments["Bashir Rahimi"])).to_contain_text("At risk: 2 absences in a row")
    option = page.locator(".segmented__option").first.bounding_box()
    assert option["height"] >= 44 and option["width"] >= 44, option
    expect(page.get_by_label("Find a learner")).to_be_visible()  # roster.js ran (it shows the filter)

    page.get_by_role("button", name="Mark everyone not yet marked as present").tap()
    expect(page.locator(".messages")).to_contain_text("Saved: 6 marked.")
    expect(page.locator("#roster-count")).to_have_text("6 of 6 marked")
    assert set(statuses(session).values()) == {"present"}

    for name in ("Bashir Rahimi", "Esperanza"):
        line = row(page, enrollments[name])
        line.get_by_text("Absent", exact=True).tap()
        expect(line.locator(".roster-row__state")).to_have_text("Saved")  # roster.js saved the row as it was tapped
        expect(line.get_by_label("Absent")).to_be_checked()
    page.get_by_role("button", name="Save attendance").tap()

    expect(page.locator(".messages")).to_contain_text(
        "All saved. 4 present; 2 absent: \u2068Bashir Rahimi\u2069, \u2068Esperanza\u2069."
    )
    page.reload()
    for name, enrollment in enrollments.items():
        expected = "absent" if name in ("Bashir Rahimi", "Esperanza") else "present"
        expect(page.locator(f"#id_status-{enrollment.pk}-{expected}")).to_be_checked()
    expect(page.locator("#roster-count")).to_have_text("6 of 6 marked")
    assert_fits_the_phone(page)
    assert Attendance.objects.filter(session=session).count() == 6
    assert sorted(statuses(session).values()) == ["absent"] * 2 + ["present"] * 4
    assert statuses(session)["Bashir Rahimi"] == statuses(session)["Esperanza"] == "absent"

    row(page, enrollments["Bashir Rahimi"]).get_by_text(
        "Minutes late and note"
    ).tap()  # one row's extras, for the picture
    page.screenshot(path=SCREENSHOTS / "roster-390.png")
    page.set_viewport_size({"width": 320, "height": 640})  # the smallest phones still in use
    assert_fits_the_phone(page, 320)
    page.screenshot(path=SCREENSHOTS / "roster-320.png")
    page.set_viewport_size({"width": 390, "height": 844})

    page.get_by_role("link", name="Show the check-in code for this session").tap()
    page.get_by_role("button", name="Show a check-in code").tap()
    expect(page.locator(".qr svg")).to_be_visible()
    session.refresh_from_db()
    expect(page.locator(".check-in-code")).to_have_text(f"{session.check_in_code[:3]} {session.check_in_code[3:]}")
    assert_fits_the_phone(page)
    page.screenshot(path=SCREENSHOTS / "check-in-code-390.png", full_page=True)

    page.goto(f"{live_server.url}/teach/sessions/{session.pk}/")
    phone.add_cookies([{"name": "django_language", "value": "ar", "url": live_server.url}])
    page.reload()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    assert_fits_the_phone(page)
    name_box = row(page, enrollments["Amina"]).locator("legend").bounding_box()
    row_box = row(page, enrollments["Amina"]).bounding_box()
    assert name_box["x"] + name_box["width"] > row_box["x"] + row_box["width"] - 40, "the name starts on the right"
    page.screenshot(path=SCREENSHOTS / "roster-390-ar.png")


def test_the_roster_works_without_javascript(live_server, classroom, phone_without_javascript):
    session, enrollments = classroom
    page = phone_without_javascript.new_page()
    sign_in_to_today(page, live_server)
    page.get_by_role("link", name="Take attendance").tap()

    for name in ("Amina", "Chen"):
        row(page, enrollments[name]).get_by_text("Late", exact=True).tap()
    row(page, enrollments["Amina"]).get_by_text("Minutes late and note").tap()  # closed until opened
    row(page, enrollments["Amina"]).get_by_label("Minutes late").fill("15")
    page.get_by_role("button", name="Save attendance").tap()

    expect(page.locator(".messages")).to_contain_text("Saved: 2 marked.")
    assert statuses(session) == {"Amina": "late", "Chen": "late"}
    assert Attendance.objects.get(session=session, enrollment=enrollments["Amina"]).minutes_late == 15
    expect(page.locator("#roster-count")).to_have_text("2 of 6 marked")
    assert Session.objects.get(pk=session.pk).attendance.count() == 2
