"""The instructor's pages: Today, the session roster (plain form and one row at a time with htmx),
the check-in code; who may open them; and what saving costs in queries and time."""

import datetime
import re
import time
from dataclasses import dataclass

import pytest
from django.contrib.contenttypes.models import ContentType
from django.contrib.messages import get_messages

from cohorts.models import Attendance, Enrollment, Session
from cohorts.services import Mark, cancel_session, record_attendance
from people.models import Learner, Role
from tests.builders import signed_in, stop_clock
from tests.factories_cohorts import (
    AttendanceFactory,
    CohortFactory,
    EnrollmentFactory,
    InstructorFactory,
    LearnerFactory,
    PartnerFactory,
    SessionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
MONDAY = datetime.date(2026, 10, 5)
NOW = datetime.datetime(2026, 10, 5, 22, 5, tzinfo=UTC)  # Monday 18:05 in New York; class 18:00–20:00
ROLES = [
    "anonymous",
    "learner",
    "instructor",
    "other_instructor",  # teaches another cohort at the same partner
    "partner_staff",
    "other_partner_staff",
    "manager",
]
MAY_MARK = {"instructor", "partner_staff", "manager"}


@pytest.fixture
def clock(monkeypatch):
    return stop_clock(monkeypatch, NOW)


@dataclass
class World:
    cohort: object
    session: object  # today's, 18:00–20:00 in New York
    instructor: object
    other_instructor: object
    partner_staff: object
    other_partner_staff: object
    manager: object
    learner_user: object
    enrollments: list  # Amina, Bashir, Chen: by name

    def user(self, role):
        return None if role == "anonymous" else getattr(self, "learner_user" if role == "learner" else role)


@pytest.fixture
def world(clock):
    partner, other_partner = PartnerFactory(name="Northside"), PartnerFactory(name="Harbor")
    instructor = InstructorFactory(partner=partner)
    other_instructor = InstructorFactory(partner=partner)
    cohort = CohortFactory(partner=partner, name="English Level 1", instructors=[instructor])
    CohortFactory(partner=partner, name="Evening Computer Skills", instructors=[other_instructor])
    learner_user = UserFactory(role=Role.LEARNER)
    names = [("Chen Wei", ""), ("Amina Yusuf", "Amina"), ("Bashir Rahimi", "")]
    enrollments = [
        EnrollmentFactory(cohort=cohort, learner=LearnerFactory(partner=partner, full_name=full, preferred_name=short))
        for full, short in names
    ]
    Learner.objects.filter(pk=enrollments[1].learner_id).update(user=learner_user)
    return World(
        cohort=cohort,
        session=SessionFactory(cohort=cohort, date=MONDAY, topic="Greetings"),
        instructor=instructor,
        other_instructor=other_instructor,
        partner_staff=UserFactory(role=Role.PARTNER_STAFF, partner=partner),
        other_partner_staff=UserFactory(role=Role.PARTNER_STAFF, partner=other_partner),
        manager=UserFactory(role=Role.PROGRAM_MANAGER),
        learner_user=learner_user,
        enrollments=sorted(enrollments, key=lambda e: e.learner.display_name),
    )


def everyone_present(enrollments):
    return [Mark(enrollment.pk, "present") for enrollment in enrollments]


def roster_url(session):
    return f"/teach/sessions/{session.pk}/"


def check_in_url(session):
    return f"/teach/sessions/{session.pk}/check-in/"


def row_data(enrollment, status="", expected="", minutes="", note=""):
    data = {f"expected-{enrollment.pk}": expected, f"minutes-{enrollment.pk}": minutes, f"note-{enrollment.pk}": note}
    if status:
        data[f"status-{enrollment.pk}"] = status
    return data


def roster_post(*rows, action="save"):
    data = {"action": action}
    for row in rows:
        data |= row
    return data


def recorded(session):
    return dict(Attendance.objects.filter(session=session).values_list("enrollment_id", "status"))


def texts(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def visible_text(html):
    """Markup as a person reads it: tags dropped, white space collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def page_text(response):
    return visible_text(response.content.decode())


def assert_sent_to_login(response, url):
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"


# --- who may open what ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_today_by_role(client, world, role):
    response = signed_in(client, world.user(role)).get("/teach/")

    if role == "anonymous":
        assert_sent_to_login(response, "/teach/")
    elif role == "learner":
        assert response.status_code == 302
        assert response["Location"] == "/learn/"
    else:
        assert response.status_code == 200
        shows_session = "English Level 1" in page_text(response)
        assert shows_session == (role in MAY_MARK)
        assert (roster_url(world.session) in response.content.decode()) == (role in MAY_MARK)


@pytest.mark.parametrize("role", ROLES)
def test_roster_page_by_role(client, world, role):
    response = signed_in(client, world.user(role)).get(roster_url(world.session))

    if role == "anonymous":
        assert_sent_to_login(response, roster_url(world.session))
    elif role in MAY_MARK:
        assert response.status_code == 200
        assert "Amina" in page_text(response)
    else:
        assert response.status_code == 404
        assert b"Amina" not in response.content


@pytest.mark.parametrize("role", ROLES)
def test_saving_a_roster_by_role(client, world, role):
    amina = world.enrollments[0]

    response = signed_in(client, world.user(role)).post(
        roster_url(world.session), roster_post(row_data(amina, "present"))
    )

    if role == "anonymous":
        assert_sent_to_login(response, roster_url(world.session))
    elif role in MAY_MARK:
        assert response.status_code == 302
    else:
        assert response.status_code == 404
    assert recorded(world.session) == ({amina.pk: "present"} if role in MAY_MARK else {})


@pytest.mark.parametrize("role", ROLES)
def test_check_in_code_page_by_role(client, world, role):
    client = signed_in(client, world.user(role))

    shown = client.get(check_in_url(world.session))
    created = client.post(check_in_url(world.session))

    world.session.refresh_from_db()
    if role == "anonymous":
        assert_sent_to_login(shown, check_in_url(world.session))
        assert_sent_to_login(created, check_in_url(world.session))
    elif role in MAY_MARK:
        assert shown.status_code == 200
        assert created.status_code == 302
    else:
        assert (shown.status_code, created.status_code) == (404, 404)
    assert bool(world.session.check_in_code) == (role in MAY_MARK)


def test_a_session_that_does_not_exist_is_not_found(client, world):
    response = signed_in(client, world.manager).get("/teach/sessions/999999/")

    assert response.status_code == 404


# --- Today -----------------------------------------------------------------------------------------


def test_today_shows_todays_sessions_first_with_counts_then_the_week(client, world):
    cohort = world.cohort
    online = CohortFactory(
        partner=cohort.partner,
        name="Citizenship Online",
        instructors=[world.instructor],
        delivery="online",
        location="",
        meeting_link="https://meet.example.org/c",
    )
    EnrollmentFactory(cohort=online)
    SessionFactory(cohort=online, date=MONDAY, start_time=datetime.time(10), end_time=datetime.time(11))
    SessionFactory(cohort=cohort, date=MONDAY + datetime.timedelta(days=2), topic="At the doctor")
    SessionFactory(cohort=cohort, date=MONDAY + datetime.timedelta(days=9), topic="Too far ahead")
    yesterday = SessionFactory(cohort=cohort, date=MONDAY - datetime.timedelta(days=1), topic="Left half done")
    AttendanceFactory(session=yesterday, enrollment=world.enrollments[0], status="present")
    AttendanceFactory(session=world.session, enrollment=world.enrollments[0], status="present")

    response = signed_in(client, world.instructor).get("/teach/")
    text = page_text(response)

    today, rest = text.split("Not finished")
    assert today.index("Citizenship Online") < today.index("English Level 1")  # 10:00 before 18:00
    assert "1 of 3 marked" in today and "0 of 1 marked" in today
    assert "Online" in today and "Room 4" in today
    assert today.count("Take attendance") == 2
    finish, coming = rest.split("Coming up this week")
    assert "Left half done" in finish and "1 of 3 marked" in finish
    assert "At the doctor" in coming and "Wednesday" in coming
    assert "Too far ahead" not in text


def test_today_is_each_cohorts_own_local_date(client, world, clock):
    clock.now = datetime.datetime(2026, 10, 6, 2, 0, tzinfo=UTC)  # Monday 22:00 in New York, Tuesday 11:00 in Tokyo
    tokyo = CohortFactory(partner=world.cohort.partner, name="Tokyo Evening", instructors=[world.instructor])
    tokyo.time_zone = "Asia/Tokyo"
    tokyo.save()
    SessionFactory(cohort=tokyo, date=MONDAY + datetime.timedelta(days=1), topic="Tokyo Tuesday")
    SessionFactory(cohort=world.cohort, date=MONDAY + datetime.timedelta(days=1), topic="New York Tuesday")

    text = page_text(signed_in(client, world.instructor).get("/teach/"))

    today, coming = text.split("Coming up this week")
    assert "Greetings" in today  # Monday's New York class: still Monday there
    assert "Tokyo Tuesday" in today  # already Tuesday in Tokyo
    assert "New York Tuesday" in coming


def test_today_counts_learners_at_risk(client, world):
    amina, bashir, _chen = world.enrollments
    for weeks_ago, amina_status, bashir_status in [(2, "absent", "absent"), (1, "absent", "present")]:
        held = SessionFactory(cohort=world.cohort, date=MONDAY - datetime.timedelta(weeks=weeks_ago))
        AttendanceFactory(session=held, enrollment=amina, status=amina_status)
        AttendanceFactory(session=held, enrollment=bashir, status=bashir_status)

    text = page_text(signed_in(client, world.instructor).get("/teach/"))

    assert "1 learner at risk" in text


def test_a_cancelled_session_is_shown_as_cancelled_without_a_roster_button(client, world):
    cancel_session(session=world.session, reason="Snow day", by=world.manager)

    response = signed_in(client, world.instructor).get("/teach/")

    assert "English Level 1 Greetings Room 4 Cancelled : Snow day" in page_text(response)
    assert "Take attendance" not in page_text(response)


def test_today_in_arabic_is_right_to_left(client, world):
    client.cookies["django_language"] = "ar"

    response = signed_in(client, world.instructor).get("/teach/")

    assert response.status_code == 200
    assert re.search(r'<html lang="ar" dir="rtl">', response.content.decode())


def test_roster_in_arabic_is_right_to_left(client, world):
    client.cookies["django_language"] = "ar"

    response = signed_in(client, world.instructor).get(roster_url(world.session))

    assert '<html lang="ar" dir="rtl">' in response.content.decode()


# --- the roster page -----------------------------------------------------------------------------


def test_roster_lists_who_is_enrolled_by_the_name_used_in_class(client, world):
    cohort = world.cohort
    EnrollmentFactory(
        cohort=cohort,
        learner=LearnerFactory(partner=cohort.partner, full_name="Zainab Waitlisted"),
        status="waitlisted",
    )
    EnrollmentFactory(
        cohort=cohort,
        learner=LearnerFactory(partner=cohort.partner, full_name="Dario Left Before"),
        status="withdrawn",
        withdrawn_on=MONDAY,
    )
    EnrollmentFactory(
        cohort=cohort,
        learner=LearnerFactory(partner=cohort.partner, full_name="Elena Left After"),
        status="withdrawn",
        withdrawn_on=MONDAY + datetime.timedelta(days=3),
    )
    EnrollmentFactory(
        cohort=cohort, learner=LearnerFactory(partner=cohort.partner, full_name="Farid Finished"), status="completed"
    )

    response = signed_in(client, world.instructor).get(roster_url(world.session))
    names = re.findall(r'<legend class="roster-row__name"><bdi>([^<]+)</bdi>', response.content.decode())

    assert names == ["Amina", "Bashir Rahimi", "Chen Wei", "Elena Left After", "Farid Finished"]
    assert "Amina Yusuf" in page_text(response)  # the full name under the preferred one
    assert "0 of 5 marked" in page_text(response)
    assert "<img" not in response.content.decode()  # no photos


def test_roster_shows_each_status_as_a_big_radio_and_what_was_recorded(client, world):
    amina = world.enrollments[0]
    AttendanceFactory(session=world.session, enrollment=amina, status="late", minutes_late=12, note="Bus")

    html = signed_in(client, world.instructor).get(roster_url(world.session)).content.decode()

    for status in ["present", "late", "excused", "absent"]:
        assert f'name="status-{amina.pk}" id="id_status-{amina.pk}-{status}" value="{status}"' in html
    assert 'value="late" checked' in html
    assert f'<input type="hidden" name="expected-{amina.pk}" value="late"' in html
    assert re.search(r'<details class="roster-row__more" open>\s*<summary>', html)  # late: minutes shown
    assert f'name="minutes-{amina.pk}" value="12"' in html
    assert "1 of 3 marked" in visible_text(html)


def test_at_risk_badge_for_two_absences_in_a_row_not_for_absent_then_present(client, world):
    amina, bashir, _chen = world.enrollments
    for weeks_ago, amina_status, bashir_status in [(2, "absent", "absent"), (1, "absent", "present")]:
        held = SessionFactory(cohort=world.cohort, date=MONDAY - datetime.timedelta(weeks=weeks_ago))
        AttendanceFactory(session=held, enrollment=amina, status=amina_status)
        AttendanceFactory(session=held, enrollment=bashir, status=bashir_status)

    html = signed_in(client, world.instructor).get(roster_url(world.session)).content.decode()
    rows = dict(re.findall(r'<li id="row-(\d+)"(.*?)</li>', html, flags=re.S))

    assert "At risk: 2 absences in a row" in visible_text(rows[str(amina.pk)])
    assert "At risk" not in rows[str(bashir.pk)]


def test_saving_a_roster_redirects_back_with_how_many_were_marked(client, world):
    amina, bashir, chen = world.enrollments

    response = signed_in(client, world.instructor).post(
        roster_url(world.session),
        roster_post(row_data(amina, "present"), row_data(bashir, "late", minutes="10"), row_data(chen)),
    )

    assert response.status_code == 302 and response["Location"] == roster_url(world.session)
    # The summary names who was late (names isolated for right-to-left text) and who is still to mark.
    assert texts(response) == ["Saved: 2 marked. 1 present; 1 late: \u2068Bashir Rahimi\u2069; 1 not marked yet."]
    assert recorded(world.session) == {amina.pk: "present", bashir.pk: "late"}  # Chen was not marked: not sent
    assert Attendance.objects.get(enrollment=bashir).minutes_late == 10
    page = client.get(roster_url(world.session))
    assert "Saved: 2 marked." in page_text(page) and "2 of 3 marked" in page_text(page)


def test_saving_twice_updates_and_never_duplicates(client, world):
    amina, bashir, chen = world.enrollments
    client = signed_in(client, world.instructor)
    everyone_present = roster_post(*[row_data(e, "present") for e in world.enrollments])
    client.post(roster_url(world.session), everyone_present)

    client.post(
        roster_url(world.session),
        roster_post(
            row_data(amina, "present", expected="present"),
            row_data(bashir, "absent", expected="present"),
            row_data(chen, "present", expected="present"),
        ),
    )

    assert Attendance.objects.filter(session=world.session).count() == 3
    assert recorded(world.session) == {amina.pk: "present", bashir.pk: "absent", chen.pk: "present"}


def test_mark_everyone_present_fills_only_unmarked_rows_and_keeps_a_recorded_absence(client, world):
    amina, bashir, chen = world.enrollments
    AttendanceFactory(session=world.session, enrollment=bashir, status="absent")

    response = signed_in(client, world.instructor).post(
        roster_url(world.session),
        # The page drew Bashir as absent: his radio comes back checked, the others empty.
        roster_post(
            row_data(amina), row_data(bashir, "absent", expected="absent"), row_data(chen), action="all_present"
        ),
    )

    assert response.status_code == 302
    assert recorded(world.session) == {amina.pk: "present", bashir.pk: "absent", chen.pk: "present"}
    # Bashir's recorded absence, shown and left alone, is not sent again: two saved, and the summary names him.
    assert texts(response) == ["Saved: 2 marked. 2 present; 1 absent: \u2068Bashir Rahimi\u2069."]


def test_mark_everyone_present_never_overwrites_a_status_recorded_meanwhile(client, world):
    amina, bashir, chen = world.enrollments
    # Drawn with nobody marked; meanwhile a co-teacher marks Bashir absent on another phone.
    AttendanceFactory(session=world.session, enrollment=bashir, status="absent")

    response = signed_in(client, world.instructor).post(
        roster_url(world.session), roster_post(*[row_data(e) for e in world.enrollments], action="all_present")
    )

    assert recorded(world.session) == {amina.pk: "present", bashir.pk: "absent", chen.pk: "present"}
    assert (
        "1 of your changes was not saved: someone changed that learner on another device. See the highlighted row."
        in texts(response)
    )
    row = client.get(roster_url(world.session)).content.decode().split(f'id="row-{bashir.pk}"')[1].split("</li>")[0]
    assert "roster-row--attention" in row
    assert (
        "Bashir Rahimi was changed on another device to Absent; your change was not saved — check and save again."
        in visible_text(row)
    )


def test_a_row_changed_on_another_device_is_reported_and_their_value_kept(client, world):
    amina, bashir, _chen = world.enrollments
    page = signed_in(client, world.instructor).get(roster_url(world.session))
    assert f'name="expected-{amina.pk}"' in page.content.decode()
    # The other device saves first.
    record_attendance(session=world.session, marks=[Mark(amina.pk, "excused")], recorded_by=world.partner_staff)

    response = client.post(
        roster_url(world.session), roster_post(row_data(amina, "absent", expected=""), row_data(bashir, "present"))
    )

    assert recorded(world.session) == {amina.pk: "excused", bashir.pk: "present"}
    assert texts(response) == [
        "Saved: 1 marked. 1 present; 1 excused; 1 not marked yet.",
        "1 of your changes was not saved: someone changed that learner on another device. See the highlighted row.",
    ]
    shown = client.get(roster_url(world.session)).content.decode()
    assert 'value="excused" checked' in shown
    amina_row = shown.split(f'id="row-{amina.pk}"')[1].split("</li>")[0]
    assert "Amina was changed on another device to Excused; your change was not saved" in visible_text(amina_row)
    # Said once, at the row: drawn again, the page no longer warns.
    assert "changed on another device" not in page_text(client.get(roster_url(world.session)))


def test_an_old_page_saved_after_a_co_teacher_changed_a_row_it_never_touched_blames_no_one(client, world):
    amina, bashir, chen = world.enrollments
    record_attendance(session=world.session, marks=everyone_present(world.enrollments), recorded_by=world.instructor)
    # This phone draws the roster, everyone present; then a co-teacher marks Bashir absent on theirs.
    page = signed_in(client, world.instructor).get(roster_url(world.session)).content.decode()
    assert 'value="present" checked' in page
    record_attendance(
        session=world.session, marks=[Mark(bashir.pk, "absent", expected="present")], recorded_by=world.partner_staff
    )

    # The old page sends every row as it was drawn, with only Chen changed to late.
    response = client.post(
        roster_url(world.session),
        roster_post(
            row_data(amina, "present", expected="present"),
            row_data(bashir, "present", expected="present"),
            row_data(chen, "late", expected="present"),
        ),
    )

    assert recorded(world.session) == {amina.pk: "present", bashir.pk: "absent", chen.pk: "late"}
    assert texts(response) == [
        "Saved: 1 marked. 1 present; 1 late: \u2068Chen Wei\u2069; 1 absent: \u2068Bashir Rahimi\u2069."
    ]
    assert "another device" not in page_text(client.get(roster_url(world.session)))


def test_a_roster_marked_weeks_later_lists_only_who_was_enrolled_on_the_day(client, world, clock):
    amina, bashir, chen = world.enrollments
    clock.now = datetime.datetime(2026, 11, 5, 15, 0, tzinfo=UTC)  # 5 November: marking 5 October's class
    late_joiner = EnrollmentFactory(
        cohort=world.cohort,
        learner=LearnerFactory(partner=world.cohort.partner, full_name="Dara Sok"),
        enrolled_on=datetime.date(2026, 10, 27),
    )
    client = signed_in(client, world.instructor)

    page = client.get(roster_url(world.session))
    response = client.post(
        roster_url(world.session),
        roster_post(*[row_data(e) for e in [*world.enrollments, late_joiner]], action="all_present"),
    )

    assert "Dara Sok" not in page_text(page) and "0 of 3 marked" in page_text(page)
    assert response.status_code == 302
    assert recorded(world.session) == {amina.pk: "present", bashir.pk: "present", chen.pk: "present"}
    # Today's classes list her, of course.
    today = SessionFactory(cohort=world.cohort, date=datetime.date(2026, 11, 5))
    assert "Dara Sok" in page_text(client.get(roster_url(today)))


def test_a_cancelled_session_has_no_form_and_refuses_a_save(client, world):
    amina = world.enrollments[0]
    cancel_session(session=world.session, reason="Building closed", by=world.manager)
    client = signed_in(client, world.instructor)

    page = client.get(roster_url(world.session))
    posted = client.post(roster_url(world.session), roster_post(row_data(amina, "present")))

    assert "This session was cancelled. Building closed" in page_text(page)
    assert "<form" not in page.content.decode().split('<main id="main"')[1]
    assert posted.status_code == 409
    assert "This session was cancelled; there is no attendance to take." in page_text(posted)
    assert recorded(world.session) == {}


def test_an_unknown_status_is_an_error_and_nothing_is_saved(client, world):
    amina, bashir, _chen = world.enrollments

    response = signed_in(client, world.instructor).post(
        roster_url(world.session), roster_post(row_data(amina, "present"), row_data(bashir, "asleep"))
    )

    assert response.status_code == 400
    text = page_text(response)
    assert "Nothing was saved." in text
    assert "Bashir Rahimi : “asleep” is not a status you can choose here." in text
    assert recorded(world.session) == {}
    assert 'value="present" checked' in response.content.decode()  # Amina's tap is kept on the page


def test_minutes_late_for_someone_present_is_an_error_on_that_row(client, world):
    amina, bashir, _chen = world.enrollments

    response = signed_in(client, world.instructor).post(
        roster_url(world.session), roster_post(row_data(amina, "present", minutes="5"), row_data(bashir, "present"))
    )

    assert response.status_code == 400
    assert "Minutes late are only for someone marked Late: choose Late for Amina or clear the minutes." in page_text(
        response
    )
    assert recorded(world.session) == {}


def test_an_error_from_the_rules_is_shown_and_nothing_is_saved(client, world, monkeypatch):
    from cohorts import services

    def refuse(**kwargs):
        raise services.CohortError("Attendance for this month is closed.")

    monkeypatch.setattr(services, "record_attendance", refuse)
    amina, bashir, _chen = world.enrollments

    response = signed_in(client, world.instructor).post(
        roster_url(world.session), roster_post(row_data(amina, "present"), row_data(bashir, "absent"))
    )

    assert response.status_code == 400
    assert "Nothing was saved. Fix the rows below, then save again. Attendance for this month is closed." in page_text(
        response
    )
    assert 'value="absent" checked' in response.content.decode()  # the taps are still there to save again
    assert recorded(world.session) == {}


def test_a_learner_withdrawn_while_the_page_was_open_is_left_out_and_reported(client, world):
    amina, bashir, _chen = world.enrollments
    signed_in(client, world.instructor).get(roster_url(world.session))
    Enrollment.objects.filter(pk=bashir.pk).update(status="withdrawn", withdrawn_on=MONDAY - datetime.timedelta(days=7))

    response = client.post(
        roster_url(world.session), roster_post(row_data(amina, "present"), row_data(bashir, "present"))
    )

    assert recorded(world.session) == {amina.pk: "present"}
    assert texts(response) == [
        "1 learner on your page is no longer on this session's roster; their mark was not saved.",
        "Saved: 1 marked. 1 present; 1 not marked yet.",
    ]


def test_a_future_session_can_only_excuse(client, world):
    amina = world.enrollments[0]
    later = SessionFactory(cohort=world.cohort, date=MONDAY + datetime.timedelta(days=7))
    client = signed_in(client, world.instructor)

    html = client.get(roster_url(later)).content.decode()
    refused = client.post(roster_url(later), roster_post(row_data(amina, "present")))
    excused = client.post(roster_url(later), roster_post(row_data(amina, "excused")))

    assert 'value="excused"' in html and 'value="present"' not in html
    assert "all_present" not in html
    assert refused.status_code == 400
    assert excused.status_code == 302
    assert recorded(later) == {amina.pk: "excused"}


def test_saving_with_nothing_tapped_says_so(client, world):
    response = signed_in(client, world.instructor).post(
        roster_url(world.session), roster_post(*[row_data(e) for e in world.enrollments])
    )

    assert response.status_code == 302
    assert texts(response) == ["Nothing to save yet: tap a status for each learner, then save."]
    assert recorded(world.session) == {}


def test_saving_is_audited_with_who_did_it(client, world):
    from wagtail.models import ModelLogEntry

    amina = world.enrollments[0]
    signed_in(client, world.partner_staff).post(roster_url(world.session), roster_post(row_data(amina, "absent")))

    entry = ModelLogEntry.objects.get(action="cohorts.attendance.record", object_id=str(world.session.pk))
    assert entry.user == world.partner_staff
    assert entry.data["changes"][0]["to"] == "absent"


# --- one row at a time (htmx) ----------------------------------------------------------------------

HTMX = {"HTTP_HX_REQUEST": "true"}


def test_tapping_a_status_with_htmx_saves_that_row_alone_and_redraws_it(client, world):
    amina, bashir, _chen = world.enrollments

    response = signed_in(client, world.instructor).post(
        roster_url(world.session), {"row": str(amina.pk), **row_data(amina, "absent")}, **HTMX
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert recorded(world.session) == {amina.pk: "absent"}
    assert html.lstrip().startswith(f'<li id="row-{amina.pk}"')
    assert f'<input type="hidden" name="expected-{amina.pk}" value="absent"' in html  # next save expects it
    assert "Saved" in visible_text(html)
    assert f"row-{bashir.pk}" not in html
    assert '<p id="roster-count" class="roster-bar__count" aria-live="polite" hx-swap-oob="true">1 of 3 marked' in html


def test_an_htmx_row_changed_elsewhere_shows_the_other_value_and_keeps_it(client, world):
    amina = world.enrollments[0]
    AttendanceFactory(session=world.session, enrollment=amina, status="present")

    response = signed_in(client, world.instructor).post(
        roster_url(world.session), {"row": str(amina.pk), **row_data(amina, "absent", expected="")}, **HTMX
    )

    html = response.content.decode()
    assert recorded(world.session) == {amina.pk: "present"}
    assert "Amina was changed on another device to Present; your change was not saved" in visible_text(html)
    assert 'value="present" checked' in html


def test_an_htmx_row_with_a_bad_value_shows_the_error_in_the_row(client, world):
    amina = world.enrollments[0]

    response = signed_in(client, world.instructor).post(
        roster_url(world.session), {"row": str(amina.pk), **row_data(amina, "late", minutes="-3")}, **HTMX
    )

    assert response.status_code == 200
    assert "Ensure this value is greater than or equal to 1." in page_text(response)
    assert recorded(world.session) == {}


# --- the check-in code -----------------------------------------------------------------------------


def test_check_in_code_is_created_on_request_and_shown_with_a_qr_code_and_its_window(client, world):
    client = signed_in(client, world.instructor)
    before = client.get(check_in_url(world.session))
    assert "Show a check-in code" in page_text(before)

    response = client.post(check_in_url(world.session), follow=True)

    world.session.refresh_from_db()
    code = world.session.check_in_code
    html = response.content.decode()
    assert len(code) == 6
    assert (
        f'<p class="check-in-code" lang="en" dir="ltr" aria-label="{" ".join(code)}">{code[:3]} {code[3:]}</p>' in html
    )
    assert '<svg viewBox="0 0' in html and "QR code to check in" in html
    assert "http://testserver/learn/check-in/" in html
    assert "Check-in is open now." in page_text(response)
    assert "The code works from 5:45 p.m. to 8 p.m. EDT" in page_text(response)  # the class's local time
    again = client.post(check_in_url(world.session), follow=True)
    world.session.refresh_from_db()
    assert world.session.check_in_code == code  # asking again shows the same code
    assert again.status_code == 200


def test_the_qr_code_leads_to_the_learner_check_in_page_with_the_code(client, world):
    import segno

    client = signed_in(client, world.instructor)
    client.post(check_in_url(world.session))
    world.session.refresh_from_db()
    expected = segno.make(f"http://testserver/learn/check-in/?code={world.session.check_in_code}", error="m")

    html = client.get(check_in_url(world.session)).content.decode()

    assert expected.svg_inline(scale=10, omitsize=True, svgclass="qr__image", lineclass=None).split("<path")[1] in html


def test_a_cancelled_session_gets_no_check_in_code(client, world):
    cancel_session(session=world.session, reason="Snow", by=world.manager)
    client = signed_in(client, world.instructor)

    response = client.post(check_in_url(world.session), follow=True)

    world.session.refresh_from_db()
    assert world.session.check_in_code == ""
    assert "This session was cancelled, so there is nothing to check in to." in page_text(response)


# --- what it costs ---------------------------------------------------------------------------------


def big_roster(size, instructor):
    cohort = CohortFactory(partner=instructor.partner, instructors=[instructor])
    session = SessionFactory(cohort=cohort, date=MONDAY)
    learners = Learner.objects.bulk_create(
        [Learner(partner=cohort.partner, full_name=f"Learner {n:03}") for n in range(size)]
    )
    enrollments = Enrollment.objects.bulk_create(
        [Enrollment(cohort=cohort, learner=learner, status=Enrollment.Status.ACTIVE) for learner in learners]
    )
    return session, enrollments


def whole_roster(enrollments, status="present", expected=""):
    return roster_post(*[row_data(e, status, expected=expected) for e in enrollments])


@pytest.mark.parametrize("size", [10, 40, 200])
def test_saving_a_roster_takes_a_constant_number_of_queries(client, clock, size, django_assert_max_num_queries):
    instructor = InstructorFactory()
    session, enrollments = big_roster(size, instructor)
    ContentType.objects.get_for_model(Session)  # cached per process after a worker's first save
    client.force_login(instructor)

    # The service alone (the same bound for 10, 40 and 200 learners): savepoint, lock the session,
    # the roster with its marks, the upsert (SQLite batches 200 rows in 3 inserts), the audit entry
    # (Wagtail checks its content type and user exist first), release.
    with django_assert_max_num_queries(10):
        record_attendance(
            session=session, marks=[Mark(e.pk, "absent", expected="") for e in enrollments], recorded_by=instructor
        )

    # The whole request: 13 queries on PostgreSQL for any size; on SQLite 13, and 15 for 200 learners.
    #   1 the browser's session   2 its user                       (authentication)
    #   3 the session and cohort  4 is this user its instructor    (can_take_attendance)
    #   5 the roster with this session's marks (builds the form)
    #   6-13 record_attendance: savepoint, lock the session, roster and marks, upsert (+2 batches on
    #        SQLite for 200), audit entry's content type and user checks, audit insert, release
    #   The success message goes in a cookie, and the redirect draws no page: no more queries.
    with django_assert_max_num_queries(15):
        response = client.post(roster_url(session), whole_roster(enrollments, "present", expected="absent"))
    assert response.status_code == 302
    assert Attendance.objects.filter(session=session, status="present").count() == size


@pytest.mark.parametrize("size", [10, 200])
def test_the_roster_page_takes_a_constant_number_of_queries(client, clock, size, django_assert_max_num_queries):
    instructor = InstructorFactory()
    session, enrollments = big_roster(size, instructor)
    record_attendance(session=session, marks=[Mark(e.pk, "present") for e in enrollments[::2]], recorded_by=instructor)
    client.force_login(instructor)
    client.get(roster_url(session))  # the site's branding settings are created on the first page drawn

    # 12 for 10 and for 200 learners:
    #   1-2 sign-in (session, user)   3 session and cohort   4 is this user its instructor
    #   5 the roster with its marks   6-7 absence streaks (recent sessions, their marks)
    #   8-12 the page shell (base.html): Wagtail site, branding settings, the user bar's two
    #        permission lookups, the language switcher's locale
    #   13 notes other apps add (cohorts.extensions): the bonus rules of the month, here none
    #   14 whether the instructor's organization asks for a second factor (people.two_factor)
    with django_assert_max_num_queries(14):
        response = client.get(roster_url(session))
    assert response.content.decode().count('<li id="row-') == size


@pytest.mark.parametrize("cohorts", [1, 8])
def test_today_takes_a_constant_number_of_queries(client, clock, cohorts, django_assert_max_num_queries):
    manager = UserFactory(role=Role.PROGRAM_MANAGER)
    for _ in range(cohorts):
        session, enrollments = big_roster(5, InstructorFactory())
        earlier = SessionFactory(cohort=session.cohort, date=MONDAY - datetime.timedelta(days=7))
        record_attendance(session=earlier, marks=[Mark(e.pk, "absent") for e in enrollments], recorded_by=manager)
    client.force_login(manager)
    client.get("/teach/")  # the site's branding settings are created on the first page drawn

    # 9 for one cohort or eight:
    #   1-2 sign-in   3 the sessions with their cohorts and counts   4 the marks that decide who is at risk
    #   5-9 the page shell (Wagtail site, branding settings, user bar permissions x2, locale)
    #   10 the second-factor device this session was verified with (django-otp)
    with django_assert_max_num_queries(10):
        response = client.get("/teach/")
    assert page_text(response).count("Take attendance") == cohorts


def test_time_to_save_a_forty_learner_roster(client, clock):
    instructor = InstructorFactory()
    session, enrollments = big_roster(40, instructor)
    client.force_login(instructor)
    client.get(roster_url(session))  # warm up templates and caches, as a running server would be

    timings = []
    for status in ["present", "absent", "present"]:
        started = time.perf_counter()
        response = client.post(roster_url(session), whole_roster(enrollments, status, expected=""))
        timings.append(time.perf_counter() - started)
        assert response.status_code == 302
        Attendance.objects.filter(session=session).delete()  # so each save writes all 40 again

    print(f"\nPOST of a 40-learner roster: {', '.join(f'{t * 1000:.1f} ms' for t in timings)}")
    assert min(timings) < 1.0
