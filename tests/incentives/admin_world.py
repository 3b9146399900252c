"""A small program for the admin, export and evidence tests: two partners, one user per role, an October
of eight held classes in each partner's ESOL cohort, and three learners — one who came to every class in
each partner, and one in Northside who came to two of eight (not eligible)."""

from incentives import services
from incentives.models import MonthlyBonus
from tests.builders import (  # noqa: F401 (the incentive tests import them from here)
    ProgramOfTwoPartners,
    assert_turned_away_to_login,
    messages_of,
    page_text,
    signed_in,
)

from .conftest import OCTOBER, OCTOBER_DAYS, bonus_rule

ROLES = [
    "anonymous",
    "learner",
    "instructor",  # teaches the Northside cohort the learner is in
    "other_instructor",  # teaches another Northside cohort
    "partner_staff",  # Northside
    "other_partner_staff",  # Unidos
    "manager",
]
NO_ADMIN = {"anonymous", "learner", "instructor", "other_instructor"}


class World(ProgramOfTwoPartners):
    def __init__(self):
        self.rule = bonus_rule()
        super().__init__(days=OCTOBER_DAYS, second_learner_came=2)

    def compute(self):
        services.compute_month(month=OCTOBER, by=self.manager)

    def bonus(self, learner):
        return MonthlyBonus.objects.get(learner=learner, month=OCTOBER)
