"""Factories for cohorts, and the people factories of tests/factories.py with them. Build only what a test needs."""

import datetime

import factory
from wagtail.models import Page

from cohorts.models import Attendance, Cohort, Enrollment, MeetingTime, Session
from courses.models import CoursePage, ProgramIndexPage, Track
from people.models import Role
from tests.factories import LearnerFactory, PartnerFactory, UserFactory


def course_page(title="English for Everyday Life", track=Track.ESOL):
    """A live CoursePage under a minimal page tree (created once per test database)."""
    existing = CoursePage.objects.filter(title=title).first()
    if existing:
        return existing
    index = ProgramIndexPage.objects.first()
    if index is None:
        from cms.models import HomePage

        home = HomePage.objects.first()
        if home is None:
            home = Page.get_first_root_node().add_child(
                instance=HomePage(title="Home", slug="home-test", heading="Home")
            )
        index = home.add_child(instance=ProgramIndexPage(title="Programs", slug="programs"))
    slug = title.lower().replace(" ", "-")
    return index.add_child(instance=CoursePage(title=title, slug=slug, track=track, summary="A course."))


class InstructorFactory(UserFactory):
    role = Role.INSTRUCTOR
    partner = factory.SubFactory(PartnerFactory)


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort
        skip_postgeneration_save = True

    course = factory.LazyFunction(course_page)
    partner = factory.SubFactory(PartnerFactory)
    name = factory.Sequence(lambda n: f"Cohort {n}")
    start_date = datetime.date(2026, 9, 1)
    end_date = datetime.date(2026, 12, 18)
    status = Cohort.Status.RUNNING
    location = "Room 4"

    @factory.post_generation
    def instructors(self, create, extracted, **kwargs):
        if create and extracted:
            self.instructors.add(*extracted)


class MeetingTimeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingTime

    cohort = factory.SubFactory(CohortFactory)
    weekday = MeetingTime.Weekday.MONDAY
    start_time = datetime.time(18, 0)
    end_time = datetime.time(20, 0)


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    cohort = factory.SubFactory(CohortFactory)
    date = datetime.date(2026, 10, 5)
    start_time = datetime.time(18, 0)
    end_time = datetime.time(20, 0)


class EnrollmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrollment

    cohort = factory.SubFactory(CohortFactory)
    learner = factory.SubFactory(LearnerFactory, partner=factory.SelfAttribute("..cohort.partner"))
    status = Enrollment.Status.ACTIVE
    enrolled_on = datetime.date(2026, 9, 1)


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    session = factory.SubFactory(SessionFactory)
    enrollment = factory.SubFactory(EnrollmentFactory, cohort=factory.SelfAttribute("..session.cohort"))
    status = Attendance.Status.PRESENT
