"""The funder report never shows certificates of completion beside fewer completions (issue 13).

Built through the same services a program runs on: certificates issued while the cohort runs, staff recording
completions once it has ended, certificates of completion issued after that. The report's "Completed, with a
certificate of completion" is counted over the same enrollments as "Completed", so it can never exceed it.
"""

import datetime
import re
from decimal import Decimal

import pytest

from cohorts.services import complete_all_who_attended
from credentials.models import CredentialPathway
from credentials.services import CredentialError, issue_credential
from outcomes.figures import summary
from tests.builders import stop_clock
from tests.credentials.world import World, pathway, signed_in

pytestmark = pytest.mark.django_db

RUNNING = datetime.datetime(2026, 12, 7, 17, 0, tzinfo=datetime.UTC)
ENDED = datetime.datetime(2026, 12, 21, 17, 0, tzinfo=datetime.UTC)  # the cohort's last day was 18 Dec
REPORT = "/admin/outcomes/report/?start=2026-01-01&end=2026-12-31"


def report_figures(client):
    """{label: figure} of the report's figure lists."""
    html = client.get(REPORT).content.decode()
    return {label.strip(): value.strip() for label, value in re.findall(r"<dt>([^<]+)</dt>\s*<dd>([^<]*)</dd>", html)}


def test_the_report_counts_certificates_of_completion_only_beside_the_completions_they_certify(client, monkeypatch):
    clock = stop_clock(monkeypatch, RUNNING)
    world = World()
    attendance = pathway("ESOL attendance", min_attendance_percent=Decimal("75"))  # an achievement
    completion = pathway("ESOL Level 1 completed", certifies=CredentialPathway.Certifies.COMPLETION)
    signed_in(client, world.manager)

    # While the cohort runs: an achievement is issued; a certificate of completion is refused.
    issue_credential(learner=world.learner, pathway=attendance, cohort=world.cohort, by=world.manager)
    with pytest.raises(CredentialError):
        issue_credential(learner=world.learner, pathway=completion, cohort=world.cohort, by=world.manager)

    running = report_figures(client)
    assert running["Completed"] == "0"
    assert running["Completed, with a certificate of completion"] == "0"
    assert running["Credentials issued"] == "1"

    # After the last day staff record who completed (both came to class); one certificate of completion.
    clock.now = ENDED
    complete_all_who_attended(cohort=world.cohort, on=datetime.date(2026, 12, 18), by=world.instructor)
    issue_credential(learner=world.learner, pathway=completion, cohort=world.cohort, by=world.manager)

    signed_in(client, world.manager)  # two weeks on, sign in again
    ended = report_figures(client)
    assert ended["Completed"] == "2"
    assert ended["Completed, with a certificate of completion"] == "1"
    assert ended["Credentials issued"] == "2"
    figures = summary(world.manager, {"start": "2026-01-01", "end": "2026-12-31"})
    for row in figures.cohorts:
        assert row.enrollments.completed_with_certificate <= row.enrollments.completed
