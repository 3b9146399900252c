"""Course pages are translated with wagtail-localize and served in the translated language."""

import pytest
from wagtail.models import Locale, Page, Site
from wagtail_localize.models import StringTranslation, TranslationSource

from cms.models import HomePage
from courses.models import CoursePage, ProgramIndexPage, Track


@pytest.fixture
def english_course(db):
    root = Page.get_first_root_node()
    Page.objects.filter(depth=2).delete()
    home = root.add_child(instance=HomePage(title="Home", slug="home", heading="Welcome"))
    Site.objects.update_or_create(is_default_site=True, defaults={"hostname": "localhost", "root_page": home})
    index = home.add_child(instance=ProgramIndexPage(title="Programs", slug="programs"))
    syllabus = CoursePage._meta.get_field("syllabus").stream_block.to_python(
        [
            {
                "type": "unit",
                "value": {
                    "title": "Meeting people",
                    "summary": "",
                    "content": [{"type": "text", "value": "<p>Say your name.</p>"}],
                },
            }
        ]
    )
    list(syllabus)  # build blocks so they are stored with ids
    return index.add_child(
        instance=CoursePage(
            title="English for Everyday Life",
            slug="everyday",
            track=Track.ESOL,
            summary="For adults new to English.",
            syllabus=syllabus,
        )
    )


def translate_everything(page, locale, prefix):
    source, _created = TranslationSource.get_or_create_from_instance(page)
    for segment in source.stringsegment_set.select_related("string"):
        StringTranslation.objects.update_or_create(
            translation_of=segment.string,
            locale=locale,
            context=segment.context,
            defaults={"data": f"{prefix} {segment.string.data}"},
        )
    translation, _created = source.create_or_update_translation(locale, publish=True)
    return translation


def test_translated_course_page_is_served_in_arabic_with_its_own_text(
    english_course, client, django_capture_on_commit_callbacks
):
    arabic = Locale.objects.create(language_code="ar")
    # wagtail-localize publishes a translation after its transaction commits;
    # each page is translated in its own step, parents first, as in the admin.
    for page in [*english_course.get_ancestors().filter(depth__gt=1), english_course]:
        with django_capture_on_commit_callbacks(execute=True):
            translation = translate_everything(page.specific, arabic, "ترجمة")

    translation = CoursePage.objects.get(pk=translation.pk)
    assert translation.live and translation.locale == arabic
    assert translation.translation_key == english_course.translation_key
    url = translation.get_url()
    assert url.startswith("/ar/")
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'dir="rtl"' in html
    assert "ترجمة For adults new to English." in html
    assert "ترجمة Meeting people" in html
    # The English page is untouched.
    english = client.get("/en/programs/everyday/").content.decode()
    assert "ترجمة" not in english and "For adults new to English." in english


def test_language_switcher_on_a_translated_page_leads_to_the_translation(
    english_course, client, django_capture_on_commit_callbacks
):
    spanish = Locale.objects.create(language_code="es")
    for page in [*english_course.get_ancestors().filter(depth__gt=1), english_course]:
        with django_capture_on_commit_callbacks(execute=True):
            translation = translate_everything(page.specific, spanish, "ES")
    translation = CoursePage.objects.get(pk=translation.pk)
    translation.slug = "vida-diaria"
    translation.save_revision().publish()
    spanish_url = CoursePage.objects.get(pk=translation.pk).get_url()
    assert spanish_url.startswith("/es/") and spanish_url.endswith("/vida-diaria/")

    html = client.get("/en/programs/everyday/").content.decode()
    # The Spanish button's hidden "next" is the translated page, with its translated slug.
    assert f'name="next" value="{spanish_url}"' in html
    response = client.post("/i18n/setlang/", {"language": "es", "next": spanish_url})
    assert response.status_code == 302 and response["Location"] == spanish_url
    spanish_page = client.get(response["Location"])
    assert spanish_page.status_code == 200 and "ES For adults new to English." in spanish_page.content.decode()


def test_a_translator_sees_the_vocabulary_title_but_not_its_words_or_language_codes(site_tree):
    course = site_tree.courses["everyday-english"]

    source, _created = TranslationSource.get_or_create_from_instance(course)
    strings = {segment.string.data for segment in source.stringsegment_set.select_related("string")}

    assert "Greetings" in strings and "Say my name" in strings  # the list's title and the checklist are text
    assert not strings & {"es", "ar", "Hello", "Hola", "مرحبا", "Hello, my name is Ana."}


def test_a_translated_vocabulary_list_keeps_every_word_and_language(site_tree, django_capture_on_commit_callbacks):
    course = site_tree.courses["everyday-english"]
    spanish = Locale.objects.create(language_code="es")
    for page in [*course.get_ancestors().filter(depth__gt=1), course]:
        with django_capture_on_commit_callbacks(execute=True):
            translation = translate_everything(page.specific, spanish, "(es)")

    unit = CoursePage.objects.get(pk=translation.pk).syllabus[0].value
    vocabulary = next(block.value for block in unit["content"] if block.block_type == "vocabulary")
    entry = vocabulary["entries"][0]
    assert vocabulary["title"] == "(es) Greetings"
    assert entry["term"] == "Hello" and entry["example"] == "Hello, my name is Ana."
    assert [(item["language"], item["text"]) for item in entry["translations"]] == [("es", "Hola"), ("ar", "مرحبا")]
