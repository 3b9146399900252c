"""seed_demo's cohorts: a class to take attendance in today, a full cohort with a waitlist, attendance so
far with two learners at risk, and nothing changed by running it again (the same day or a later one)."""

import datetime
from collections import Counter
from io import StringIO

import pytest
from django.apps import apps
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from wagtail.models import ModelLogEntry

from cohorts.models import Attendance, Cohort, Enrollment, Holiday, Session
from cohorts.selectors import at_risk_enrollment_ids
from people.models import User


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """Seed once for the module inside a transaction rolled back at the end; each test runs in its own
    savepoint, so what a test changes is undone after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", stdout=StringIO())
        yield
        transaction.set_rollback(True)
    cache.clear()  # Wagtail cached the seeded site's root paths


@pytest.fixture
def northside(seeded, db):
    return Cohort.objects.get(partner__slug="northside", instructors__username="instructor.northside")


def test_the_demo_instructor_has_a_session_today_and_can_open_its_roster(northside, client):
    today = northside.local_today()
    session = northside.sessions.held().get(date=today)

    client.force_login(User.objects.get(username="instructor.northside"))
    response = client.get(f"/teach/sessions/{session.pk}/")

    assert response.status_code == 200
    assert "Fatima" in response.content.decode()


def test_every_running_seeded_cohort_runs_from_ten_weeks_ago_to_eight_weeks_ahead(seeded, db):
    today = timezone.localdate()

    assert Cohort.objects.filter(status=Cohort.Status.RUNNING).count() == 2
    for cohort in Cohort.objects.filter(status=Cohort.Status.RUNNING):
        assert today - datetime.timedelta(weeks=11) < cohort.start_date <= today - datetime.timedelta(weeks=10)
        assert cohort.end_date == today + datetime.timedelta(weeks=8)
        assert cohort.sessions.count() > 30


def test_the_northside_cohort_is_full_with_a_short_waitlist(northside):
    assert northside.enrollments.active().count() == northside.capacity == 20
    assert northside.enrollments.waitlist().count() == 3


def test_the_demo_learner_is_active_in_the_northside_cohort(northside):
    fatima = User.objects.get(username="learner").learner

    assert fatima.preferred_name == "Fatima"
    assert Enrollment.objects.get(learner=fatima, cohort=northside).status == Enrollment.Status.ACTIVE


def test_learners_write_their_names_in_many_scripts(northside):
    names = " ".join(northside.enrollments.values_list("learner__full_name", flat=True))

    for sample in ("فاطمة", "王秀英", "Ольга", "ሄለን", "राम", "김민지", "မောင်"):
        assert sample in names


def test_exactly_two_learners_are_at_risk(northside):
    at_risk = at_risk_enrollment_ids(cohort=northside, as_of=northside.local_today())

    names = set(Enrollment.objects.filter(pk__in=at_risk).values_list("learner__full_name", flat=True))
    assert names == {"Ольга Петренко", "Олександр Коваленко"}


def test_one_cohort_has_ended_and_staff_recorded_the_completions_of_all_but_one(seeded, db):
    """So the demo manager has certificates of completion to issue, and one learner held back for a reason."""
    today = timezone.localdate()
    ended = Cohort.objects.get(status=Cohort.Status.FINISHED)

    assert ended.name == "Citizenship Evening Class"
    assert ended.end_date == today - datetime.timedelta(weeks=2)
    assert not ended.sessions.filter(date__gt=ended.end_date).exists()
    completed = ended.enrollments.filter(status=Enrollment.Status.COMPLETED)
    assert completed.count() == 7 and set(completed.values_list("completed_on", flat=True)) == {ended.end_date}
    assert list(ended.enrollments.active().values_list("learner__full_name", flat=True)) == ["Samira Haddad"]
    staff = User.objects.get(username="staff.unidos")
    assert ModelLogEntry.objects.filter(action="cohorts.enrollment.status", user=staff).count() >= 7


def test_attendance_is_recorded_for_every_past_held_session_and_no_other(seeded, db):
    for cohort in Cohort.objects.all():
        today = cohort.local_today()
        on_roster = cohort.enrollments.filter(
            status__in=[Enrollment.Status.ACTIVE, Enrollment.Status.COMPLETED]
        ).count()
        past = cohort.sessions.held().filter(date__lt=today)
        assert past.count() >= 16  # at least eight weeks of two classes a week
        for session in past:
            assert session.attendance.count() == on_roster, session
        assert not Attendance.objects.filter(session__cohort=cohort, session__date__gte=today).exists()
        assert not Attendance.objects.filter(session__cohort=cohort, session__status="cancelled").exists()
        assert set(
            Attendance.objects.filter(session__cohort=cohort).values_list("recorded_by__username", flat=True)
        ) == {cohort.instructors.get().username}


def test_attendance_looks_like_a_real_class(northside):
    marks = Attendance.objects.filter(session__cohort=northside)
    statuses = Counter(marks.values_list("status", flat=True))

    assert statuses["present"] > 0.7 * marks.count()
    assert statuses["late"] > 0 and statuses["excused"] > 0 and statuses["absent"] > 0
    assert not marks.filter(status="late", minutes_late__isnull=True).exists()
    assert marks.filter(status="excused").exclude(note="").exists()


def test_one_past_session_was_cancelled_with_a_reason_and_holidays_were_skipped(northside):
    cancelled = northside.sessions.get(status=Session.Status.CANCELLED)

    assert cancelled.date < northside.local_today()
    assert cancelled.cancellation_reason
    for holiday in Holiday.objects.filter(date__range=(northside.start_date, northside.end_date)):
        if holiday.partner_id in (None, northside.partner_id):
            assert not northside.sessions.filter(date=holiday.date).exists(), holiday


def cohort_row_counts():
    labels = ["cohorts.", "wagtailcore.ModelLogEntry", "people.Learner"]
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if any(model._meta.label.startswith(label) for label in labels)
    }


def test_seeding_again_changes_no_cohort_data(seeded, db):
    before = cohort_row_counts()

    call_command("seed_demo", stdout=StringIO())

    assert cohort_row_counts() == before
    assert before["cohorts.Attendance"] > 500


def test_seeding_again_days_later_keeps_each_cohorts_dates(seeded, db, monkeypatch):
    dates = {cohort.pk: (cohort.start_date, cohort.end_date) for cohort in Cohort.objects.all()}
    holidays = Holiday.objects.count()
    later = timezone.now() + datetime.timedelta(days=3)
    monkeypatch.setattr(timezone, "now", lambda: later)

    call_command("seed_demo", stdout=StringIO())

    assert {cohort.pk: (cohort.start_date, cohort.end_date) for cohort in Cohort.objects.all()} == dates
    assert Holiday.objects.count() == holidays
    for cohort in Cohort.objects.filter(status=Cohort.Status.RUNNING):  # and the instructor still has a class "today"
        assert cohort.sessions.filter(date=later.astimezone(cohort.zone).date()).exists()


def test_cohorts_terms_and_credentials_have_arabic_and_spanish_names_that_fatima_reads(northside, client):
    from credentials.models import CredentialPathway

    for named in [*Cohort.objects.all(), *CredentialPathway.objects.all()]:
        assert named.name_in("ar") != named.name and named.name_in("es") != named.name, named.name
    assert northside.name_translations["ar"] == "الإنجليزية المسائية 1"
    assert northside.term_in("ar").startswith(("شتاء", "ربيع", "صيف", "خريف"))

    fatima = User.objects.get(username="learner")
    assert fatima.learner.preferred_language == "ar"
    client.force_login(fatima)
    page = client.get("/learn/").content.decode()
    assert "<bdi>الإنجليزية المسائية 1</bdi>" in page and "Evening English 1" not in page
