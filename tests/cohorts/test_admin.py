"""The cohort admin in Wagtail: who may open each view, what a partner's staff see and may pick,
and that writes with rules behind them (enrollment, cancelling, generating sessions) follow them."""

import datetime
import re

import pytest
from django.contrib.messages import get_messages
from wagtail.models import ModelLogEntry

from cohorts.models import Attendance, Cohort, Enrollment, Holiday, MeetingTime, Session
from people.models import Role
from people.services import assign_role
from tests.builders import TwoPartners, assert_turned_away_to_login, page_text, signed_in, staff
from tests.factories_cohorts import (
    AttendanceFactory,
    CohortFactory,
    EnrollmentFactory,
    LearnerFactory,
    MeetingTimeFactory,
    SessionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2026, 9, 7)
ROLES = [
    "anonymous",
    "learner",
    "instructor",  # teaches the cohort
    "other_instructor",  # teaches another cohort of the same partner
    "partner_staff",
    "other_partner_staff",
    "manager",
]


class World(TwoPartners):
    """Northside (partner A) with a busy cohort, an empty planned one, a session, an enrollment and a
    holiday each; Unidos (partner B) with the same; a holiday every partner observes; one user per role."""

    def __init__(self):
        super().__init__()
        self.cohort = CohortFactory(
            partner=self.partner,
            name="Northside Evening English",
            instructors=[self.instructor],
            start_date=MONDAY,
            end_date=MONDAY + datetime.timedelta(days=25),  # four Mondays: 7, 14, 21, 28 September
            capacity=2,
        )
        MeetingTimeFactory(cohort=self.cohort, weekday=MeetingTime.Weekday.MONDAY)
        self.planned = CohortFactory(partner=self.partner, name="Northside Spring Welders", status="planned")
        CohortFactory(partner=self.partner, name="Northside Computer Basics", instructors=[self.other_instructor])
        self.other_cohort = CohortFactory(partner=self.other_partner, name="Unidos Citizenship Morning")
        self.other_planned = CohortFactory(partner=self.other_partner, name="Unidos Driving Theory", status="planned")
        self.learner = LearnerFactory(partner=self.partner, full_name="فاطمة الزهراء أحمد", preferred_name="Fatima")
        self.learner.user = assign_role(user=UserFactory(username="fatima"), role=Role.LEARNER)
        self.learner.save()
        self.other_learner = LearnerFactory(partner=self.other_partner, full_name="María José Pérez")
        self.enrollment = EnrollmentFactory(cohort=self.cohort, learner=self.learner)
        self.other_enrollment = EnrollmentFactory(cohort=self.other_cohort, learner=self.other_learner)
        self.session = SessionFactory(cohort=self.cohort, date=datetime.date(2026, 9, 9), topic="Extra practice")
        self.other_session = SessionFactory(cohort=self.other_cohort, date=datetime.date(2026, 9, 8), topic="Civics")
        self.holiday = Holiday.objects.create(
            date=MONDAY + datetime.timedelta(days=7), name="Festival", partner=self.partner
        )
        self.other_holiday = Holiday.objects.create(date=MONDAY, name="Unidos retreat", partner=self.other_partner)
        self.everyone_holiday = Holiday.objects.create(date=datetime.date(2026, 11, 26), name="Thanksgiving")


@pytest.fixture
def world():
    return World()


# --- who may open what ----------------------------------------------------------------------------------

# Every admin URL, pointing at partner A's objects: partner A's staff may open it, partner B's may not.
OBJECT_URLS = {
    "cohort edit": lambda w: f"/admin/cohorts/edit/{w.cohort.pk}/",
    "cohort delete": lambda w: f"/admin/cohorts/delete/{w.planned.pk}/",
    "cohort history": lambda w: f"/admin/cohorts/history/{w.cohort.pk}/",
    "generate sessions": lambda w: f"/admin/cohorts/generate-sessions/{w.cohort.pk}/",
    "session edit": lambda w: f"/admin/sessions/edit/{w.session.pk}/",
    "session delete": lambda w: f"/admin/sessions/delete/{w.session.pk}/",
    "enrollment edit": lambda w: f"/admin/enrollments/edit/{w.enrollment.pk}/",
    "enrollment delete": lambda w: f"/admin/enrollments/delete/{w.enrollment.pk}/",
    "holiday edit": lambda w: f"/admin/holidays/edit/{w.holiday.pk}/",
    "holiday delete": lambda w: f"/admin/holidays/delete/{w.holiday.pk}/",
}
LIST_URLS = {
    "cohort index": "/admin/cohorts/",
    "cohort add": "/admin/cohorts/new/",
    "session index": "/admin/sessions/",
    "session add": "/admin/sessions/new/",
    "enrollment index": "/admin/enrollments/",
    "enrollment add": "/admin/enrollments/new/",
    "holiday index": "/admin/holidays/",
    "holiday add": "/admin/holidays/new/",
}
NO_ADMIN = {"anonymous", "learner", "instructor", "other_instructor"}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("view", OBJECT_URLS)
def test_object_views_open_only_for_the_partners_staff_and_managers(client, world, view, role):
    response = signed_in(client, world.user(role)).get(OBJECT_URLS[view](world))

    if role in NO_ADMIN:
        assert_turned_away_to_login(response)
    elif role == "other_partner_staff":
        assert response.status_code == 404
    else:
        assert response.status_code == 200


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("view", LIST_URLS)
def test_listings_and_add_forms_open_for_staff_and_managers_only(client, world, view, role):
    response = signed_in(client, world.user(role)).get(LIST_URLS[view])

    if role in NO_ADMIN:
        assert_turned_away_to_login(response)
    else:
        assert response.status_code == 200


@pytest.mark.parametrize("role", ["anonymous", "learner", "instructor", "other_instructor", "other_partner_staff"])
def test_generating_sessions_is_refused_to_everyone_but_the_partners_staff_and_managers(client, world, role):
    response = signed_in(client, world.user(role)).post(
        f"/admin/cohorts/generate-sessions/{world.cohort.pk}/", {"fingerprint": "anything"}
    )

    assert response.status_code in (302, 404)
    if role != "other_partner_staff":
        assert_turned_away_to_login(response)
    assert world.cohort.sessions.count() == 1  # only the extra session it had


@pytest.mark.parametrize(
    "url, data",
    [
        ("/admin/cohorts/edit/{cohort}/", {"name": "Taken over"}),
        ("/admin/sessions/edit/{session}/", {"topic": "Taken over"}),
        ("/admin/enrollments/edit/{enrollment}/", {"status": "withdrawn", "withdrawal_reason": "Taken over"}),
        ("/admin/holidays/edit/{holiday}/", {"name": "Taken over"}),
        ("/admin/enrollments/delete/{enrollment}/", {}),
        ("/admin/holidays/delete/{holiday}/", {}),
    ],
)
def test_another_partners_staff_cannot_change_or_delete_by_posting(client, world, url, data):
    ids = {"cohort": world.cohort.pk, "session": world.session.pk, "enrollment": world.enrollment.pk}
    ids["holiday"] = world.holiday.pk

    response = signed_in(client, world.other_partner_staff).post(url.format(**ids), data)

    assert response.status_code == 404
    assert Cohort.objects.get(pk=world.cohort.pk).name == "Northside Evening English"
    assert Session.objects.get(pk=world.session.pk).topic == "Extra practice"
    assert Enrollment.objects.get(pk=world.enrollment.pk).status == Enrollment.Status.ACTIVE
    assert Holiday.objects.get(pk=world.holiday.pk).name == "Festival"


def test_instructors_and_learners_are_refused_the_whole_admin(client, world):
    for user in (world.instructor, world.learner.user):
        response = signed_in(client, user).get("/admin/", follow=True)
        assert "You do not have permission to access the admin." in page_text(response)


# --- what a partner's staff see ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url, ours, theirs",
    [
        ("/admin/cohorts/", ["Northside Evening English", "Northside Spring Welders"], ["Unidos Citizenship Morning"]),
        ("/admin/sessions/", ["Extra practice"], ["Civics"]),
        ("/admin/enrollments/", ["فاطمة الزهراء أحمد"], ["María José Pérez"]),
        ("/admin/holidays/", ["Festival"], ["Unidos retreat", "Thanksgiving"]),
    ],
)
def test_partner_staff_listings_show_only_their_partners_rows(client, world, url, ours, theirs):
    text = page_text(signed_in(client, world.partner_staff).get(url))

    for name in ours:
        assert name in text
    for name in theirs:
        assert name not in text


@pytest.mark.parametrize(
    "url, names",
    [
        ("/admin/cohorts/", ["Northside Evening English", "Unidos Citizenship Morning"]),
        ("/admin/enrollments/", ["فاطمة الزهراء أحمد", "María José Pérez"]),
        ("/admin/holidays/", ["Festival", "Unidos retreat", "Thanksgiving"]),
    ],
)
def test_managers_listings_show_every_partner(client, world, url, names):
    text = page_text(signed_in(client, world.manager).get(url))

    for name in names:
        assert name in text


def test_a_forged_filter_for_another_partners_cohort_shows_nothing_of_it(client, world):
    text = page_text(signed_in(client, world.partner_staff).get(f"/admin/enrollments/?cohort={world.other_cohort.pk}"))

    assert "María José Pérez" not in text


@pytest.mark.parametrize("more_cohorts", [0, 30])
def test_cohort_listing_shows_seats_taken_and_the_waitlist_in_constant_queries(
    client, world, more_cohorts, django_assert_max_num_queries
):
    for _number in range(2):
        EnrollmentFactory(cohort=world.cohort, status=Enrollment.Status.WAITLISTED)
    for number in range(more_cohorts):
        CohortFactory(partner=world.partner, name=f"Northside extra {number}")
    signed_in(client, world.manager)

    # 17 whatever the number of cohorts: session, user, their two permission sets and admin profile (5);
    # the filters' choices: partners twice, terms, default locale, courses (5); the row count and the page
    # of cohorts with partner, course, seats and waitlist in one query (2); locales, the sidebar's page
    # and collection permissions and explorable root (4); the partner count that hides the partner column (1);
    # the second-factor device this session was verified with (1, django-otp).
    with django_assert_max_num_queries(18):
        response = client.get("/admin/cohorts/?ordering=name")

    row = re.search(r"Northside Evening English.*?</tr>", page_text(response)).group(0)
    assert "1 / 2" in row  # one active learner, two seats
    assert re.search(r">\s*2\s*<", row)  # two waiting


def test_partner_staff_filter_the_cohort_listing_by_course_status_and_term(client, world):
    Cohort.objects.filter(pk=world.cohort.pk).update(term="Fall 2026")
    signed_in(client, world.partner_staff)

    by_term = page_text(client.get("/admin/cohorts/?term=Fall+2026"))
    by_status = page_text(client.get("/admin/cohorts/?status=planned"))
    by_course = page_text(client.get(f"/admin/cohorts/?course={world.cohort.course_id}"))

    assert "Northside Evening English" in by_term and "Northside Spring Welders" not in by_term
    assert "Northside Spring Welders" in by_status and "Northside Evening English" not in by_status
    assert "Northside Evening English" in by_course


def test_sessions_filter_by_cohort_and_date_range(client, world):
    SessionFactory(cohort=world.cohort, date=datetime.date(2026, 9, 21), topic="Later class")
    signed_in(client, world.partner_staff)

    text = page_text(client.get(f"/admin/sessions/?cohort={world.cohort.pk}&date_from=2026-09-15&date_to=2026-09-30"))

    assert "Later class" in text
    assert "Extra practice" not in text


def test_the_waitlist_is_listed_in_the_order_seats_are_offered(client, world):
    first = EnrollmentFactory(cohort=world.cohort, status="waitlisted", learner__full_name="Zainab (waiting first)")
    second = EnrollmentFactory(cohort=world.cohort, status="waitlisted", learner__full_name="Aziz (waiting second)")
    Enrollment.objects.filter(pk=first.pk).update(waitlisted_at=datetime.datetime(2026, 9, 1, tzinfo=datetime.UTC))
    Enrollment.objects.filter(pk=second.pk).update(waitlisted_at=datetime.datetime(2026, 9, 2, tzinfo=datetime.UTC))

    text = page_text(signed_in(client, world.partner_staff).get("/admin/enrollments/?status=waitlisted"))

    assert text.index("Zainab (waiting first)") < text.index("Aziz (waiting second)")


# --- what a partner's staff may pick ----------------------------------------------------------------------


def form_choices(response, field):
    return {str(choice) for choice in response.context["form"].fields[field].queryset}


def test_cohort_form_offers_partner_staff_only_their_partner_and_its_instructors(client, world):
    staff_of_b = staff(Role.INSTRUCTOR, world.other_partner, "unidos.teacher")
    response = signed_in(client, world.partner_staff).get("/admin/cohorts/new/")

    assert form_choices(response, "partner") == {"Northside Refugee Center"}
    instructors = {user.username for user in response.context["form"].fields["instructors"].queryset}
    assert instructors == {"amina.teacher", "kevin.teacher"}
    assert staff_of_b.username not in instructors


def test_manager_may_pick_any_partner(client, world):
    response = signed_in(client, world.manager).get("/admin/cohorts/new/")

    assert form_choices(response, "partner") == {"Northside Refugee Center", "Unidos Community Services"}


def test_enrollment_form_offers_only_the_partners_learners_and_open_cohorts(client, world):
    response = signed_in(client, world.partner_staff).get("/admin/enrollments/new/")

    assert form_choices(response, "learner") == {"فاطمة الزهراء أحمد"}
    cohorts = {cohort.name for cohort in response.context["form"].fields["cohort"].queryset}
    assert "Northside Evening English" in cohorts
    assert not cohorts & {"Unidos Citizenship Morning", "Unidos Driving Theory"}


def test_session_and_holiday_forms_offer_only_the_partners_cohorts_and_partner(client, world):
    signed_in(client, world.partner_staff)

    sessions = client.get("/admin/sessions/new/")
    holidays = client.get("/admin/holidays/new/")

    assert {cohort.name for cohort in sessions.context["form"].fields["cohort"].queryset} == {
        "Northside Evening English",
        "Northside Spring Welders",
        "Northside Computer Basics",
    }
    assert form_choices(holidays, "partner") == {"Northside Refugee Center"}


def cohort_form_data(cohort, **changes):
    data = {
        "name": cohort.name,
        "course": cohort.course_id,
        "partner": cohort.partner_id,
        "term": cohort.term,
        "status": cohort.status,
        "start_date": cohort.start_date.isoformat(),
        "end_date": cohort.end_date.isoformat(),
        "time_zone": cohort.time_zone,
        "delivery": cohort.delivery,
        "location": cohort.location,
        "meeting_link": cohort.meeting_link,
        "instructors": [user.pk for user in cohort.instructors.all()],
        "capacity": cohort.capacity,
        "when_seat_frees": cohort.when_seat_frees,
        "offer_hours": cohort.offer_hours,
        "at_risk_after_absences": cohort.at_risk_after_absences,
    }
    meetings = list(cohort.meeting_times.all())
    data.update(
        {
            "meeting_times-TOTAL_FORMS": len(meetings),
            "meeting_times-INITIAL_FORMS": len(meetings),
            "meeting_times-MIN_NUM_FORMS": 0,
            "meeting_times-MAX_NUM_FORMS": 1000,
        }
    )
    for index, meeting in enumerate(meetings):
        data.update(
            {
                f"meeting_times-{index}-id": meeting.pk,
                f"meeting_times-{index}-weekday": meeting.weekday,
                f"meeting_times-{index}-start_time": meeting.start_time.strftime("%H:%M"),
                f"meeting_times-{index}-end_time": meeting.end_time.strftime("%H:%M"),
                f"meeting_times-{index}-DELETE": "",
            }
        )
    data.update(changes)
    return data


def test_partner_staff_cannot_move_a_cohort_to_another_partner_by_forging_the_form(client, world):
    data = cohort_form_data(world.cohort, partner=world.other_partner.pk)

    response = signed_in(client, world.partner_staff).post(f"/admin/cohorts/edit/{world.cohort.pk}/", data)

    assert response.status_code == 200
    assert "Select a valid choice" in page_text(response)
    assert Cohort.objects.get(pk=world.cohort.pk).partner == world.partner


def test_an_instructor_of_another_partner_is_refused_with_a_message(client, world):
    outsider = staff(Role.INSTRUCTOR, world.other_partner, "unidos.teacher")
    data = cohort_form_data(world.cohort, partner=world.partner.pk, instructors=[world.instructor.pk, outsider.pk])

    response = signed_in(client, world.manager).post(f"/admin/cohorts/edit/{world.cohort.pk}/", data)

    assert response.status_code == 200
    assert response.context["form"].errors["instructors"] == [
        "unidos.teacher teaches at another partner organization, not Northside Refugee Center."
    ]
    assert list(world.cohort.instructors.all()) == [world.instructor]


def test_editing_a_cohort_offers_only_its_partners_instructors(client, world):
    staff(Role.INSTRUCTOR, world.other_partner, "unidos.teacher")

    response = signed_in(client, world.manager).get(f"/admin/cohorts/edit/{world.cohort.pk}/")

    offered = {user.username for user in response.context["form"].fields["instructors"].queryset}
    assert "unidos.teacher" not in offered and world.instructor.username in offered


def test_staff_create_a_cohort_with_its_weekly_meeting_times(client, world):
    data = cohort_form_data(world.planned, name="Northside Morning English", status="planned")
    data.update(
        {
            "meeting_times-TOTAL_FORMS": 2,
            "meeting_times-INITIAL_FORMS": 0,
            "meeting_times-0-weekday": 1,
            "meeting_times-0-start_time": "10:00",
            "meeting_times-0-end_time": "12:00",
            "meeting_times-1-weekday": 3,
            "meeting_times-1-start_time": "10:00",
            "meeting_times-1-end_time": "12:00",
        }
    )

    response = signed_in(client, world.partner_staff).post("/admin/cohorts/new/", data)

    assert response.status_code == 302
    cohort = Cohort.objects.get(name="Northside Morning English")
    assert cohort.partner == world.partner
    assert [str(meeting) for meeting in cohort.meeting_times.all()] == ["Tuesday 10:00–12:00", "Thursday 10:00–12:00"]


def test_a_meeting_time_that_ends_before_it_starts_is_a_form_error(client, world):
    data = cohort_form_data(world.cohort, **{"meeting_times-0-end_time": "17:00"})

    response = signed_in(client, world.partner_staff).post(f"/admin/cohorts/edit/{world.cohort.pk}/", data)

    assert response.status_code == 200
    assert "A class must end after it starts." in page_text(response)
    assert world.cohort.meeting_times.get().end_time == datetime.time(20, 0)


def test_no_seats_is_an_error_on_the_seats_field(client, world):
    data = cohort_form_data(world.cohort, capacity=0)

    response = signed_in(client, world.partner_staff).post(f"/admin/cohorts/edit/{world.cohort.pk}/", data)

    assert response.status_code == 200
    assert response.context["form"].errors["capacity"] == ["A cohort needs at least one seat."]
    assert "Constraint “cohort_has_seats”" not in page_text(response)
    assert Cohort.objects.get(pk=world.cohort.pk).capacity == 2


def test_raising_capacity_gives_the_freed_seats_to_the_waitlist(client, world):
    EnrollmentFactory(cohort=world.cohort)  # now full: 2 of 2
    waiting = EnrollmentFactory(cohort=world.cohort, status=Enrollment.Status.WAITLISTED)
    data = cohort_form_data(world.cohort, capacity=3)

    response = signed_in(client, world.partner_staff).post(f"/admin/cohorts/edit/{world.cohort.pk}/", data)

    assert response.status_code == 302
    assert Enrollment.objects.get(pk=waiting.pk).status == Enrollment.Status.ACTIVE


# --- enrollment through the waitlist rules ------------------------------------------------------------------


def test_enrolling_in_a_cohort_with_a_seat_gives_the_learner_the_seat(client, world):
    newcomer = LearnerFactory(partner=world.partner, full_name="Olga Petrenko")

    response = signed_in(client, world.partner_staff).post(
        "/admin/enrollments/new/", {"learner": newcomer.pk, "cohort": world.cohort.pk}, follow=True
    )

    assert Enrollment.objects.get(learner=newcomer).status == Enrollment.Status.ACTIVE
    assert "Olga Petrenko has a seat" in page_text(response)
    assert ModelLogEntry.objects.filter(action="cohorts.enrollment.status", user=world.partner_staff).exists()


def test_enrolling_in_a_full_cohort_puts_the_learner_on_the_waitlist(client, world):
    EnrollmentFactory(cohort=world.cohort)  # now full
    newcomer = LearnerFactory(partner=world.partner, full_name="Olga Petrenko")

    response = signed_in(client, world.partner_staff).post(
        "/admin/enrollments/new/", {"learner": newcomer.pk, "cohort": world.cohort.pk}, follow=True
    )

    assert Enrollment.objects.get(learner=newcomer).status == Enrollment.Status.WAITLISTED
    assert "is full: Olga Petrenko is on the waitlist" in page_text(response)


def test_enrolling_someone_already_in_the_cohort_is_a_form_error_not_a_duplicate(client, world):
    response = signed_in(client, world.partner_staff).post(
        "/admin/enrollments/new/", {"learner": world.learner.pk, "cohort": world.cohort.pk}
    )

    assert response.status_code == 200
    assert "is already in this cohort" in page_text(response)
    assert Enrollment.objects.filter(learner=world.learner).count() == 1


def test_enrolling_another_partners_learner_is_refused(client, world):
    response = signed_in(client, world.manager).post(
        "/admin/enrollments/new/", {"learner": world.other_learner.pk, "cohort": world.cohort.pk}
    )

    assert response.status_code == 200
    assert "belongs to another partner organization" in page_text(response)
    assert not Enrollment.objects.filter(learner=world.other_learner, cohort=world.cohort).exists()


def enrollment_form(enrollment, **changes):
    return {"status": enrollment.status, "withdrawal_reason": enrollment.withdrawal_reason, **changes}


def test_the_status_choices_are_the_changes_the_rules_allow(client, world):
    waiting = EnrollmentFactory(cohort=world.cohort, status=Enrollment.Status.WAITLISTED)

    response = signed_in(client, world.partner_staff).get(f"/admin/enrollments/edit/{waiting.pk}/")

    choices = [value for value, _label in response.context["form"].fields["status"].choices]
    assert choices == ["waitlisted", "active", "withdrawn"]


def test_admitting_from_the_waitlist_into_a_full_cohort_is_refused_and_nothing_changes(client, world):
    EnrollmentFactory(cohort=world.cohort)  # now full
    waiting = EnrollmentFactory(cohort=world.cohort, status=Enrollment.Status.WAITLISTED)

    response = signed_in(client, world.partner_staff).post(
        f"/admin/enrollments/edit/{waiting.pk}/", enrollment_form(waiting, status="active")
    )

    assert response.status_code == 200
    assert "The cohort is full" in page_text(response)
    assert Enrollment.objects.get(pk=waiting.pk).status == Enrollment.Status.WAITLISTED


def test_withdrawing_needs_a_reason(client, world):
    response = signed_in(client, world.partner_staff).post(
        f"/admin/enrollments/edit/{world.enrollment.pk}/", enrollment_form(world.enrollment, status="withdrawn")
    )

    assert response.status_code == 200
    assert "Give a reason for withdrawing." in page_text(response)
    assert Enrollment.objects.get(pk=world.enrollment.pk).status == Enrollment.Status.ACTIVE


def test_withdrawing_frees_the_seat_for_the_first_on_the_waitlist(client, world):
    EnrollmentFactory(cohort=world.cohort)  # now full
    waiting = EnrollmentFactory(
        cohort=world.cohort,
        status=Enrollment.Status.WAITLISTED,
        waitlisted_at=datetime.datetime(2026, 9, 1, tzinfo=datetime.UTC),
    )

    response = signed_in(client, world.partner_staff).post(
        f"/admin/enrollments/edit/{world.enrollment.pk}/",
        enrollment_form(world.enrollment, status="withdrawn", withdrawal_reason="Found a job"),
    )

    assert response.status_code == 302
    withdrawn = Enrollment.objects.get(pk=world.enrollment.pk)
    assert (withdrawn.status, withdrawn.withdrawal_reason) == (Enrollment.Status.WITHDRAWN, "Found a job")
    assert Enrollment.objects.get(pk=waiting.pk).status == Enrollment.Status.ACTIVE


def test_completing_an_active_learner(client, world):
    response = signed_in(client, world.manager).post(
        f"/admin/enrollments/edit/{world.enrollment.pk}/", enrollment_form(world.enrollment, status="completed")
    )

    assert response.status_code == 302
    assert Enrollment.objects.get(pk=world.enrollment.pk).status == Enrollment.Status.COMPLETED


def test_an_enrollment_with_attendance_is_not_deleted(client, world):
    AttendanceFactory(session=world.session, enrollment=world.enrollment)

    response = signed_in(client, world.partner_staff).post(f"/admin/enrollments/delete/{world.enrollment.pk}/")

    assert response.status_code == 302
    assert Enrollment.objects.filter(pk=world.enrollment.pk).exists()
    assert "Change its status to Withdrawn instead" in str(list(get_messages(response.wsgi_request))[0])


def test_deleting_an_enrollment_made_by_mistake_gives_its_seat_to_the_waitlist(client, world):
    EnrollmentFactory(cohort=world.cohort)  # now full
    waiting = EnrollmentFactory(cohort=world.cohort, status=Enrollment.Status.WAITLISTED)

    response = signed_in(client, world.partner_staff).post(f"/admin/enrollments/delete/{world.enrollment.pk}/")

    assert response.status_code == 302
    assert not Enrollment.objects.filter(pk=world.enrollment.pk).exists()
    assert Enrollment.objects.get(pk=waiting.pk).status == Enrollment.Status.ACTIVE


# --- sessions -----------------------------------------------------------------------------------------------


def session_form(session, **changes):
    return {
        "date": session.date.isoformat(),
        "start_time": session.start_time.strftime("%H:%M"),
        "end_time": session.end_time.strftime("%H:%M"),
        "topic": session.topic,
        "status": session.status,
        "cancellation_reason": session.cancellation_reason,
        **changes,
    }


def test_cancelling_a_session_needs_a_reason(client, world):
    response = signed_in(client, world.partner_staff).post(
        f"/admin/sessions/edit/{world.session.pk}/", session_form(world.session, status="cancelled")
    )

    assert response.status_code == 200
    assert "Say why the session was cancelled" in page_text(response)
    assert Session.objects.get(pk=world.session.pk).status == Session.Status.SCHEDULED


def test_cancelling_with_a_reason_goes_through_the_service_and_is_audited(client, world):
    response = signed_in(client, world.partner_staff).post(
        f"/admin/sessions/edit/{world.session.pk}/",
        session_form(world.session, status="cancelled", cancellation_reason="Snow day"),
    )

    assert response.status_code == 302
    session = Session.objects.get(pk=world.session.pk)
    assert (session.status, session.cancellation_reason) == (Session.Status.CANCELLED, "Snow day")
    entry = ModelLogEntry.objects.get(action="cohorts.session.cancel")
    assert (entry.user, entry.data["reason"]) == (world.partner_staff, "Snow day")


def test_moving_a_session_is_audited_with_before_and_after(client, world):
    response = signed_in(client, world.partner_staff).post(
        f"/admin/sessions/edit/{world.session.pk}/", session_form(world.session, date="2026-09-10")
    )

    assert response.status_code == 302
    assert Session.objects.get(pk=world.session.pk).date == datetime.date(2026, 9, 10)
    entry = ModelLogEntry.objects.get(action="cohorts.session.change")
    assert (entry.data["before"]["date"], entry.data["after"]["date"]) == ("2026-09-09", "2026-09-10")


def test_a_session_with_attendance_is_not_deleted(client, world):
    AttendanceFactory(session=world.session, enrollment=world.enrollment)

    response = signed_in(client, world.partner_staff).post(f"/admin/sessions/delete/{world.session.pk}/")

    assert response.status_code == 302
    assert Session.objects.filter(pk=world.session.pk).exists()
    assert Attendance.objects.filter(session=world.session).count() == 1


def test_a_cohort_with_enrollments_is_not_deleted(client, world):
    response = signed_in(client, world.manager).post(f"/admin/cohorts/delete/{world.cohort.pk}/")

    assert response.status_code == 302
    assert Cohort.objects.filter(pk=world.cohort.pk).exists()


def test_an_empty_planned_cohort_is_deleted(client, world):
    response = signed_in(client, world.partner_staff).post(f"/admin/cohorts/delete/{world.planned.pk}/")

    assert response.status_code == 302
    assert not Cohort.objects.filter(pk=world.planned.pk).exists()


# --- generate sessions ----------------------------------------------------------------------------------------


@pytest.fixture
def off_pattern(world):
    """Two Wednesday sessions the Monday-only pattern no longer has: one with attendance, one without."""
    kept = SessionFactory(
        cohort=world.cohort,
        date=datetime.date(2026, 9, 16),
        planned_date=datetime.date(2026, 9, 16),
        planned_start_time=datetime.time(18, 0),
    )
    AttendanceFactory(session=kept, enrollment=world.enrollment)
    doomed = SessionFactory(
        cohort=world.cohort,
        date=datetime.date(2026, 9, 23),
        planned_date=datetime.date(2026, 9, 23),
        planned_start_time=datetime.time(18, 0),
    )
    return kept, doomed


def section(text, heading):
    """The part of the preview from `heading` to the next heading."""
    start = text.index(heading)
    end = text.find("<h2", start)
    return text[start : end if end != -1 else len(text)]


def test_preview_lists_the_sessions_to_create_delete_and_keep_and_the_holiday(client, world, off_pattern):
    response = signed_in(client, world.partner_staff).get(f"/admin/cohorts/generate-sessions/{world.cohort.pk}/")

    text = page_text(response)
    to_create = section(text, "3 sessions to create")
    assert [day for day in ("7 Sep 2026", "21 Sep 2026", "28 Sep 2026") if day in to_create] == [
        "7 Sep 2026",
        "21 Sep 2026",
        "28 Sep 2026",
    ]
    assert "14 Sep 2026" not in to_create
    assert "23 Sep 2026" in section(text, "1 session to delete")
    assert "16 Sep 2026" in section(text, "1 session kept because attendance was recorded")
    assert "Festival" in section(text, "1 class day skipped for a holiday")
    assert world.cohort.sessions.count() == 3  # a preview changes nothing


def test_confirm_creates_the_sessions_and_never_deletes_one_with_attendance(client, world, off_pattern):
    kept, doomed = off_pattern
    signed_in(client, world.partner_staff)
    preview = client.get(f"/admin/cohorts/generate-sessions/{world.cohort.pk}/")

    response = client.post(
        f"/admin/cohorts/generate-sessions/{world.cohort.pk}/", {"fingerprint": preview.context["fingerprint"]}
    )

    assert response.status_code == 302
    assert response.url == f"/admin/sessions/?cohort={world.cohort.pk}"
    dates = sorted(world.cohort.sessions.values_list("date", flat=True))
    assert dates == [
        datetime.date(2026, 9, 7),
        datetime.date(2026, 9, 9),  # the extra session someone added by hand
        datetime.date(2026, 9, 16),  # off the pattern, but it has attendance
        datetime.date(2026, 9, 21),
        datetime.date(2026, 9, 28),
    ]
    assert not Session.objects.filter(pk=doomed.pk).exists()
    assert Attendance.objects.filter(session=kept).count() == 1
    entry = ModelLogEntry.objects.get(action="cohorts.schedule.generate")
    assert (entry.user, entry.data) == (world.partner_staff, {"created": 3, "deleted": 1})


def test_a_preview_that_no_longer_matches_is_shown_again_instead_of_applied(client, world):
    signed_in(client, world.partner_staff)
    preview = client.get(f"/admin/cohorts/generate-sessions/{world.cohort.pk}/")
    MeetingTimeFactory(cohort=world.cohort, weekday=MeetingTime.Weekday.WEDNESDAY)  # someone edits the pattern

    response = client.post(
        f"/admin/cohorts/generate-sessions/{world.cohort.pk}/", {"fingerprint": preview.context["fingerprint"]}
    )

    assert response.status_code == 200
    assert "The schedule changed since this preview was drawn" in page_text(response)
    assert "7 sessions to create" in page_text(response)
    assert world.cohort.sessions.count() == 1


def test_preview_marks_days_already_past(client, world, monkeypatch):
    monkeypatch.setattr(Cohort, "local_today", lambda cohort: datetime.date(2026, 9, 22))

    text = page_text(signed_in(client, world.partner_staff).get(f"/admin/cohorts/generate-sessions/{world.cohort.pk}/"))

    assert "2 of these days are already past" in text


# --- the audit trail stays within the partner ---------------------------------------------------------------


def test_site_history_never_shows_another_partners_learners(client, world):
    signed_in(client, world.manager).post(
        f"/admin/enrollments/edit/{world.enrollment.pk}/", enrollment_form(world.enrollment, status="completed")
    )
    assert "فاطمة الزهراء أحمد" in page_text(client.get("/admin/reports/site-history/"))

    text = page_text(signed_in(client, world.other_partner_staff).get("/admin/reports/site-history/"))

    assert "فاطمة الزهراء أحمد" not in text


def test_another_cohorts_meeting_time_id_in_the_form_is_a_form_error_not_a_server_error(client, world):
    """Issue 16, finding 8: a tampered meeting-time id used to end in an IntegrityError (a 500)."""
    foreign = MeetingTimeFactory(cohort=world.other_cohort, weekday=MeetingTime.Weekday.MONDAY)
    data = cohort_form_data(world.cohort, **{"meeting_times-0-id": foreign.pk})

    response = signed_in(client, world.manager).post(f"/admin/cohorts/edit/{world.cohort.pk}/", data)

    assert response.status_code == 200
    assert "could not be saved" in page_text(response)
    assert world.cohort.meeting_times.count() == 1
    foreign.refresh_from_db()
    assert foreign.cohort == world.other_cohort
    assert [str(meeting) for meeting in world.other_cohort.meeting_times.all()] == [str(foreign)]


def test_another_partners_signatory_id_in_the_partner_form_is_a_form_error(client, world):
    """The other inline formset in the admin (a partner's signatories) had the same flaw."""
    from people.models import PartnerSignatory

    theirs = PartnerSignatory.objects.create(partner=world.other_partner, name="Rosa Díaz", role="Director")
    data = {
        "name": world.partner.name,
        "slug": world.partner.slug,
        "region": world.partner.region,
        "signatories-TOTAL_FORMS": 1,
        "signatories-INITIAL_FORMS": 1,
        "signatories-MIN_NUM_FORMS": 0,
        "signatories-MAX_NUM_FORMS": 3,
        "signatories-0-id": theirs.pk,
        "signatories-0-name": "Forged Name",
        "signatories-0-role": "Forged",
        "signatories-0-ORDER": 1,
    }

    response = signed_in(client, world.manager).post(f"/admin/partners/edit/{world.partner.pk}/", data)

    assert response.status_code == 200
    theirs.refresh_from_db()
    assert (theirs.partner, theirs.name) == (world.other_partner, "Rosa Díaz")
    assert not world.partner.signatories.exists()


# --- learners: found by the admin's search, shown with their enrollments ---------------------------------------


def test_the_admin_search_leads_to_matching_learners_scoped_to_the_partner(client, world):
    search = signed_in(client, world.manager).get("/admin/pages/search/", {"q": "María"})
    signed_in(client, world.partner_staff)  # partner staff search from the learners list itself
    mine = client.get("/admin/learners/", {"q": "Fatima"})
    theirs = client.get("/admin/learners/", {"q": "María"})

    assert 'href="/admin/learners/?q=Mar%C3%ADa"' in search.content.decode()
    assert "فاطمة الزهراء أحمد" in page_text(mine)
    assert "María José Pérez" not in page_text(theirs)  # another partner's learner stays out of reach


def test_the_learner_page_lists_their_enrollments(client, world):
    response = signed_in(client, world.partner_staff).get(f"/admin/learners/edit/{world.learner.pk}/")

    text = page_text(response)
    assert f'<a href="/admin/enrollments/edit/{world.enrollment.pk}/" dir="auto">Northside Evening English</a>' in text
    assert "Unidos Citizenship Morning" not in text
