"""Store the minimum: no model of ours may hold immigration status, visa, A-number, SSN, passport, national
ID or similar fields. Every app inside this repository is checked, including apps added later."""

import re
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import models
from django.test.utils import isolate_apps

# Matched against lower-case field names (and db_column), with "_" or the name's ends as word boundaries.
FORBIDDEN = {
    "immigration status": r"immigra\w*",
    "visa": r"(^|_)visas?(_|$)",
    "A-number (alien registration number)": r"(^|_)(a_?num(ber)?|alien\w*)(_|$)",
    "Social Security number": r"(^|_)ssns?(_|$)|social_?security",
    "ITIN (taxpayer number)": r"(^|_)itins?(_|$)",
    "passport": r"passport",
    "national ID": r"national_?id|(^|_)national_?(identity|number)",
    "I-94 record": r"(^|_)i_?94(_|$)",
    "USCIS case or document": r"uscis|green_?card|work_?permit|(^|_)ead_?(card|number)",
    "asylum or refugee case": r"asylum|refugee_?(status|case|number)",
    "legal status": r"(legal|citizenship|residency|residence)_?status|undocumented",
    "country of birth": r"country_?of_?birth|birth_?(country|place)|place_?of_?birth",
}
PATTERNS = {label: re.compile(pattern) for label, pattern in FORBIDDEN.items()}


def project_apps():
    """Apps whose code lives in this repository (not in the virtualenv): ours, now and later."""
    root = Path(settings.BASE_DIR).resolve()
    ours = []
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if path.is_relative_to(root) and not any(part.startswith(".") for part in path.relative_to(root).parts):
            ours.append(config)
    return ours


def forbidden_fields(model_classes):
    """(model label, field name, what it looks like) for every field named like data we must not hold."""
    found = []
    for model in model_classes:
        for field in model._meta.get_fields(include_hidden=False):
            if field.auto_created and not field.concrete:
                continue  # reverse relations are named after other models, which are checked themselves
            names = {field.name.lower(), (getattr(field, "db_column", None) or "").lower()} - {""}
            for label, pattern in PATTERNS.items():
                if any(pattern.search(name) for name in names):
                    found.append((model._meta.label, field.name, label))
    return found


def test_every_app_in_the_repository_is_checked():
    labels = {config.label for config in project_apps()}

    assert {"people", "cms", "courses", "cohorts", "incentives"} <= labels
    assert not labels & {"wagtailcore", "auth", "axes", "taggit"}  # libraries are not ours to rename
    fields = sum(len(model._meta.get_fields()) for config in project_apps() for model in config.get_models())
    assert fields > 100


def test_no_model_holds_immigration_or_identity_document_data():
    model_classes = [model for config in project_apps() for model in config.get_models()]

    found = forbidden_fields(model_classes)

    assert not found, (
        "Pathways must not store immigration status or identity numbers (see DESIGN.md, Privacy):\n"
        + "\n".join(
            f"  {model}.{field} looks like {label} — remove it, or rename it if it is something else"
            for model, field, label in found
        )
    )


@isolate_apps("tests.trust")
def test_the_check_catches_fields_named_like_immigration_data():
    class Applicant(models.Model):  # noqa: DJ008
        immigration_status = models.CharField(max_length=20)
        visa_type = models.CharField(max_length=20)
        a_number = models.CharField(max_length=9)
        alien_registration = models.CharField(max_length=9)
        ssn = models.CharField(max_length=11)
        social_security_number = models.CharField(max_length=11)
        passport_no = models.CharField(max_length=20)
        national_id = models.CharField(max_length=20)
        i94_number = models.CharField(max_length=20)
        green_card_expires = models.DateField()
        country_of_birth = models.CharField(max_length=2)
        notes = models.TextField(db_column="legal_status")

        class Meta:
            app_label = "trust"

    flagged = {field for _, field, _ in forbidden_fields([Applicant])}

    assert flagged == {field.name for field in Applicant._meta.concrete_fields} - {"id"}


@isolate_apps("tests.trust")
def test_the_check_leaves_ordinary_fields_alone():
    class Learner(models.Model):  # noqa: DJ008
        full_name = models.CharField(max_length=200)
        preferred_language = models.CharField(max_length=10)
        phone = models.CharField(max_length=20)
        data_number = models.IntegerField()
        national_holiday = models.BooleanField()
        visible = models.BooleanField()
        passed_on = models.DateField()
        seed_grant_amount = models.DecimalField(max_digits=8, decimal_places=2)

        class Meta:
            app_label = "trust"

    assert forbidden_fields([Learner]) == []
