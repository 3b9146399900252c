"""A learner's money words are their own: in Arabic the paid bonus agrees with "bonus" (مدفوعة, not the admin's
مدفوع) and the savings match says that the program adds money to what the learner saved."""

from decimal import Decimal

import pytest

from courses.models import Track
from incentives import services
from incentives.models import MonthlyBonus, SavingsMatchRule
from tests.incentives.test_progress import learner_with_login, text_of

from .conftest import OCTOBER, OCTOBER_DAYS, cohort_on, enrolled, held_sessions, mark, present

pytestmark = pytest.mark.django_db


def test_the_arabic_portal_words_a_paid_bonus_and_the_savings_match_for_the_learner(client, rule, manager):
    cohort = cohort_on(Track.ESOL)
    october = held_sessions(cohort, OCTOBER_DAYS)
    learner = learner_with_login(cohort, full_name="فاطمة حيدري", preferred_language="ar")
    mark(enrolled(cohort, learner), october, present(8))
    services.compute_month(month=OCTOBER)
    bonus_ids = list(MonthlyBonus.objects.values_list("pk", flat=True))
    services.approve_bonuses(bonus_ids=bonus_ids, by=manager)
    services.mark_bonuses_paid(bonus_ids=bonus_ids, by=manager)
    match = SavingsMatchRule.objects.create(name="Household savings", active_from=OCTOBER.replace(month=1))
    services.record_savings_deposit(learner=learner, rule=match, month=OCTOBER, deposit=Decimal("80"), by=manager)
    client.force_login(learner.user)

    page = text_of(client.get("/learn/"))

    assert "مدفوعة" in page and "مدفوع " not in page.replace("مدفوعة", "")
    assert "ما يضيفه البرنامج إلى مدخراتك" in page and "مطابقة الادخار" not in page
    assert "ويضيف البرنامج" in page


def test_the_admin_keeps_its_own_word_for_a_paid_row(rule, manager):
    from django.utils import translation

    from incentives.models import Decision

    with translation.override("ar"):
        assert str(Decision.PAID.label) == "مدفوع"
