"""Every endpoint, for every role: a token sees exactly what its person's pages show, and an id from
outside that scope is a 404 — never the object, never a hint that it exists (IDOR)."""

import pytest

from cohorts.models import Attendance

from .conftest import ROLES

pytestmark = pytest.mark.django_db

SIGNED_IN = [role for role in ROLES if role != "anonymous"]


def names(response, key="name"):
    assert response.status_code == 200, response.content
    return {item[key] for item in response.json()["items"]}


# --- lists: who sees which rows ---------------------------------------------------------------------

COHORTS_SEEN = {
    "learner": {"English Level 1"},
    "other_learner": {"Harbor Citizenship"},
    "instructor": {"English Level 1"},
    "other_instructor": {"Evening Computer Skills"},
    "partner_staff": {"English Level 1", "Evening Computer Skills"},
    "other_partner_staff": {"Harbor Citizenship"},
    "manager": {"English Level 1", "Evening Computer Skills", "Harbor Citizenship"},
}

LEARNERS_SEEN = {
    "learner": {"Amina Yusuf"},
    "other_learner": {"Carlos Mendes"},
    "instructor": {"Amina Yusuf", "Bashir Rahimi"},
    "other_instructor": set(),
    "partner_staff": {"Amina Yusuf", "Bashir Rahimi"},
    "other_partner_staff": {"Carlos Mendes"},
    "manager": {"Amina Yusuf", "Bashir Rahimi", "Carlos Mendes"},
}

# Bonuses: the admin ledger (managers, partner staff) and the portal (a learner's own). Instructors: no money.
BONUSES_SEEN = {
    "learner": {"Amina Yusuf"},
    "other_learner": {"Carlos Mendes"},
    "instructor": set(),
    "other_instructor": set(),
    "partner_staff": {"Amina Yusuf"},
    "other_partner_staff": {"Carlos Mendes"},
    "manager": {"Amina Yusuf", "Carlos Mendes"},
}

# Milestones: as bonuses, and instructors see those of the learners they teach (they record them).
MILESTONES_SEEN = BONUSES_SEEN | {"instructor": {"Amina Yusuf"}}


@pytest.mark.parametrize("role", SIGNED_IN)
def test_cohort_list_is_scoped_like_the_pages(call, role):
    assert names(call(role, "get", "/api/v1/cohorts")) == COHORTS_SEEN[role]


@pytest.mark.parametrize("role", SIGNED_IN)
def test_learner_list_is_scoped_like_the_pages(call, role):
    assert names(call(role, "get", "/api/v1/learners"), "full_name") == LEARNERS_SEEN[role]


@pytest.mark.parametrize("role", SIGNED_IN)
def test_bonus_list_is_scoped_like_the_ledger_and_the_portal(call, rewards, role):
    items = call(role, "get", "/api/v1/bonuses").json()["items"]
    assert {item["learner"]["full_name"] for item in items} == BONUSES_SEEN[role]


@pytest.mark.parametrize("role", SIGNED_IN)
def test_milestone_list_is_scoped_like_the_admin_and_the_portal(call, rewards, role):
    items = call(role, "get", "/api/v1/milestones").json()["items"]
    assert {item["learner"]["full_name"] for item in items} == MILESTONES_SEEN[role]


def test_filters_cannot_widen_the_scope(call, api_world, rewards):
    """Asking for another partner's rows by filter gives nothing, not their rows."""
    other = api_world.other_partner.pk
    for path in (
        f"/api/v1/cohorts?partner={other}",
        f"/api/v1/learners?partner={other}",
        f"/api/v1/bonuses?partner={other}",
        f"/api/v1/learners?cohort={api_world.other_cohort.pk}",
        f"/api/v1/milestones?learner={api_world.other_learner.pk}",
    ):
        response = call("partner_staff", "get", path)
        assert response.status_code == 200, path
        assert response.json()["count"] == 0, path


# --- one object: 200 inside the scope, 404 outside (the same answer as for an id that does not exist) -------

COHORT_READERS = {"learner", "instructor", "partner_staff", "manager"}  # of "English Level 1"
ROSTER_READERS = {"instructor", "partner_staff", "manager"}  # the instructor page's can_take_attendance
LEARNER_READERS = {"learner", "instructor", "partner_staff", "manager"}  # of Amina


def object_paths(cohort, session, learner):
    return {
        f"/api/v1/cohorts/{cohort}": COHORT_READERS,
        f"/api/v1/cohorts/{cohort}/sessions": COHORT_READERS,
        f"/api/v1/sessions/{session}": COHORT_READERS,
        f"/api/v1/sessions/{session}/roster": ROSTER_READERS,
        f"/api/v1/learners/{learner}": LEARNER_READERS,
    }


@pytest.mark.parametrize("role", ROLES)
def test_each_object_is_found_only_by_those_who_may_see_it(call, api_world, role):
    missing = list(object_paths(999999, 999999, 999999))
    for (path, readers), missing_path in zip(
        object_paths(api_world.cohort.pk, api_world.tonight.pk, api_world.learner.pk).items(), missing, strict=True
    ):
        response = call(role, "get", path)
        if role == "anonymous":
            assert response.status_code == 401, path
        elif role in readers:
            assert response.status_code == 200, (path, response.content)
        else:
            assert response.status_code == 404, (path, response.status_code)
            assert response.json() == call("manager", "get", missing_path).json()  # no hint that it exists


@pytest.mark.parametrize("role", ROLES)
def test_attendance_is_saved_only_by_those_who_may_take_it(call, api_world, role):
    body = {"marks": [{"enrollment_id": api_world.enrollment.pk, "status": "present"}]}
    response = call(role, "post", f"/api/v1/sessions/{api_world.tonight.pk}/attendance", json_body=body)
    saved = Attendance.objects.filter(session=api_world.tonight).exists()
    if role == "anonymous":
        assert response.status_code == 401
    elif role in ROSTER_READERS:
        assert response.status_code == 200, response.content
    else:
        assert response.status_code == 404
    assert saved == (role in ROSTER_READERS)


def test_a_learner_cannot_read_another_learner_by_id(call, api_world):
    for path in (f"/api/v1/learners/{api_world.other_learner.pk}", f"/api/v1/learners/{api_world.classmate.pk}"):
        assert call("learner", "get", path).status_code == 404


def test_an_instructor_cannot_reach_another_cohort_by_id(call, api_world):
    other_session = api_world.other_session.pk
    for path in (
        f"/api/v1/cohorts/{api_world.other_cohort.pk}",
        f"/api/v1/sessions/{other_session}",
        f"/api/v1/sessions/{other_session}/roster",
        f"/api/v1/learners/{api_world.other_learner.pk}",
    ):
        assert call("instructor", "get", path).status_code == 404, path
    body = {"marks": [{"enrollment_id": api_world.other_enrollment.pk, "status": "absent"}]}
    assert call("instructor", "post", f"/api/v1/sessions/{other_session}/attendance", json_body=body).status_code == 404
    assert not Attendance.objects.exists()


def test_a_learner_sees_only_the_enrollments_an_instructor_may_see(call, api_world):
    """Amina is also in the other instructor's evening class: her own instructor sees only his cohort."""
    from cohorts.models import Cohort, Enrollment
    from tests.factories_cohorts import EnrollmentFactory

    evening = Cohort.objects.get(name="Evening Computer Skills")
    EnrollmentFactory(cohort=evening, learner=api_world.learner, status=Enrollment.Status.ACTIVE)
    seen = {
        role: {
            row["cohort_name"]
            for row in call(role, "get", f"/api/v1/learners/{api_world.learner.pk}").json()["enrollments"]
        }
        for role in ("instructor", "other_instructor", "learner", "partner_staff")
    }
    assert seen == {
        "instructor": {"English Level 1"},
        "other_instructor": {"Evening Computer Skills"},
        "learner": {"English Level 1", "Evening Computer Skills"},
        "partner_staff": {"English Level 1", "Evening Computer Skills"},
    }


def test_learner_records_carry_no_contact_or_immigration_fields(call, api_world):
    api_world.learner.phone, api_world.learner.email = "+1 555 010 2000", "amina@example.org"
    api_world.learner.save()
    for path in ("/api/v1/learners", f"/api/v1/learners/{api_world.learner.pk}"):
        text = call("manager", "get", path).content.decode()
        assert "555 010" not in text and "amina@example.org" not in text
    detail = call("manager", "get", f"/api/v1/learners/{api_world.learner.pk}").json()
    assert set(detail) == {
        "id",
        "full_name",
        "preferred_name",
        "display_name",
        "preferred_language",
        "partner",
        "enrollments",
    }
