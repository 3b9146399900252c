"""Every user-facing string of ours is translated into every language we serve.

The catalogs are regenerated from the source as a developer would (makemessages, on a copy of the project so
the committed files are left alone): a string added to a template, form, email, PDF or API error without its
translation leaves an empty msgstr there, and the test names it. The catalogs must also compile cleanly, with
every placeholder kept (msgfmt --check), and a compiled catalog must actually change what a page says.
"""

import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation

LANGUAGES = ["es", "pt_BR", "ht", "zh_Hans", "ar"]
# What makemessages leaves out, as in the README's command for translators.
IGNORED = [".venv/*", "node_modules/*", "tests/*", "scripts/*"]
NOT_SOURCE = (".venv", "node_modules", ".git", "media", "private", "staticfiles", "screenshots", "tests", ".benchmarks")

ROOT = Path(settings.BASE_DIR)


def untranslated(entry):
    if entry.obsolete:
        return False
    if "fuzzy" in entry.flags:
        return True
    if entry.msgid_plural:
        return not entry.msgstr_plural or not all(entry.msgstr_plural.values())
    return not entry.msgstr


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory, django_db_blocker):
    """The catalogs as makemessages makes them from today's source, in a copy of the project."""
    copy = tmp_path_factory.mktemp("project") / "project"
    shutil.copytree(
        ROOT,
        copy,
        ignore=lambda directory, names: [
            name
            for name in names
            if (Path(directory) == ROOT and name in NOT_SOURCE) or name in ("__pycache__",) or name.endswith(".mo")
        ],
    )
    with pytest.MonkeyPatch.context() as patch, override_settings(LOCALE_PATHS=[copy / "locale"]):
        patch.chdir(copy)
        call_command("makemessages", locale=LANGUAGES, ignore_patterns=IGNORED, no_obsolete=True, verbosity=0)
    return {
        language: polib.pofile(str(copy / "locale" / language / "LC_MESSAGES" / "django.po")) for language in LANGUAGES
    }


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_of_ours_has_a_translation(regenerated, language):
    catalog = regenerated[language]
    missing = [entry for entry in catalog if untranslated(entry)]

    assert len(catalog) > 1000  # the catalog really was built from the source
    assert not missing, f"{len(missing)} string(s) without a {language} translation, e.g.:\n" + "\n".join(
        f"  {entry.msgid!r} ({', '.join(f'{path}:{line}' for path, line in entry.occurrences[:2])})"
        for entry in missing[:25]
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_committed_catalog_compiles_with_every_placeholder_kept(language):
    source = ROOT / "locale" / language / "LC_MESSAGES" / "django.po"

    result = subprocess.run(
        ["msgfmt", "--check", "--output-file=/dev/null", str(source)], capture_output=True, text=True
    )

    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("language", "expected"),
    [("es", "Iniciar sesión"), ("ar", None), ("zh-hans", None), ("pt-br", None), ("ht", None)],
)
def test_compiled_catalogs_change_what_users_read(language, expected):
    with translation.override(language):
        signed_in = str(translation.gettext("Sign in"))

    assert signed_in != "Sign in"
    if expected:
        assert signed_in == expected
