"""Issuing one certificate and revoking it: the PDF and its row come together or not at all, the code is
unguessable and typeable, the database allows one valid credential per learner and pathway, and every
issue and revoke is audited."""

import datetime
import io
import re
import threading
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.db import IntegrityError, connection, transaction
from pypdf import PdfReader
from wagtail.models import Locale, ModelLogEntry

from credentials import codes, services
from credentials.models import CertificateTemplate, Credential
from credentials.services import AlreadyIssued, CredentialError, issue_credential, revoke_credential
from people.models import Learner

from .conftest import certificate_files
from .world import World


def pdf_text(content):
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def issue(world, learner=None):
    return issue_credential(
        learner=learner or world.learner, pathway=world.pathway, cohort=world.cohort, by=world.manager
    )


# --- one certificate -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_eligible_learner_gets_a_certificate_with_their_name_as_written_in_private_storage(world, new_files):
    credential = issue(world)

    stored = Path(credential.pdf.path)
    assert Path(settings.PRIVATE_STORAGE_ROOT) in stored.parents
    assert Path(settings.MEDIA_ROOT) not in stored.parents
    content = stored.read_bytes()
    assert content.startswith(b"%PDF")
    assert "فاطمة" in pdf_text(content) or "ﻓﺎﻃﻤﺔ" in pdf_text(content)
    assert new_files() == {credential.pdf.name}
    assert re.fullmatch(r"certificates/[0-9a-f]{32}\.pdf", credential.pdf.name)  # 128 random bits, nothing about her
    assert (credential.name_as_printed, credential.title_as_printed, credential.issuer_as_printed) == (
        "فاطمة الزهراء أحمد",
        "ESOL Level 1",
        "Northside Refugee Center",
    )
    assert credential.hours == Decimal("20.00")
    assert credential.status == Credential.Status.ISSUED and credential.issued_by == world.manager


@pytest.mark.django_db
def test_the_verification_code_is_135_random_bits_grouped_for_reading(world):
    credential = issue(world)
    code = credential.verification_code

    assert len(code) == 28 and codes.is_well_formed(code)
    assert set(code) <= set(codes.ALPHABET) and not set(code) & set("ILOU")
    assert credential.grouped_code.count("-") == 6 and credential.grouped_code.replace("-", "") == code
    assert len({codes.new_code() for _ in range(5000)}) == 5000


def test_codes_are_read_forgivingly_and_any_single_mistyped_character_is_caught():
    code = codes.new_code()
    typed = " " + codes.grouped(code).lower().replace("0", "o").replace("1", "l") + " "

    assert codes.normalize(typed) == code
    for position in range(codes.LENGTH):
        for symbol in codes.ALPHABET:
            if symbol != code[position]:
                assert not codes.is_well_formed(code[:position] + symbol + code[position + 1 :])


def test_swapped_neighbours_are_caught_unless_their_values_differ_by_16():
    value = {symbol: number for number, symbol in enumerate(codes.ALPHABET)}
    for _ in range(50):
        code = codes.new_code()
        for i in range(codes.RANDOM_LENGTH - 1):
            a, b = code[i], code[i + 1]
            if a == b:
                continue
            swapped = code[:i] + b + a + code[i + 2 :]
            assert codes.is_well_formed(swapped) == ((value[a] - value[b]) % 16 == 0)


@pytest.mark.django_db
def test_issuing_is_audited_with_who_and_the_learner(world):
    credential = issue(world)

    entry = ModelLogEntry.objects.get(action="credentials.credential.issue", object_id=str(credential.pk))
    assert entry.user == world.manager
    assert entry.data["learner"] == world.learner.pk


@pytest.mark.django_db
def test_the_learner_is_emailed_their_certificate_attached_with_the_verification_link(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        credential = issue(world)

    (message,) = mail.outbox
    assert message.to == ["fatima@example.org"]
    assert "ESOL Level 1" in message.subject
    assert f"/verify/{credential.verification_code}/" in message.body
    assert credential.grouped_code in message.body
    assert "/credentials/mine/" in message.body  # she has a portal account
    ((filename, content, mime_type),) = message.attachments
    assert mime_type == "application/pdf" and filename == "ESOL Level 1 - فاطمة الزهراء أحمد.pdf"
    assert content == Path(credential.pdf.path).read_bytes()
    credential.refresh_from_db()
    assert credential.emailed_at is not None

    # Sent once: a second delivery of the same task sends nothing.
    from credentials.notifications import send_credential_email

    assert send_credential_email(credential_id=credential.pk) is False
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_no_email_to_a_learner_who_did_not_agree_to_be_contacted(world, django_capture_on_commit_callbacks):
    Learner.objects.filter(pk=world.learner.pk).update(consent_contact=False)
    world.learner.refresh_from_db()

    with django_capture_on_commit_callbacks(execute=True):
        issue(world)

    assert mail.outbox == []


@pytest.mark.django_db
def test_the_certificate_is_in_the_learners_language_when_the_template_is_translated(world):
    arabic = Locale.objects.create(language_code="ar")
    template = world.pathway.template
    translated = template.copy_for_translation(arabic)
    translated.title = "شهادة إتمام"
    translated.save()

    credential = issue(world)

    assert credential.language == "ar"
    assert "ﺷﻬﺎﺩﺓ" in pdf_text(Path(credential.pdf.path).read_bytes()) or "شهادة" in pdf_text(
        Path(credential.pdf.path).read_bytes()
    )
    assert CertificateTemplate.objects.count() == 2


@pytest.mark.django_db
def test_without_a_translation_the_whole_certificate_is_in_the_templates_language(world):
    """A Chinese-speaking learner, a template only in English: English throughout, not English sentences with
    Chinese headings and dates."""
    Learner.objects.filter(pk=world.learner.pk).update(preferred_language="zh-hans")
    world.learner.refresh_from_db()

    credential = issue(world)

    text = pdf_text(Path(credential.pdf.path).read_bytes())
    assert credential.language == "en"
    assert "This certificate is presented to" in text and "Verify at" in text
    assert not re.search(r"[\u4e00-\u9fff]", text.replace(credential.name_as_printed, ""))


@pytest.mark.django_db
def test_a_learner_who_is_not_eligible_is_refused_with_what_is_missing_and_nothing_is_written(world, new_files):
    with pytest.raises(CredentialError) as refused:
        issue(world, world.second_learner)

    assert "Attendance 50% (5 of 10 sessions); needs 75%" in refused.value.message
    assert "Needs 2 more hours (10 of 12)." in refused.value.message
    assert not Credential.objects.exists() and new_files() == set()


@pytest.mark.django_db
def test_a_second_certificate_for_the_same_pathway_is_refused_and_writes_no_file(world, new_files):
    first = issue(world)

    with pytest.raises(AlreadyIssued) as refused:
        issue(world)

    assert refused.value.credential == first
    assert Credential.objects.count() == 1 and new_files() == {first.pdf.name}


@pytest.mark.django_db
def test_the_database_refuses_two_valid_credentials_for_one_learner_and_pathway(world):
    first = issue(world)

    with pytest.raises(IntegrityError), transaction.atomic():
        Credential.objects.create(
            learner=world.learner,
            pathway=world.pathway,
            cohort=world.cohort,
            partner=world.partner,
            name_as_printed="x",
            title_as_printed="x",
            issuer_as_printed="x",
            issued_on=datetime.date(2026, 11, 2),
            verification_code=codes.new_code(),
            pdf="certificates/other.pdf",
        )
    assert Credential.objects.get() == first


@pytest.mark.django_db
def test_a_row_that_cannot_be_written_takes_its_file_with_it(world, new_files, monkeypatch):
    def broken_log(*args, **kwargs):
        raise RuntimeError("audit log is down")

    monkeypatch.setattr(services, "log", broken_log)

    with pytest.raises(RuntimeError):
        issue(world)

    assert not Credential.objects.exists()
    assert new_files() == set()


@pytest.mark.django_db
def test_a_certificate_that_cannot_be_printed_stores_nothing(world, new_files, monkeypatch):
    from credentials import pdf

    def refuse(data):
        raise pdf.CertificateError("No installed font can print this name.")

    monkeypatch.setattr(pdf, "render_certificate", refuse)

    with pytest.raises(pdf.CertificateError):
        issue(world)

    assert not Credential.objects.exists() and new_files() == set()


# --- revoking --------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_revoking_keeps_the_record_and_its_file_with_the_reason_who_and_when_and_is_audited(world):
    credential = issue(world)

    revoked = revoke_credential(credential=credential, reason="Issued to the wrong cohort", by=world.partner_staff)

    assert revoked.status == Credential.Status.REVOKED and revoked.is_revoked
    assert (revoked.revoked_reason, revoked.revoked_by) == ("Issued to the wrong cohort", world.partner_staff)
    assert revoked.revoked_at is not None
    assert Path(revoked.pdf.path).exists()
    entry = ModelLogEntry.objects.get(action="credentials.credential.revoke", object_id=str(credential.pk))
    assert entry.user == world.partner_staff and entry.data["reason"] == "Issued to the wrong cohort"


@pytest.mark.django_db
@pytest.mark.parametrize("reason", ["", "   "])
def test_a_revocation_needs_a_reason(world, reason):
    credential = issue(world)

    with pytest.raises(CredentialError) as refused:
        revoke_credential(credential=credential, reason=reason, by=world.manager)

    assert refused.value.field == "reason"
    credential.refresh_from_db()
    assert credential.status == Credential.Status.ISSUED


@pytest.mark.django_db
def test_revoking_twice_changes_nothing_the_second_time(world):
    credential = revoke_credential(credential=issue(world), reason="Wrong name", by=world.manager)
    first_revoked_at = credential.revoked_at

    again = revoke_credential(credential=credential, reason="Another reason", by=world.partner_staff)

    assert (again.revoked_at, again.revoked_reason, again.revoked_by) == (first_revoked_at, "Wrong name", world.manager)
    assert ModelLogEntry.objects.filter(action="credentials.credential.revoke").count() == 1


@pytest.mark.django_db
def test_after_a_revocation_a_corrected_certificate_can_be_issued_and_both_records_stay(world):
    Learner.objects.filter(pk=world.learner.pk).update(full_name="Fatima al-Zahra Ahmed")
    world.learner.refresh_from_db()
    wrong = revoke_credential(credential=issue(world), reason="Name misspelled", by=world.manager)

    corrected = issue(world)

    assert corrected.pk != wrong.pk and corrected.verification_code != wrong.verification_code
    assert set(Credential.objects.values_list("status", flat=True)) == {"issued", "revoked"}


# --- the race ----------------------------------------------------------------------------------------------


requires_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL: SQLite allows one writer at a time"
)
RACERS = 8


@pytest.mark.postgres_only
@requires_postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_issuing_the_same_certificate_at_once_from_many_places_gives_exactly_one_and_one_file(new_files):
    world = World()
    barrier = threading.Barrier(RACERS)
    outcomes = []

    def racer():
        try:
            barrier.wait(timeout=10)
            outcomes.append(issue(world))
        except AlreadyIssued as refused:
            outcomes.append(refused)
        except Exception as error:  # reported below, not swallowed
            outcomes.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=racer) for _ in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert not any(thread.is_alive() for thread in threads)
    issued = [outcome for outcome in outcomes if isinstance(outcome, Credential)]
    refused = [outcome for outcome in outcomes if isinstance(outcome, AlreadyIssued)]
    assert len(issued) == 1 and len(refused) == RACERS - 1, outcomes
    assert Credential.objects.filter(learner=world.learner).count() == 1
    assert new_files() == {issued[0].pdf.name} == set(certificate_files()) & new_files()
    assert ModelLogEntry.objects.filter(action="credentials.credential.issue").count() == 1


@pytest.mark.django_db
def test_translators_get_the_wording_not_the_look(world):
    from wagtail_localize.models import StringSegment, TranslationSource

    template = world.pathway.template

    source, _created = TranslationSource.get_or_create_from_instance(template)

    strings = set(StringSegment.objects.filter(source=source).values_list("string__data", flat=True))
    assert "Certificate of Completion" in strings
    assert any("{learner_name}" in string for string in strings)
    assert not {"#1f4e79", "landscape", "letter", template.name} & strings
