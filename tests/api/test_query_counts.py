"""Lists cost a fixed number of queries however many rows they return (asserted at two sizes)."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cohorts.models import Enrollment
from courses.models import InstructionLanguage, Track
from incentives.models import BonusRule, Decision, MilestoneAchievement, MilestoneType, MonthlyBonus
from tests.api.test_credentials import certificate
from tests.factories_cohorts import CohortFactory, EnrollmentFactory, LearnerFactory, MeetingTimeFactory, SessionFactory

pytestmark = pytest.mark.django_db

# Queries per list, named: the token (1), its last-use stamp (0 within a minute of the last), the count (1),
# the page of rows with what they join (1), and for cohorts their languages (1).
BUDGET = {
    "/api/v1/cohorts": 4,  # token, count, cohorts+partner+course, languages
    "/api/v1/learners": 3,  # token, count, learners+partner
    "/api/v1/bonuses": 3,  # token, count, bonuses+learner+rule
    "/api/v1/milestones": 3,  # token, count, achievements+learner+type
    "/api/v1/credentials": 3,  # token, count, credentials+learner+pathway
    "sessions": 4,  # token, may the cohort be seen (exists), count, sessions+cohort
    "roster": 3,  # token, the session+cohort, the roster (can_take_attendance needs none for a manager)
}


def grow(api_world, copies):
    """`copies` more of each kind of row the lists show, all visible to the program manager."""
    partner, cohort = api_world.partner, api_world.cohort
    language = InstructionLanguage.objects.get_or_create(code="ar", defaults={"name": "Arabic"})[0]
    rule = BonusRule.objects.get_or_create(
        name="Training bonus", defaults={"tracks": [Track.ESOL], "active_from": datetime.date(2026, 1, 1)}
    )[0]
    kind = MilestoneType.objects.get_or_create(slug="business-plan", defaults={"name": "Business plan"})[0]
    for number in range(copies):
        extra = CohortFactory(partner=partner)
        extra.languages.add(language)
        MeetingTimeFactory(cohort=extra)
        learner = LearnerFactory(partner=partner)
        EnrollmentFactory(cohort=cohort, learner=learner, status=Enrollment.Status.ACTIVE)
        SessionFactory(cohort=cohort, date=datetime.date(2026, 9, 1) + datetime.timedelta(days=number))
        MonthlyBonus.objects.create(
            learner=learner,
            partner=partner,
            rule=rule,
            month=datetime.date(2026, 9, 1),
            amount=Decimal("200"),
            status=Decision.ELIGIBLE,
        )
        MilestoneAchievement.objects.create(learner=learner, milestone_type=kind, achieved_on=datetime.date(2026, 9, 1))
        certificate(learner, cohort)


def queries_for(call, path):
    call("manager", "get", path)  # stamps the token's last use, so the measured calls do not
    with CaptureQueriesContext(connection) as captured:
        response = call("manager", "get", path)
    assert response.status_code == 200, response.content
    return len(captured), response


@pytest.mark.parametrize("name", list(BUDGET))
def test_list_queries_do_not_grow_with_the_rows(call, api_world, name, django_assert_max_num_queries):
    path = {
        "sessions": f"/api/v1/cohorts/{api_world.cohort.pk}/sessions",
        "roster": f"/api/v1/sessions/{api_world.tonight.pk}/roster",
    }.get(name, name)
    grow(api_world, 2)
    small, small_response = queries_for(call, path)
    grow(api_world, 10)
    with django_assert_max_num_queries(BUDGET[name]):
        response = call("manager", "get", path)
    large, _response = queries_for(call, path)
    assert large == small
    assert len(str(response.json())) > len(str(small_response.json()))  # more rows came back for the same queries
