"""seed_demo loads a complete demo organization, changes nothing when run again, and refuses where demo
logins are not allowed."""

import re
from base64 import b32decode
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import Client, TestCase
from django_otp.oath import totp
from wagtail.models import Locale

from courses.models import CoursePage, Track
from people.models import Partner, Role, User

# Every test here uses the database, even those that only ask for the seeded site: pytest-django runs tests
# without the mark after the transactional ones, whose flush empties every table, Wagtail's root page with them.
pytestmark = pytest.mark.django_db

README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """Seed once for the module (about 2 s) inside a transaction rolled back at the end;
    each test still runs in its own savepoint, so what a test changes is undone after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        # wagtail-localize publishes a translated page once its transaction commits: run those callbacks here,
        # as the command's own commits would.
        with TestCase.captureOnCommitCallbacks(execute=True):
            call_command("seed_demo", stdout=StringIO())
        yield
        transaction.set_rollback(True)
    cache.clear()  # Wagtail cached the seeded site's root paths


def row_counts():
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def test_seeding_twice_changes_no_row_in_any_table(seeded, db):
    after_first_run = row_counts()

    call_command("seed_demo", stdout=StringIO())

    after_second_run = row_counts()
    changed = {
        label: (count, after_second_run[label])
        for label, count in after_first_run.items()
        if after_second_run[label] != count
    }
    assert changed == {}
    assert after_first_run["courses.CoursePage"] > 0  # the first run did seed


def test_seeded_courses_cover_all_three_tracks_in_english(seeded, db):
    english_courses = CoursePage.objects.live().filter(locale__language_code="en")

    assert set(english_courses.values_list("track", flat=True)) == set(Track.values)


def test_every_seeded_english_page_exists_in_every_other_language(seeded, db):
    english_pages = CoursePage.objects.filter(locale__language_code="en").count()

    for code in ["es", "pt-br", "ht", "zh-hans", "ar"]:
        assert CoursePage.objects.filter(locale__language_code=code).count() == english_pages, code


@pytest.mark.parametrize(
    ("code", "title", "summary_words"),
    [
        ("es", "Abra su negocio", "plan de negocios"),
        ("pt-br", "Abra o seu negócio", "plano de negócios"),
        ("ht", "Louvri biznis ou", "yon plan biznis"),
        ("zh-hans", "开办自己的生意", "商业计划书"),
        ("ar", "ابدأ مشروعك", "خطة عمل"),
    ],
)
def test_seeded_courses_are_translated_into_every_language_not_just_aliased(seeded, client, code, title, summary_words):
    english = CoursePage.objects.get(slug="start-your-business", locale__language_code="en")
    translated = english.get_translation(Locale.objects.get(language_code=code))

    assert translated.alias_of_id is None and translated.live
    assert translated.title == title
    response = client.get(f"/{code}/programs/start-your-business/")
    html = response.content.decode()
    assert response.status_code == 200
    assert title in html and summary_words in html
    assert "Weekly trainings" not in html  # the English summary is not what a reader of another language gets
    if code == "ar":
        assert 'dir="rtl"' in html


def test_text_without_a_translation_is_served_in_english_on_a_translated_page(seeded, client):
    response = client.get("/ht/programs/english-for-everyday-life/")
    html = response.content.decode()

    assert response.status_code == 200
    assert "Angle pou lavi chak jou" in html  # the page is translated...
    assert "phone number" in html  # ...but a vocabulary word learners study in English stays as it is
    assert "My name is Fatima." in html  # the example sentence too: it is English, what learners study


def test_seeded_people_include_three_partners_and_a_user_for_each_role(seeded, db):
    assert Partner.objects.count() == 3
    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)
    assert not User.objects.filter(role__in=[Role.PARTNER_STAFF, Role.INSTRUCTOR], partner__isnull=True).exists()
    assert User.objects.get(username="learner").learner.partner.slug == "northside"


@pytest.mark.parametrize("username", ["manager", "staff.northside"])
def test_demo_manager_and_partner_staff_can_open_the_admin(seeded, db, client, username):
    client.force_login(User.objects.get(username=username))

    response = client.get("/admin/")

    assert response.status_code == 200
    assert "<title>Dashboard" in response.content.decode()


@pytest.mark.parametrize("username", ["learner", "instructor.northside"])
def test_learners_and_instructors_are_turned_away_from_the_admin(seeded, db, client, username):
    client.force_login(User.objects.get(username=username))

    response = client.get("/admin/", follow=True)

    assert response.redirect_chain == [("/admin/login/?next=/admin/", 302)]
    assert "You do not have permission to access the admin." in response.content.decode()


def test_seed_demo_refuses_where_demo_data_is_not_allowed(db, settings):
    settings.PATHWAYS_ALLOW_DEMO_DATA = False
    users_before = User.objects.count()

    with pytest.raises(CommandError, match="only allowed in dev and test settings"):
        call_command("seed_demo")

    assert User.objects.count() == users_before


@pytest.mark.parametrize("username", ["manager", "staff.northside"])
def test_demo_staff_confirm_their_sign_in_with_the_secret_printed_in_the_readme(seeded, db, username):
    secret = re.search(r"authenticator app: `([A-Z2-7]{32})`", README.read_text())[1]
    client = Client()
    signed_in = client.post("/accounts/login/", {"username": username, "password": "pathways-demo"})
    assert signed_in["Location"] == "/accounts/two-factor/?next=%2Fadmin%2F"

    confirmed = client.post(
        "/accounts/two-factor/", {"code": f"{totp(b32decode(secret)):06d}", "next": "/admin/"}, follow=True
    )

    assert confirmed.redirect_chain == [("/admin/", 302)]
    assert "<title>Dashboard" in confirmed.content.decode()
