"""Bilingual certificates: when a template offers an English copy, a learner whose certificate is printed in
another language also gets it in English, the same certificate with the same code, downloaded exactly as the
first; the batch makes them too, and no copy outlives its credential."""

import re
import subprocess
import unicodedata
from pathlib import Path

import pytest
from django.core import mail
from wagtail.models import Locale

from credentials import services
from credentials.models import BulkIssuance, Credential
from credentials.services import issue_credential, run_bulk_issuance, sweep_orphan_files
from people.models import Learner

from .world import ROLES, enrolled, mark, present, signed_in

pytestmark = pytest.mark.django_db

ARABIC_TITLE = "شهادة إتمام"


def pdftotext(content):
    """The text as the real pdftotext reads it; Arabic presentation forms folded back to letters (NFKC)."""
    text = subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True).stdout.decode()
    return unicodedata.normalize("NFKC", " ".join(text.split()))


def carries_code(text, code):
    """The code printed anywhere on the page, grouped or inside the link, even broken over lines."""
    return code in re.sub(r"[^0-9A-Z]", "", text.upper())


def body(response):
    return b"".join(response.streaming_content)


@pytest.fixture
def bilingual(world):
    """The world's template offers an English copy and is translated into Arabic, Fatima's language."""
    template = world.pathway.template
    template.offers_english_copy = True
    template.save()
    arabic = template.copy_for_translation(Locale.objects.get_or_create(language_code="ar")[0])
    arabic.title = ARABIC_TITLE
    arabic.save()
    return template


def issue(world, learner=None):
    return issue_credential(
        learner=learner or world.learner, pathway=world.pathway, cohort=world.cohort, by=world.manager
    )


def test_a_learner_gets_her_certificate_in_arabic_and_in_english_with_the_same_code(world, bilingual):
    credential = issue(world)

    arabic = pdftotext(Path(credential.pdf.path).read_bytes())
    english = pdftotext(Path(credential.english_pdf.path).read_bytes())
    assert credential.language == "ar"
    assert ARABIC_TITLE in arabic and "Certificate of Completion" not in arabic
    assert "Certificate of Completion" in english and ARABIC_TITLE not in english
    # The same certificate: one code, in both.
    assert carries_code(arabic, credential.verification_code)
    assert carries_code(english, credential.verification_code)
    assert credential.english_pdf.name != credential.pdf.name


def test_the_email_carries_both_copies(world, bilingual, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        credential = issue(world)

    (message,) = mail.outbox
    (arabic_name, arabic, arabic_type), (english_name, english, english_type) = message.attachments
    assert arabic_type == english_type == "application/pdf"
    assert arabic_name == "ESOL Level 1 - فاطمة الزهراء أحمد.pdf"
    assert english_name == "ESOL Level 1 - فاطمة الزهراء أحمد - English.pdf"
    assert arabic == Path(credential.pdf.path).read_bytes()
    assert english == Path(credential.english_pdf.path).read_bytes()
    assert "Certificate of Completion" in pdftotext(english)


def test_no_english_copy_when_the_template_does_not_offer_one_or_the_certificate_is_english(world, client):
    credential = issue(world)  # the template offers none
    assert not credential.english_pdf
    response = signed_in(client, world.learner.user).get(f"/credentials/{credential.pk}/pdf/english/")
    assert response.status_code == 404


def test_an_english_certificate_gets_no_second_english_copy(world, bilingual):
    Learner.objects.filter(pk=world.learner.pk).update(preferred_language="zh-hans")  # no Chinese translation
    world.learner.refresh_from_db()

    credential = issue(world)

    assert credential.language == "en" and not credential.english_pdf


MAY_DOWNLOAD = {"learner", "instructor", "partner_staff", "manager"}


@pytest.mark.parametrize("role", ROLES)
def test_both_copies_download_for_those_who_may_have_the_first_and_no_one_else(client, world, bilingual, role):
    credential = issue(world)
    client = signed_in(client, world.user(role))

    first = client.get(f"/credentials/{credential.pk}/pdf/")
    second = client.get(f"/credentials/{credential.pk}/pdf/english/")

    if role == "anonymous":
        assert first.status_code == second.status_code == 302
    elif role in MAY_DOWNLOAD:
        assert body(second) == Path(credential.english_pdf.path).read_bytes()
        assert body(first) == Path(credential.pdf.path).read_bytes()
        assert (
            second["Content-Disposition"].startswith("attachment;") and "English.pdf" in second["Content-Disposition"]
        )
        assert second["Cache-Control"] == "private, no-store" and "sandbox" in second["Content-Security-Policy"]
    else:
        assert first.status_code == second.status_code == 404


def test_the_learner_no_longer_downloads_the_english_copy_of_a_revoked_certificate(client, world, bilingual):
    credential = issue(world)
    services.revoke_credential(credential=credential, reason="Issued by mistake", by=world.manager)

    response = signed_in(client, world.learner.user).get(f"/credentials/{credential.pk}/pdf/english/")

    assert response.status_code == 404


def test_her_page_offers_both_downloads(client, world, bilingual):
    credential = issue(world)

    text = signed_in(client, world.learner.user).get("/credentials/mine/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert f'href="/credentials/{credential.pk}/pdf/"' in text
    assert f'href="/credentials/{credential.pk}/pdf/english/"' in text


def test_a_batch_makes_the_english_copies_and_keeps_them_from_the_sweep(world, bilingual, new_files):
    classmate = Learner.objects.create(
        partner=world.partner, full_name="Ana Paula Conceição", consent_data=True, preferred_language="pt-br"
    )
    mark(enrolled(world.cohort, classmate), world.sessions, present(10))
    batch = BulkIssuance.objects.create(
        cohort=world.cohort,
        pathway=world.pathway,
        requested_by=world.manager,
        learner_ids=[world.learner.pk, classmate.pk],
        total=2,
    )

    batch = run_bulk_issuance(batch_id=batch.pk)

    assert (batch.status, batch.issued) == ("done", 2)
    fatima = Credential.objects.get(learner=world.learner)
    ana = Credential.objects.get(learner=classmate)
    assert not ana.english_pdf  # her certificate is in English already (no Portuguese translation)
    assert "Certificate of Completion" in pdftotext(Path(fatima.english_pdf.path).read_bytes())
    assert carries_code(pdftotext(Path(fatima.english_pdf.path).read_bytes()), fatima.verification_code)
    # Every file written is a credential's, and the daily sweep, however late, deletes none of them.
    assert new_files() == {fatima.pdf.name, fatima.english_pdf.name, ana.pdf.name}
    sweep_orphan_files(older_than=services.ORPHAN_AGE * 0)
    assert Path(fatima.english_pdf.path).exists() and Path(fatima.pdf.path).exists()


def test_the_sweep_deletes_an_english_copy_no_credential_names(world, bilingual):
    credential = issue(world)
    english = Path(credential.english_pdf.path)
    Credential.objects.filter(pk=credential.pk).update(english_pdf="")  # as if the row never named it

    sweep_orphan_files(older_than=services.ORPHAN_AGE * 0)

    assert not english.exists() and Path(credential.pdf.path).exists()


def test_a_batch_renders_no_extra_page_for_a_template_without_english_copies(world, monkeypatch):
    """The English copies ride in the same render call as the chunk; without them a batch renders exactly one
    certificate per learner, as before."""
    rendered = []
    real = services.pdf.render_certificates

    def counting(items):
        rendered.append(len(items))
        return real(items)

    monkeypatch.setattr(services.pdf, "render_certificates", counting)
    batch = BulkIssuance.objects.create(
        cohort=world.cohort, pathway=world.pathway, requested_by=world.manager, learner_ids=[world.learner.pk], total=1
    )

    assert run_bulk_issuance(batch_id=batch.pk).issued == 1
    assert rendered == [1]
    assert not Credential.objects.get(learner=world.learner).english_pdf


ARABIC_PATHWAY = "الإنجليزية المستوى الأول"


def pypdf_text(path):
    """The text pypdf reads out of the PDF, Arabic presentation forms folded back to letters (NFKC)."""
    from pypdf import PdfReader

    text = " ".join(page.extract_text() for page in PdfReader(path).pages)
    return unicodedata.normalize("NFKC", " ".join(text.split()))


def has_words(text, words):
    """The words in the text, in reading order or as a right-to-left line is sometimes extracted (reversed)."""
    return words in text or words[::-1] in text


def test_the_arabic_certificate_names_the_credential_in_arabic_and_its_english_copy_in_english(
    world, bilingual, client
):
    world.pathway.name_translations = {"ar": ARABIC_PATHWAY, "es": "Inglés nivel 1"}
    world.pathway.save()

    credential = issue(world)

    arabic, english = pypdf_text(credential.pdf.path), pypdf_text(credential.english_pdf.path)
    assert has_words(arabic, ARABIC_PATHWAY) and "ESOL Level 1" not in arabic
    assert "ESOL Level 1" in english and not has_words(english, ARABIC_PATHWAY)
    assert credential.title_as_printed == ARABIC_PATHWAY  # what the paper says, for the verification page
    # The public page shows the name as printed, in its language, and the name in the reader's.
    page = client.get(f"/verify/{credential.verification_code}/", headers={"accept-language": "en"}).content.decode()
    assert f'<bdi dir="auto" lang="ar">{ARABIC_PATHWAY}</bdi>' in page
    assert '<bdi lang="en">ESOL Level 1</bdi>' not in page and "<bdi>ESOL Level 1</bdi>" in page


def test_without_an_arabic_name_the_arabic_certificate_prints_the_main_name(world, bilingual):
    world.pathway.name_translations = {"es": "Inglés nivel 1"}
    world.pathway.save()

    credential = issue(world)

    assert credential.language == "ar"
    assert "ESOL Level 1" in pypdf_text(credential.pdf.path) and credential.title_as_printed == "ESOL Level 1"
