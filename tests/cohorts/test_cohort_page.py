"""The staff page of one cohort (/teach/cohorts/<pk>/): who may open it and each page of it, what it shows
(seats, roster with attendance rates and at-risk flags, the waitlist in order), and its actions: adding a
learner (known or new), admitting from the waitlist, withdrawing with a reason, marking completed."""

import datetime
import re
from dataclasses import dataclass
from html import unescape

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cohorts.models import Attendance, Cohort, Enrollment, Session
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
NOW = datetime.datetime(2026, 10, 20, 16, 0, tzinfo=UTC)  # a Tuesday, noon in New York; the cohort is running
ROLES = [
    "anonymous",
    "learner",  # enrolled in this very cohort, with a portal account
    "instructor",
    "other_instructor",  # teaches another cohort at the same partner
    "partner_staff",
    "other_partner_staff",
    "manager",
]
MAY_RUN = {"instructor", "partner_staff", "manager"}


@pytest.fixture
def clock(monkeypatch):
    return stop_clock(monkeypatch, NOW)


@dataclass
class World:
    cohort: Cohort
    other_cohort: Cohort
    instructor: object
    other_instructor: object
    partner_staff: object
    other_partner_staff: object
    manager: object
    learner_user: object
    amina: Enrollment  # active, with a portal account
    bashir: Enrollment  # active
    newcomer: Learner  # a learner of the partner, in no cohort yet

    def user(self, role):
        return None if role == "anonymous" else getattr(self, "learner_user" if role == "learner" else role)


@pytest.fixture
def world(clock):
    partner, other_partner = PartnerFactory(name="Northside"), PartnerFactory(name="Harbor")
    instructor, other_instructor = InstructorFactory(partner=partner), InstructorFactory(partner=partner)
    cohort = CohortFactory(
        partner=partner, name="English Level 1", term="Fall 2026", capacity=3, instructors=[instructor]
    )
    other_cohort = CohortFactory(partner=partner, name="Computer Basics", instructors=[other_instructor])
    learner_user = UserFactory(role=Role.LEARNER)
    amina = EnrollmentFactory(
        cohort=cohort,
        learner=LearnerFactory(partner=partner, full_name="Amina Yusuf", preferred_name="Amina", user=learner_user),
    )
    bashir = EnrollmentFactory(cohort=cohort, learner=LearnerFactory(partner=partner, full_name="Bashir Rahimi"))
    return World(
        cohort=cohort,
        other_cohort=other_cohort,
        instructor=instructor,
        other_instructor=other_instructor,
        partner_staff=UserFactory(role=Role.PARTNER_STAFF, partner=partner),
        other_partner_staff=UserFactory(role=Role.PARTNER_STAFF, partner=other_partner),
        manager=UserFactory(role=Role.PROGRAM_MANAGER),
        learner_user=learner_user,
        amina=amina,
        bashir=bashir,
        newcomer=LearnerFactory(partner=partner, full_name="Chen Wei", phone="555 010 2000"),
    )


def page_url(cohort):
    return f"/teach/cohorts/{cohort.pk}/"


def add_url(cohort):
    return f"/teach/cohorts/{cohort.pk}/add/"


def import_url(cohort):
    return f"/teach/cohorts/{cohort.pk}/import/"


def template_url(cohort):
    return f"/teach/cohorts/{cohort.pk}/import/template.csv"


def visible_text(html):
    """Markup as a person reads it: inline tags dropped, other tags and white space read as one space."""
    html = re.sub(r"</?(?:span|strong|em|bdi|a)\b[^>]*>", "", html)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def page_text(response):
    return visible_text(response.content.decode())


def texts(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def section(response, element_id):
    """The visible text of the element with this id (up to the next section)."""
    html = response.content.decode()
    start = html.index(f'id="{element_id}"')
    end = html.find("<section", start)
    return visible_text(html[start : end if end != -1 else None])


def status_of(enrollment):
    enrollment.refresh_from_db()
    return enrollment.status


def assert_sent_to_login(response, url):
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"


# --- who may open what ---------------------------------------------------------------------------------


def _csv(text):
    return SimpleUploadedFile("roster.csv", text.encode("utf-8"), content_type="text/csv")


# Each URL and method, with the request's data and what proves it did (or did not) do its work.
REQUESTS = {
    "page": ("get", page_url, None),
    "complete": ("post", page_url, lambda w: {"action": "complete", "enrollment": w.bashir.pk}),
    "add_form": ("get", add_url, None),
    "add_new": ("post", add_url, lambda w: new_learner()),
    "import_form": ("get", import_url, None),
    "import_upload": ("post", import_url, lambda w: {"step": "upload", "file": _csv("name\nZahra Ahmadi\n")}),
    "import_confirm": (
        "post",
        import_url,
        lambda w: {"step": "confirm", "token": "x", "expected": 1, "action": "all", "consent_data": "on"},
    ),
    "template": ("get", template_url, None),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("request_name", list(REQUESTS))
def test_every_url_by_role(client, world, role, request_name):
    method, url_of, data_of = REQUESTS[request_name]
    url = url_of(world.cohort)
    client = signed_in(client, world.user(role))

    response = getattr(client, method)(url, data_of(world) if data_of else None)

    if role == "anonymous":
        assert_sent_to_login(response, url)
    elif role in MAY_RUN:
        assert response.status_code in (200, 302), response.content[:500]
    else:
        assert response.status_code == 404
        assert b"Bashir" not in response.content and b"English Level 1" not in response.content
    allowed = role in MAY_RUN
    assert (status_of(world.bashir) == Enrollment.Status.COMPLETED) == (allowed and request_name == "complete")
    assert Learner.objects.filter(full_name="ዮሐንስ ተስፋዬ").exists() == (allowed and request_name == "add_new")
    assert Learner.objects.filter(full_name="Zahra Ahmadi").exists() is False  # an upload only previews


@pytest.mark.parametrize("role", sorted(MAY_RUN))
def test_a_cohort_of_another_partner_is_not_found_even_by_id(client, world, role):
    elsewhere = CohortFactory(name="Secret Cohort")
    client = signed_in(client, getattr(world, role))

    statuses = [client.get(url(elsewhere)).status_code for url in (page_url, add_url, import_url, template_url)]

    expected = 200 if role == "manager" else 404
    assert statuses == [expected] * 4


def test_a_cohort_that_does_not_exist_is_not_found(client, world):
    assert signed_in(client, world.manager).get("/teach/cohorts/999999/").status_code == 404


def test_the_template_is_utf8_with_a_byte_order_mark_and_the_column_names(client, world):
    response = signed_in(client, world.instructor).get(template_url(world.cohort))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    assert response.content == b"\xef\xbb\xbfname,preferred name,phone,email,language,name in latin letters\r\n"


# --- what the page shows ---------------------------------------------------------------------------------


def test_page_shows_course_term_dates_delivery_and_seats(client, world):
    EnrollmentFactory(
        cohort=world.cohort,
        status=Enrollment.Status.WAITLISTED,
        waitlisted_at=NOW,
        learner=LearnerFactory(partner=world.cohort.partner, full_name="Dawit Bekele"),
    )

    response = signed_in(client, world.instructor).get(page_url(world.cohort))

    text = page_text(response)
    assert "English Level 1" in text
    assert "English for Everyday Life" in text  # the course
    assert "Fall 2026" in text
    assert "Sept. 1, 2026 to Dec. 18, 2026" in text
    assert "In person · Room 4" in text
    assert "2 of 3 seats taken" in text
    assert "1 on the waitlist" in text


def test_roster_shows_attendance_rate_late_counts_excused_left_out_cancelled_ignored(client, world):
    days = [datetime.date(2026, 10, day) for day in (5, 6, 7, 8, 12, 13)]
    sessions = [SessionFactory(cohort=world.cohort, date=day) for day in days]
    marks = ["present", "late", "absent", "excused", "present"]
    for session, status in zip(sessions, marks, strict=False):
        AttendanceFactory(session=session, enrollment=world.amina, status=status)
    sessions[5].status = Session.Status.CANCELLED
    sessions[5].cancellation_reason = "Snow"
    sessions[5].save()
    AttendanceFactory(session=sessions[5], enrollment=world.amina, status=Attendance.Status.ABSENT)

    response = signed_in(client, world.instructor).get(page_url(world.cohort))

    roster = section(response, "roster")
    # present, late, present attended; absent counted; excused and the cancelled session left out
    assert "Amina Amina Yusuf Attendance 75% (3 of 4)" in roster
    assert "Bashir Rahimi No attendance marked yet" in roster
    assert "At risk" not in roster


def test_at_risk_learners_carry_a_badge_with_their_absences_in_a_row(client, world):
    for day in (5, 12, 19):
        session = SessionFactory(cohort=world.cohort, date=datetime.date(2026, 10, day))
        AttendanceFactory(session=session, enrollment=world.bashir, status="absent")
        AttendanceFactory(session=session, enrollment=world.amina, status="present")

    response = signed_in(client, world.partner_staff).get(page_url(world.cohort))

    roster = section(response, "roster")
    assert "Bashir Rahimi Attendance 0% (0 of 3) At risk: 3 absences in a row" in roster
    assert "Amina Amina Yusuf Attendance 100% (3 of 3) Withdraw" in roster
    assert "1 at risk" in page_text(response)


def test_waitlist_is_shown_in_order_with_positions_and_offer_status(client, world, clock):
    partner = world.cohort.partner
    names = ["Farid Haidari", "Esther Mensah", "Gao Yan"]
    for name in names:
        EnrollmentFactory(
            cohort=world.cohort,
            status=Enrollment.Status.WAITLISTED,
            waitlisted_at=clock.now,
            learner=LearnerFactory(partner=partner, full_name=name),
        )
        clock.advance(minutes=5)
    EnrollmentFactory(
        cohort=world.cohort,
        status=Enrollment.Status.OFFERED,
        offer_expires_at=NOW + datetime.timedelta(hours=72),
        learner=LearnerFactory(partner=partner, full_name="Hana Kim"),
    )

    response = signed_in(client, world.manager).get(page_url(world.cohort))

    waitlist = section(response, "waitlist")
    assert "Hana Kim Seat offered until Oct. 23, 2026, noon Not told yet Admit now" in waitlist
    # Not alphabetical: the order people joined in, numbered.
    positions = re.findall(r"(\d) (Farid Haidari|Esther Mensah|Gao Yan)", waitlist)
    assert positions == [("1", "Farid Haidari"), ("2", "Esther Mensah"), ("3", "Gao Yan")]
    assert "The cohort is full" in waitlist  # 2 active + 1 offered of 3 seats: no Admit buttons
    assert "Admit Remove" not in waitlist


def test_completed_and_withdrawn_are_listed_collapsed(client, world):
    EnrollmentFactory(
        cohort=world.cohort,
        status=Enrollment.Status.WITHDRAWN,
        withdrawn_on=datetime.date(2026, 10, 1),
        withdrawal_reason="Moved to Denver",
        learner=LearnerFactory(partner=world.cohort.partner, full_name="Ivan Petrov"),
    )

    response = signed_in(client, world.instructor).get(page_url(world.cohort))

    html = response.content.decode()
    assert re.search(r'<details class="unit cohort-past">\s*<summary><h2[^>]*>Withdrawn \(1\)', html)
    assert "Ivan Petrov · Oct. 1, 2026 · Moved to Denver" in visible_text(html)
    assert "Ivan Petrov" not in section(response, "roster")


def test_the_page_takes_the_same_queries_for_any_roster_size(client, world):
    """Session and user (2), cohort, enrollments, attendance rates, absence streaks (2), waitlist, instructors,
    languages, next session; the layout's site, branding, permissions and locale; one for the links other
    apps add (cohorts.extensions: are there milestones for this track? which credential pathways?).
    None per learner."""
    partner = world.cohort.partner
    world.cohort.capacity = 100
    world.cohort.save()
    session = SessionFactory(cohort=world.cohort, date=datetime.date(2026, 10, 19))
    client = signed_in(client, world.instructor)
    client.get(page_url(world.cohort))  # warm up: the first request of a session saves it (and the branding row)
    client.get(page_url(world.cohort))  # and the second fills the caches
    counts = []
    for size in (5, 40):
        for number in range(size - len(counts) * 5):
            enrollment = EnrollmentFactory(
                cohort=world.cohort, learner=LearnerFactory(partner=partner, full_name=f"Person {size}-{number}")
            )
            AttendanceFactory(session=session, enrollment=enrollment, status="present")
            EnrollmentFactory(
                cohort=world.cohort,
                status=Enrollment.Status.WAITLISTED,
                waitlisted_at=NOW,
                learner=LearnerFactory(partner=partner, full_name=f"Waiting {size}-{number}"),
            )
        with CaptureQueriesContext(connection) as queries:
            response = client.get(page_url(world.cohort))
        assert page_text(response).count("Attendance 100% (1 of 1)") == size
        counts.append(len(queries))

    assert counts[0] == counts[1] <= 18


# --- adding a learner -----------------------------------------------------------------------------------------


def test_enrolling_a_known_learner_gives_a_free_seat(client, world):
    response = signed_in(client, world.partner_staff).post(
        add_url(world.cohort), {"form": "existing", "existing-learner": world.newcomer.pk}
    )

    assert response.status_code == 302 and response["Location"] == page_url(world.cohort)
    assert world.newcomer.enrollments.get().status == Enrollment.Status.ACTIVE
    assert texts(response) == ["Chen Wei is enrolled."]


def test_enrolling_into_a_full_cohort_puts_the_learner_at_the_end_of_the_waitlist(client, world, clock):
    partner = world.cohort.partner
    EnrollmentFactory(cohort=world.cohort, learner=LearnerFactory(partner=partner, full_name="Third Seat"))
    first = EnrollmentFactory(
        cohort=world.cohort,
        status=Enrollment.Status.WAITLISTED,
        waitlisted_at=clock.now,
        learner=LearnerFactory(partner=partner, full_name="Already Waiting"),
    )
    clock.advance(minutes=10)
    client = signed_in(client, world.partner_staff)

    response = client.post(add_url(world.cohort), {"form": "existing", "existing-learner": world.newcomer.pk})

    enrollment = world.newcomer.enrollments.get()
    assert enrollment.status == Enrollment.Status.WAITLISTED
    assert list(world.cohort.enrollments.waitlist()) == [first, enrollment]
    assert texts(response) == ["The cohort is full, so Chen Wei is on the waitlist at position 2."]
    waitlist = section(client.get(page_url(world.cohort)), "waitlist")
    assert re.findall(r"(\d) (Already Waiting|Chen Wei)", waitlist) == [("1", "Already Waiting"), ("2", "Chen Wei")]


def new_learner(**fields):
    data = {
        "form": "new",
        "new-full_name": "ዮሐንስ ተስፋዬ",
        "new-preferred_name": "Yohannes",
        "new-phone": "+1 (555) 010-3000",
        "new-email": "yohannes@example.org",
        "new-preferred_language": "en",
        "new-consent_data": "on",
        "new-consent_contact": "on",
    }
    return {**data, **{f"new-{key}": value for key, value in fields.items()}}


def test_adding_someone_new_creates_the_learner_with_consent_and_enrolls_them(client, world):
    response = signed_in(client, world.instructor).post(add_url(world.cohort), new_learner())

    learner = Learner.objects.get(full_name="ዮሐንስ ተስፋዬ")
    assert (learner.partner, learner.preferred_name, learner.phone, learner.email) == (
        world.cohort.partner,
        "Yohannes",
        "+15550103000",  # as typed, "+1 (555) 010-3000": stored in E.164
        "yohannes@example.org",
    )
    assert learner.consent_data and learner.consent_contact and learner.consent_recorded_at == NOW
    assert learner.enrollments.get().status == Enrollment.Status.ACTIVE
    assert texts(response) == ["Yohannes is enrolled."]


def test_someone_new_into_a_full_cohort_goes_to_the_waitlist(client, world):
    EnrollmentFactory(cohort=world.cohort, learner=LearnerFactory(partner=world.cohort.partner))

    response = signed_in(client, world.manager).post(add_url(world.cohort), new_learner(preferred_language="ar"))

    learner = Learner.objects.get(full_name="ዮሐንስ ተስፋዬ")
    assert learner.enrollments.get().status == Enrollment.Status.WAITLISTED
    assert learner.preferred_language == "ar"
    assert texts(response) == ["The cohort is full, so Yohannes is on the waitlist at position 1."]


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"consent_data": ""}, "A learner can only be added once they agree to the program keeping their records."),
        (
            {"phone": "12"},
            "This phone number has too few digits for +1. Check it, or start with + and the country code.",
        ),
        ({"email": "not-an-address"}, "Enter a valid email address."),
        ({"full_name": "  "}, "This field is required."),
    ],
)
def test_a_new_learner_with_bad_details_is_refused_and_nothing_saved(client, world, fields, message):
    before = Learner.objects.count()

    response = signed_in(client, world.instructor).post(add_url(world.cohort), new_learner(**fields))

    assert response.status_code == 400
    assert message in page_text(response)
    assert Learner.objects.count() == before


def test_a_cohort_not_taking_enrollments_refuses_as_a_form_error_and_saves_nothing(client, world):
    Cohort.objects.filter(pk=world.cohort.pk).update(status=Cohort.Status.FINISHED)
    client = signed_in(client, world.partner_staff)

    known = client.post(add_url(world.cohort), {"form": "existing", "existing-learner": world.newcomer.pk})
    new = client.post(add_url(world.cohort), new_learner())

    assert (known.status_code, new.status_code) == (400, 400)
    assert "This cohort is not taking enrollments." in page_text(known)
    assert "This cohort is not taking enrollments." in page_text(new)
    assert not world.newcomer.enrollments.exists()
    assert not Learner.objects.filter(full_name="ዮሐንስ ተስፋዬ").exists()  # the learner record was rolled back too


def test_the_list_of_known_learners_is_scoped_and_a_forged_choice_is_refused(client, world):
    stranger = LearnerFactory(full_name="Other Partner Person")  # another partner's learner
    client = signed_in(client, world.partner_staff)

    form = client.get(add_url(world.cohort))
    forged = client.post(add_url(world.cohort), {"form": "existing", "existing-learner": stranger.pk})

    options = page_text(form)
    assert "Chen Wei · +1 555-010-2000" in options  # stored in E.164, shown with its country code
    assert "Other Partner Person" not in options
    assert "Bashir Rahimi" not in options  # already in the cohort
    assert forged.status_code == 400
    assert "Choose a learner from the list." in page_text(forged)
    assert not stranger.enrollments.exists()


def test_an_instructor_picks_only_from_learners_they_teach(client, world):
    taught_elsewhere = EnrollmentFactory(
        cohort=CohortFactory(partner=world.cohort.partner, instructors=[world.instructor]),
        learner=LearnerFactory(partner=world.cohort.partner, full_name="From My Other Class"),
    )

    options = page_text(signed_in(client, world.instructor).get(add_url(world.cohort)))

    assert taught_elsewhere.learner.full_name in options
    assert "Chen Wei" not in options  # a learner of the partner this instructor does not teach


# --- withdraw, admit, complete -------------------------------------------------------------------------------


def test_withdrawing_promotes_the_first_on_the_waitlist_and_the_page_shows_it(client, world, clock):
    partner = world.cohort.partner
    EnrollmentFactory(cohort=world.cohort, learner=LearnerFactory(partner=partner, full_name="Third Seat"))
    waiting = []
    for name in ["First Waiting", "Second Waiting"]:
        waiting.append(
            EnrollmentFactory(
                cohort=world.cohort,
                status=Enrollment.Status.WAITLISTED,
                waitlisted_at=clock.now,
                learner=LearnerFactory(partner=partner, full_name=name),
            )
        )
        clock.advance(minutes=1)
    client = signed_in(client, world.instructor)

    response = client.post(
        page_url(world.cohort), {"action": "withdraw", "enrollment": world.bashir.pk, "reason": "Found a job"}
    )

    assert response.status_code == 302
    world.bashir.refresh_from_db()
    assert (world.bashir.status, world.bashir.withdrawal_reason) == (Enrollment.Status.WITHDRAWN, "Found a job")
    assert status_of(waiting[0]) == Enrollment.Status.ACTIVE
    assert status_of(waiting[1]) == Enrollment.Status.WAITLISTED
    assert texts(response) == ["Bashir Rahimi was withdrawn. First Waiting, next on the waitlist, now has the seat."]
    page = client.get(page_url(world.cohort))
    assert "First Waiting" in section(page, "roster")
    assert re.findall(r"(\d) (\w+ Waiting)", section(page, "waitlist")) == [("1", "Second Waiting")]
    assert "Bashir Rahimi · Oct. 20, 2026 · Found a job" in page_text(page)


def test_withdrawing_needs_a_reason(client, world):
    response = signed_in(client, world.instructor).post(
        page_url(world.cohort), {"action": "withdraw", "enrollment": world.bashir.pk, "reason": "   "}
    )

    assert response.status_code == 400
    text = page_text(response)
    assert "Nothing was changed. Give a reason for withdrawing." in text
    assert status_of(world.bashir) == Enrollment.Status.ACTIVE
    # the error sits by Bashir, whose actions are open again
    assert re.search(
        rf'id="enrollment-{world.bashir.pk}".*?Give a reason for withdrawing\..*?<details class="cohort-learner__more" open>',
        response.content.decode(),
        re.S,
    )


def test_marking_completed(client, world):
    response = signed_in(client, world.partner_staff).post(
        page_url(world.cohort), {"action": "complete", "enrollment": world.amina.pk}
    )

    assert status_of(world.amina) == Enrollment.Status.COMPLETED
    assert texts(response) == ["Amina completed the cohort."]


def test_completing_someone_on_the_waitlist_is_refused_as_a_form_error(client, world):
    waiting = EnrollmentFactory(
        cohort=world.cohort, status=Enrollment.Status.WAITLISTED, waitlisted_at=NOW, learner__full_name="Wai Ting"
    )

    response = signed_in(client, world.partner_staff).post(
        page_url(world.cohort), {"action": "complete", "enrollment": waiting.pk}
    )

    assert response.status_code == 400
    assert "Nothing was changed. Only active learners can complete a cohort." in page_text(response)
    assert status_of(waiting) == Enrollment.Status.WAITLISTED


def test_admitting_from_the_waitlist_when_a_seat_is_free(client, world):
    waiting = EnrollmentFactory(
        cohort=world.cohort, status=Enrollment.Status.WAITLISTED, waitlisted_at=NOW, learner__full_name="Wai Ting"
    )

    page = signed_in(client, world.instructor).get(page_url(world.cohort))
    response = client.post(page_url(world.cohort), {"action": "admit", "enrollment": waiting.pk})

    assert "Wai Ting Waiting, no seat offered yet since Oct. 20, 2026 Admit" in section(page, "waitlist")
    assert status_of(waiting) == Enrollment.Status.ACTIVE
    assert texts(response) == ["Wai Ting is now enrolled."]


def test_admitting_into_a_full_cohort_is_refused_and_nothing_changes(client, world):
    EnrollmentFactory(cohort=world.cohort, learner=LearnerFactory(partner=world.cohort.partner))
    waiting = EnrollmentFactory(
        cohort=world.cohort, status=Enrollment.Status.WAITLISTED, waitlisted_at=NOW, learner__full_name="Wai Ting"
    )

    response = signed_in(client, world.instructor).post(
        page_url(world.cohort), {"action": "admit", "enrollment": waiting.pk}
    )

    assert response.status_code == 400
    assert "The cohort is full. Withdraw someone or raise the number of seats first." in page_text(response)
    assert status_of(waiting) == Enrollment.Status.WAITLISTED


def test_an_enrollment_of_another_cohort_cannot_be_changed_from_this_page(client, world):
    elsewhere = EnrollmentFactory(cohort=world.other_cohort)

    response = signed_in(client, world.partner_staff).post(
        page_url(world.cohort), {"action": "withdraw", "enrollment": elsewhere.pk, "reason": "x"}
    )

    assert response.status_code == 400
    assert "This learner is not in this cohort any more." in page_text(response)
    assert status_of(elsewhere) == Enrollment.Status.ACTIVE
