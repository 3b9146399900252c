"""Pages and filters of the lists: pages in a stable order that together hold every row once, and filters
that narrow (never widen) what the role sees."""

import datetime

import pytest

from incentives.models import Decision
from tests.factories_cohorts import EnrollmentFactory, LearnerFactory

pytestmark = pytest.mark.django_db


def test_pages_hold_every_row_once_in_a_stable_order(call, api_world):
    for _number in range(7):
        EnrollmentFactory(
            cohort=api_world.cohort, learner=LearnerFactory(partner=api_world.partner, full_name="Same Name")
        )
    everyone = call("manager", "get", "/api/v1/learners?limit=200").json()
    assert everyone["count"] == 10
    pages = [call("manager", "get", f"/api/v1/learners?limit=3&offset={offset}").json() for offset in range(0, 12, 3)]
    ids = [item["id"] for page in pages for item in page["items"]]
    assert ids == [item["id"] for item in everyone["items"]]  # same order, no row twice, none missing
    assert [len(page["items"]) for page in pages] == [3, 3, 3, 1]
    assert pages[1]["limit"] == 3 and pages[1]["offset"] == 3 and pages[1]["count"] == 10


def test_learners_are_found_by_part_of_either_name(call, api_world):
    names = {item["full_name"] for item in call("manager", "get", "/api/v1/learners?name=amin").json()["items"]}
    assert names == {"Amina Yusuf"}
    classmates = call("instructor", "get", f"/api/v1/learners?cohort={api_world.cohort.pk}").json()["items"]
    assert {item["full_name"] for item in classmates} == {"Amina Yusuf", "Bashir Rahimi"}


def test_bonuses_filter_by_month_and_status(call, api_world, rewards):
    bonus = rewards["learner_bonus"]
    bonus.status = Decision.APPROVED
    bonus.save()
    assert call("manager", "get", "/api/v1/bonuses?month=2026-09").json()["count"] == 2
    assert call("manager", "get", "/api/v1/bonuses?month=2026-08").json()["count"] == 0
    approved = call("manager", "get", "/api/v1/bonuses?month=2026-09&status=approved").json()["items"]
    assert [(item["learner"]["full_name"], item["amount"], item["month"]) for item in approved] == [
        ("Amina Yusuf", "200.00", "2026-09")
    ]


def test_milestones_filter_by_type_and_date(call, api_world, rewards):
    assert call("manager", "get", "/api/v1/milestones?milestone=business-plan").json()["count"] == 2
    assert call("manager", "get", "/api/v1/milestones?milestone=seed-grant").json()["count"] == 0
    later = datetime.date(2026, 9, 21).isoformat()
    assert call("manager", "get", f"/api/v1/milestones?achieved_from={later}").json()["count"] == 0


def test_sessions_filter_by_date(call, api_world):
    url = f"/api/v1/cohorts/{api_world.cohort.pk}/sessions?date_from=2026-10-01&date_to=2026-10-06"
    assert [item["date"] for item in call("learner", "get", url).json()["items"]] == ["2026-10-05"]
