"""A name an employer can read: a learner whose name is in another script may have, from their official
papers, the Latin-letter form of it (typed by staff or by themself, never guessed). It is printed as a second
line under the name, kept on the credential as printed, shown on the verification page and the bulk preview,
exported with the learner's data and erased with it."""

import io
import json
import subprocess
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from wagtail.models import ModelLogEntry

from credentials.models import Credential
from credentials.services import issue_credential
from people import privacy
from people.models import Learner, validate_latin_script
from tests.builders import page_text

from .world import signed_in

pytestmark = pytest.mark.django_db

FATIMA_LATIN = "Fatima al-Zahra Ahmed"


@pytest.fixture(autouse=True)
def fresh_limits():
    cache.clear()
    yield
    cache.clear()


def pdftotext(path):
    output = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(output.split())


def issue(world, learner=None, cohort=None):
    return issue_credential(
        learner=learner or world.learner, pathway=world.pathway, cohort=cohort or world.cohort, by=world.manager
    )


def with_latin_name(learner, name):
    learner.name_latin = name
    learner.save()
    return learner


# --- what counts as Latin letters ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["Fatima al-Zahra Ahmed", "Nguyễn Thị Hoa", "Seán O'Brien", "Wang Xiuying", "Marie-Ange Désir", "J. Smith"]
)
def test_names_in_latin_letters_with_accents_are_accepted(name):
    validate_latin_script(name)


@pytest.mark.parametrize("name", ["فاطمة", "王秀英", "Ольга Петренко", "Fatima 2", "Fatima فاطمة", "<b>Ali</b>", "---"])
def test_other_scripts_digits_and_symbols_are_refused_with_a_clear_message(name):
    with pytest.raises(ValidationError) as refused:
        validate_latin_script(name)

    assert refused.value.messages == [
        "Write this name in Latin letters (A to Z, accents allowed), as on the learner's official papers."
    ]


# --- the certificate ---------------------------------------------------------------------------------------------


def test_an_arabic_name_is_printed_with_the_latin_form_from_her_papers_under_it(world):
    with_latin_name(world.learner, FATIMA_LATIN)

    credential = issue(world)

    assert credential.name_latin_as_printed == FATIMA_LATIN
    text = pdftotext(Path(credential.pdf.path))
    assert FATIMA_LATIN in text
    assert "فاطمة" in text or "ﻓﺎﻃﻤﺔ" in text  # the name as she writes it is still the first line


def test_a_name_already_in_latin_letters_gets_no_second_line(world):
    with_latin_name(world.other_learner, "Maria Jose Perez")

    credential = issue(world, world.other_learner, world.other_cohort)

    assert credential.name_latin_as_printed == ""
    text = pdftotext(Path(credential.pdf.path))
    assert "María José Pérez" in text and "Maria Jose Perez" not in text


def test_without_a_latin_form_on_file_nothing_is_guessed(world):
    credential = issue(world)

    assert credential.name_latin_as_printed == ""
    assert "Fatima" not in pdftotext(Path(credential.pdf.path))  # not even her preferred name, nor a transliteration


def test_the_verification_page_shows_both_lines_and_accepts_the_latin_form_as_the_name(client, world):
    with_latin_name(world.learner, FATIMA_LATIN)
    credential = issue(world)
    url = f"/verify/{credential.verification_code}/"

    shown = page_text(client.get(url))
    Credential.objects.filter(pk=credential.pk).update(shown_publicly=False)
    typed_latin = page_text(client.post(url, {"name": "fatima al zahra ahmed"}))

    assert "فاطمة الزهراء أحمد" in shown
    assert f'<bdi dir="ltr">{FATIMA_LATIN}</bdi>' in shown
    assert "This certificate is valid." in typed_latin and FATIMA_LATIN in typed_latin


def test_a_credential_keeps_the_latin_line_it_printed_after_the_learner_changes_it(world):
    with_latin_name(world.learner, FATIMA_LATIN)
    credential = issue(world)

    with_latin_name(world.learner, "Fatema Ahmad")

    credential.refresh_from_db()
    assert credential.name_latin_as_printed == FATIMA_LATIN


# --- the bulk preview ----------------------------------------------------------------------------------------


def test_the_bulk_preview_shows_both_forms_of_each_name_isolated(client, world):
    with_latin_name(world.learner, FATIMA_LATIN)
    signed_in(client, world.manager)

    text = page_text(
        client.get(f"/admin/certificate-batches/preview/?cohort={world.cohort.pk}&pathway={world.pathway.pk}")
    )

    assert f'<bdi dir="auto">فاطمة الزهراء أحمد</bdi><br><bdi dir="ltr">{FATIMA_LATIN}</bdi>' in text
    # Wang Xiuying (not eligible) has no Latin form on file: the preview says so rather than guess one.
    assert '<bdi dir="auto">王秀英</bdi><br><small>No name in Latin letters on file</small>' in text


# --- the learner, and staff, enter it ---------------------------------------------------------------------------


def in_english(client):
    """Fatima reads the portal in Arabic; these tests read it in English, as her language switcher allows."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_the_learner_adds_the_latin_form_of_her_name_herself(client, world):
    signed_in(in_english(client), world.learner.user)

    page = page_text(client.get("/learn/name/"))
    response = client.post("/learn/name/", {"name_latin": f"  {FATIMA_LATIN} "})

    assert "فاطمة الزهراء أحمد" in page and "passport or work permit" in page
    assert response.status_code == 302 and response.url == "/learn/name/"
    assert Learner.objects.get(pk=world.learner.pk).name_latin == FATIMA_LATIN
    assert ModelLogEntry.objects.filter(action="people.learner.name_latin", user=world.learner.user).count() == 1
    world.learner.refresh_from_db()
    assert issue(world).name_latin_as_printed == FATIMA_LATIN


def test_a_name_in_another_script_is_refused_on_the_field_and_nothing_changes(client, world):
    with_latin_name(world.learner, FATIMA_LATIN)
    signed_in(in_english(client), world.learner.user)

    response = client.post("/learn/name/", {"name_latin": "فاطمة"})

    assert response.status_code == 400
    assert "Write this name in Latin letters" in page_text(response)
    assert Learner.objects.get(pk=world.learner.pk).name_latin == FATIMA_LATIN


def test_the_instructor_enters_it_when_adding_someone_new(client, world):
    signed_in(client, world.instructor)
    data = {
        "form": "new",
        "new-full_name": "ዮሐንስ ተስፋዬ",
        "new-name_latin": "Yohannes Tesfaye",
        "new-preferred_language": "en",
        "new-consent_data": "on",
    }

    refused = client.post(f"/teach/cohorts/{world.cohort.pk}/add/", {**data, "new-name_latin": "ዮሐንስ"})
    added = client.post(f"/teach/cohorts/{world.cohort.pk}/add/", data)

    assert refused.status_code == 400 and "Write this name in Latin letters" in page_text(refused)
    assert added.status_code == 302
    assert Learner.objects.get(full_name="ዮሐንስ ተስፋዬ").name_latin == "Yohannes Tesfaye"


# --- export and erasure -----------------------------------------------------------------------------------------


def test_the_learners_data_export_holds_the_latin_form(world):
    with_latin_name(world.learner, FATIMA_LATIN)
    issue(world)

    archive = zipfile.ZipFile(io.BytesIO(privacy.export_learner(world.learner, by=world.manager)))
    document = json.loads(archive.read("learner.json"))

    assert document["learner"]["name_latin"] == FATIMA_LATIN
    assert document["records"]["credentials.Credential"][0]["name_latin_as_printed"] == FATIMA_LATIN


def test_erasure_removes_the_latin_form_from_the_learner_and_the_certificate(world, django_capture_on_commit_callbacks):
    with_latin_name(world.learner, FATIMA_LATIN)
    credential = issue(world)

    with django_capture_on_commit_callbacks(execute=True):
        privacy.erase_learner(world.learner, by=world.manager)

    credential.refresh_from_db()
    assert Learner.objects.get(pk=world.learner.pk).name_latin == ""
    assert credential.name_latin_as_printed == ""
    assert not Learner.objects.filter(name_latin__icontains="Fatima").exists()
    assert not Credential.objects.filter(name_latin_as_printed__icontains="Fatima").exists()


def test_staff_enter_it_in_the_learners_admin_and_other_scripts_are_refused_on_the_field(client, world):
    signed_in(client, world.partner_staff)
    learner = world.learner
    data = {
        "full_name": learner.full_name,
        "preferred_name": learner.preferred_name,
        "partner": learner.partner_id,
        "preferred_language": learner.preferred_language,
        "phone": "",
        "email": learner.email,
        "consent_data": "on",
    }

    refused = client.post(f"/admin/learners/edit/{learner.pk}/", {**data, "name_latin": "Фатима"})
    saved = client.post(f"/admin/learners/edit/{learner.pk}/", {**data, "name_latin": FATIMA_LATIN})

    assert refused.status_code == 200 and "Write this name in Latin letters" in page_text(refused)
    assert saved.status_code == 302
    assert Learner.objects.get(pk=learner.pk).name_latin == FATIMA_LATIN


def test_a_roster_file_may_carry_the_latin_form_in_its_own_column_checked_row_by_row(world):
    from cohorts import imports

    data = (
        "\ufeffName,Phone,Name as on passport\r\n"
        "ዮሐንስ ተስፋዬ,+1 555 010 3000,Yohannes Tesfaye\r\n"
        "Олег Бондар,+1 555 010 3001,Олег\r\n"
    ).encode("utf-8")

    roster = imports.check_roster(imports.read_roster(data), cohort=world.cohort)
    good, bad = roster.rows

    assert good.is_valid
    assert bad.field_errors("name_latin") == [
        "Write this name in Latin letters (A to Z, accents allowed), as on the learner's official papers."
    ]
    imports.import_roster(cohort=world.cohort, rows=[good], by=world.instructor, consent_data=True)
    assert Learner.objects.get(full_name="ዮሐንስ ተስፋዬ").name_latin == "Yohannes Tesfaye"
    assert not Learner.objects.filter(full_name="Олег Бондар").exists()


def test_the_api_verification_agrees_with_the_page(client, world):
    with_latin_name(world.learner, FATIMA_LATIN)
    credential = issue(world)
    Credential.objects.filter(pk=credential.pk).update(shown_publicly=False)
    url = f"/api/v1/verify/{credential.verification_code}"

    answer = client.post(url, {"name": "Fatima al-Zahra AHMED"}, content_type="application/json").json()

    assert answer["details_shown"] is True
    assert (answer["name"], answer["name_latin"]) == ("فاطمة الزهراء أحمد", FATIMA_LATIN)
