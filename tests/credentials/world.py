"""Builders for credential tests: a certificate template, pathways, cohorts with held sessions and marks,
milestones, and a small program with one user per role.

Sessions are two hours long (18:00–20:00) in October 2026, so hours are easy to count: attended sessions × 2.
"""

import datetime
from decimal import Decimal

from cohorts.models import Attendance, Enrollment, Session
from courses.models import Track
from credentials.models import CertificateTemplate, CredentialPathway
from incentives.models import MilestoneAchievement, MilestoneType
from people.models import Learner, Role
from people.services import assign_role
from tests.factories_cohorts import CohortFactory, PartnerFactory, UserFactory, course_page

OCTOBER_DAYS = [datetime.date(2026, 10, day) for day in (1, 5, 8, 12, 15, 19, 22, 26, 29, 30)]
COURSE_TITLES = {
    Track.ESOL: "English for Everyday Life",
    Track.JOB_TRAINING: "Warehouse Skills",
    Track.ENTREPRENEURSHIP: "Start Your Business",
}


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


def cohort_on(track=Track.ESOL, *, partner=None, **fields):
    course = course_page(title=COURSE_TITLES[track], track=track)
    return CohortFactory(course=course, partner=partner or PartnerFactory(), **fields)


def held_sessions(cohort, days=OCTOBER_DAYS, *, cancelled=(), start=datetime.time(18, 0), end=datetime.time(20, 0)):
    return Session.objects.bulk_create(
        [
            Session(
                cohort=cohort,
                date=day,
                start_time=start,
                end_time=end,
                status=Session.Status.CANCELLED if day in cancelled else Session.Status.SCHEDULED,
                cancellation_reason="Snow" if day in cancelled else "",
            )
            for day in days
        ]
    )


def enrolled(cohort, learner=None, *, name="Amina Yusuf", **fields):
    learner = learner or Learner.objects.create(partner=cohort.partner, full_name=name, consent_data=True)
    fields.setdefault("status", Enrollment.Status.ACTIVE)
    fields.setdefault("enrolled_on", datetime.date(2026, 9, 1))
    return Enrollment.objects.create(cohort=cohort, learner=learner, **fields)


def mark(enrollment, sessions, statuses):
    """One mark per session, in order; None leaves a session unmarked."""
    assert len(sessions) == len(statuses)
    Attendance.objects.bulk_create(
        [
            Attendance(session=session, enrollment=enrollment, status=status)
            for session, status in zip(sessions, statuses, strict=True)
            if status is not None
        ]
    )


def present(count, absent=0, excused=0):
    return ["present"] * count + ["absent"] * absent + ["excused"] * excused


def milestone_type(name="Business license", slug=None):
    return MilestoneType.objects.create(
        name=name, slug=slug or name.lower().replace(" ", "-"), track=Track.ENTREPRENEURSHIP
    )


def reached(learner, milestone, status=MilestoneAchievement.Status.VERIFIED, day=datetime.date(2026, 10, 20)):
    return MilestoneAchievement.objects.create(
        learner=learner,
        milestone_type=milestone,
        achieved_on=day,
        status=status,
        rejection_reason="Blurry photo" if status == MilestoneAchievement.Status.REJECTED else "",
    )


def staff(role, partner, username):
    return assign_role(user=UserFactory(username=username), role=role, partner=partner)


ROLES = [
    "anonymous",
    "learner",  # the learner the certificate is about
    "other_learner",  # in another partner's cohort
    "instructor",  # teaches the learner's cohort
    "other_instructor",  # teaches another cohort of the same partner
    "partner_staff",  # the learner's partner
    "other_partner_staff",
    "manager",
]
NO_ADMIN = {"anonymous", "learner", "other_learner", "instructor", "other_instructor"}


class World:
    """Two partners and one user per role. Northside's ESOL cohort held ten two-hour October classes:
    Fatima came to all ten (eligible), Wang Xiuying to five (not: 50% and 10 hours). Unidos's cohort has María,
    who came to all of hers. The pathway asks 75% attendance and 12 hours."""

    def __init__(self):
        self.partner = PartnerFactory(name="Northside Refugee Center", slug="northside")
        self.other_partner = PartnerFactory(name="Unidos Community Services", slug="unidos")
        self.instructor = staff(Role.INSTRUCTOR, self.partner, "amina.teacher")
        self.other_instructor = staff(Role.INSTRUCTOR, self.partner, "kevin.teacher")
        self.partner_staff = staff(Role.PARTNER_STAFF, self.partner, "desk.northside")
        self.other_partner_staff = staff(Role.PARTNER_STAFF, self.other_partner, "desk.unidos")
        self.manager = staff(Role.PROGRAM_MANAGER, None, "maya.manager")

        self.pathway = pathway(min_attendance_percent=Decimal("75"), min_hours=Decimal("12"))
        self.cohort = cohort_on(Track.ESOL, partner=self.partner, name="Northside Evening English")
        self.cohort.instructors.add(self.instructor)
        self.other_cohort_same_partner = cohort_on(Track.ESOL, partner=self.partner, name="Northside Mornings")
        self.other_cohort_same_partner.instructors.add(self.other_instructor)
        self.other_cohort = cohort_on(Track.ESOL, partner=self.other_partner, name="Unidos Citizenship")
        self.sessions = held_sessions(self.cohort)
        other_sessions = held_sessions(self.other_cohort)

        self.learner = Learner.objects.create(
            partner=self.partner,
            full_name="فاطمة الزهراء أحمد",
            preferred_name="Fatima",
            preferred_language="ar",
            email="fatima@example.org",
            consent_contact=True,
            consent_data=True,
        )
        self.learner.user = assign_role(user=UserFactory(username="fatima"), role=Role.LEARNER)
        self.learner.save()
        self.enrollment = enrolled(self.cohort, self.learner)
        mark(self.enrollment, self.sessions, present(10))
        self.second_learner = Learner.objects.create(partner=self.partner, full_name="王秀英", consent_data=True)
        mark(enrolled(self.cohort, self.second_learner), self.sessions, present(5, absent=5))
        self.other_learner = Learner.objects.create(
            partner=self.other_partner, full_name="María José Pérez", consent_data=True
        )
        self.other_learner.user = assign_role(user=UserFactory(username="maria"), role=Role.LEARNER)
        self.other_learner.save()
        mark(enrolled(self.other_cohort, self.other_learner), other_sessions, present(10))

    def second_learner_account(self):
        """Wang Xiuying signs in to the portal too; she reads it in Simplified Chinese."""
        self.second_learner.user = assign_role(user=UserFactory(username="xiuying"), role=Role.LEARNER)
        self.second_learner.preferred_language = "zh-hans"
        self.second_learner.save()
        return self.second_learner.user

    def user(self, role):
        if role == "anonymous":
            return None
        if role == "learner":
            return self.learner.user
        if role == "other_learner":
            return self.other_learner.user
        return getattr(self, role)


def signed_in(client, user):
    if user is not None:
        client.force_login(user)
    return client


def assert_turned_away_to_login(response):
    assert response.status_code == 302
    assert response.url.startswith("/admin/login/")
