"""Every write about credentials: issuing one certificate or a cohort's batch, revoking, the public-page choice.

A credential and its PDF are written together or not at all. The PDF is rendered first (outside any
transaction: rendering takes a while and holds no lock), saved to private storage under a random name,
and only then is the row inserted, in its own short transaction with its audit entry. If the insert
fails — most often because the learner got the credential a moment ago elsewhere, which the database's
unique constraint decides — the file is deleted again. A process killed between saving the file and
inserting the row leaves an unreferenced file behind: a batch deletes those of its earlier, interrupted
runs when it finishes (`sweep_batch_files`), and a daily task deletes any other unreferenced certificate
file older than an hour (`sweep_orphan_files`). So no credential lacks its file, and no file outlives an
hour without its credential.

When private storage refuses a file (the disk is full, or the directory is not writable), nothing is issued:
whatever part of the file was written is deleted, and CertificateStoreError says so in words a manager can
act on. A batch stops at the first such refusal (the next file would be refused too) and lists the learners
left without their certificate; issuing to the cohort again, once storage works, issues exactly those.
"""

import calendar
import datetime
import errno
import functools
import logging
import math
import secrets
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from wagtail.images import get_image_model
from wagtail.log_actions import log

from cohorts.models import Cohort
from core.errors import Refused
from people.models import MAX_SIGNATORIES, Learner, PartnerSignatory

from . import codes, pdf
from .eligibility import cohort_eligibility
from .models import (
    BulkIssuance,
    CertificateTemplate,
    Credential,
    CredentialPathway,
    fill_placeholders,
    period_as_printed,
    private_storage,
)

logger = logging.getLogger(__name__)

CERTIFICATE_DIRECTORY = "certificates"
ORPHAN_AGE = datetime.timedelta(hours=1)
ENGLISH = "en"


class CredentialError(Refused):
    """A credential request the rules refuse."""


class AlreadyIssued(CredentialError):
    def __init__(self, credential=None):
        super().__init__(_("This learner already holds this credential."))
        self.credential = credential


# A full disk, or a quota reached; any other refusal (permissions, a read-only file system) is "not writable".
STORE_FULL = (errno.ENOSPC, errno.EDQUOT)


class CertificateStoreError(CredentialError):
    """Private storage would not take a certificate's file, so it was not issued. Someone with access to the
    server must fix that: the message says so, for one certificate or a batch alike. `reason` is the short
    form a batch notes against each learner it left without a certificate."""

    def __init__(self, error: OSError):
        self.full = error.errno in STORE_FULL
        if self.full:
            message = _(
                "The certificate store is full. Ask your administrator to free space, then issue again: "
                "learners who already have their certificate are left out."
            )
            self.reason = _("Not issued: the certificate store is full.")
        else:
            message = _(
                "The certificate store cannot be written to. Ask your administrator to make it writable, then "
                "issue again: learners who already have their certificate are left out."
            )
            self.reason = _("Not issued: the certificate store cannot be written to.")
        super().__init__(message)


# --- what is printed ---------------------------------------------------------------------------------


@functools.cache
def _path_around_code(url_name):
    # Reversed once per process, not once per certificate of a 2,000-learner batch.
    marker = "0" * codes.LENGTH
    before, after = reverse(url_name, args=[marker]).split(marker)
    return before, after


def verify_url(code):
    """The public verification page of a certificate, at the public address (for emails and links)."""
    before, after = _path_around_code("credentials:verify")
    return f"{settings.PATHWAYS_PUBLIC_URL}{before}{code}{after}"


def printed_verify_url(code):
    """The short link printed on a certificate and in its QR code (/v/<code>, the same page): short enough
    to print on one line and to type from paper. At the public address, never the admin's or a dev server's."""
    before, after = _path_around_code("credentials:verify_short")
    return f"{settings.PATHWAYS_PUBLIC_URL}{before}{code}{after}"


@dataclass(frozen=True)
class Draft:
    """A credential about to be issued: everything printed, before there is a row."""

    learner: Learner
    pathway: CredentialPathway
    cohort: Cohort
    hours: Decimal
    code: str
    data: pdf.CertificateData
    # The same certificate in English (same code), when the template offers an English copy and `data` is not.
    english: pdf.CertificateData | None = None
    expires_on: datetime.date | None = None


class Templates:
    """The pathway's template in each language it is translated into, and the images printed, loaded once for
    a batch (two queries, plus one per image rendition the first time it is made). The signatories and logo
    are the issuing partner's (`issuer`), loaded once per partner."""

    def __init__(self, template):
        translations = list(
            CertificateTemplate.objects.filter(translation_key=template.translation_key).select_related("locale")
        )
        self.by_language = {translated.locale.language_code: translated for translated in translations}
        self.default = next((translated for translated in translations if translated.pk == template.pk), template)
        self._images = {}
        self._issuers = {}

    def for_language(self, language):
        """The translation in the learner's language, else the one the pathway names."""
        return self.by_language.get(language) or self.default

    def language_of(self, template):
        """The language a template is written in (a language code of settings.LANGUAGES)."""
        codes_by_language = {code.lower(): code for code, _name in settings.LANGUAGES}
        code = template.locale.language_code if template.locale_id else settings.LANGUAGE_CODE
        return codes_by_language.get(code.lower(), settings.LANGUAGE_CODE)

    def image_path(self, image, spec):
        if image is None:
            return None
        key = (image.pk, spec)
        if key not in self._images:
            try:
                self._images[key] = image.get_rendition(spec).file.path
            except (NotImplementedError, FileNotFoundError, OSError):
                logger.warning("Certificate image %s could not be read; printed without it.", image.pk)
                self._images[key] = None
        return self._images[key]

    def issuer(self, partner):
        """(signatories, logo path) of the partner organization that issues: who signs is always the issuer's
        own people, whatever template it shares with other partners. No signatory: none printed (see
        `missing_signatory`)."""
        if partner.pk not in self._issuers:
            people = PartnerSignatory.objects.filter(partner=partner).select_related("signature")
            signatories = tuple(
                (person.name, person.role, self.image_path(person.signature, "max-600x240"))
                for person in people.order_by("sort_order", "pk")[:MAX_SIGNATORIES]
            )
            logo = get_image_model().objects.filter(pk=partner.logo_id).first() if partner.logo_id else None
            self._issuers[partner.pk] = (signatories, self.image_path(logo, "max-600x600"))
        return self._issuers[partner.pk]


def missing_signatory(partner):
    """What a manager reads before issuing for a partner without anyone to sign, or "" when someone signs.

    Such certificates are still issued, printed with the organization's name and no signature line: what
    an employer trusts is the issuer named on the page and its verification code, which the public page
    confirms; a blank line invites a signature nobody authorised, and another organization's director
    would be false. Holding learners' certificates back until an administrator fills in a form would only
    punish the learners."""
    if PartnerSignatory.objects.filter(partner=partner).exists():
        return ""
    return _(
        "%(partner)s has no signatory yet, so these certificates will print its name without a signature. "
        "Add who signs for it under Settings, Partner organizations."
    ) % {"partner": partner.name}


def add_months(day, months):
    """The same day `months` later; the month's last day when it is shorter (31 January + 1 = 28 February)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    return day.replace(year=year, month=month, day=min(day.day, last_day))


def draft(*, learner, pathway, cohort, hours, templates, issued_on=None):
    """What the learner's certificate will say, in their language when the template is translated into it, else
    wholly in the template's own language: its fixed words and dates never mix with a body in another.

    When the template offers an English copy and the learner's certificate is in another language, the draft
    also carries the English one, from the template's English translation, with the same code."""
    template = templates.for_language(learner.preferred_language or settings.LANGUAGE_CODE)
    code = codes.new_code()
    issued_on = issued_on or cohort.local_today()
    # The same learner, pathway, dates and code, in whichever template's language.
    printed = functools.partial(
        _certificate_data,
        templates=templates,
        learner=learner,
        pathway=pathway,
        cohort=cohort,
        hours=hours,
        code=code,
        issued_on=issued_on,
    )
    data = printed(template)
    english = None
    if templates.default.offers_english_copy and data.language != ENGLISH:
        english_template = templates.for_language(ENGLISH)
        if templates.language_of(english_template) == ENGLISH:
            english = printed(english_template)
    expires_on = add_months(issued_on, pathway.validity_months) if pathway.validity_months else None
    return Draft(
        learner=learner,
        pathway=pathway,
        cohort=cohort,
        hours=hours,
        code=code,
        data=data,
        english=english,
        expires_on=expires_on,
    )


def _certificate_data(template, *, templates, learner, pathway, cohort, hours, code, issued_on):
    language = templates.language_of(template)
    issuer = cohort.partner.name
    start_date, end_date = period_as_printed(cohort, issued_on)
    signatories, logo_path = templates.issuer(cohort.partner)
    # The credential's name in the certificate's language, when staff gave one; its English copy prints the main.
    pathway_name = str(pathway.name_in(language))
    with translation.override(language):
        values = {
            "learner_name": learner.full_name,
            "pathway": pathway_name,
            "hours": pdf.hours_number(hours),
            "start_date": date_format(start_date, "DATE_FORMAT"),
            "end_date": date_format(end_date, "DATE_FORMAT"),
            "partner": issuer,
        }
        # Isolated, so a value's direction cannot reorder the sentence around it (and the sheet sees what
        # the text already states, to print it once).
        values = {key: pdf.isolate(value) for key, value in values.items()}
    return pdf.CertificateData(
        name_as_printed=learner.full_name,
        name_latin=learner.latin_name_to_print,
        pathway_name=pathway_name,
        partner_name=issuer,
        issued_on=issued_on,
        hours=hours if hours else None,
        start_date=start_date,
        end_date=end_date,
        verification_code=codes.grouped(code),
        verify_url=printed_verify_url(code),
        title=fill_placeholders(template.title, values),
        body=fill_placeholders(template.body, values),
        second_language_title=fill_placeholders(template.second_language_title, values),
        second_language_body=fill_placeholders(template.second_language_body, values),
        language=language,
        signatories=signatories,
        logo_path=logo_path,
        primary_colour=template.primary_colour,
        orientation=template.orientation,
        paper_size=template.paper_size,
    )


# --- storing a certificate ---------------------------------------------------------------------------


def _save_file(content, directory):
    """Save a certificate under a new random name; CertificateStoreError if storage refuses it.

    A disk that fills up mid-write leaves part of the file behind: it is deleted at once. (The name is random,
    so the file under it can only be this one.)"""
    name = f"{directory}/{secrets.token_hex(16)}.pdf"
    try:
        return private_storage().save(name, ContentFile(content))
    except OSError as error:
        logger.error("Certificate file %s could not be saved to private storage.", name, exc_info=True)
        _delete_file(name)
        raise CertificateStoreError(error) from error


def _delete_file(name):
    try:
        private_storage().delete(name)
    except OSError:
        logger.exception("Could not delete certificate file %s; the sweep will.", name)


def record(draft, content, *, by, directory=CERTIFICATE_DIRECTORY, batch=None, english_content=None):
    """Save the PDF (and its English copy, if any), then insert its credential; the files go again if the row
    does not come to be.

    Raises AlreadyIssued when the learner holds a valid credential for the pathway (the database's
    unique constraint is the judge, so two issuers at once produce one credential), and
    CertificateStoreError, before any row, when storage refuses a file."""
    name = _save_file(content, directory)
    names = [name]
    try:
        english_name = _save_file(english_content, directory) if english_content is not None else ""
    except BaseException:
        _delete_file(name)
        raise
    if english_name:
        names.append(english_name)
    try:
        with transaction.atomic():
            credential = Credential.objects.create(
                learner=draft.learner,
                pathway=draft.pathway,
                cohort=draft.cohort,
                partner_id=draft.cohort.partner_id,
                name_as_printed=draft.data.name_as_printed,
                name_latin_as_printed=draft.data.name_latin,
                title_as_printed=draft.data.pathway_name,
                issuer_as_printed=draft.data.partner_name,
                hours=draft.hours,
                language=draft.data.language,
                issued_on=draft.data.issued_on,
                issued_by=by,
                verification_code=draft.code,
                pdf=name,
                english_pdf=english_name,
                expires_on=draft.expires_on,
                bulk_issuance=batch,
            )
            log(
                credential,
                "credentials.credential.issue",
                user=by,
                data={"learner": draft.learner.pk, "pathway": draft.pathway.pk, "batch": batch.pk if batch else None},
            )
    except IntegrityError as error:
        for stored in names:
            _delete_file(stored)
        existing = Credential.objects.filter(
            learner=draft.learner, pathway=draft.pathway, status=Credential.Status.ISSUED
        ).first()
        if existing is not None:
            raise AlreadyIssued(existing) from error
        raise
    except BaseException:  # anything at all, even an interrupt: no file without its row
        for stored in names:
            _delete_file(stored)
        raise
    _queue_email(credential)
    return credential


def _queue_email(credential):
    learner = credential.learner
    if learner.email and learner.consent_contact:
        from .tasks import email_credential

        email_credential.delay_on_commit(credential.pk)


# --- issuing one ---------------------------------------------------------------------------------------


def completion_not_yet(*, pathway, cohort):
    """Why nobody in `cohort` can be certified as having completed it yet, or None. A certificate of
    completion printed before the last day would claim what has not happened (issue 13)."""
    if not pathway.certifies_completion or cohort.local_today() >= cohort.end_date:
        return None
    return _(
        "“%(pathway)s” certifies completion of the course, so it is issued only once the cohort has ended and "
        "staff have recorded who completed it. The cohort ends on %(date)s."
    ) % {"pathway": pathway.name, "date": date_format(cohort.end_date, "DATE_FORMAT")}


def issue_credential(*, learner, pathway, cohort, by) -> Credential:
    """Issue `pathway`'s certificate to one learner of `cohort`, if they meet every requirement.

    Refuses (CredentialError, with the unmet requirements in plain words) a learner who is not eligible —
    for a certificate of completion, before the cohort's last day or without a completion recorded by staff —
    and AlreadyIssued one who holds it; CertificateStoreError when private storage refuses the file, and
    then nothing is issued. Audited; the learner is emailed after the commit."""
    waiting = completion_not_yet(pathway=pathway, cohort=cohort)
    if waiting:
        raise CredentialError(waiting)
    results = cohort_eligibility(pathway=pathway, cohort=cohort, learner_ids=[learner.pk])
    if not results:
        raise CredentialError(_("%(name)s is not in this cohort.") % {"name": learner.full_name})
    eligibility = results[0]
    if eligibility.credential is not None:
        raise AlreadyIssued(eligibility.credential)
    if not eligibility.eligible:
        raise CredentialError(" ".join(requirement.explanation for requirement in eligibility.unmet))
    templates = Templates(eligibility.pathway.template)
    certificate = draft(learner=learner, pathway=pathway, cohort=cohort, hours=eligibility.hours, templates=templates)
    content = pdf.render_certificate(certificate.data)
    english_content = pdf.render_certificate(certificate.english) if certificate.english else None
    return record(certificate, content, by=by, english_content=english_content)


# --- revoking, and the public page --------------------------------------------------------------------


@transaction.atomic
def revoke_credential(*, credential, reason: str, by) -> Credential:
    """Revoke with a reason. The record and its file stay; the public page says it was revoked, and when."""
    reason = (reason or "").strip()
    if not reason:
        raise CredentialError(_("Say why the certificate is revoked; it is kept with the record."), field="reason")
    if len(reason) > 255:
        raise CredentialError(_("Keep the reason under 255 characters."), field="reason")
    credential = Credential.objects.select_for_update().get(pk=credential.pk)
    if credential.is_revoked:
        return credential
    credential.status = Credential.Status.REVOKED
    credential.revoked_at = timezone.now()
    credential.revoked_by = by
    credential.revoked_reason = reason
    credential.save(update_fields=["status", "revoked_at", "revoked_by", "revoked_reason", "updated_at"])
    log(credential, "credentials.credential.revoke", user=by, data={"reason": reason})
    return credential


@transaction.atomic
def set_shown_publicly(*, credential, shown: bool, by) -> Credential:
    """The learner's choice: show their certificate's details on the public page, or only to someone who
    also has the name printed on it (see views.verify)."""
    credential = Credential.objects.select_for_update().get(pk=credential.pk)
    if credential.shown_publicly == shown:
        return credential
    credential.shown_publicly = shown
    credential.save(update_fields=["shown_publicly", "updated_at"])
    log(credential, "credentials.credential.visibility", user=by, data={"shown_publicly": shown})
    return credential


# --- a cohort's batch ---------------------------------------------------------------------------------


@transaction.atomic
def start_bulk_issuance(*, cohort, pathway, learner_ids, by) -> BulkIssuance:
    """Queue the certificates of the learners a manager confirmed in the preview.

    Only those still eligible and without the credential are kept (the preview may be minutes old);
    the worker checks each again before issuing. A certificate of completion is refused outright before the
    cohort's last day."""
    waiting = completion_not_yet(pathway=pathway, cohort=cohort)
    if waiting:
        raise CredentialError(waiting)
    wanted = {int(learner_id) for learner_id in learner_ids}
    issuable = [
        result.learner.pk
        for result in cohort_eligibility(pathway=pathway, cohort=cohort, learner_ids=wanted)
        if result.can_issue
    ]
    if not issuable:
        raise CredentialError(_("None of the chosen learners can be issued this certificate now."))
    batch = BulkIssuance.objects.create(
        cohort=cohort, pathway=pathway, requested_by=by, learner_ids=issuable, total=len(issuable)
    )
    log(batch, "credentials.batch.start", user=by, data={"learners": len(issuable)})
    from .tasks import issue_batch

    issue_batch.delay_on_commit(batch.pk)
    return batch


def batch_directory(batch_id, attempt):
    return f"{CERTIFICATE_DIRECTORY}/batch-{batch_id}-{attempt}"


def _claim(batch_id):
    """Start (or, after a worker died, start again) a batch: a new attempt number and fresh counts."""
    with transaction.atomic():
        batch = (
            BulkIssuance.objects.select_for_update(of=("self",))
            .select_related("cohort__partner", "pathway", "requested_by")
            .get(pk=batch_id)
        )
        if batch.is_finished:
            return None
        batch.attempts += 1
        batch.status = BulkIssuance.Status.RUNNING
        batch.started_at = batch.started_at or timezone.now()
        batch.issued = batch.credentials.filter(status=Credential.Status.ISSUED).count()
        batch.skipped = batch.failed = 0
        batch.errors = []
        batch.save()
        return batch


def _note(batch, learner, message, *, failed):
    if failed:
        batch.failed += 1
    else:
        batch.skipped += 1
    batch.errors.append({"learner": learner.pk, "name": learner.full_name, "message": str(message), "failed": failed})


def _render(drafts):
    """The batch render: (draft, PDF, English copy or None, problem or None) for each draft. English copies
    are laid out in the same call, after the chunk's certificates (none for a template without them). If the
    call refuses the chunk, each certificate alone, so one bad one does not stop the rest."""
    english = [item for item in drafts if item.english is not None]
    try:
        contents = pdf.render_certificates([d.data for d in drafts] + [d.english for d in english])
        english_contents = dict(zip((id(item) for item in english), contents[len(drafts) :], strict=True))
        return [
            (item, content, english_contents.get(id(item)), None)
            for item, content in zip(drafts, contents[: len(drafts)], strict=True)
        ]
    except Exception:
        logger.warning("A certificate chunk failed to render; rendering its certificates one by one.", exc_info=True)
    results = []
    for item in drafts:
        try:
            english_content = pdf.render_certificate(item.english) if item.english is not None else None
            results.append((item, pdf.render_certificate(item.data), english_content, None))
        except Exception as error:
            logger.exception("Certificate for learner %s could not be rendered.", item.learner.pk)
            message = (
                str(error) if isinstance(error, pdf.CertificateError) else _("The certificate could not be printed.")
            )
            results.append((item, None, None, message))
    return results


# A batch's page moves in about this many steps, whatever the batch's size.
PROGRESS_STEPS = 10


def batch_chunk_size(total):
    """How many certificates are rendered (and progress saved) at a time: a tenth of the batch, so 20 learners
    move two at a time instead of all at once at the end; never more than pdf.CHUNK_SIZE, so a large batch
    keeps the chunks it was measured with (tests/bench/test_certificates.py)."""
    return max(1, min(pdf.CHUNK_SIZE, math.ceil(total / PROGRESS_STEPS)))


def run_bulk_issuance(*, batch_id, chunk_size=None):
    """Issue a batch's certificates: the body of the Celery task, safe to run again at any point.

    Each learner is judged again; those who hold the credential already (issued by an earlier,
    interrupted run of this batch or elsewhere) are not issued twice. Certificates are rendered a chunk
    at a time with `pdf.render_certificates`, each stored with its row as `record` does, and the
    progress is saved after each chunk for the admin page to show. If private storage refuses a file, the
    batch stops there: every learner still to issue is noted as failed, and the batch as failed with what
    to ask of an administrator."""
    batch = _claim(batch_id)
    if batch is None:
        return None
    chunk_size = (
        chunk_size
        or getattr(settings, "CREDENTIALS_BATCH_CHUNK_SIZE", None)
        or batch_chunk_size(len(batch.learner_ids))
    )
    # What the batch notes about learners it skipped is read by whoever asked for it, in their language.
    with translation.override(batch.requested_by.preferred_language):
        return _run(batch, chunk_size)


def _run(batch, chunk_size):
    directory = batch_directory(batch.pk, batch.attempts)
    results = {
        result.learner.pk: result
        for result in cohort_eligibility(pathway=batch.pathway, cohort=batch.cohort, learner_ids=batch.learner_ids)
    }
    templates = Templates(batch.pathway.template)
    to_issue = []
    for learner_id in batch.learner_ids:
        result = results.get(learner_id)
        if result is None:
            batch.skipped += 1
            batch.errors.append(
                {"learner": learner_id, "name": "", "message": _("No longer in this cohort."), "failed": False}
            )
        elif result.credential is not None:
            if result.credential.bulk_issuance_id != batch.pk:
                _note(batch, result.learner, _("Already holds this credential."), failed=False)
        elif not result.eligible:
            _note(batch, result.learner, " ".join(r.explanation for r in result.unmet), failed=False)
        else:
            to_issue.append(result)
    BulkIssuance.objects.filter(pk=batch.pk).update(
        issued=batch.issued, skipped=batch.skipped, failed=batch.failed, errors=batch.errors
    )
    issued_now = set()
    for start in range(0, len(to_issue), chunk_size):
        chunk = to_issue[start : start + chunk_size]
        drafts = []
        for result in chunk:
            try:
                drafts.append(
                    draft(
                        learner=result.learner,
                        pathway=batch.pathway,
                        cohort=batch.cohort,
                        hours=result.hours,
                        templates=templates,
                    )
                )
            except pdf.CertificateError as error:
                _note(batch, result.learner, error, failed=True)
        for item, content, english_content, problem in _render(drafts):
            if problem is not None:
                _note(batch, item.learner, problem, failed=True)
                continue
            try:
                record(
                    item,
                    content,
                    by=batch.requested_by,
                    directory=directory,
                    batch=batch,
                    english_content=english_content,
                )
            except AlreadyIssued:
                _note(batch, item.learner, _("Already holds this credential."), failed=False)
            except CertificateStoreError as error:
                return _stop_for_store(batch, error, to_issue, issued_now)
            else:
                batch.issued += 1
                issued_now.add(item.learner.pk)
        _save_progress(batch)
    sweep_batch_files(batch.pk, up_to_attempt=batch.attempts)
    finish_batch(batch.pk, status=BulkIssuance.Status.DONE)
    batch.refresh_from_db()
    return batch


def _save_progress(batch):
    BulkIssuance.objects.filter(pk=batch.pk).update(
        issued=batch.issued,
        skipped=batch.skipped,
        failed=batch.failed,
        errors=batch.errors,
        updated_at=timezone.now(),
    )


def _stop_for_store(batch, error, to_issue, issued_now):
    """Storage refused a file: the next one would be refused too, so stop rather than render the rest for
    nothing. Every learner not yet issued nor noted is noted with the reason, and the batch fails saying
    what to ask of an administrator."""
    noted = {problem["learner"] for problem in batch.errors}
    left = [result.learner for result in to_issue if result.learner.pk not in issued_now | noted]
    for learner in left:
        _note(batch, learner, error.reason, failed=True)
    _save_progress(batch)
    finish_batch(batch.pk, status=BulkIssuance.Status.FAILED, error=error.message)
    batch.refresh_from_db()
    return batch


def finish_batch(batch_id, *, status, error=None):
    with transaction.atomic():
        batch = BulkIssuance.objects.select_for_update().get(pk=batch_id)
        if batch.is_finished:
            return batch
        batch.status = status
        batch.finished_at = timezone.now()
        if error:
            batch.errors.append({"learner": None, "name": "", "message": str(error), "failed": True})
        batch.save(update_fields=["status", "finished_at", "errors", "updated_at"])
        log(
            batch,
            "credentials.batch.finish",
            user=None,
            data={"status": status, "issued": batch.issued, "skipped": batch.skipped, "failed": batch.failed},
        )
    if status == BulkIssuance.Status.FAILED:
        sweep_batch_files(batch_id, up_to_attempt=batch.attempts)
    return batch


# --- files without a credential ----------------------------------------------------------------------


def _referenced(prefix):
    """The stored names under `prefix` that a credential names, as its PDF or its English copy."""
    rows = Credential.objects.filter(Q(pdf__startswith=prefix) | Q(english_pdf__startswith=prefix)).values_list(
        "pdf", "english_pdf"
    )
    return {name for row in rows for name in row if name}


def sweep_batch_files(batch_id, *, up_to_attempt):
    """Delete the files of this batch's runs (up to `up_to_attempt`, all finished) that no credential names:
    what a worker killed between saving a file and inserting its row left behind. Returns how many."""
    storage = private_storage()
    deleted = 0
    referenced = _referenced(f"{CERTIFICATE_DIRECTORY}/batch-{batch_id}-")
    for attempt in range(1, up_to_attempt + 1):
        directory = batch_directory(batch_id, attempt)
        if not storage.exists(directory):
            continue
        _subdirectories, files = storage.listdir(directory)
        for filename in files:
            name = f"{directory}/{filename}"
            if name not in referenced:
                _delete_file(name)
                deleted += 1
        if not storage.listdir(directory)[1]:
            _delete_file(directory)  # the empty directory
    return deleted


def sweep_orphan_files(*, older_than=ORPHAN_AGE, now=None):
    """Delete certificate files that no credential names and that are older than `older_than` (younger
    ones may belong to an issue still in progress). Returns how many."""
    storage = private_storage()
    if not storage.exists(CERTIFICATE_DIRECTORY):
        return 0
    cutoff = (now or timezone.now()) - older_than
    referenced = _referenced(f"{CERTIFICATE_DIRECTORY}/")
    deleted = 0
    directories, files = storage.listdir(CERTIFICATE_DIRECTORY)
    names = [f"{CERTIFICATE_DIRECTORY}/{filename}" for filename in files]
    for directory in directories:
        names += [
            f"{CERTIFICATE_DIRECTORY}/{directory}/{filename}"
            for filename in storage.listdir(f"{CERTIFICATE_DIRECTORY}/{directory}")[1]
        ]
    for name in names:
        if name in referenced:
            continue
        try:
            modified = storage.get_modified_time(name)
        except FileNotFoundError:
            continue
        if modified < cutoff:
            _delete_file(name)
            deleted += 1
    return deleted
