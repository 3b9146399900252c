"""When private storage refuses a certificate's PDF — the disk is full, or the directory cannot be written to —
nothing is issued without its file (and no file is left without its credential), the manager is told in plain
words what happened and whom to ask, and issuing again once storage works issues exactly the missing ones.

The read-only store is real: a directory chmod'ed 0555. Root ignores file permissions, so where the tests run
as root, the store belongs to "nobody" and files are saved as nobody (as a production worker saves them as its
own, unprivileged user): the kernel itself then answers EACCES. A full disk is simulated: the storage writes
half the file and then fails with ENOSPC, as a write to a disk that fills up part-way does.
"""

import errno
import os
import re
import shutil
import tempfile
from pathlib import Path

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from wagtail.models import Locale, ModelLogEntry

from credentials import services, tasks
from credentials.models import BulkIssuance, Credential, private_storage
from credentials.services import CertificateStoreError, issue_credential
from people.models import Learner

from .world import enrolled, mark, present, signed_in

pytestmark = pytest.mark.django_db

NOBODY = 65534
FULL = (
    "The certificate store is full. Ask your administrator to free space, then issue again: "
    "learners who already have their certificate are left out."
)
UNWRITABLE = (
    "The certificate store cannot be written to. Ask your administrator to make it writable, then "
    "issue again: learners who already have their certificate are left out."
)
NAMES = ["محمد عبد الله", "Nguyễn Thị Hoa", "Jean-Baptiste Wilnè", "አበበ በቂላ", "Ольга Петренко", "Ana Paula Conceição"]


class Store:
    """Private storage in a directory of its own, which a test can make read-only or fill up."""

    def __init__(self, root, monkeypatch):
        self.root = root
        self.storage = private_storage()
        self._monkeypatch = monkeypatch

    def files(self):
        """Every file under the store (partly written ones included), as storage names."""
        return {str(path.relative_to(self.root)) for path in self.root.rglob("*") if path.is_file()}

    def make_read_only(self):
        for directory in [self.root, *(path for path in self.root.rglob("*") if path.is_dir())]:
            directory.chmod(0o555)

    def make_writable(self):
        for directory in [self.root, *(path for path in self.root.rglob("*") if path.is_dir())]:
            directory.chmod(0o755)

    def fill_after(self, saves):
        """The disk fills up after `saves` more files: each later save writes half its file, then fails."""
        real_save, done = self.storage._save, []

        def save(name, content):
            if len(done) < saves:
                done.append(name)
                return real_save(name, content)
            data = content.read()
            real_save(name, ContentFile(data[: len(data) // 2]))
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), self.storage.path(name))

        self._monkeypatch.setattr(self.storage, "_save", save)
        return lambda: self._monkeypatch.setattr(self.storage, "_save", real_save)  # space freed


@pytest.fixture
def store(monkeypatch):
    root = Path(tempfile.mkdtemp(prefix="pathways-store-"))
    root.chmod(0o755)
    # Moved, not replaced: the certificate file field holds the storage it was given at start-up.
    for storage in {id(s): s for s in (private_storage(), Credential._meta.get_field("pdf").storage)}.values():
        # `location` first: it is computed from `base_location`, and is put back as it was before either moved.
        monkeypatch.setattr(storage, "location", str(root))
        monkeypatch.setattr(storage, "base_location", str(root))
    store = Store(root, monkeypatch)
    if os.geteuid() == 0:
        os.chown(root, NOBODY, NOBODY)
        real_save = store.storage._save

        def save_as_nobody(name, content):
            os.seteuid(NOBODY)
            try:
                return real_save(name, content)
            finally:
                os.seteuid(0)

        monkeypatch.setattr(store.storage, "_save", save_as_nobody)
    yield store
    store.make_writable()
    shutil.rmtree(root)


@pytest.fixture
def cohort_learners(world):
    """Fatima and six classmates (in six scripts, each with an email) who came to nine of ten classes."""
    learners = [world.learner]
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


def page_text(response):
    return re.sub(r"\s+", " ", response.content.decode())


def credential_files():
    return set(Credential.objects.values_list("pdf", flat=True))


def issue_in_bulk(client, world, learners, capture):
    """What a manager does: tick the learners on the preview and confirm. Returns the batch and its page."""
    with capture(execute=True):  # the task is queued on commit and runs eagerly
        response = client.post(
            f"/admin/certificate-batches/preview/?cohort={world.cohort.pk}&pathway={world.pathway.pk}",
            {"cohort": world.cohort.pk, "pathway": world.pathway.pk, "learner": [learner.pk for learner in learners]},
        )
    batch = BulkIssuance.objects.latest("created_at")
    assert response.url == f"/admin/certificate-batches/inspect/{batch.pk}/"
    return batch, page_text(client.get(response.url))


def assert_each_once_with_their_file(store, learners):
    credentials = Credential.objects.filter(status=Credential.Status.ISSUED)
    assert sorted(credentials.values_list("learner_id", flat=True)) == sorted(learner.pk for learner in learners)
    assert store.files() == credential_files()
    assert all((store.root / name).stat().st_size > 1000 for name in store.files())


# --- one certificate -------------------------------------------------------------------------------------


def test_a_full_store_refuses_the_certificate_in_plain_words_and_keeps_neither_row_nor_partial_file(
    world, store, django_capture_on_commit_callbacks
):
    space_freed = store.fill_after(0)

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(CertificateStoreError) as refused:
        issue_credential(learner=world.learner, pathway=world.pathway, cohort=world.cohort, by=world.manager)

    assert refused.value.message == FULL
    assert isinstance(refused.value, services.CredentialError)  # views show it like any refusal, not a 500
    assert not Credential.objects.exists()
    assert store.files() == set()  # the half-written file is gone
    assert not ModelLogEntry.objects.filter(action="credentials.credential.issue").exists()
    assert mail.outbox == []

    space_freed()
    credential = issue_credential(learner=world.learner, pathway=world.pathway, cohort=world.cohort, by=world.manager)

    assert_each_once_with_their_file(store, [world.learner])
    assert store.files() == {credential.pdf.name}


def test_a_store_that_fills_up_on_the_english_copy_keeps_neither_file(world, store):
    """The certificate was saved, its English copy was refused: no credential, and the first file goes too."""
    template = world.pathway.template
    template.offers_english_copy = True
    template.save()
    arabic = template.copy_for_translation(Locale.objects.get_or_create(language_code="ar")[0])
    arabic.title = "شهادة إتمام"
    arabic.save()
    store.fill_after(1)

    with pytest.raises(CertificateStoreError):
        issue_credential(learner=world.learner, pathway=world.pathway, cohort=world.cohort, by=world.manager)

    assert not Credential.objects.exists()
    assert store.files() == set()


def test_a_read_only_store_refuses_the_certificate_and_issues_it_once_made_writable(world, store):
    store.make_read_only()

    with pytest.raises(CertificateStoreError) as refused:
        issue_credential(learner=world.learner, pathway=world.pathway, cohort=world.cohort, by=world.manager)

    assert refused.value.message == UNWRITABLE
    assert refused.value.__cause__.errno == errno.EACCES  # the kernel's own refusal
    assert not Credential.objects.exists() and store.files() == set()

    store.make_writable()
    issue_credential(learner=world.learner, pathway=world.pathway, cohort=world.cohort, by=world.manager)

    assert_each_once_with_their_file(store, [world.learner])


# --- a cohort's batch ------------------------------------------------------------------------------------


def test_a_disk_that_fills_mid_batch_stops_it_names_who_was_not_issued_and_a_retry_issues_exactly_them(
    client, world, store, cohort_learners, django_capture_on_commit_callbacks
):
    signed_in(client, world.manager)
    space_freed = store.fill_after(3)

    batch, page = issue_in_bulk(client, world, cohort_learners, django_capture_on_commit_callbacks)

    batch.refresh_from_db()
    assert (batch.status, batch.total, batch.issued, batch.skipped, batch.failed) == ("failed", 7, 3, 0, 4)
    issued = list(Credential.objects.values_list("learner_id", flat=True))
    missing = [learner for learner in cohort_learners if learner.pk not in issued]
    assert len(issued) == 3 and len(missing) == 4
    assert store.files() == credential_files()  # three whole files; the half-written fourth is gone
    # The progress page says it stopped, who has no certificate, why, and what to do.
    assert "Stopped with an error" in page and "7 of 7 learners done: 3 issued." in page
    for learner in missing:
        assert f'<bdi dir="auto">{learner.full_name}</bdi>: Not issued: the certificate store is full.' in page
    assert "4 could not be issued." in page and FULL in page

    space_freed()
    retry, page = issue_in_bulk(client, world, cohort_learners, django_capture_on_commit_callbacks)

    retry.refresh_from_db()
    # Those who got theirs the first time are left out when the batch is started: only the four are issued.
    assert sorted(retry.learner_ids) == sorted(learner.pk for learner in missing)
    assert (retry.status, retry.total, retry.issued, retry.failed) == ("done", 4, 4, 0)
    assert "4 of 4 learners done: 4 issued." in page
    assert_each_once_with_their_file(store, cohort_learners)


def test_a_read_only_store_fails_the_batch_task_cleanly_and_a_retry_issues_everyone_once(world, store, cohort_learners):
    store.make_read_only()
    batch = services.start_bulk_issuance(
        cohort=world.cohort,
        pathway=world.pathway,
        learner_ids=[learner.pk for learner in cohort_learners],
        by=world.manager,
    )

    # The bulk task itself (run eagerly, as a worker would run it): it ends, it does not crash or retry.
    result = tasks.issue_batch.apply(args=[batch.pk])

    assert result.state == "SUCCESS" and result.result == {"issued": 0, "skipped": 0, "failed": 7}
    batch.refresh_from_db()
    assert batch.status == BulkIssuance.Status.FAILED and batch.finished_at is not None
    *per_learner, last = batch.errors
    assert sorted((problem["learner"], problem["message"]) for problem in per_learner) == sorted(
        (learner.pk, "Not issued: the certificate store cannot be written to.") for learner in cohort_learners
    )
    assert (last["learner"], last["message"]) == (None, UNWRITABLE)
    assert not Credential.objects.exists() and store.files() == set()

    store.make_writable()
    retry = services.start_bulk_issuance(
        cohort=world.cohort,
        pathway=world.pathway,
        learner_ids=[learner.pk for learner in cohort_learners],
        by=world.manager,
    )
    assert tasks.issue_batch.apply(args=[retry.pk]).result == {"issued": 7, "skipped": 0, "failed": 0}
    assert_each_once_with_their_file(store, cohort_learners)
