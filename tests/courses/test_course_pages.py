"""The public course finder (program index with filters) and a course page's syllabus."""

import re
from html import unescape

import pytest

from courses.models import CoursePage, Format, Level, Track
from tests.builders import page_text

PROGRAMS = "/en/programs/"


def listed_titles(response):
    """The course titles on the program index, in order, as a visitor reads them."""
    return [
        unescape(title)
        for title in re.findall(r'class="card__title"[^>]*><a [^>]*>([^<]+)</a>', response.content.decode())
    ]


def field_errors(response):
    return re.findall(r'<p class="field__error">([^<]+)</p>', response.content.decode())


# --- listing and filtering ----------------------------------------------------------------------


def test_program_index_lists_the_live_courses_only(site_tree, client):
    site_tree.add_course("draft-course", title="A Draft Course", live=False)

    response = client.get(PROGRAMS)

    assert response.status_code == 200
    assert listed_titles(response) == [
        "English at Work",
        "English for Everyday Life",
        "Start Your Business",
        "Warehouse and Forklift Skills",
    ]
    assert "4 courses" in response.content.decode()


def test_filter_by_track_shows_only_that_tracks_courses(site_tree, client):
    response = client.get(PROGRAMS, {"track": Track.ESOL})

    assert listed_titles(response) == ["English at Work", "English for Everyday Life"]


def test_filter_by_level_includes_courses_open_to_all_levels(site_tree, client):
    # "Warehouse and Forklift Skills" is for all levels, so a beginner is shown it too (intended).
    response = client.get(PROGRAMS, {"level": Level.BEGINNER})

    assert listed_titles(response) == ["English for Everyday Life", "Warehouse and Forklift Skills"]


def test_filter_by_language_of_instruction_shows_courses_taught_in_it(site_tree, client):
    arabic = site_tree.languages["ar"]

    response = client.get(PROGRAMS, {"language": arabic.pk})

    assert listed_titles(response) == ["English for Everyday Life", "Start Your Business"]


def test_filtering_by_one_language_still_shows_every_language_a_course_is_taught_in(site_tree, client):
    response = client.get(PROGRAMS, {"language": site_tree.languages["ar"].pk})

    assert "Taught in: <bdi>Arabic (العربية)</bdi>, <bdi>Spanish (Español)</bdi>" in response.content.decode()


def test_filter_by_format_shows_only_that_format(site_tree, client):
    response = client.get(PROGRAMS, {"format": Format.ONLINE})

    assert listed_titles(response) == ["English at Work", "Start Your Business"]


def test_filters_combine(site_tree, client):
    response = client.get(PROGRAMS, {"track": Track.ESOL, "format": Format.ONLINE, "level": Level.INTERMEDIATE})

    assert listed_titles(response) == ["English at Work"]


def test_filters_matching_nothing_say_so(site_tree, client):
    response = client.get(PROGRAMS, {"track": Track.JOB_TRAINING, "format": Format.ONLINE})

    assert listed_titles(response) == []
    assert "No course matches all of these choices." in response.content.decode()


@pytest.mark.parametrize(
    ("parameter", "value"), [("track", "nonsense"), ("level", "expert"), ("format", "by-mail"), ("language", "99999")]
)
def test_invalid_filter_value_shows_an_error_instead_of_failing(site_tree, client, parameter, value):
    response = client.get(PROGRAMS, {parameter: value})

    assert response.status_code == 200
    errors = field_errors(response)
    assert len(errors) == 1 and "Select a valid choice" in errors[0], errors


# --- query counts -------------------------------------------------------------------------------

# Measured on SQLite and PostgreSQL, the same with 3 or 9 courses:
# routing (site, locale, home, "programs" by slug, its specific row, ancestors' aliases,
# view restrictions of the page and of the listed courses) = 8; branding, the main menu and the
# language switcher come from the cache (cms.chrome);
# the filter form's language choices = 1; the courses = 1; their languages (prefetched) = 1.
PROGRAM_INDEX_QUERIES = 11


@pytest.mark.parametrize("number_of_courses", [3, 9])
def test_program_index_queries_do_not_grow_with_the_number_of_courses(
    site_tree, client, django_assert_max_num_queries, number_of_courses
):
    courses = list(site_tree.courses.values())
    CoursePage.objects.filter(pk__in=[course.pk for course in courses[number_of_courses:]]).update(live=False)
    for number in range(len(courses), number_of_courses):
        site_tree.add_course(f"course-{number}", languages=["ar", "es"], in_arabic=False)
    client.get(PROGRAMS)  # creates the branding row, as the first visit ever would
    client.get(PROGRAMS)  # fills the caches, as any earlier visit would

    with django_assert_max_num_queries(PROGRAM_INDEX_QUERIES):
        response = client.get(PROGRAMS)

    assert len(listed_titles(response)) == number_of_courses


# --- a course page ------------------------------------------------------------------------------


def test_course_page_renders_units_vocabulary_translations_and_checklist(site_tree, client):
    response = client.get("/en/programs/everyday-english/")

    page = response.content.decode()
    assert response.status_code == 200
    assert '<h3 class="unit__title">Meeting people</h3>' in page
    assert '<h3 class="unit__title">At the clinic</h3>' in page
    assert '<dt lang="en" dir="ltr">Hello</dt>' in page
    assert '<dd lang="es" dir="auto">Hola</dd>' in page
    assert '<dd lang="ar" dir="auto">مرحبا</dd>' in page
    assert "<li>Say my name</li>" in page and "<li>Spell my name</li>" in page


def test_course_page_lists_its_languages_of_instruction(site_tree, client):
    page = client.get("/en/programs/everyday-english/").content.decode()

    assert "<bdi>Arabic (العربية)</bdi>" in page and "<bdi>Spanish (Español)</bdi>" in page
    assert "Dari" not in page


def test_arabic_course_page_renders_right_to_left_with_its_syllabus(site_tree, client):
    response = client.get("/ar/programs/everyday-english/")

    page = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="ar" dir="rtl">' in page
    assert '<h3 class="unit__title">Meeting people</h3>' in page


def test_untranslated_english_inside_the_arabic_site_is_marked_english_left_to_right(site_tree, client):
    """The Arabic course page is still an alias of the English one: its text is English, the page around it
    Arabic. Its own text says so, so it is not laid out right to left; the site's words stay Arabic."""
    page = page_text(client.get("/ar/programs/everyday-english/"))

    assert '<html lang="ar" dir="rtl">' in page
    assert '<h1 lang="en" dir="ltr">English for Everyday Life</h1>' in page
    assert '<p class="lead" lang="en" dir="ltr">Summary of everyday-english.</p>' in page
    assert '<div lang="en" dir="ltr"><div class="w-block-unit block-unit"> <details class="unit"' in page
    index = page_text(client.get("/ar/programs/"))
    assert '<h2 class="card__title" lang="en" dir="ltr"><a href="/ar/programs/everyday-english/">' in index


def test_a_page_in_the_language_being_read_carries_no_other_language(site_tree, client):
    page = page_text(client.get("/en/programs/everyday-english/"))

    assert '<h1 dir="auto">English for Everyday Life</h1>' in page
    assert 'lang="ar"' not in page.split("<main", 1)[1].split("Taught in")[0]
