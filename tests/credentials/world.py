"""Builders for credential tests: a certificate template, pathways, and a small program with one user per role
(the cohorts, sessions, marks and milestones come from tests/builders.py).

Sessions are two hours long (18:00–20:00) in October 2026, so hours are easy to count: attended sessions × 2.
"""

import datetime
from decimal import Decimal

from courses.models import Track
from credentials.models import CertificateTemplate, CredentialPathway
from people.models import Role
from people.services import assign_role
from tests import builders
from tests.builders import (  # noqa: F401 (the credential tests import them from here)
    ROLES,
    ProgramOfTwoPartners,
    assert_turned_away_to_login,
    cohort_on,
    enrolled,
    mark,
    milestone_type,
    present,
    reached,
    signed_in,
)
from tests.factories_cohorts import UserFactory

OCTOBER_DAYS = [datetime.date(2026, 10, day) for day in (1, 5, 8, 12, 15, 19, 22, 26, 29, 30)]
NO_ADMIN = {"anonymous", "learner", "other_learner", "instructor", "other_instructor"}


def held_sessions(cohort, days=OCTOBER_DAYS, **options):
    """October's ten classes, unless a test names the days."""
    return builders.held_sessions(cohort, days, **options)


def certificate_template(**fields):
    defaults = {
        "name": "Standard certificate",
        "title": "Certificate of Completion",
        "body": "{learner_name} completed {pathway} at {partner}, {hours} hours from {start_date} to {end_date}.",
    }
    return CertificateTemplate.objects.create(**{**defaults, **fields})


def pathway(name="ESOL Level 1", *, tracks=(Track.ESOL,), milestones=(), template=None, **fields):
    created = CredentialPathway.objects.create(
        name=name, tracks=list(tracks), template=template or certificate_template(name=f"Template for {name}"), **fields
    )
    created.required_milestones.add(*milestones)
    return created


class World(ProgramOfTwoPartners):
    """Two partners and one user per role. Northside's ESOL cohort held ten two-hour October classes:
    Fatima came to all ten (eligible), Wang Xiuying to five (not: 50% and 10 hours). Unidos's cohort has María,
    who came to all of hers. The pathway asks 75% attendance and 12 hours."""

    def __init__(self):
        self.pathway = pathway(min_attendance_percent=Decimal("75"), min_hours=Decimal("12"))
        super().__init__(
            days=OCTOBER_DAYS,
            second_learner_came=5,
            preferred_language="ar",
            email="fatima@example.org",
            consent_contact=True,
        )

    def second_learner_account(self):
        """Wang Xiuying signs in to the portal too; she reads it in Simplified Chinese."""
        self.second_learner.user = assign_role(user=UserFactory(username="xiuying"), role=Role.LEARNER)
        self.second_learner.preferred_language = "zh-hans"
        self.second_learner.save()
        return self.second_learner.user
