"""Cohort names and terms in every site language, as a program manager edits them in the Wagtail admin: one
labelled input per language in the cohort's own form, each in its language's direction; all saved together,
and a name too long refused at its input, naming the language, with nothing saved."""

import pytest
from bs4 import BeautifulSoup

from cohorts.models import Cohort
from tests.builders import signed_in
from tests.cohorts.test_admin import cohort_form_data
from tests.cohorts.test_admin import world as admin_world  # noqa: F401

pytestmark = pytest.mark.django_db

# The five languages beside English, as the form labels them: each in its own name.
LANGUAGES = {
    "es": ("español", "ltr"),
    "pt-br": ("Português Brasileiro", "ltr"),
    "ht": ("Kreyòl ayisyen", "ltr"),
    "zh-hans": ("简体中文", "ltr"),
    "ar": ("العربيّة", "rtl"),
}
NAMES = {
    "es": "Inglés por la tarde",
    "pt-br": "Inglês à noite",
    "ht": "Anglè aswè",
    "zh-hans": "晚间英语",
    "ar": "الإنجليزية المسائية",
}
TERMS = {"es": "Otoño 2026", "ar": "خريف 2026"}


def edit(client, world, **changes):
    data = cohort_form_data(world.cohort, **changes)
    return signed_in(client, world.partner_staff).post(f"/admin/cohorts/edit/{world.cohort.pk}/", data)


def test_the_form_has_one_labelled_input_per_language_in_its_direction(client, admin_world):  # noqa: F811
    page = BeautifulSoup(
        signed_in(client, admin_world.partner_staff).get(f"/admin/cohorts/edit/{admin_world.cohort.pk}/").content,
        "html.parser",
    )
    for code, (language_name, direction) in LANGUAGES.items():
        field = page.find("input", attrs={"name": f"name_translations_{code}"})
        assert (field["lang"], field["dir"]) == (code, direction)
        assert page.find("label", attrs={"for": field["id"]}).get_text(strip=True) == language_name
    assert page.find("input", attrs={"name": "term_translations_ar"})["dir"] == "rtl"


def test_the_form_saves_the_name_in_all_six_languages(client, admin_world):  # noqa: F811
    changes = {f"name_translations_{code}": name for code, name in NAMES.items()}
    changes |= {f"term_translations_{code}": term for code, term in TERMS.items()}

    response = edit(client, admin_world, name="Evening English", term="Fall 2026", **changes)

    assert response.status_code == 302
    cohort = Cohort.objects.get(pk=admin_world.cohort.pk)
    assert (cohort.name, cohort.name_translations) == ("Evening English", NAMES)
    assert (cohort.term, cohort.term_translations) == ("Fall 2026", TERMS)
    assert cohort.name_in("ar") == "الإنجليزية المسائية" and cohort.term_in("pt-br") == "Fall 2026"


def test_a_name_too_long_is_refused_at_its_input_naming_the_language(client, admin_world):  # noqa: F811
    response = edit(client, admin_world, name_translations_ar="ع" * 151, name_translations_es="Inglés por la tarde")

    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    field = page.find("input", attrs={"name": "name_translations_ar"}).find_parent(attrs={"data-field": True})
    assert "العربيّة: Ensure this value has at most 150 characters (it has 151)." in field.get_text(" ", strip=True)
    assert Cohort.objects.get(pk=admin_world.cohort.pk).name_translations == {}  # nothing half-saved
