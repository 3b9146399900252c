"""Issuing a cohort's certificates in a batch: a learner is never issued twice, however often the batch runs
or wherever it was interrupted; no file outlives its credential; each learner's PDF carries only their name."""

import datetime
import io
from pathlib import Path

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.utils import timezone
from pypdf import PdfReader

from credentials import pdf, services
from credentials.models import BulkIssuance, Credential, private_storage
from credentials.services import batch_directory, run_bulk_issuance, start_bulk_issuance, sweep_orphan_files
from people.models import Learner

from .world import enrolled, mark, present

pytestmark = pytest.mark.django_db

NAMES = [
    "محمد عبد الله",
    "王秀英",
    "Nguyễn Thị Hoa",
    "Jean-Baptiste Wilnè",
    "አበበ በቂላ",
    "Ольга Петренко",
    "Ana Paula Conceição",
]


@pytest.fixture
def classmates(world):
    """Seven more of the world's cohort, in seven scripts, who came to nine of ten classes; all with an email."""
    learners = []
    for number, name in enumerate(NAMES):
        learner = Learner.objects.create(
            partner=world.partner,
            full_name=name,
            consent_data=True,
            consent_contact=True,
            email=f"learner{number}@example.org",
        )
        mark(enrolled(world.cohort, learner), world.sessions, present(9, absent=1))
        learners.append(learner)
    return learners


def new_batch(world, learners):
    return BulkIssuance.objects.create(
        cohort=world.cohort,
        pathway=world.pathway,
        requested_by=world.manager,
        learner_ids=[learner.pk for learner in learners],
        total=len(learners),
    )


def text_of(credential):
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(Path(credential.pdf.path).read_bytes())).pages)


def referenced_files():
    return set(Credential.objects.values_list("pdf", flat=True))


def test_a_batch_issues_each_eligible_learner_their_own_certificate_and_reports_progress(
    world, classmates, new_files, django_capture_on_commit_callbacks
):
    batch = new_batch(world, [world.learner, *classmates])

    with django_capture_on_commit_callbacks(execute=True):
        batch = run_bulk_issuance(batch_id=batch.pk, chunk_size=3)

    assert (batch.status, batch.total, batch.issued, batch.skipped, batch.failed) == ("done", 8, 8, 0, 0)
    assert batch.percent == 100 and batch.finished_at is not None and batch.attempts == 1
    credentials = list(Credential.objects.filter(bulk_issuance=batch).select_related("learner"))
    assert len(credentials) == 8
    assert new_files() == referenced_files() == {credential.pdf.name for credential in credentials}
    for credential in credentials:
        assert credential.name_as_printed == credential.learner.full_name
    # Only her own name in each learner's PDF (Latin and Cyrillic names are checked as extracted text).
    by_name = {credential.learner.full_name: credential for credential in credentials}
    olga_text = text_of(by_name["Ольга Петренко"])
    assert "Ольга Петренко" in olga_text and "Nguyễn" not in olga_text and "Jean-Baptiste" not in olga_text
    assert "Jean-Baptiste Wilnè" in text_of(by_name["Jean-Baptiste Wilnè"])
    assert "Ольга" not in text_of(by_name["Jean-Baptiste Wilnè"])
    # Everyone with an email who agreed to be contacted got theirs, once.
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        ["fatima@example.org", *(f"learner{n}@example.org" for n in range(7))]
    )


def test_running_a_finished_batch_again_does_nothing(world, classmates, new_files):
    batch = new_batch(world, classmates)
    run_bulk_issuance(batch_id=batch.pk)
    files = new_files()

    assert run_bulk_issuance(batch_id=batch.pk) is None

    assert Credential.objects.count() == 7 and new_files() == files


def test_a_batch_interrupted_halfway_and_run_again_issues_nobody_twice_and_clears_its_orphan(
    world, classmates, new_files
):
    batch = new_batch(world, [world.learner, *classmates])
    # The first run died after three certificates, with a fourth file saved but its row never inserted —
    # what a worker killed at that instant leaves behind.
    first_run = services._claim(batch.pk)
    for learner in [world.learner, *classmates[:2]]:
        result = services.cohort_eligibility(pathway=world.pathway, cohort=world.cohort, learner_ids=[learner.pk])[0]
        item = services.draft(
            learner=learner,
            pathway=world.pathway,
            cohort=world.cohort,
            hours=result.hours,
            templates=services.Templates(world.pathway.template),
        )
        services.record(
            item,
            pdf.render_certificate(item.data),
            by=world.manager,
            directory=batch_directory(batch.pk, 1),
            batch=first_run,
        )
    orphan = private_storage().save(f"{batch_directory(batch.pk, 1)}/deadbeef.pdf", ContentFile(b"%PDF-1.7 half"))
    BulkIssuance.objects.filter(pk=batch.pk).update(issued=3)

    batch = run_bulk_issuance(batch_id=batch.pk, chunk_size=2)

    assert (batch.status, batch.attempts, batch.issued, batch.skipped, batch.failed) == ("done", 2, 8, 0, 0)
    assert Credential.objects.count() == 8
    assert sorted(Credential.objects.values_list("learner_id", flat=True)) == sorted(
        [world.learner.pk, *(learner.pk for learner in classmates)]
    )
    assert not private_storage().exists(orphan)
    assert new_files() == referenced_files()


def test_two_batches_for_the_same_cohort_issue_each_learner_once(world, classmates):
    first, second = new_batch(world, classmates[:4]), new_batch(world, classmates)

    run_bulk_issuance(batch_id=first.pk)
    second = run_bulk_issuance(batch_id=second.pk)

    assert Credential.objects.count() == 7
    assert (second.issued, second.skipped) == (3, 4)
    assert {problem["message"] for problem in second.errors} == {"Already holds this credential."}


def test_a_learner_no_longer_eligible_when_the_batch_runs_is_skipped_with_the_reason(world, classmates):
    batch = new_batch(world, classmates)
    # After the preview, her marks were corrected: three classes she was marked present for, she missed.
    first = classmates[0].enrollments.get()
    for attendance in list(first.attendance.filter(status="present").order_by("pk"))[:3]:
        attendance.status = "absent"
        attendance.save()

    batch = run_bulk_issuance(batch_id=batch.pk)

    assert (batch.issued, batch.skipped) == (6, 1)
    (problem,) = batch.errors
    assert problem["learner"] == classmates[0].pk
    assert problem["message"].startswith("Attendance 60% (6 of 10 sessions); needs 75%")
    assert not Credential.objects.filter(learner=classmates[0]).exists()


def test_one_certificate_that_cannot_be_printed_does_not_stop_the_others(world, classmates, monkeypatch, new_files):
    real_render = pdf.render_certificates

    def render_certificates(items):
        if any(item.name_as_printed == "王秀英" for item in items):
            raise pdf.CertificateError("No installed font can print this name.")
        return real_render(items)

    def render_certificate(item):
        if item.name_as_printed == "王秀英":
            raise pdf.CertificateError("No installed font can print '王秀英'.")
        return real_render([item])[0]

    monkeypatch.setattr(pdf, "render_certificates", render_certificates)
    monkeypatch.setattr(pdf, "render_certificate", render_certificate)
    batch = new_batch(world, classmates)

    batch = run_bulk_issuance(batch_id=batch.pk, chunk_size=3)

    assert (batch.status, batch.issued, batch.failed) == ("done", 6, 1)
    assert batch.errors == [
        {
            "learner": classmates[1].pk,
            "name": "王秀英",
            "message": "No installed font can print '王秀英'.",
            "failed": True,
        }
    ]
    assert new_files() == referenced_files()


def test_starting_a_batch_keeps_only_learners_who_can_be_issued_and_runs_it_after_the_commit(
    world, classmates, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        batch = start_bulk_issuance(
            cohort=world.cohort,
            pathway=world.pathway,
            learner_ids=[world.learner.pk, world.second_learner.pk, classmates[0].pk, world.other_learner.pk],
            by=world.partner_staff,
        )

    batch.refresh_from_db()
    # Wang Xiuying is not eligible and María is in another partner's cohort: neither is in the batch.
    assert sorted(batch.learner_ids) == sorted([world.learner.pk, classmates[0].pk])
    assert (batch.status, batch.issued, batch.requested_by) == ("done", 2, world.partner_staff)


def test_a_batch_with_nobody_to_issue_is_refused(world):
    with pytest.raises(services.CredentialError):
        start_bulk_issuance(
            cohort=world.cohort, pathway=world.pathway, learner_ids=[world.second_learner.pk], by=world.manager
        )
    assert not BulkIssuance.objects.exists()


def test_a_whole_cohorts_batch_runs_in_bounded_queries(world, django_assert_max_num_queries):
    learners = []
    for number in range(30):
        learner = Learner.objects.create(partner=world.partner, full_name=f"Learner {number:02}", consent_data=True)
        mark(enrolled(world.cohort, learner), world.sessions, present(10))
        learners.append(learner)
    batch = new_batch(world, learners)

    # Per certificate: a savepoint, the insert, its audit entry and its release (about 5); around them a fixed
    # number for the claim, the judgement, the templates and each chunk's progress.
    with django_assert_max_num_queries(30 * 6 + 30):
        batch = run_bulk_issuance(batch_id=batch.pk, chunk_size=10)
    assert batch.issued == 30


# --- orphan files --------------------------------------------------------------------------------------


def test_the_daily_sweep_deletes_only_old_files_no_credential_names(world):
    credential = services.issue_credential(
        learner=world.learner, pathway=world.pathway, cohort=world.cohort, by=world.manager
    )
    storage = private_storage()
    old_orphan = storage.save("certificates/batch-999-1/0ld0rphan.pdf", ContentFile(b"%PDF old"))
    young_orphan = storage.save("certificates/y0ungorphan.pdf", ContentFile(b"%PDF young"))

    # Everything was just written: younger than an hour, so it may belong to an issue in progress.
    assert sweep_orphan_files() == 0
    assert storage.exists(old_orphan) and storage.exists(young_orphan)

    deleted = sweep_orphan_files(now=timezone.now() + datetime.timedelta(hours=2))

    assert deleted >= 2
    assert not storage.exists(old_orphan) and not storage.exists(young_orphan)
    assert storage.exists(credential.pdf.name)


# --- the Celery task -----------------------------------------------------------------------------------


def test_the_task_retries_when_the_database_hiccups_and_then_finishes(world, classmates, monkeypatch):
    from django.db import OperationalError

    from credentials import tasks

    real_run, calls = services.run_bulk_issuance, []

    def flaky(**kwargs):
        calls.append(kwargs)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real_run(**kwargs)

    monkeypatch.setattr(services, "run_bulk_issuance", flaky)
    batch = new_batch(world, classmates)

    # Run eagerly, Celery performs the retry at once instead of after its countdown.
    result = tasks.issue_batch.apply(args=[batch.pk], throw=False)

    assert result.state == "SUCCESS"
    batch.refresh_from_db()
    assert len(calls) == 2
    assert (batch.status, batch.issued) == ("done", 7)


def test_a_batch_that_stops_with_an_error_says_so_and_keeps_no_orphan(world, classmates, monkeypatch, new_files):
    from credentials import tasks

    real_record, done = services.record, []

    def record_then_break(item, content, **kwargs):
        if len(done) == 3:
            raise RuntimeError("disk full")
        done.append(real_record(item, content, **kwargs))
        return done[-1]

    monkeypatch.setattr(services, "record", record_then_break)
    batch = new_batch(world, classmates)

    with pytest.raises(RuntimeError):
        tasks.issue_batch.apply(args=[batch.pk], throw=True)

    batch.refresh_from_db()
    assert batch.status == BulkIssuance.Status.FAILED and batch.finished_at is not None
    assert batch.errors[-1]["message"] == "The batch stopped with an error; see the server log."
    assert Credential.objects.count() == 3
    assert new_files() == referenced_files()


def test_the_daily_sweep_is_scheduled_and_is_a_real_task():
    from django.conf import settings

    from pathways.celery import app

    app.loader.import_default_modules()
    entry = settings.CELERY_BEAT_SCHEDULE["sweep-orphan-certificates"]
    assert entry["task"] in app.tasks
