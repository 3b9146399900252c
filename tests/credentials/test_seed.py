"""demo.credentials.seed_credentials (called by seed_demo once wired in): a bilingual certificate template, the
program's pathways, and issued certificates (one revoked) — and nothing new the second time."""

from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from wagtail.models import Locale

from credentials.eligibility import cohort_eligibility
from credentials.models import CertificateTemplate, Credential, CredentialPathway
from demo.credentials import seed_credentials
from demo.incentives import seed_incentives


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", stdout=StringIO())
        seed_incentives(StringIO())
        seed_credentials(StringIO())
        yield
        transaction.set_rollback(True)
    cache.clear()


def row_counts():
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def test_seeding_credentials_twice_changes_no_row(seeded, db):
    before = row_counts()

    seed_credentials(StringIO())

    after = row_counts()
    assert {label: (count, after[label]) for label, count in before.items() if after[label] != count} == {}


def test_the_template_is_in_english_and_arabic(seeded, db):
    english = CertificateTemplate.objects.get(name="Pathways certificate", locale__language_code="en")
    arabic = english.get_translation(Locale.objects.get(language_code="ar"))

    assert arabic.title == "شهادة إتمام"


def test_each_partner_has_its_own_director_and_no_drawn_signature(seeded, db):
    from wagtail.images import get_image_model

    from people.models import Partner

    directors = {
        partner.slug: [(p.name, p.role) for p in partner.signatories.all()] for partner in Partner.objects.all()
    }

    assert directors["northside"] == [("Samira Haddad", "Executive Director")]
    assert directors["unidos"] == [("Rosa Delgado", "Executive Director")]
    assert directors["horn-of-africa"] == [("Tesfaye Alemu", "Executive Director")]
    assert not get_image_model().objects.filter(title__startswith="Signature").exists()


def test_unidos_certificates_name_unidos_director_and_not_northsides(seeded, db):
    import subprocess

    for credential in Credential.objects.filter(cohort__partner__slug="unidos"):
        output = subprocess.run(["pdftotext", credential.pdf.path, "-"], capture_output=True, text=True).stdout
        text = " ".join(output.split())
        assert "UNIDOS COMMUNITY SERVICES" in text  # the masthead
        assert "Rosa Delgado" in text
        assert "Northside" not in text and "Samira Haddad" not in text


def test_the_programs_pathways_are_there(seeded, db):
    assert set(CredentialPathway.objects.values_list("name", flat=True)) == {
        "English for Everyday Life — Level 1",
        "Citizenship Preparation",
        "Business Launch",
        "Health Worker Bridge",
    }
    launch = CredentialPathway.objects.get(name="Business Launch")
    assert sorted(launch.required_milestones.values_list("slug", flat=True)) == ["business-license", "business-plan"]


def test_some_citizenship_certificates_are_issued_with_their_files_and_one_is_revoked(seeded, db):
    credentials = Credential.objects.filter(pathway__name="Citizenship Preparation")

    assert sorted(credentials.values_list("status", flat=True)) == ["issued", "issued", "revoked"]
    assert all(Path(credential.pdf.path).read_bytes().startswith(b"%PDF") for credential in credentials)
    # Certificates of completion, of the class that has ended, after its last day.
    assert {credential.cohort.name for credential in credentials} == {"Citizenship Evening Class"}
    assert all(credential.issued_on > credential.cohort.end_date for credential in credentials)


def test_each_pathway_says_what_it_certifies_and_its_template_says_the_same(seeded, db):
    certifies = dict(CredentialPathway.objects.values_list("name", "certifies"))
    titles = dict(CredentialPathway.objects.values_list("name", "template__title"))

    assert certifies == {
        "English for Everyday Life — Level 1": "achievement",
        "Citizenship Preparation": "completion",
        "Business Launch": "completion",
        "Health Worker Bridge": "completion",
    }
    assert {name: titles[name] for name in certifies} == {
        "English for Everyday Life — Level 1": "Certificate of Achievement",
        "Citizenship Preparation": "Certificate of Completion",
        "Business Launch": "Certificate of Completion",
        "Health Worker Bridge": "Certificate of Completion",
    }


def test_the_ended_class_is_left_for_the_manager_and_the_running_one_is_held_back_with_the_reason(seeded, db):
    from django.utils.formats import date_format

    from cohorts.models import Cohort

    pathway = CredentialPathway.objects.get(name="Citizenship Preparation")
    ended = Cohort.objects.get(name="Citizenship Evening Class")
    running = Cohort.objects.get(name="Citizenship Morning Class")

    after = cohort_eligibility(pathway=pathway, cohort=ended)
    assert sum(result.can_issue for result in after) >= 2
    reasons = {result.learner.full_name: [r.explanation for r in result.unmet] for result in after}
    assert reasons["Samira Haddad"] == [
        f"The cohort ended on {date_format(ended.end_date, 'DATE_FORMAT')}; staff have not recorded the completion yet."
    ]

    during = cohort_eligibility(pathway=pathway, cohort=running)
    ends = f"The cohort ends on {date_format(running.end_date, 'DATE_FORMAT')}."
    assert during and all(ends in [r.explanation for r in result.unmet] for result in during)


def test_the_evening_english_class_is_left_for_the_demo_manager_to_issue_in_bulk(seeded, db):
    from cohorts.models import Cohort

    cohort = Cohort.objects.get(name="Evening English 1")
    pathway = CredentialPathway.objects.get(name="English for Everyday Life — Level 1")
    results = cohort_eligibility(pathway=pathway, cohort=cohort)

    assert not Credential.objects.filter(cohort=cohort).exists()
    assert sum(result.can_issue for result in results) >= 5
    assert any(not result.eligible for result in results)
