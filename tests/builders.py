"""Builders the cohort, bonus, credential and outcome tests share: a fixed clock, staff by role, two partners
with one user per role, a cohort on a track, held sessions, enrollments, attendance marks and milestones, and
what a test reads from a response.

Everything is built in bulk and only as far as a test needs. Sessions are two hours long (18:00–20:00)
unless a test says otherwise, so hours are easy to count: attended sessions × 2.
"""

import datetime
import re

from django.utils import timezone

from cohorts.models import Attendance, Enrollment, Session
from courses.models import Track
from incentives.models import MilestoneAchievement, MilestoneType
from people.models import Learner, Role
from people.services import assign_role
from tests.factories_cohorts import CohortFactory, PartnerFactory, UserFactory, course_page

# --- the clock -----------------------------------------------------------------------------------------------


class Clock:
    """What `timezone.now()` returns in a test; `advance` moves it on."""

    def __init__(self, now):
        self.now = now

    def advance(self, **delta):
        self.now += datetime.timedelta(**delta)


def stop_clock(monkeypatch, now):
    """`timezone.now()` returns `now` (then whatever the returned Clock is set or advanced to)."""
    clock = Clock(now)
    monkeypatch.setattr(timezone, "now", lambda: clock.now)
    return clock


# --- people --------------------------------------------------------------------------------------------------


def staff(role, partner, username):
    return assign_role(user=UserFactory(username=username), role=role, partner=partner)


# The roles the permission matrices name; `user(role)` of a world below is who signs in for each.
ROLES = [
    "anonymous",
    "learner",  # a learner of the partner's cohort
    "other_learner",  # in another partner's cohort
    "instructor",  # teaches the learner's cohort
    "other_instructor",  # teaches another cohort of the same partner
    "partner_staff",  # the learner's partner
    "other_partner_staff",
    "manager",
]


class UsersByRole:
    """A world whose attributes are named by role: `user(role)` is who signs in for it (the learners'
    accounts for "learner" and "other_learner"; no one for "anonymous")."""

    def user(self, role):
        if role == "anonymous":
            return None
        if role in ("learner", "other_learner"):
            return getattr(self, role).user
        return getattr(self, role)


class TwoPartners(UsersByRole):
    """Northside and Unidos, and one user per staff role: Northside's two instructors and its desk, Unidos's
    desk, and a program manager. Learners are the subclass's (`learner`, `other_learner`, with accounts)."""

    def __init__(self):
        self.partner = PartnerFactory(name="Northside Refugee Center", slug="northside")
        self.other_partner = PartnerFactory(name="Unidos Community Services", slug="unidos")
        self.instructor = staff(Role.INSTRUCTOR, self.partner, "amina.teacher")
        self.other_instructor = staff(Role.INSTRUCTOR, self.partner, "kevin.teacher")
        self.partner_staff = staff(Role.PARTNER_STAFF, self.partner, "desk.northside")
        self.other_partner_staff = staff(Role.PARTNER_STAFF, self.other_partner, "desk.unidos")
        self.manager = staff(Role.PROGRAM_MANAGER, None, "maya.manager")


# --- cohorts, sessions, enrollments, marks -------------------------------------------------------------------

COURSE_TITLES = {
    Track.ESOL: "English for Everyday Life",
    Track.JOB_TRAINING: "Warehouse Skills",
    Track.ENTREPRENEURSHIP: "Start Your Business",
}


def cohort_on(track=Track.ESOL, *, time_zone="America/New_York", partner=None, **fields):
    """A cohort of the track's course (one course per track), meeting in New York's time zone."""
    course = course_page(title=COURSE_TITLES[track], track=track)
    return CohortFactory(course=course, time_zone=time_zone, partner=partner or PartnerFactory(), **fields)


def held_sessions(cohort, days, *, cancelled=(), start=datetime.time(18, 0), end=datetime.time(20, 0)):
    """Sessions on `days` (the cohort's local dates); those in `cancelled` are cancelled."""
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
    """An active enrollment since 1 September (of a new learner called `name` unless one is given)."""
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


class ProgramOfTwoPartners(TwoPartners):
    """`TwoPartners`, each with an ESOL cohort that held classes on `days`: Northside's is taught by the
    instructor (the other instructor teaches another Northside cohort). Fatima (with a portal account and
    `learner_fields`) came to every Northside class and Wang Xiuying to the first `second_learner_came`;
    María (with an account) came to every Unidos class."""

    def __init__(self, *, days, second_learner_came, **learner_fields):
        super().__init__()
        self.cohort = cohort_on(Track.ESOL, partner=self.partner, name="Northside Evening English")
        self.cohort.instructors.add(self.instructor)
        self.other_cohort_same_partner = cohort_on(Track.ESOL, partner=self.partner, name="Northside Mornings")
        self.other_cohort_same_partner.instructors.add(self.other_instructor)
        self.other_cohort = cohort_on(Track.ESOL, partner=self.other_partner, name="Unidos Citizenship")
        self.sessions = held_sessions(self.cohort, days)
        other_sessions = held_sessions(self.other_cohort, days)

        self.learner = Learner.objects.create(
            partner=self.partner,
            full_name="فاطمة الزهراء أحمد",
            preferred_name="Fatima",
            consent_data=True,
            **learner_fields,
        )
        self.learner.user = assign_role(user=UserFactory(username="fatima"), role=Role.LEARNER)
        self.learner.save()
        self.enrollment = enrolled(self.cohort, self.learner)
        mark(self.enrollment, self.sessions, present(len(days)))
        self.second_learner = Learner.objects.create(partner=self.partner, full_name="王秀英", consent_data=True)
        came = second_learner_came
        mark(enrolled(self.cohort, self.second_learner), self.sessions, present(came, absent=len(days) - came))
        self.other_learner = Learner.objects.create(
            partner=self.other_partner, full_name="María José Pérez", consent_data=True
        )
        self.other_learner.user = assign_role(user=UserFactory(username="maria"), role=Role.LEARNER)
        self.other_learner.save()
        mark(enrolled(self.other_cohort, self.other_learner), other_sessions, present(len(days)))


# --- milestones ----------------------------------------------------------------------------------------------


def milestone_type(name="Business license", slug=None, **fields):
    fields.setdefault("track", Track.ENTREPRENEURSHIP)
    return MilestoneType.objects.create(name=name, slug=slug or name.lower().replace(" ", "-"), **fields)


def reached(learner, milestone, status=MilestoneAchievement.Status.VERIFIED, day=datetime.date(2026, 10, 20), **fields):
    return MilestoneAchievement.objects.create(
        learner=learner,
        milestone_type=milestone,
        achieved_on=day,
        status=status,
        rejection_reason="Blurry photo" if status == MilestoneAchievement.Status.REJECTED else "",
        **fields,
    )


# --- responses -----------------------------------------------------------------------------------------------


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
