"""What learners and instructors see: this month's bonus progress in plain words, past bonuses, the
milestone checklist on the portal, and "below the bonus line" on the instructor's roster.

The clock stands on Monday 16 November 2026, 10:00 in New York. November's classes are on Mondays and
Thursdays, 18:00–20:00: 2, 5, 9 and 12 have been held; tonight's (16) and 19, 23, 26 and 30 are still to
come — nine in all, so 7 attended are needed for 75%.
"""

import datetime
import html
from decimal import Decimal

import pytest
from django.utils.html import strip_tags
from wagtail.models import Locale

from courses.models import Track
from incentives import services
from incentives.models import MilestoneAchievement, MilestoneType, MonthlyBonus
from people.models import Learner, Role
from tests.factories_cohorts import CohortFactory, UserFactory

from .conftest import OCTOBER, OCTOBER_DAYS, bonus_rule, cohort_on, enrolled, held_sessions, mark, present

pytestmark = pytest.mark.django_db

NOVEMBER_DAYS = [datetime.date(2026, 11, day) for day in (2, 5, 9, 12, 16, 19, 23, 26, 30)]
HELD_SO_FAR = 4
TONIGHT = 4  # index of tonight's class


def learner_with_login(cohort, full_name="Amina Yusuf", **fields):
    user = UserFactory(role=Role.LEARNER, partner=cohort.partner)
    return Learner.objects.create(partner=cohort.partner, full_name=full_name, consent_data=True, user=user, **fields)


@pytest.fixture
def classroom(rule, instructor):
    cohort = cohort_on(Track.ESOL)
    cohort.instructors.add(instructor)
    return cohort, held_sessions(cohort, NOVEMBER_DAYS)


def text_of(response):
    """The page as a reader sees it: no tags, entities decoded, runs of white space as one space."""
    assert response.status_code == 200
    return " ".join(html.unescape(strip_tags(response.content.decode())).split())


def portal(client, learner):
    client.force_login(learner.user)
    return text_of(client.get("/learn/"))


# --- the learner's portal ---------------------------------------------------------------------------


def test_a_learner_who_came_to_every_class_so_far_is_told_how_many_more_earn_the_bonus(client, classroom):
    cohort, sessions = classroom
    learner = learner_with_login(cohort)
    mark(enrolled(cohort, learner), sessions[:HELD_SO_FAR], present(HELD_SO_FAR))

    page = portal(client, learner)

    assert "You came to 4 of 4 classes. Come to 3 more classes to earn your $200 bonus." in page
    assert "5 classes left this month." in page


def test_unmarked_classes_count_as_missed_and_the_learner_is_told_to_ask(client, classroom):
    cohort, sessions = classroom
    learner = learner_with_login(cohort)
    mark(enrolled(cohort, learner), sessions[:HELD_SO_FAR], [*present(3), None])

    page = portal(client, learner)

    assert "You came to 3 of 4 classes. Come to 4 more classes to earn your $200 bonus." in page
    assert "1 class is not marked yet: ask your instructor." in page


def test_tonights_class_is_still_to_come_until_it_starts(client, classroom, clock):
    cohort, sessions = classroom
    learner = learner_with_login(cohort)
    mark(enrolled(cohort, learner), sessions[:HELD_SO_FAR], present(HELD_SO_FAR))

    morning = portal(client, learner)
    clock.advance(hours=8, minutes=30)  # 18:30 in New York, class under way, not marked yet
    evening = portal(client, learner)

    assert "You came to 4 of 4 classes." in morning and "not marked yet" not in morning
    assert "You came to 4 of 5 classes." in evening
    assert "1 class is not marked yet: ask your instructor." in evening


def test_a_bonus_out_of_reach_is_said_kindly_and_excused_classes_are_left_out(client, classroom):
    cohort, sessions = classroom
    learner = learner_with_login(cohort)
    mark(enrolled(cohort, learner), sessions[:HELD_SO_FAR], ["absent", "excused", "absent", "absent"])

    page = portal(client, learner)

    # 0 of 3 counted (the excused class is left out); even all 5 still to come make 5 of 8: out of reach.
    assert "You came to 0 of 3 classes." in page
    assert "This month's $200 bonus is out of reach now, but every class still counts." in page


def test_a_learner_already_past_the_line_with_no_classes_left_has_earned_it(client, classroom, clock):
    cohort, sessions = classroom
    learner = learner_with_login(cohort)
    mark(enrolled(cohort, learner), sessions, present(8, absent=1))
    clock.advance(days=15)  # 1 December: November is over

    page = portal(client, learner)

    assert "Training bonus — December 2026" in page
    assert "No classes this month yet." in page
    # November is now a past month: once computed, it shows under "My bonuses".
    services.compute_month(month=datetime.date(2026, 11, 1))
    page = portal(client, learner)
    assert "November 2026" in page
    assert "8 of 9 classes" in page
    assert "$200 · Earned — being reviewed" in page


def test_past_bonuses_show_amount_and_where_the_payment_stands(client, rule, manager):
    cohort = cohort_on(Track.ESOL)
    october = held_sessions(cohort, OCTOBER_DAYS)
    learner = learner_with_login(cohort)
    mark(enrolled(cohort, learner), october, present(8))
    services.compute_month(month=OCTOBER)
    services.approve_bonuses(bonus_ids=list(MonthlyBonus.objects.values_list("pk", flat=True)), by=manager)

    page = portal(client, learner)

    assert "October 2026" in page
    assert "$200 · Approved — payment on the way" in page


def test_a_month_not_earned_shows_no_amount(client, rule):
    cohort = cohort_on(Track.ESOL)
    october = held_sessions(cohort, OCTOBER_DAYS)
    learner = learner_with_login(cohort)
    mark(enrolled(cohort, learner), october, present(2, absent=6))
    services.compute_month(month=OCTOBER)

    page = portal(client, learner)

    assert "2 of 8 classes" in page
    assert "Not earned" in page
    assert "$0" not in page


def test_the_milestone_checklist_shows_done_waiting_rejected_with_the_reason_and_not_yet(client, manager):
    cohort = cohort_on(Track.ENTREPRENEURSHIP)
    learner = learner_with_login(cohort, full_name="Mulugeta Bekele")
    enrolled(cohort, learner)
    kinds = {
        slug: MilestoneType.objects.create(
            slug=slug, name=name, track=Track.ENTREPRENEURSHIP, sort_order=order, carries_amount=slug == "seed"
        )
        for order, (slug, name) in enumerate(
            [
                ("plan", "Business plan"),
                ("license", "Business license"),
                ("seed", "SEED grant awarded"),
                ("bank", "Bank account opened"),
            ]
        )
    }
    day = datetime.date(2026, 10, 20)
    plan = services.record_milestone(learner=learner, milestone_type=kinds["plan"], achieved_on=day, by=manager)
    services.verify_milestone(achievement=plan, by=manager)
    services.record_milestone(learner=learner, milestone_type=kinds["license"], achieved_on=day, by=manager)
    seed = services.record_milestone(
        learner=learner, milestone_type=kinds["seed"], achieved_on=day, amount=Decimal("5000"), by=manager
    )
    services.reject_milestone(achievement=seed, reason="The award letter is for another business.", by=manager)

    page = portal(client, learner)

    assert page.index("Business plan") < page.index("Business license") < page.index("SEED grant awarded")
    assert "Done on Oct. 20, 2026" in page
    assert "Recorded — waiting for a manager to check it" in page
    assert "The award letter is for another business." in page
    assert "Bank account opened" in page and "Not yet" in page
    # Nothing here about money a learner in no bonus-paying course could earn.
    assert "Training bonus" not in page


def test_a_learner_sees_only_their_own_progress(client, classroom):
    cohort, sessions = classroom
    amina = learner_with_login(cohort)
    other = learner_with_login(cohort, full_name="Li Wei")
    mark(enrolled(cohort, amina), sessions[:HELD_SO_FAR], present(HELD_SO_FAR))
    mark(enrolled(cohort, other), sessions[:HELD_SO_FAR], present(1, absent=3))
    kind = MilestoneType.objects.create(slug="plan", name="Business plan", track=Track.ESOL)
    MilestoneAchievement.objects.create(learner=other, milestone_type=kind, achieved_on=datetime.date(2026, 11, 2))

    page = portal(client, amina)

    assert "You came to 4 of 4 classes." in page
    assert "1 of 4" not in page
    assert "Business plan" in page and "Not yet" in page  # her checklist, not Li Wei's record


# --- the instructor's roster ------------------------------------------------------------------------


def roster(client, user, session):
    client.force_login(user)
    response = client.get(f"/teach/sessions/{session.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_roster_flags_who_is_below_the_bonus_line_this_month(client, classroom, instructor):
    cohort, sessions = classroom
    steady = enrolled(
        cohort, Learner.objects.create(partner=cohort.partner, full_name="Amina Yusuf", consent_data=True)
    )
    slipping = enrolled(cohort, Learner.objects.create(partner=cohort.partner, full_name="Li Wei", consent_data=True))
    mark(steady, sessions[:4], present(4))
    mark(slipping, sessions[:4], present(2, absent=2))

    page = roster(client, instructor, sessions[TONIGHT])

    assert page.count("Below the bonus line") == 1
    # 2 of 4 so far; 7 of the 9 are needed: tonight and the four after it, all 5.
    assert "Below the bonus line: 2 of 4 (50%), needs 5 more" in page
    flagged = page[page.index("Li Wei") :]
    assert "Below the bonus line" in flagged[: flagged.index("</li>")]


def test_a_learner_who_can_still_make_it_is_told_how_many_more(client, classroom, instructor):
    cohort, sessions = classroom
    learner = enrolled(cohort, Learner.objects.create(partner=cohort.partner, full_name="Li Wei", consent_data=True))
    mark(learner, sessions[:4], [*present(2), "absent", "absent"])

    page = roster(client, instructor, sessions[TONIGHT])

    assert "Below the bonus line: 2 of 4 (50%), needs 5 more" in page


def test_a_learner_already_out_of_reach_this_month_is_not_flagged(client, classroom, instructor):
    cohort, sessions = classroom
    learner = enrolled(cohort, Learner.objects.create(partner=cohort.partner, full_name="Li Wei", consent_data=True))
    mark(learner, sessions[:4], present(1, absent=3))  # even five more make 6 of 9: nothing to act on

    page = roster(client, instructor, sessions[TONIGHT])

    assert "Below the bonus line" not in page


def test_early_in_the_month_a_learner_who_came_to_everything_is_not_flagged(client, classroom, instructor):
    cohort, sessions = classroom
    learner = enrolled(cohort, Learner.objects.create(partner=cohort.partner, full_name="Li Wei", consent_data=True))
    mark(learner, sessions[:1], present(1))  # 1 of 1 on the 5th: 6 more of the 8 left would do

    page = roster(client, instructor, sessions[1])

    assert "Below the bonus line" not in page


def test_the_bonus_line_counts_the_mark_just_given_at_this_session(client, classroom, instructor):
    cohort, sessions = classroom
    learner = enrolled(cohort, Learner.objects.create(partner=cohort.partner, full_name="Li Wei", consent_data=True))
    mark(learner, sessions[:4], present(2, absent=2))
    assert "Below the bonus line: 2 of 4 (50%), needs 5 more" in roster(client, instructor, sessions[TONIGHT])

    mark(learner, sessions[TONIGHT : TONIGHT + 1], present(1))

    # 3 of 5 (60%) with tonight's mark, and 4 of the 4 classes left are needed for 7 of 9.
    assert "Below the bonus line: 3 of 5 (60%), needs 4 more" in roster(client, instructor, sessions[TONIGHT])


def test_no_bonus_line_on_a_roster_whose_course_no_rule_pays_for(client, rule, instructor):
    cohort = cohort_on(Track.ENTREPRENEURSHIP)
    cohort.instructors.add(instructor)
    sessions = held_sessions(cohort, NOVEMBER_DAYS)
    mark(enrolled(cohort), sessions[:4], present(0, absent=4))

    page = roster(client, instructor, sessions[4])

    assert "Below the bonus line" not in page


def test_the_bonus_line_shows_on_a_cohort_of_a_translation_of_a_course_the_rule_names(client, instructor):
    english = cohort_on(Track.ENTREPRENEURSHIP).course
    arabic = english.copy_for_translation(Locale.objects.get_or_create(language_code="ar")[0], copy_parents=True)
    bonus_rule(tracks=[], courses=[english])
    cohort = CohortFactory(course=arabic, partner=instructor.partner, time_zone="America/New_York")
    cohort.instructors.add(instructor)
    sessions = held_sessions(cohort, NOVEMBER_DAYS)
    mark(enrolled(cohort), sessions[:4], present(2, absent=2))

    page = roster(client, instructor, sessions[TONIGHT])

    assert "Below the bonus line: 2 of 4 (50%), needs 5 more" in page


@pytest.mark.parametrize("size", [10, 40])
def test_the_bonus_line_costs_the_roster_a_constant_number_of_queries(
    client, classroom, instructor, size, django_assert_max_num_queries
):
    cohort, sessions = classroom
    for number in range(size):
        learner = Learner.objects.create(partner=cohort.partner, full_name=f"Learner {number}", consent_data=True)
        mark(enrolled(cohort, learner), sessions[:4], present(number % 4, absent=4 - number % 4))
    client.force_login(instructor)
    client.get(f"/teach/sessions/{sessions[4].pk}/")  # the site's branding settings are created on the first page drawn

    # The roster's own 13 (see tests/cohorts) and five for the bonus line: the month's rules and their
    # courses, then the learners' qualifying enrollments, those cohorts' sessions and their marks.
    with django_assert_max_num_queries(18):
        response = client.get(f"/teach/sessions/{sessions[4].pk}/")

    # Those with 2 or 3 of 4 can still make it and are flagged; with 0 or 1 of 4 it is out of reach.
    assert response.content.decode().count("Below the bonus line") == sum(1 for n in range(size) if n % 4 >= 2)
