"""Managers read the audit trail in the admin (Reports → Audit trail), filtered by learner and by actor.

/admin/reports/audit-trail/ (and its results and exports) — program managers only.
"""

# Fixtures come from tests/cohorts/learner_world.py; test arguments of the same name are those fixtures.
# ruff: noqa: F811

import datetime

import pytest
from django.utils import timezone

from cohorts import services as cohort_services
from cohorts.services import Mark
from people.services import assign_role
from tests.cohorts.learner_world import ROLES, client_as, empty_cache, world  # noqa: F401
from tests.factories_cohorts import EnrollmentFactory, LearnerFactory, SessionFactory

pytestmark = pytest.mark.django_db

URL = "/admin/reports/audit-trail/"


@pytest.fixture(autouse=True)
def admin_groups(world):
    """Staff as the app makes them: with their role's admin group (the world's factories skip it)."""
    for user in (
        world.manager,
        world.partner_staff,
        world.other_partner_staff,
        world.instructor,
        world.other_instructor,
    ):
        assign_role(user=user, role=user.role, partner=user.partner)


@pytest.fixture
def history(world):
    """Amina and a classmate marked in one roster save; Amina withdrawn by partner staff; Carlos (another
    partner) marked by nobody we filter on."""
    classmate = LearnerFactory(partner=world.partner, full_name="Li Wei")
    classmate_enrollment = EnrollmentFactory(cohort=world.cohort, learner=classmate, status="active")
    session = SessionFactory(cohort=world.cohort, date=timezone.localdate() - datetime.timedelta(days=7))
    cohort_services.record_attendance(
        session=session,
        marks=[Mark(world.enrollment.pk, "present"), Mark(classmate_enrollment.pk, "absent")],
        recorded_by=world.instructor,
    )
    other_session = SessionFactory(cohort=world.other_cohort, date=timezone.localdate() - datetime.timedelta(days=7))
    cohort_services.record_attendance(
        session=other_session, marks=[Mark(world.other_enrollment.pk, "late")], recorded_by=world.manager
    )
    cohort_services.withdraw(enrollment=world.enrollment, reason="Moved to another city", by=world.partner_staff)
    return classmate


def text(response):
    assert response.status_code == 200
    return response.content.decode()


def test_a_learners_trail_has_their_marks_and_enrollment_changes_and_nobody_elses(client, world, history):
    client.force_login(world.manager)

    page = text(client.get(URL, {"learner": "Amina"}))

    assert "\u2068Amina Yusuf\u2069: — → present" in page
    assert "Li Wei" not in page  # in the same roster save, but not Amina's
    assert "Moved to another city" in page
    assert "Carlos" not in page and "→ late" not in page


def test_a_learner_is_found_by_id_too(client, world, history):
    client.force_login(world.manager)

    page = text(client.get(URL, {"learner": str(history.pk)}))

    assert "\u2068Li Wei\u2069: — → absent" in page
    assert "Amina" not in page


def test_the_trail_is_filtered_by_who_acted(client, world, history):
    client.force_login(world.manager)

    page = text(client.get(URL, {"user": world.partner_staff.pk}))

    assert "Moved to another city" in page
    assert "→ present" not in page and "→ late" not in page


def test_a_name_nobody_has_finds_nothing(client, world, history):
    client.force_login(world.manager)

    page = text(client.get(URL, {"learner": "Nobody Byname"}))

    assert "Nothing in the audit trail matches these filters." in page


def test_the_trail_exports_to_csv_with_the_same_filters(client, world, history):
    client.force_login(world.manager)

    response = client.get(URL, {"learner": "Amina", "export": "csv"})

    body = b"".join(response.streaming_content).decode("utf-8-sig") if response.streaming else response.content.decode()
    assert response.status_code == 200
    assert "\u2068Amina Yusuf\u2069: — → present" in body
    assert "Li Wei" not in body


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path", [URL, URL + "results/"])
def test_only_program_managers_read_the_audit_trail(client, world, history, role, path):
    response = client_as(client, world, role).get(path, {"learner": "Amina"})

    if role == "manager":
        assert response.status_code == 200
    else:
        assert response.status_code in (302, 403)
        assert "Amina Yusuf" not in response.content.decode()


def test_the_menu_shows_the_report_to_managers_only(client, world):
    assert "/admin/reports/audit-trail/" in text(client_as(client, world, "manager").get("/admin/"))
    client.logout()
    staff_home = client_as(client, world, "partner_staff").get("/admin/")
    assert "/admin/reports/audit-trail/" not in staff_home.content.decode()


def test_the_trail_labels_actions_even_as_the_first_page_a_fresh_server_draws(client, world, history, monkeypatch):
    """Wagtail learns action names lazily; a server whose first request is this report must not fail."""
    from wagtail.log_actions import registry

    monkeypatch.setattr(registry, "formatters", {})
    monkeypatch.setattr(registry, "choices", [])
    monkeypatch.setattr(registry, "has_scanned_for_actions", False)
    client.force_login(world.manager)

    page = text(client.get(URL, {"learner": "Amina"}))

    assert "Record attendance" in page
