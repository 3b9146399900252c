"""A batch's page moves while it issues: progress is saved chunk by chunk, with chunks small enough that a
20-learner batch moves two certificates at a time (not 0, then all 20 at the end); the page shows the share
done and the count, says the work goes on only while it does, and the menu names the thing as the page does.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from credentials import services
from credentials.models import BulkIssuance
from people.models import Learner
from tests.builders import page_text, signed_in

from .world import enrolled, mark, present

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("total", "chunk"),
    # A tenth of the batch, at least one, at most the 50 the render was measured with.
    [(1, 1), (9, 1), (20, 2), (25, 3), (200, 20), (500, 50), (2000, 50)],
)
def test_a_batch_is_issued_in_about_ten_chunks(total, chunk):
    assert services.batch_chunk_size(total) == chunk


def test_a_20_learner_batch_saves_its_progress_two_certificates_at_a_time(world):
    learners = []
    for number in range(20):
        learner = Learner.objects.create(partner=world.partner, full_name=f"Learner {number:02}", consent_data=True)
        mark(enrolled(world.cohort, learner), world.sessions, present(10))
        learners.append(learner)
    batch = BulkIssuance.objects.create(
        cohort=world.cohort,
        pathway=world.pathway,
        requested_by=world.manager,
        learner_ids=[learner.pk for learner in learners],
        total=20,
    )

    with CaptureQueriesContext(connection) as queries:
        batch = services.run_bulk_issuance(batch_id=batch.pk)

    saved = [
        int(found.group(1))
        for query in queries.captured_queries
        if query["sql"].startswith('UPDATE "credentials_bulkissuance"')
        and (found := re.search(r'SET "issued" = (\d+)', query["sql"]))
    ]
    # After judging (none yet), then after each of ten chunks of two.
    assert saved == [0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20]
    assert (batch.status, batch.issued, batch.percent) == (BulkIssuance.Status.DONE, 20, 100)


def words(response):
    """What a reader sees: the page without its tags, spaces squeezed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page_text(response)))


def running_batch(world, **counts):
    return BulkIssuance.objects.create(
        cohort=world.cohort,
        pathway=world.pathway,
        requested_by=world.manager,
        learner_ids=[],
        total=20,
        status=BulkIssuance.Status.RUNNING,
        **counts,
    )


def test_a_running_batch_shows_the_share_done_and_that_the_work_goes_on(client, world):
    batch = running_batch(world, issued=6)

    text = words(signed_in(client, world.manager).get(f"/admin/certificate-batches/inspect/{batch.pk}/"))

    assert "30% done. 6 of 20 learners done: 6 issued." in text
    assert "You can leave this page; the work goes on." in text


def test_a_finished_batch_no_longer_says_it_is_issuing(client, world):
    batch = running_batch(world, issued=20)
    BulkIssuance.objects.filter(pk=batch.pk).update(status=BulkIssuance.Status.DONE)

    text = words(signed_in(client, world.manager).get(f"/admin/certificate-batches/inspect/{batch.pk}/"))

    assert "100% done. 20 of 20 learners done: 20 issued." in text
    assert "the work goes on" not in text
    assert "Issuing" not in text


def test_confirming_a_batch_leaves_no_issuing_message_behind_on_the_finished_page(
    client, world, django_capture_on_commit_callbacks
):
    signed_in(client, world.manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/admin/certificate-batches/preview/?cohort={world.cohort.pk}&pathway={world.pathway.pk}",
            {"cohort": world.cohort.pk, "pathway": world.pathway.pk, "learner": [world.learner.pk]},
        )
    # The task ran once the confirmation committed (eagerly, in tests); then the browser follows the redirect.
    text = words(client.get(response.url))
    assert "Finished" in text and "1 of 1 learner done: 1 issued." in text
    assert "Issuing" not in text
    assert "the work goes on" not in text


def test_the_menu_and_the_pages_call_it_certificate_batches(client, world):
    text = page_text(signed_in(client, world.manager).get("/admin/certificate-batches/"))

    assert "<title>Certificate batches" in text
    assert '"label": "Certificate batches"' in text or "Certificate batches" in text.split("<main", 1)[0]
    assert "Issue in bulk" not in text
