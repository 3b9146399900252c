"""A small program for the admin, export and evidence tests: two partners, one user per role, an October
of eight held classes in each partner's ESOL cohort, and three learners — one who came to every class in
each partner, and one in Northside who came to two of eight (not eligible)."""

import re

from courses.models import Track
from incentives import services
from incentives.models import MonthlyBonus
from people.models import Learner, Role
from people.services import assign_role
from tests.factories_cohorts import PartnerFactory, UserFactory

from .conftest import OCTOBER, bonus_rule, cohort_on, enrolled, held_sessions, mark, present

ROLES = [
    "anonymous",
    "learner",
    "instructor",  # teaches the Northside cohort the learner is in
    "other_instructor",  # teaches another Northside cohort
    "partner_staff",  # Northside
    "other_partner_staff",  # Unidos
    "manager",
]
NO_ADMIN = {"anonymous", "learner", "instructor", "other_instructor"}


def staff(role, partner, username):
    return assign_role(user=UserFactory(username=username), role=role, partner=partner)


class World:
    def __init__(self):
        self.rule = bonus_rule()
        self.partner = PartnerFactory(name="Northside Refugee Center", slug="northside")
        self.other_partner = PartnerFactory(name="Unidos Community Services", slug="unidos")
        self.instructor = staff(Role.INSTRUCTOR, self.partner, "amina.teacher")
        self.other_instructor = staff(Role.INSTRUCTOR, self.partner, "kevin.teacher")
        self.partner_staff = staff(Role.PARTNER_STAFF, self.partner, "desk.northside")
        self.other_partner_staff = staff(Role.PARTNER_STAFF, self.other_partner, "desk.unidos")
        self.manager = staff(Role.PROGRAM_MANAGER, None, "maya.manager")

        self.cohort = cohort_on(Track.ESOL, partner=self.partner, name="Northside Evening English")
        self.cohort.instructors.add(self.instructor)
        other_cohort_same_partner = cohort_on(Track.ESOL, partner=self.partner, name="Northside Mornings")
        other_cohort_same_partner.instructors.add(self.other_instructor)
        self.other_cohort = cohort_on(Track.ESOL, partner=self.other_partner, name="Unidos Citizenship")
        self.sessions = held_sessions(self.cohort)
        other_sessions = held_sessions(self.other_cohort)

        self.learner = Learner.objects.create(
            partner=self.partner, full_name="فاطمة الزهراء أحمد", preferred_name="Fatima", consent_data=True
        )
        self.learner.user = assign_role(user=UserFactory(username="fatima"), role=Role.LEARNER)
        self.learner.save()
        self.enrollment = enrolled(self.cohort, self.learner)
        mark(self.enrollment, self.sessions, present(8))
        self.second_learner = Learner.objects.create(partner=self.partner, full_name="王秀英", consent_data=True)
        mark(enrolled(self.cohort, self.second_learner), self.sessions, present(2, absent=6))
        self.other_learner = Learner.objects.create(
            partner=self.other_partner, full_name="María José Pérez", consent_data=True
        )
        self.other_learner.user = assign_role(user=UserFactory(username="maria"), role=Role.LEARNER)
        self.other_learner.save()
        mark(enrolled(self.other_cohort, self.other_learner), other_sessions, present(8))

    def user(self, role):
        if role == "anonymous":
            return None
        if role == "learner":
            return self.learner.user
        return getattr(self, role)

    def compute(self):
        services.compute_month(month=OCTOBER, by=self.manager)

    def bonus(self, learner):
        return MonthlyBonus.objects.get(learner=learner, month=OCTOBER)


def signed_in(client, user):
    if user is not None:
        client.force_login(user)
    return client


def page_text(response):
    return re.sub(r"\s+", " ", response.content.decode())


def messages_of(response):
    return [str(message).strip() for message in response.context["messages"]] if response.context else []


def assert_turned_away_to_login(response):
    assert response.status_code == 302
    assert response.url.startswith("/admin/login/")
