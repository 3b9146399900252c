"""Editing course pages in the Wagtail admin: what deleting, unpublishing and previewing do to a course,
its cohorts and its translations."""

import pytest

from courses.models import CoursePage
from tests.builders import messages_of, page_text, signed_in
from tests.factories_cohorts import CohortFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_course_with_cohorts_counts_them_as_its_usage(site_tree, manager, client):
    course = site_tree.courses["english-at-work"]
    CohortFactory(course=course, name="Tuesday Evening English")

    usage = page_text(signed_in(client, manager).get(f"/admin/pages/{course.pk}/usage/"))

    assert "Tuesday Evening English" in usage


@pytest.mark.parametrize("asked", ["get", "post"])
def test_deleting_a_course_with_cohorts_is_refused_with_a_message_naming_them(site_tree, manager, client, asked):
    course = site_tree.courses["english-at-work"]
    CohortFactory(course=course, name="Tuesday Evening English")
    signed_in(client, manager)

    answer = getattr(client, asked)(f"/admin/pages/{course.pk}/delete/", follow=True)

    assert answer.status_code == 200
    assert answer.redirect_chain[-1][0] == f"/admin/pages/{course.pk}/edit/"
    [message] = messages_of(answer)
    assert message.startswith(
        "“English at Work” cannot be deleted: the cohort Tuesday Evening English is scheduled for it. "
        "Unpublish it to take it off the site."
    )
    assert f'<a href="/admin/pages/{course.pk}/unpublish/"' in message  # offered as a button
    assert CoursePage.objects.filter(pk=course.pk).exists()


def test_deleting_the_programs_page_above_courses_with_cohorts_is_refused(site_tree, client):
    administrator = UserFactory(is_superuser=True)  # managers may not delete the programs page at all
    CohortFactory(course=site_tree.courses["english-at-work"], name="Tuesday Evening English")
    CohortFactory(course=site_tree.courses["start-your-business"], name="Spring Founders")

    answer = signed_in(client, administrator).post(f"/admin/pages/{site_tree.programs.pk}/delete/", follow=True)

    [message] = messages_of(answer)
    assert message.startswith(
        "“Programs” cannot be deleted: 2 cohorts are scheduled for it (Spring Founders, Tuesday Evening English). "
        "Unpublish it to take it off the site."
    )
    assert CoursePage.objects.count() == 8  # four courses and their Arabic aliases


def test_a_course_without_cohorts_is_deleted(site_tree, manager, client):
    course = site_tree.courses["english-at-work"]

    signed_in(client, manager).post(f"/admin/pages/{course.pk}/delete/")

    assert not CoursePage.objects.filter(pk=course.pk).exists()
