"""A certificate never claims a completion that has not happened (issue 13).

On 7 Dec 2026 a "Certificate of Completion" was issued in bulk for a cohort that runs until later, and the PDF
said the learner completed the course "from ... to" its future last day. Here the world's ESOL cohort runs from
1 Sep to 18 Dec 2026 and the clock says 7 Dec: a pathway that certifies completion is refused by the service,
the batch, the admin and the API, with the reason in plain words; once the cohort has ended and staff recorded
the completion, it is issued. An achievement issued while the cohort runs prints the period up to the day of
issue, never the future last day.
"""

import datetime
import json
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from wagtail.models import ModelLogEntry

from api.services import create_token
from cohorts.models import Enrollment
from credentials.models import BulkIssuance, Credential, CredentialPathway
from credentials.services import (
    CredentialError,
    issue_credential,
    run_bulk_issuance,
    start_bulk_issuance,
)
from tests.builders import page_text, stop_clock

from .world import enrolled, mark, pathway, present, signed_in

pytestmark = pytest.mark.django_db

RUNNING = datetime.datetime(2026, 12, 7, 17, 0, tzinfo=datetime.UTC)  # noon in New York, 7 Dec 2026
ENDED = datetime.datetime(2026, 12, 21, 17, 0, tzinfo=datetime.UTC)  # three days after the last day, 18 Dec
CLASS_ENDS = "The cohort ends on Dec. 18, 2026."


def completion_pathway():
    return pathway(
        "ESOL Level 1 completed",
        certifies=CredentialPathway.Certifies.COMPLETION,
        min_attendance_percent=Decimal("75"),
    )


def completed_early(world):
    """Staff marked Fatima's enrollment completed on 4 Dec, two weeks before the cohort's last day."""
    enrollment = Enrollment.objects.get(cohort=world.cohort, learner=world.learner)
    Enrollment.objects.filter(pk=enrollment.pk).update(
        status=Enrollment.Status.COMPLETED, completed_on=datetime.date(2026, 12, 4)
    )
    return enrollment


def pdf_text(credential):
    result = subprocess.run(
        ["pdftotext", "-layout", str(Path(credential.pdf.path)), "-"], capture_output=True, text=True, check=True
    )
    return " ".join(result.stdout.split())


# --- the service ---------------------------------------------------------------------------------------------


def test_the_service_refuses_a_certificate_of_completion_before_the_cohort_ends(world, monkeypatch, new_files):
    stop_clock(monkeypatch, RUNNING)
    completed_early(world)
    completion = completion_pathway()

    with pytest.raises(CredentialError) as refused:
        issue_credential(learner=world.learner, pathway=completion, cohort=world.cohort, by=world.manager)

    assert CLASS_ENDS in refused.value.message
    assert "certifies completion of the course" in refused.value.message
    assert not Credential.objects.exists() and new_files() == set()


def test_a_batch_of_certificates_of_completion_is_refused_before_the_cohort_ends(world, monkeypatch):
    stop_clock(monkeypatch, RUNNING)
    completed_early(world)

    with pytest.raises(CredentialError) as refused:
        start_bulk_issuance(
            cohort=world.cohort, pathway=completion_pathway(), learner_ids=[world.learner.pk], by=world.manager
        )

    assert CLASS_ENDS in refused.value.message
    assert not BulkIssuance.objects.exists()


def test_a_queued_batch_judges_again_and_holds_back_learners_whose_cohort_has_not_ended(world, monkeypatch):
    """A batch queued earlier (or whose cohort's last day was moved later since) issues nothing early."""
    stop_clock(monkeypatch, RUNNING)
    completed_early(world)
    batch = BulkIssuance.objects.create(
        cohort=world.cohort,
        pathway=completion_pathway(),
        requested_by=world.manager,
        learner_ids=[world.learner.pk],
        total=1,
    )

    run_bulk_issuance(batch_id=batch.pk)

    batch.refresh_from_db()
    assert (batch.issued, batch.skipped, batch.failed) == (0, 1, 0)
    assert batch.errors[0]["message"] == CLASS_ENDS
    assert not Credential.objects.exists()


def test_once_the_cohort_ended_and_staff_recorded_the_completion_the_certificate_is_issued(world, monkeypatch):
    stop_clock(monkeypatch, ENDED)
    completed_early(world)

    credential = issue_credential(
        learner=world.learner, pathway=completion_pathway(), cohort=world.cohort, by=world.manager
    )

    assert credential.issued_on == datetime.date(2026, 12, 21)
    assert "Certificate of Completion" in pdf_text(credential)


def test_after_the_end_a_learner_whose_completion_was_not_recorded_is_held_back_with_the_reason(world, monkeypatch):
    stop_clock(monkeypatch, ENDED)

    with pytest.raises(CredentialError) as refused:
        issue_credential(learner=world.learner, pathway=completion_pathway(), cohort=world.cohort, by=world.manager)

    assert refused.value.message == "The cohort ended on Dec. 18, 2026; staff have not recorded the completion yet."


# --- what is printed -------------------------------------------------------------------------------------------


def test_an_achievement_issued_while_the_cohort_runs_prints_the_period_up_to_the_day_of_issue(world, monkeypatch):
    stop_clock(monkeypatch, RUNNING)
    classmate = enrolled(world.cohort, name="Amina Yusuf")
    mark(classmate, world.sessions, present(10))

    credential = issue_credential(
        learner=classmate.learner, pathway=world.pathway, cohort=world.cohort, by=world.manager
    )

    text = pdf_text(credential)
    assert "Amina Yusuf completed ESOL Level 1 at Northside Refugee Center" in text
    assert "from Sept. 1, 2026 to Dec. 7, 2026." in text
    assert "Dec. 18, 2026" not in text


# --- the admin -------------------------------------------------------------------------------------------------


def test_the_preview_says_plainly_who_is_held_back_and_why_and_confirming_issues_nothing(client, world, monkeypatch):
    stop_clock(monkeypatch, RUNNING)
    completed_early(world)
    completion = completion_pathway()
    signed_in(client, world.manager)
    preview = f"/admin/certificate-batches/preview/?cohort={world.cohort.pk}&pathway={completion.pk}"

    page = page_text(client.get(preview))

    assert (
        "“ESOL Level 1 completed” certifies completion of the course, so it is issued only once the cohort has "
        "ended and staff have recorded who completed it. The cohort ends on Dec. 18, 2026." in page
    )
    assert "Nobody in this cohort can be issued this certificate now." in page
    assert "2 learners do not qualify yet" in page
    assert page.count(CLASS_ENDS) == 3  # once above the list, once for each learner held back
    assert "Issue 1 certificate" not in page

    response = client.post(
        preview, {"cohort": world.cohort.pk, "pathway": completion.pk, "learner": [world.learner.pk]}, follow=True
    )

    assert CLASS_ENDS in page_text(response)
    assert not BulkIssuance.objects.exists() and not Credential.objects.exists()


def test_after_the_end_the_preview_points_to_recording_completions(client, world, monkeypatch):
    stop_clock(monkeypatch, ENDED)
    completed_early(world)
    completion = completion_pathway()
    signed_in(client, world.manager)

    page = page_text(
        client.get(f"/admin/certificate-batches/preview/?cohort={world.cohort.pk}&pathway={completion.pk}")
    )

    assert "1 learner meets every requirement" in page and "فاطمة الزهراء أحمد" in page
    assert "The cohort ended on Dec. 18, 2026; staff have not recorded the completion yet." in page
    assert f'href="/teach/cohorts/{world.cohort.pk}/"' in page


# --- the API ---------------------------------------------------------------------------------------------------


def issue_by_api(client, user, **body):
    token = create_token(user=user, name="test", by=user)[1]
    return client.post(
        "/api/v1/credentials",
        data=json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
        HTTP_ACCEPT_LANGUAGE="en",
    )


def test_the_api_refuses_a_certificate_of_completion_before_the_cohort_ends(client, world, monkeypatch):
    stop_clock(monkeypatch, RUNNING)
    completed_early(world)
    completion = completion_pathway()

    response = issue_by_api(
        client, world.partner_staff, learner=world.learner.pk, pathway=completion.pk, cohort=world.cohort.pk
    )

    assert response.status_code == 422
    assert CLASS_ENDS in response.json()["detail"]
    assert not Credential.objects.exists()


def test_the_api_issues_an_achievement_and_scopes_by_partner(client, world, monkeypatch):
    stop_clock(monkeypatch, RUNNING)
    body = {"learner": world.learner.pk, "pathway": world.pathway.pk, "cohort": world.cohort.pk}

    elsewhere = issue_by_api(client, world.other_partner_staff, **body)
    issued = issue_by_api(client, world.partner_staff, **body)
    again = issue_by_api(client, world.partner_staff, **body)

    assert elsewhere.status_code == 404
    assert issued.status_code == 201 and issued.json()["name_as_printed"] == "فاطمة الزهراء أحمد"
    assert again.status_code == 409 and again.json()["detail"] == "This learner already holds this credential."
    assert Credential.objects.get().issued_by == world.partner_staff


# --- staff record completions once the cohort ended ----------------------------------------------------------


def test_staff_record_the_completion_of_everyone_who_attended_once_the_cohort_ended(client, world, monkeypatch):
    stop_clock(monkeypatch, ENDED)
    never_came = enrolled(world.cohort, name="Never came")
    signed_in(client, world.instructor)
    url = f"/teach/cohorts/{world.cohort.pk}/"

    page = page_text(client.get(url))
    assert "The cohort ended on Dec. 18, 2026. 2 learners still marked active attended at least one class" in page
    assert "1 learner never came to a class and stays active" in page

    future = client.post(url, {"action": "complete_all", "completed_on": "2026-12-22"})
    assert future.status_code == 400
    assert "A completion cannot be recorded for a day still to come." in page_text(future)
    assert not Enrollment.objects.filter(status=Enrollment.Status.COMPLETED).exists()

    done = client.post(url, {"action": "complete_all", "completed_on": "2026-12-18"}, follow=True)

    assert "Completion recorded for 2 learners." in page_text(done)
    statuses = dict(Enrollment.objects.filter(cohort=world.cohort).values_list("learner__full_name", "completed_on"))
    assert statuses == {
        "فاطمة الزهراء أحمد": datetime.date(2026, 12, 18),
        world.second_learner.full_name: datetime.date(2026, 12, 18),
        "Never came": None,
    }
    never_came.refresh_from_db()
    assert never_came.status == Enrollment.Status.ACTIVE
    assert ModelLogEntry.objects.filter(action="cohorts.enrollment.status", user=world.instructor).count() == 2


def test_completions_for_everyone_are_refused_while_the_cohort_runs(client, world, monkeypatch):
    stop_clock(monkeypatch, RUNNING)
    signed_in(client, world.instructor)
    url = f"/teach/cohorts/{world.cohort.pk}/"

    assert "Record completions" not in page_text(client.get(url))
    response = client.post(url, {"action": "complete_all", "completed_on": "2026-12-07"})

    assert response.status_code == 400
    assert "The cohort ends on Dec. 18, 2026; completions are recorded for everyone once it has ended." in page_text(
        response
    )
    assert not Enrollment.objects.filter(status=Enrollment.Status.COMPLETED).exists()
