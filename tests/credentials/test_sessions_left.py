"""An attendance shortfall is explained against the sessions still scheduled in the learner's cohort: how many
of them to attend, or — once the cohort has ended, or too few are left — that it can no longer be reached here.

Worked by hand, with a pathway needing 75%: a learner who came to 5 of October's 10 classes (50%) and
- has 10 November classes ahead: attending all 10 ends at 15 of 20 = 75%;
- has 4 ahead: even all 4 end at 9 of 14 = 64%, so it cannot be reached;
- has none ahead (the cohort ended): it cannot be reached.
A learner at 7 of 10 (70%) with 6 ahead needs 5 of them: 12 of 16 = 75% (4 would be 11 of 16 = 69%).
"""

import datetime
from decimal import Decimal

import pytest

from cohorts.models import Enrollment
from credentials.eligibility import Kind, cohort_eligibility
from people.models import Role
from people.services import assign_role
from tests import builders
from tests.factories_cohorts import UserFactory

from .world import OCTOBER_DAYS, cohort_on, enrolled, held_sessions, mark, pathway, present

pytestmark = pytest.mark.django_db

# Saturday 31 October 2026, noon in New York: October's classes are held, November's are ahead.
NOW = datetime.datetime(2026, 10, 31, 16, 0, tzinfo=datetime.UTC)
NOVEMBER_DAYS = [datetime.date(2026, 11, day) for day in (2, 5, 9, 12, 16, 19, 23, 26, 30)] + [
    datetime.date(2026, 12, 3)
]


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    return builders.stop_clock(monkeypatch, NOW)


def attendance_explanation(cohort, esol_75):
    (result,) = cohort_eligibility(pathway=esol_75, cohort=cohort)
    (found,) = [requirement for requirement in result.requirements if requirement.kind == Kind.ATTENDANCE]
    assert not found.met
    return found.explanation


@pytest.fixture
def esol_75():
    return pathway(min_attendance_percent=Decimal("75"))


def learner_at(cohort, came, of=10):
    enrollment = enrolled(cohort)
    mark(enrollment, held_sessions(cohort, OCTOBER_DAYS[:of]), present(came, absent=of - came))
    return enrollment


def test_with_ten_classes_ahead_the_learner_is_told_to_attend_all_ten(esol_75):
    cohort = cohort_on()
    learner_at(cohort, 5)
    held_sessions(cohort, NOVEMBER_DAYS)
    held_sessions(cohort, [datetime.date(2026, 11, 25)], cancelled=[datetime.date(2026, 11, 25)])  # not counted

    assert attendance_explanation(cohort, esol_75) == (
        "Attendance 50% (5 of 10 sessions); needs 75%: attend 10 of the 10 sessions still scheduled to reach it."
    )


def test_the_fewest_of_the_classes_ahead_that_end_at_the_minimum(esol_75):
    cohort = cohort_on()
    learner_at(cohort, 7)
    held_sessions(cohort, NOVEMBER_DAYS[:6])

    assert attendance_explanation(cohort, esol_75) == (
        "Attendance 70% (7 of 10 sessions); needs 75%: attend 5 of the 6 sessions still scheduled to reach it."
    )


def test_when_too_few_classes_are_left_it_says_it_can_no_longer_be_reached_in_this_cohort(esol_75):
    cohort = cohort_on()
    learner_at(cohort, 5)
    held_sessions(cohort, NOVEMBER_DAYS[:4])

    assert attendance_explanation(cohort, esol_75) == (
        "Attendance 50% (5 of 10 sessions); needs 75%: even all 4 sessions still scheduled would not reach it, "
        "so it can no longer be reached in this cohort."
    )


def test_after_the_cohort_ended_no_more_sessions_are_promised(esol_75):
    cohort = cohort_on(end_date=datetime.date(2026, 10, 30))
    learner_at(cohort, 5)

    explanation = attendance_explanation(cohort, esol_75)

    assert "more session" not in explanation
    assert explanation == (
        "Attendance 50% (5 of 10 sessions); needs 75%: no sessions are left in this cohort, "
        "so it can no longer be reached here."
    )


def test_a_learner_who_left_is_not_offered_the_classes_the_others_still_have(esol_75):
    cohort = cohort_on()
    enrollment = learner_at(cohort, 5)
    Enrollment.objects.filter(pk=enrollment.pk).update(
        status=Enrollment.Status.WITHDRAWN, withdrawn_on=datetime.date(2026, 10, 30)
    )
    held_sessions(cohort, NOVEMBER_DAYS)

    assert attendance_explanation(cohort, esol_75).endswith(
        "no sessions are left in this cohort, so it can no longer be reached here."
    )


def test_the_learners_certificates_page_says_it_can_no_longer_be_reached(client, esol_75):
    cohort = cohort_on(end_date=datetime.date(2026, 10, 30))
    enrollment = learner_at(cohort, 5)
    learner = enrollment.learner
    learner.user = assign_role(user=UserFactory(username="amina"), role=Role.LEARNER)
    learner.save()

    text = builders.page_text(builders.signed_in(client, learner.user).get("/credentials/mine/"))

    assert "no sessions are left in this cohort, so it can no longer be reached here." in text
    assert "more sessions attended would reach it" not in text
