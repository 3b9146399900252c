"""The roster on bad Wi-Fi, in Debian's Chromium at 390×844: taps made offline are kept on the phone and
shown as not sent, Save never turns into the browser's error page, and when the connection returns every
mark reaches the database exactly once; two phones marking the same class at once lose no tap and blame
no one for a row they did not touch."""

import pytest
from django.contrib.contenttypes.models import ContentType
from playwright.sync_api import expect
from wagtail.models import ModelLogEntry

from cohorts.models import Attendance, Session
from tests.e2e import test_take_attendance
from tests.e2e.conftest import PHONE
from tests.e2e.test_take_attendance import SCREENSHOTS, assert_fits_the_phone, row, sign_in_to_today, statuses

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

classroom = test_take_attendance.classroom  # the same class of six, as a fixture here too

KEPT = "Not sent yet: kept on this phone"


def open_roster(page, live_server, session):
    sign_in_to_today(page, live_server)
    page.goto(f"{live_server.url}/teach/sessions/{session.pk}/")
    expect(page.locator(".roster-row")).to_have_count(6)


def changes_per_learner(session):
    """How many times the audit trail recorded a change for each enrollment at this session."""
    counts = {}
    for entry in ModelLogEntry.objects.filter(
        action="cohorts.attendance.record",
        content_type=ContentType.objects.get_for_model(Session),
        object_id=str(session.pk),
    ):
        for change in entry.data["changes"]:
            counts[change["enrollment"]] = counts.get(change["enrollment"], 0) + 1
    return counts


def test_marks_made_offline_are_kept_on_the_phone_and_reach_the_database_once(live_server, classroom, phone):
    session, enrollments = classroom
    page = phone.new_page()
    open_roster(page, live_server, session)

    phone.set_offline(True)
    row(page, enrollments["Bashir Rahimi"]).get_by_text("Absent", exact=True).tap()
    row(page, enrollments["Chen"]).get_by_text("Late", exact=True).tap()
    for name in ("Bashir Rahimi", "Chen"):
        expect(row(page, enrollments[name]).locator(".roster-row__state")).to_have_text(KEPT)
    expect(row(page, enrollments["Bashir Rahimi"]).get_by_label("Absent")).to_be_checked()
    assert not Attendance.objects.filter(session=session).exists()  # nothing pretends to be saved

    page.get_by_role("button", name="Save attendance").tap()
    expect(page.locator("#roster-offline")).to_contain_text("You are offline, and nothing is lost")
    expect(page).to_have_url(f"{live_server.url}/teach/sessions/{session.pk}/")  # not the browser's error page
    page.get_by_role("button", name="Mark everyone not yet marked as present").tap()
    for name in ("Amina", "Dilnoza Karimova", "Esperanza", "Fatima"):
        expect(row(page, enrollments[name]).get_by_label("Present")).to_be_checked()
        expect(row(page, enrollments[name]).locator(".roster-row__state")).to_have_text(KEPT)
    assert_fits_the_phone(page)
    page.screenshot(path=SCREENSHOTS / "roster-390-offline.png")
    assert not Attendance.objects.filter(session=session).exists()

    # The phone is put away before the Wi-Fi returns: the marks wait in its storage, not in the page.
    page.close()
    phone.set_offline(False)
    page = phone.new_page()
    page.goto(f"{live_server.url}/teach/sessions/{session.pk}/")
    for enrollment in enrollments.values():
        expect(row(page, enrollment).locator(".roster-row__state")).to_have_text("Saved")
    expect(page.locator("#roster-count")).to_have_text("6 of 6 marked")

    assert statuses(session) == {
        "Amina": "present",
        "Bashir Rahimi": "absent",
        "Chen": "late",
        "Dilnoza Karimova": "present",
        "Esperanza": "present",
        "Fatima": "present",
    }
    assert Attendance.objects.filter(session=session).count() == 6
    assert changes_per_learner(session) == {enrollment.pk: 1 for enrollment in enrollments.values()}

    page.get_by_role("button", name="Save attendance").tap()
    # The summary names who was late and absent (each name isolated for right-to-left text).
    expect(page.locator(".messages")).to_contain_text(
        "All saved. 4 present; 1 late: \u2068Chen\u2069; 1 absent: \u2068Bashir Rahimi\u2069."
    )
    assert changes_per_learner(session) == {enrollment.pk: 1 for enrollment in enrollments.values()}


def test_a_row_the_server_fails_to_save_says_so_and_can_be_sent_again(live_server, classroom, phone):
    session, enrollments = classroom
    page = phone.new_page()
    open_roster(page, live_server, session)
    failures = []

    def server_error(route):
        failures.append(route.request.url)
        route.fulfill(status=500, body="Server Error")

    page.route(f"**/teach/sessions/{session.pk}/", server_error)
    line = row(page, enrollments["Amina"])
    line.get_by_text("Absent", exact=True).tap()

    expect(line.locator(".roster-row__state")).to_contain_text("Not saved: the server did not answer.")
    assert len(failures) == 3  # a busy server is tried twice more before the row says it failed
    assert not Attendance.objects.filter(session=session).exists()
    page.unroute(f"**/teach/sessions/{session.pk}/")
    line.get_by_role("button", name="Try again").tap()
    expect(line.locator(".roster-row__state")).to_have_text("Saved")
    assert statuses(session) == {"Amina": "absent"}


def test_two_phones_marking_the_same_class_lose_no_tap_and_blame_no_one(live_server, classroom, chromium):
    session, enrollments = classroom
    first_phone, second_phone = chromium.new_context(**PHONE), chromium.new_context(**PHONE)
    first, second = first_phone.new_page(), second_phone.new_page()
    open_roster(first, live_server, session)
    open_roster(second, live_server, session)

    # Three times, both phones tap a different learner at the same moment (no waiting in between).
    pairs = [("Amina", "Bashir Rahimi"), ("Chen", "Dilnoza Karimova"), ("Esperanza", "Fatima")]
    for mine, theirs in pairs:
        row(first, enrollments[mine]).get_by_text("Present", exact=True).tap(no_wait_after=True)
        row(second, enrollments[theirs]).get_by_text("Absent", exact=True).tap(no_wait_after=True)
    for mine, theirs in pairs:
        expect(row(first, enrollments[mine]).locator(".roster-row__state")).to_have_text("Saved")
        expect(row(second, enrollments[theirs]).locator(".roster-row__state")).to_have_text("Saved")
    assert statuses(session) == {
        "Amina": "present",
        "Bashir Rahimi": "absent",
        "Chen": "present",
        "Dilnoza Karimova": "absent",
        "Esperanza": "present",
        "Fatima": "absent",
    }

    # Both change Amina: the second phone drew her unmarked; the first has marked her present, now late,
    # and the second, not knowing, taps absent. It is told at her row, and her late mark stands.
    row(first, enrollments["Amina"]).get_by_text("Late", exact=True).tap()
    expect(row(first, enrollments["Amina"]).locator(".roster-row__state")).to_have_text("Saved")
    amina_there = row(second, enrollments["Amina"])
    amina_there.get_by_text("Absent", exact=True).tap()
    expect(amina_there.locator(".roster-row__conflict")).to_have_text(
        "Amina was changed on another device to Late; your change was not saved — check and save again."
    )
    expect(amina_there).to_have_class("roster-row roster-row--late roster-row--attention")
    expect(amina_there.get_by_label("Late", exact=True)).to_be_checked()
    assert statuses(session)["Amina"] == "late"

    # The second phone's page is old for the first phone's rows; pressing Save blames it for none of them.
    second.get_by_role("button", name="Save attendance").tap()
    expect(second.locator(".messages")).to_contain_text("All saved.")
    expect(second.locator(".messages")).not_to_contain_text("another device")
    assert Attendance.objects.filter(session=session).count() == 6
    first_phone.close()
    second_phone.close()


def test_the_roster_offline_in_arabic_fits_the_phone(live_server, classroom, phone):
    session, enrollments = classroom
    page = phone.new_page()
    sign_in_to_today(page, live_server)
    phone.add_cookies([{"name": "django_language", "value": "ar", "url": live_server.url}])
    page.goto(f"{live_server.url}/teach/sessions/{session.pk}/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    page.screenshot(path=SCREENSHOTS / "roster-390-ar-online.png")
    phone.set_offline(True)
    row(page, enrollments["Amina"]).locator('.segmented__input[value="absent"] + label').tap()
    expect(row(page, enrollments["Amina"]).locator(".roster-row__state--queued")).to_be_visible()
    expect(page.locator("#roster-offline")).to_be_visible()
    assert_fits_the_phone(page)
    page.screenshot(path=SCREENSHOTS / "roster-390-ar-offline.png")
    phone.set_offline(False)
    expect(row(page, enrollments["Amina"]).locator(".roster-row__state--saved")).to_be_visible()
    assert statuses(session) == {"Amina": "absent"}
