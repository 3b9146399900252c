"""Editing course pages in the Wagtail admin: what deleting, unpublishing and previewing do to a course,
its cohorts and its translations."""

import pytest
from wagtail.models import Page

from courses.models import CoursePage
from tests.builders import messages_of, page_text, signed_in
from tests.courses.test_translation import translate_everything
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


# --- previews -----------------------------------------------------------------------------------------------


def frame_ancestors(response):
    directives = dict(directive.strip().split(" ", 1) for directive in response["Content-Security-Policy"].split(";"))
    return directives["frame-ancestors"]


@pytest.mark.parametrize("which", ["home", "about", "programs", "course"])
def test_every_page_type_previews_in_a_frame_of_the_admin(site_tree, manager, client, which):
    page = {
        "home": site_tree.home,
        "about": site_tree.about,
        "programs": site_tree.programs,
        "course": site_tree.courses["everyday-english"],
    }[which]

    preview = signed_in(client, manager).get(f"/admin/pages/{page.pk}/view_draft/")

    assert preview.status_code == 200
    assert page.title in preview.content.decode()
    assert frame_ancestors(preview) == "'self'"


def test_the_public_page_still_refuses_every_frame(site_tree, client):
    public = client.get("/en/programs/everyday-english/")

    assert frame_ancestors(public) == "'none'"


# --- translations follow their English page -----------------------------------------------------------------


@pytest.fixture
def translated_course(site_tree, django_capture_on_commit_callbacks):
    """“English at Work” translated into Arabic with wagtail-localize and published (its alias replaced)."""
    course = site_tree.courses["english-at-work"]
    with django_capture_on_commit_callbacks(execute=True):
        translate_everything(course, site_tree.arabic, "ترجمة")
    arabic = site_tree.in_arabic(course)
    assert arabic.live and arabic.alias_of_id is None
    return course, arabic


def test_unpublishing_the_english_course_unpublishes_its_translations(translated_course, manager, client):
    course, arabic = translated_course
    assert client.get("/ar/programs/english-at-work/").status_code == 200

    signed_in(client, manager).post(f"/admin/pages/{course.pk}/unpublish/")

    arabic.refresh_from_db()
    assert not arabic.live
    client.logout()
    assert client.get("/en/programs/english-at-work/").status_code == 404
    assert client.get("/ar/programs/english-at-work/").status_code == 404


def test_unpublishing_only_the_arabic_course_leaves_the_english_one_live(translated_course, manager, client):
    course, arabic = translated_course

    signed_in(client, manager).post(f"/admin/pages/{arabic.pk}/unpublish/")

    course.refresh_from_db()
    assert course.live


def test_deleting_the_english_course_deletes_its_translations(translated_course, site_tree, manager, client):
    course, arabic = translated_course
    everyday = site_tree.courses["everyday-english"]  # its Arabic alias must be deleted with it, too

    signed_in(client, manager).post(f"/admin/pages/{course.pk}/delete/")
    signed_in(client, manager).post(f"/admin/pages/{everyday.pk}/delete/")

    assert not Page.objects.filter(translation_key=course.translation_key).exists()
    assert not Page.objects.filter(translation_key=everyday.translation_key).exists()
