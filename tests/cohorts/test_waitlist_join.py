"""Course pages list upcoming cohorts; anyone can join a cohort's waitlist with a public form."""

# Fixtures come from tests/cohorts/learner_world.py; test arguments of the same name are those fixtures.
# ruff: noqa: F811

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Locale, Page, Site

from cms.models import HomePage
from cohorts.models import Cohort, Enrollment, MeetingTime
from courses.models import CoursePage, ProgramIndexPage, Track
from people.models import Learner
from tests.builders import stop_clock
from tests.cohorts.learner_world import ROLES, client_as, empty_cache, world  # noqa: F401
from tests.factories_cohorts import CohortFactory, EnrollmentFactory, LearnerFactory, MeetingTimeFactory, PartnerFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 8, 20)


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    stop_clock(monkeypatch, datetime.datetime(2026, 8, 20, 16, 0, tzinfo=datetime.UTC))


@pytest.fixture
def course(db):
    root = Page.get_first_root_node()
    Page.objects.filter(depth=2).delete()
    home = root.add_child(instance=HomePage(title="Home", slug="home", heading="Welcome"))
    Site.objects.update_or_create(is_default_site=True, defaults={"hostname": "localhost", "root_page": home})
    index = home.add_child(instance=ProgramIndexPage(title="Programs", slug="programs"))
    return index.add_child(
        instance=CoursePage(title="English for Everyday Life", slug="everyday", track=Track.ESOL, summary="For adults.")
    )


@pytest.fixture
def cohort(course):
    return CohortFactory(
        course=course,
        name="Evening English",
        term="Fall 2026",
        start_date=datetime.date(2026, 9, 1),
        end_date=datetime.date(2026, 12, 18),
        capacity=3,
        status=Cohort.Status.PLANNED,
    )


def fill(cohort, active=0, waitlisted=0):
    for _ in range(active):
        EnrollmentFactory(cohort=cohort, status=Enrollment.Status.ACTIVE)
    for minutes in range(waitlisted):
        EnrollmentFactory(
            cohort=cohort,
            status=Enrollment.Status.WAITLISTED,
            enrolled_on=None,
            waitlisted_at=timezone.now() - datetime.timedelta(days=1, minutes=-minutes),
        )


# --- the course page ----------------------------------------------------------------------------


def course_html(client, url="/en/programs/everyday/"):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_course_page_lists_upcoming_cohorts_with_seats_or_waitlist(client, course, cohort):
    fill(cohort, active=1, waitlisted=0)
    full = CohortFactory(
        course=course, partner=cohort.partner, name="Saturday English", capacity=2, status=Cohort.Status.RUNNING
    )
    fill(full, active=2, waitlisted=4)
    CohortFactory(course=course, name="Finished Class", status=Cohort.Status.FINISHED)
    CohortFactory(course=course, name="Cancelled Class", status=Cohort.Status.CANCELLED)
    CohortFactory(
        course=course, name="Ended Class", start_date=datetime.date(2026, 1, 5), end_date=datetime.date(2026, 6, 1)
    )
    html = course_html(client)
    assert "Upcoming classes" in html
    assert "Evening English" in html and "Fall 2026" in html
    assert "2 seats left" in html
    assert "Full — 4 on the waitlist" in html
    assert f'href="/en/join/{cohort.pk}/"' in html and f'href="/en/join/{full.pk}/"' in html
    for gone in ("Finished Class", "Cancelled Class", "Ended Class"):
        assert gone not in html


def test_course_page_without_cohorts_says_so(client, course):
    assert "No classes are planned right now." in course_html(client)


def test_course_page_queries_stay_the_same_however_many_cohorts(client, course, cohort):
    course_html(client)  # the first page of a site creates its settings rows
    course_html(client)  # the second fills the caches
    fill(cohort, active=1, waitlisted=1)
    with CaptureQueriesContext(connection) as one:
        course_html(client)
    for number in range(5):
        extra = CohortFactory(course=course, partner=cohort.partner, name=f"Extra {number}")
        extra.languages.add(*course.languages.all())
        fill(extra, active=2, waitlisted=2)
    with CaptureQueriesContext(connection) as six:
        html = course_html(client)
    assert html.count("Ask for a seat") == 6  # every one has seats left
    assert len(six) == len(one)


def test_translated_course_page_shows_the_same_cohorts(client, course, cohort, django_capture_on_commit_callbacks):
    from tests.courses.test_translation import translate_everything

    arabic = Locale.objects.create(language_code="ar")
    for page in [*course.get_ancestors().filter(depth__gt=1), course]:
        with django_capture_on_commit_callbacks(execute=True):
            translation = translate_everything(page.specific, arabic, "ترجمة")
    html = course_html(client, CoursePage.objects.get(pk=translation.pk).get_url())
    assert 'dir="rtl"' in html
    assert "Evening English" in html
    assert f'href="/ar/join/{cohort.pk}/"' in html


# --- joining --------------------------------------------------------------------------------------


def form_data(**changes):
    data = {
        "full_name": "Hawa Mohamed",
        "preferred_name": "Hawa",
        "phone": "+1 (555) 010-2000",
        "email": "",
        "preferred_language": "es",
        "consent_data": "on",
        "consent_contact": "on",
        "website": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_joining_creates_a_learner_and_puts_them_on_the_waitlist_with_their_place(client, cohort):
    fill(cohort, active=1, waitlisted=2)
    response = client.post(f"/en/join/{cohort.pk}/", form_data())
    assert response.status_code == 302 and response["Location"] == f"/en/join/{cohort.pk}/thanks/"
    learner = Learner.objects.get(full_name="Hawa Mohamed")
    assert learner.partner == cohort.partner
    assert (learner.preferred_language, learner.consent_data, learner.consent_contact) == ("es", True, True)
    assert learner.consent_recorded_at is not None and learner.user is None
    enrollment = learner.enrollments.get()
    # Seats are free, but people who sign themselves up always wait: staff admit from the waitlist.
    assert enrollment.status == Enrollment.Status.WAITLISTED
    html = client.get(response["Location"]).content.decode()
    assert "Your place in line: <strong>3</strong>" in html
    assert "<bdi>Hawa</bdi>, you are on the waitlist" in html


def test_the_thanks_page_is_only_for_the_browser_that_joined(client, cohort):
    client.post(f"/en/join/{cohort.pk}/", form_data())
    client.cookies.clear()
    response = client.get(f"/en/join/{cohort.pk}/thanks/")
    assert response["Location"] == f"/en/join/{cohort.pk}/"


@pytest.mark.parametrize(
    "phone, email",
    [("555-010-2000", ""), ("", "Hawa@Example.org"), ("+1 555 010 2000", "other@example.org")],
)
def test_the_same_person_cannot_join_twice(client, cohort, phone, email):
    existing = LearnerFactory(partner=cohort.partner, phone="(555) 010-2000", email="hawa@example.org")
    EnrollmentFactory(cohort=cohort, learner=existing, status=Enrollment.Status.WAITLISTED, enrolled_on=None)
    response = client.post(f"/en/join/{cohort.pk}/", form_data(phone=phone, email=email))
    assert response.status_code == 200
    assert "You are already on the list for this cohort." in response.content.decode()
    assert Learner.objects.count() == 1 and cohort.enrollments.count() == 1


def test_someone_who_withdrew_can_sign_up_again(client, cohort):
    existing = LearnerFactory(partner=cohort.partner, phone="555 010 2000")
    EnrollmentFactory(cohort=cohort, learner=existing, status=Enrollment.Status.WITHDRAWN)
    client.post(f"/en/join/{cohort.pk}/", form_data())
    assert cohort.enrollments.filter(status=Enrollment.Status.WAITLISTED).count() == 1


def test_honeypot_saves_nothing(client, cohort):
    response = client.post(f"/en/join/{cohort.pk}/", form_data(website="http://spam.example"))
    assert response.status_code == 200
    assert "We received your details." in response.content.decode()
    assert not Learner.objects.exists() and not Enrollment.objects.exists()


def errors_for(response):
    return response.content.decode()


def test_phone_or_email_is_required(client, cohort):
    html = errors_for(client.post(f"/en/join/{cohort.pk}/", form_data(phone="", email="")))
    assert "Give a phone number or an email address" in html
    assert not Learner.objects.exists()


def test_bad_phone_and_bad_email_are_field_errors(client, cohort):
    html = errors_for(client.post(f"/en/join/{cohort.pk}/", form_data(phone="call me", email="not-an-email")))
    assert "Enter a phone number, for example +1 555 010 2000." in html
    assert "Enter a valid email address." in html
    assert not Learner.objects.exists()


def test_consent_to_keep_records_is_required(client, cohort):
    html = errors_for(client.post(f"/en/join/{cohort.pk}/", form_data(consent_data=None)))
    assert "We can only put you on the list if you agree to this." in html
    assert not Learner.objects.exists()


def test_the_form_keeps_what_was_typed_after_an_error(client, cohort):
    html = errors_for(client.post(f"/en/join/{cohort.pk}/", form_data(phone="12")))
    assert 'value="Hawa Mohamed"' in html


def test_sign_ups_per_address_are_limited(client, course):
    cohort = CohortFactory(course=course, capacity=1)
    for number in range(20):
        response = client.post(
            f"/en/join/{cohort.pk}/", form_data(phone=f"555 010 {3000 + number}", full_name=f"P {number}")
        )
        assert response.status_code == 302
    response = client.post(f"/en/join/{cohort.pk}/", form_data(phone="555 010 9999"))
    assert response.status_code == 429
    assert "Too many sign-ups came from this connection" in response.content.decode()
    assert cohort.enrollments.count() == 20
    other_address = client.post(f"/en/join/{cohort.pk}/", form_data(phone="555 010 9999"), REMOTE_ADDR="203.0.113.9")
    assert other_address.status_code == 302


def test_arabic_form_is_right_to_left(client, cohort):
    html = course_html(client, f"/ar/join/{cohort.pk}/")
    assert '<html lang="ar" dir="rtl">' in html
    assert 'name="full_name"' in html
    assert 'value="ar" selected' in html  # messages in Arabic by default
    assert "العربيّة" in html  # each language offered in its own words


def test_joining_in_arabic_keeps_the_name_as_written(client, cohort):
    client.post(f"/ar/join/{cohort.pk}/", form_data(full_name="هوى محمد", preferred_language="ar"))
    assert Learner.objects.get().full_name == "هوى محمد"


@pytest.mark.parametrize("status", [Cohort.Status.FINISHED, Cohort.Status.CANCELLED])
def test_cohorts_not_taking_names_have_no_form(client, cohort, status):
    Cohort.objects.filter(pk=cohort.pk).update(status=status)
    assert client.get(f"/en/join/{cohort.pk}/").status_code == 404
    assert client.post(f"/en/join/{cohort.pk}/", form_data()).status_code == 404
    assert not Learner.objects.exists()


def test_cohort_that_already_ended_has_no_form(client, cohort):
    Cohort.objects.filter(pk=cohort.pk).update(start_date=datetime.date(2026, 1, 5), end_date=datetime.date(2026, 6, 1))
    assert client.get(f"/en/join/{cohort.pk}/").status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_join_form_is_public_for_every_role(client, world, role):
    """Anyone may join; the new learner always belongs to the cohort's partner, whoever is signed in."""
    cohort = world.cohort
    client_as(client, world, role)
    assert client.get(f"/en/join/{cohort.pk}/").status_code == 200
    client.post(f"/en/join/{cohort.pk}/", form_data(phone="555 222 3333"))
    joined = Learner.objects.get(phone="555 222 3333")
    assert joined.partner == world.partner and joined.user is None


def test_another_partners_cohort_makes_a_learner_of_that_partner(client, course):
    harbor = PartnerFactory(name="Harbor", slug="harbor-2")
    cohort = CohortFactory(course=course, partner=harbor)
    client.post(f"/en/join/{cohort.pk}/", form_data())
    assert Learner.objects.get().partner == harbor


def test_a_card_with_seats_left_asks_for_a_seat_and_a_full_one_offers_the_waitlist(client, course, cohort):
    fill(cohort, active=1)
    full = CohortFactory(course=course, partner=cohort.partner, name="Saturday English", capacity=2)
    fill(full, active=2, waitlisted=1)

    cards = course_html(client).split('class="card cohort-card"')[1:]
    open_card, full_card = (card for name in ("Evening English", "Saturday English") for card in cards if name in card)

    assert "2 seats left" in open_card and "Ask for a seat" in open_card and "Join the waitlist" not in open_card
    assert "Full — 1 on the waitlist" in full_card and "Join the waitlist" in full_card
    assert "<h1>Ask for a seat</h1>" in client.get(f"/en/join/{cohort.pk}/").content.decode()
    assert "<h1>Join the waitlist</h1>" in client.get(f"/en/join/{full.pk}/").content.decode()


def test_dates_on_a_haitian_creole_page_have_kreyol_month_names(client, course, cohort):
    kreyol = Locale.objects.create(language_code="ht")
    for page in [*course.get_ancestors().filter(depth__gt=1), course]:
        page.specific.copy_for_translation(kreyol, copy_parents=True, alias=True)

    html = course_html(client, "/ht/programs/everyday/")

    assert "1 septanm 2026" in html and "18 desanm 2026" in html  # the day first, the month in Kreyòl
    assert "September" not in html and "December" not in html


def test_the_card_and_the_join_page_say_which_days_and_hours_the_class_meets(client, course, cohort):
    MeetingTimeFactory(cohort=cohort, weekday=MeetingTime.Weekday.MONDAY)  # 18:00–20:00
    MeetingTimeFactory(cohort=cohort, weekday=MeetingTime.Weekday.WEDNESDAY, start_time=datetime.time(9, 30))
    spanish = Locale.objects.create(language_code="es")
    for page in [*course.get_ancestors().filter(depth__gt=1), course]:
        page.specific.copy_for_translation(spanish, copy_parents=True, alias=True)

    card = course_html(client).split('class="card cohort-card"')[1]
    join = client.get(f"/en/join/{cohort.pk}/").content.decode()
    tarjeta = course_html(client, "/es/programs/everyday/").split('class="card cohort-card"')[1]

    assert "Monday, 6 p.m.–8 p.m." in card and "Wednesday, 9:30 a.m.–8 p.m." in card
    assert "<li>Monday, 6 p.m.–8 p.m.</li>" in join
    assert "<dt>Cuándo</dt>" in tarjeta
    assert "Lunes, 18:00–20:00" in tarjeta and "Miércoles, 09:30–20:00" in tarjeta
