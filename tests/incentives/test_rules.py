"""The bonus rule as a pure function: what counts, the rate, the threshold, the minimum, and "come to N more"."""

import datetime
from decimal import Decimal

import pytest

from incentives.models import BonusRule
from incentives.rules import ATTENDED, LEFT_OUT, MISSED, attendance_rate, classify, evaluate

DAYS = [datetime.date(2026, 10, day) for day in range(1, 29, 3)]  # ten class days in October


def default_rule(**overrides):
    """An unsaved rule with the model's defaults: $200, 75%, at least 4 sessions, late counts, excused left out."""
    return BonusRule(name="Training bonus", active_from=datetime.date(2026, 1, 1), **overrides)


def marks(*statuses):
    return [(number, DAYS[number], status) for number, status in enumerate(statuses)]


def times(status, count):
    return [status] * count


def test_default_rule_is_200_dollars_75_percent_at_least_4_sessions():
    rule = default_rule()
    assert (rule.amount, rule.threshold_percent, rule.minimum_sessions) == (Decimal("200.00"), Decimal("75.00"), 4)
    assert rule.late_counts_as_attended and rule.excused_left_out


def test_six_of_eight_is_75_percent_and_earns_the_bonus():
    result = evaluate(default_rule(), marks(*times("present", 6), *times("absent", 2)))

    assert (result.attended, result.counted, result.rate) == (6, 8, Decimal("75.00"))
    assert result.eligible
    assert result.amount == Decimal("200.00")


def test_five_of_seven_is_71_43_percent_and_earns_nothing():
    result = evaluate(default_rule(), marks(*times("present", 5), *times("absent", 2)))

    assert (result.attended, result.counted, result.rate) == (5, 7, Decimal("71.43"))
    assert not result.eligible
    assert result.amount == Decimal("0.00")


def test_the_threshold_itself_is_enough():
    rule = default_rule(threshold_percent=Decimal("80"))

    assert evaluate(rule, marks(*times("present", 4), "absent")).eligible  # 4 of 5 = 80%
    assert not evaluate(rule, marks(*times("present", 7), *times("absent", 2))).eligible  # 77.78%


def test_late_counts_as_attended_by_default():
    result = evaluate(default_rule(), marks(*times("present", 4), *times("late", 2), *times("absent", 2)))

    assert (result.attended, result.counted) == (6, 8)
    assert result.eligible


def test_late_counts_as_absence_when_the_rule_says_so():
    rule = default_rule(late_counts_as_attended=False)
    result = evaluate(rule, marks(*times("present", 4), *times("late", 2), *times("absent", 2)))

    assert (result.attended, result.counted, result.rate) == (4, 8, Decimal("50.00"))
    assert not result.eligible


def test_excused_is_left_out_of_both_sides():
    rule = default_rule(minimum_sessions=3)
    result = evaluate(rule, marks(*times("present", 3), "excused"))

    assert (result.held, result.counted, result.attended, result.rate) == (4, 3, 3, Decimal("100.00"))
    assert result.eligible


def test_excused_counts_as_absence_when_the_rule_says_so():
    statuses = (*times("present", 5), "absent", *times("excused", 2))

    left_out = evaluate(default_rule(), marks(*statuses))
    counted = evaluate(default_rule(excused_left_out=False), marks(*statuses))

    assert (left_out.attended, left_out.counted, left_out.rate, left_out.eligible) == (5, 6, Decimal("83.33"), True)
    assert (counted.attended, counted.counted, counted.rate, counted.eligible) == (5, 8, Decimal("62.50"), False)


def test_fewer_sessions_than_the_minimum_earn_nothing_at_any_rate():
    result = evaluate(default_rule(), marks(*times("present", 3)))

    assert result.rate == Decimal("100.00")
    assert not result.eligible
    assert evaluate(default_rule(), marks(*times("present", 4))).eligible


def test_a_month_without_held_sessions_earns_nothing_at_rate_zero():
    result = evaluate(default_rule(minimum_sessions=0), [])

    assert (result.held, result.counted, result.attended, result.rate) == (0, 0, 0, Decimal("0.00"))
    assert not result.eligible
    assert result.amount == Decimal("0.00")


def test_a_month_of_only_excused_sessions_earns_nothing():
    result = evaluate(default_rule(minimum_sessions=0), marks(*times("excused", 4)))

    assert (result.held, result.counted, result.rate, result.eligible) == (4, 0, Decimal("0.00"), False)


def test_a_held_session_without_a_mark_counts_as_missed():
    # Were unmarked sessions left out, this would be 5 of 5.
    result = evaluate(default_rule(), marks(*times("present", 5), None, None))

    assert (result.attended, result.counted, result.unmarked, result.rate) == (5, 7, 2, Decimal("71.43"))
    assert not result.eligible
    assert result.basis()["sessions"][-1] == [6, DAYS[6].isoformat(), None]


@pytest.mark.parametrize(
    ("status", "late_counts", "excused_left_out", "kind"),
    [
        ("present", True, True, ATTENDED),
        ("late", True, True, ATTENDED),
        ("late", False, True, MISSED),
        ("excused", True, True, LEFT_OUT),
        ("excused", True, False, MISSED),
        ("absent", True, True, MISSED),
        (None, True, True, MISSED),
    ],
)
def test_how_each_mark_counts(status, late_counts, excused_left_out, kind):
    rule = default_rule(late_counts_as_attended=late_counts, excused_left_out=excused_left_out)
    assert classify(rule, status) == kind


def test_rate_is_rounded_half_up_to_hundredths():
    assert attendance_rate(2, 3) == Decimal("66.67")
    assert attendance_rate(1, 8) == Decimal("12.50")
    assert attendance_rate(0, 0) == Decimal("0.00")


# --- "Come to N more classes to earn your bonus" -------------------------------------------------


def test_five_of_seven_with_two_to_come_needs_both():
    # 6 of 9 = 66.67% falls short; 7 of 9 = 77.78% earns it.
    result = evaluate(default_rule(), marks(*times("present", 5), *times("absent", 2)), upcoming=2)
    assert result.more_needed == 2


def test_five_of_seven_with_one_to_come_needs_that_one():
    # "You came to 5 of 7 classes. Come to 1 more to earn your $200 bonus." (6 of 8 = 75%)
    result = evaluate(default_rule(), marks(*times("present", 5), *times("absent", 2)), upcoming=1)
    assert result.more_needed == 1


def test_out_of_reach_says_none():
    result = evaluate(default_rule(), marks(*times("present", 3), *times("absent", 4)), upcoming=2)  # 5 of 9 at best
    assert result.more_needed is None


def test_already_earned_needs_zero_more():
    result = evaluate(default_rule(), marks(*times("present", 6), *times("absent", 2)))
    assert (result.eligible, result.more_needed) == (True, 0)


def test_the_minimum_sessions_can_be_what_is_still_needed():
    result = evaluate(default_rule(), marks(*times("present", 3)), upcoming=2)  # 3 of 3, but 4 needed
    assert result.more_needed == 1


def test_upcoming_sessions_do_not_count_for_money():
    result = evaluate(default_rule(), marks(*times("present", 6), *times("absent", 2)), upcoming=3)

    assert (result.counted, result.rate, result.eligible) == (8, Decimal("75.00"), True)
    assert result.basis()["held"] == 8
