"""The outcome summary through the API: the dashboard's own figures (outcomes.figures.summary), with its
filters, for program managers and partner staff only, in a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from outcomes import figures
from tests.factories_cohorts import EnrollmentFactory, LearnerFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/outcomes/summary"


@pytest.mark.parametrize(
    "role, served",
    [("manager", 3), ("partner_staff", 2), ("other_partner_staff", 1)],
)
def test_figures_are_scoped_to_the_partners_one_may_see(call, api_world, role, served):
    body = call(role, "get", URL).json()
    assert body["people_served"] == served
    assert body == figures.summary(api_world.user(role), {}).to_dict()  # the dashboard's numbers, exactly


@pytest.mark.parametrize("role", ["learner", "other_learner", "instructor", "other_instructor"])
def test_people_without_a_dashboard_are_refused(call, role):
    response = call(role, "get", URL)
    assert response.status_code == 403
    assert response.json() == {"detail": "Outcome figures are for program managers and partner staff."}


def test_no_token_no_figures(call):
    assert call("anonymous", "get", URL).status_code == 401


def test_filters_are_the_dashboards(call, api_world):
    query = f"?cohort={api_world.cohort.pk}&start=2026-09-01&end=2026-10-31"
    body = call("manager", "get", URL + query).json()
    expected = figures.summary(
        api_world.manager, {"cohort": str(api_world.cohort.pk), "start": "2026-09-01", "end": "2026-10-31"}
    ).to_dict()
    assert body == expected
    assert body["people_served"] == 2 and [row["name"] for row in body["cohorts"]] == ["English Level 1"]
    assert body["period"] == {"start": "2026-09-01", "end": "2026-10-31"}


def test_another_partner_cannot_be_chosen(call, api_world):
    response = call("partner_staff", "get", f"{URL}?cohort={api_world.other_cohort.pk}")
    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == ["cohort"]


def test_wrong_filters_are_named(call):
    response = call("manager", "get", f"{URL}?term=Spring%201999&start=2026-10-01&end=2026-01-01")
    assert response.status_code == 422
    errors = {error["field"]: error["message"] for error in response.json()["errors"]}
    assert set(errors) == {"term", "end"}
    assert errors["end"] == "The end of the period must be on or after its start."


def test_summary_queries_do_not_grow_with_the_data(call, api_world):
    def measured():
        call("manager", "get", URL)  # stamps the token's last use
        with CaptureQueriesContext(connection) as captured:
            assert call("manager", "get", URL).status_code == 200
        return len(captured)

    before = measured()
    for _number in range(10):
        EnrollmentFactory(cohort=api_world.cohort, learner=LearnerFactory(partner=api_world.partner))
    assert measured() == before
