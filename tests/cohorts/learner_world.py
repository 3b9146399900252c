"""A small world for learner-facing tests: two partners, cohorts, instructors, staff and two learners
with portal accounts. Each role the permission matrices name maps to one signed-in user."""

import datetime
from dataclasses import dataclass

import pytest
from django.core.cache import cache

from cohorts.models import Enrollment
from people.models import Role
from tests.builders import ROLES, UsersByRole, signed_in  # noqa: F401 (ROLES: the learner tests import it from here)
from tests.factories_cohorts import (
    CohortFactory,
    EnrollmentFactory,
    InstructorFactory,
    LearnerFactory,
    PartnerFactory,
    UserFactory,
)

STAFF_ROLES = ["instructor", "other_instructor", "partner_staff", "other_partner_staff", "manager"]


@dataclass
class World(UsersByRole):
    partner: object
    other_partner: object
    cohort: object
    other_cohort: object
    instructor: object
    other_instructor: object
    partner_staff: object
    other_partner_staff: object
    manager: object
    learner: object  # Learner, with a portal account
    other_learner: object  # in another partner's cohort
    enrollment: object
    other_enrollment: object


def learner_with_account(partner, **fields):
    learner = LearnerFactory(partner=partner, **fields)
    learner.user = UserFactory(role=Role.LEARNER, first_name=learner.full_name)
    learner.save(update_fields=["user"])
    return learner


def build_world():
    partner = PartnerFactory(name="Northside Learning", slug="northside")
    other_partner = PartnerFactory(name="Harbor Center", slug="harbor")
    instructor = InstructorFactory(partner=partner, username="teacher")
    other_instructor = InstructorFactory(partner=partner, username="other-teacher")
    cohort = CohortFactory(
        partner=partner,
        name="English Level 1",
        instructors=[instructor],
        start_date=datetime.date(2026, 9, 1),
        end_date=datetime.date(2026, 12, 18),
    )
    other_cohort = CohortFactory(partner=other_partner, name="Harbor Citizenship", location="Hall B")
    CohortFactory(partner=partner, name="Evening Computer Skills", instructors=[other_instructor])
    learner = learner_with_account(partner, full_name="Amina Yusuf", preferred_name="Amina")
    other_learner = learner_with_account(other_partner, full_name="Carlos Mendes")
    return World(
        partner=partner,
        other_partner=other_partner,
        cohort=cohort,
        other_cohort=other_cohort,
        instructor=instructor,
        other_instructor=other_instructor,
        partner_staff=UserFactory(role=Role.PARTNER_STAFF, partner=partner, username="desk"),
        other_partner_staff=UserFactory(role=Role.PARTNER_STAFF, partner=other_partner, username="harbor-desk"),
        manager=UserFactory(role=Role.PROGRAM_MANAGER, username="manager"),
        learner=learner,
        other_learner=other_learner,
        enrollment=EnrollmentFactory(cohort=cohort, learner=learner, status=Enrollment.Status.ACTIVE),
        other_enrollment=EnrollmentFactory(cohort=other_cohort, learner=other_learner, status=Enrollment.Status.ACTIVE),
    )


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture(autouse=True)
def empty_cache():
    """Attempt counters live in the cache; each test starts with none."""
    cache.clear()
    yield
    cache.clear()


def client_as(client, world, role):
    return signed_in(client, world.user(role))
