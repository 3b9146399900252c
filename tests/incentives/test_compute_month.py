"""Computing a month's ledger: which sessions count, for whom, under which rule, and computing again changes nothing."""

import datetime
import threading
import time
from decimal import Decimal

import pytest
from django.db import connection
from wagtail.models import Locale

from cohorts.models import Enrollment
from courses.models import Track
from incentives import services
from incentives.models import Decision, MonthlyBonus
from incentives.services import compute_month, evaluate_month
from people.models import Learner
from tests.factories_cohorts import CohortFactory, PartnerFactory

from .conftest import (
    DOLLARS_200,
    NOVEMBER,
    OCTOBER,
    OCTOBER_DAYS,
    UTC,
    ZERO,
    bonus_of,
    bonus_rule,
    cohort_on,
    enrolled,
    held_sessions,
    mark,
    present,
    row_snapshot,
)

pytestmark = pytest.mark.django_db


def session_dates(bonus):
    return [day for _id, day, _status in bonus.basis["sessions"]]


# --- which sessions belong to the month ------------------------------------------------------------


def test_october_31st_counts_for_october_and_november_1st_for_november(rule):
    cohort = cohort_on()
    days = [datetime.date(2026, 10, day) for day in (26, 27, 29, 31)] + [datetime.date(2026, 11, day) for day in (1, 2)]
    sessions = held_sessions(cohort, days)
    enrollment = enrolled(cohort)
    mark(enrollment, sessions, present(6))

    compute_month(month=OCTOBER)
    compute_month(month=NOVEMBER)

    october, november = bonus_of(enrollment.learner, OCTOBER), bonus_of(enrollment.learner, NOVEMBER)
    assert session_dates(october) == ["2026-10-26", "2026-10-27", "2026-10-29", "2026-10-31"]
    assert (october.sessions_held, october.status, october.amount) == (4, Decision.ELIGIBLE, DOLLARS_200)
    assert session_dates(november) == ["2026-11-01", "2026-11-02"]
    assert (november.sessions_held, november.status) == (2, Decision.NOT_ELIGIBLE)


@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "Pacific/Pago_Pago"])  # UTC+14 and UTC-11
def test_a_cohorts_month_is_its_own_calendar_month(rule, zone):
    # In Kiritimati, class on the morning of 1 November is still 31 October on the server (New York);
    # in Pago Pago, class on the evening of 31 October is already 1 November there. Local dates decide.
    cohort = cohort_on(time_zone=zone)
    sessions = held_sessions(cohort, [datetime.date(2026, 10, 31), datetime.date(2026, 11, 1)])
    enrollment = enrolled(cohort)
    mark(enrollment, sessions, present(2))

    compute_month(month=OCTOBER)
    compute_month(month=NOVEMBER)

    assert session_dates(bonus_of(enrollment.learner, OCTOBER)) == ["2026-10-31"]
    assert session_dates(bonus_of(enrollment.learner, NOVEMBER)) == ["2026-11-01"]


def test_a_session_is_held_once_it_has_started_in_the_cohorts_zone(rule, clock):
    # 01:00 on 1 November in New York is 19:00 on 1 November in Kiritimati: that evening's 18:00 class has begun.
    clock.now = datetime.datetime(2026, 11, 1, 5, 0, tzinfo=UTC)
    cohort = cohort_on(time_zone="Pacific/Kiritimati")
    held_sessions(cohort, [datetime.date(2026, 11, 1), datetime.date(2026, 11, 5)])
    enrollment = enrolled(cohort)

    _partner, progress = evaluate_month(rule, NOVEMBER)[enrollment.learner_id]

    assert (progress.held, progress.upcoming) == (1, 1)


def test_a_session_is_not_held_before_its_day_comes_in_the_cohorts_zone(rule, clock):
    # 01:00 on 1 November in New York is 18:00 on 31 October in Pago Pago: their 1 November class is tomorrow.
    clock.now = datetime.datetime(2026, 11, 1, 5, 0, tzinfo=UTC)
    cohort = cohort_on(time_zone="Pacific/Pago_Pago")
    held_sessions(cohort, [datetime.date(2026, 11, 1)])
    enrollment = enrolled(cohort)

    _partner, progress = evaluate_month(rule, NOVEMBER)[enrollment.learner_id]

    assert (progress.held, progress.unmarked, progress.upcoming) == (0, 0, 1)


def test_cancelled_sessions_count_for_no_one(rule):
    cohort = cohort_on()
    snow_days = set(OCTOBER_DAYS[-2:])
    sessions = held_sessions(cohort, OCTOBER_DAYS, cancelled=snow_days)
    enrollment = enrolled(cohort)
    # Marked absent before the snow cancelled the last two: those marks must not count either.
    mark(enrollment, sessions, present(5, absent=3))

    compute_month(month=OCTOBER)

    bonus = bonus_of(enrollment.learner)
    assert (bonus.sessions_held, bonus.sessions_attended, bonus.rate) == (6, 5, Decimal("83.33"))
    assert bonus.status == Decision.ELIGIBLE
    assert not set(session_dates(bonus)) & {day.isoformat() for day in snow_days}


def test_enrolling_mid_month_counts_only_sessions_from_that_day(rule):
    cohort = cohort_on()
    sessions = held_sessions(cohort)
    enrollment = enrolled(cohort, enrolled_on=datetime.date(2026, 10, 15))
    mark(enrollment, sessions[3:], present(5))

    compute_month(month=OCTOBER)

    bonus = bonus_of(enrollment.learner)
    assert session_dates(bonus) == ["2026-10-15", "2026-10-19", "2026-10-22", "2026-10-26", "2026-10-29"]
    assert (bonus.sessions_held, bonus.sessions_attended, bonus.status) == (5, 5, Decision.ELIGIBLE)


def test_withdrawing_mid_month_counts_only_sessions_before_that_day(rule):
    cohort = cohort_on()
    sessions = held_sessions(cohort)
    enrollment = enrolled(cohort, status=Enrollment.Status.WITHDRAWN, withdrawn_on=datetime.date(2026, 10, 19))
    mark(enrollment, sessions[:4], present(4))

    compute_month(month=OCTOBER)

    bonus = bonus_of(enrollment.learner)
    assert session_dates(bonus) == ["2026-10-01", "2026-10-05", "2026-10-08", "2026-10-15"]
    assert (bonus.sessions_held, bonus.sessions_attended, bonus.status) == (4, 4, Decision.ELIGIBLE)


def test_completing_mid_month_counts_sessions_up_to_and_including_that_day(rule):
    cohort = cohort_on()
    sessions = held_sessions(cohort)
    enrollment = enrolled(cohort, status=Enrollment.Status.COMPLETED, completed_on=datetime.date(2026, 10, 19))
    mark(enrollment, sessions[:5], present(5))

    compute_month(month=OCTOBER)

    bonus = bonus_of(enrollment.learner)
    assert session_dates(bonus)[-1] == "2026-10-19"
    assert (bonus.sessions_held, bonus.sessions_attended) == (5, 5)


def test_learners_who_left_or_finished_before_the_month_get_no_row(rule):
    cohort = cohort_on()
    held_sessions(cohort)
    gone = enrolled(cohort, status=Enrollment.Status.WITHDRAWN, withdrawn_on=datetime.date(2026, 9, 30))
    done = enrolled(
        cohort,
        Learner.objects.create(partner=cohort.partner, full_name="Tran Thi Mai"),
        status=Enrollment.Status.COMPLETED,
        completed_on=datetime.date(2026, 9, 28),
    )
    waiting = enrolled(
        cohort,
        Learner.objects.create(partner=cohort.partner, full_name="Yonas Tesfaye"),
        status=Enrollment.Status.WAITLISTED,
        enrolled_on=None,
    )

    compute_month(month=OCTOBER)

    learners = {gone.learner_id, done.learner_id, waiting.learner_id}
    assert not MonthlyBonus.objects.filter(learner_id__in=learners).exists()


# --- who qualifies, and how often ------------------------------------------------------------------


def test_two_qualifying_cohorts_make_one_bonus_with_combined_sessions(rule):
    partner = PartnerFactory()
    english, warehouse = cohort_on(Track.ESOL, partner=partner), cohort_on(Track.JOB_TRAINING, partner=partner)
    english_sessions = held_sessions(english, OCTOBER_DAYS[:4])
    warehouse_sessions = held_sessions(warehouse, OCTOBER_DAYS[4:])
    in_english = enrolled(english)
    in_warehouse = enrolled(warehouse, in_english.learner)
    # 3 of 4 in each: neither alone reaches the minimum of 4 attended, together 6 of 8 = 75%.
    mark(in_english, english_sessions, present(3, absent=1))
    mark(in_warehouse, warehouse_sessions, present(3, absent=1))

    result = compute_month(month=OCTOBER)

    assert result.created == 1
    bonus = bonus_of(in_english.learner)
    assert (bonus.sessions_held, bonus.sessions_attended, bonus.rate) == (8, 6, Decimal("75.00"))
    assert (bonus.status, bonus.amount) == (Decision.ELIGIBLE, DOLLARS_200)
    assert len(bonus.basis["sessions"]) == 8


def test_a_course_off_the_rules_tracks_earns_nothing(db):
    bonus_rule(tracks=[Track.ESOL])
    cohort = cohort_on(Track.ENTREPRENEURSHIP)
    sessions = held_sessions(cohort)
    enrollment = enrolled(cohort)
    mark(enrollment, sessions, present(8))

    result = compute_month(month=OCTOBER)

    assert result.created == 0
    assert not MonthlyBonus.objects.filter(learner=enrollment.learner).exists()


def test_sessions_of_a_non_qualifying_cohort_are_not_mixed_in(db):
    rule = bonus_rule(tracks=[Track.ESOL])
    partner = PartnerFactory()
    english, business = cohort_on(Track.ESOL, partner=partner), cohort_on(Track.ENTREPRENEURSHIP, partner=partner)
    english_sessions, business_sessions = held_sessions(english, OCTOBER_DAYS[:4]), held_sessions(business)
    in_english = enrolled(english)
    mark(in_english, english_sessions, present(4))
    mark(enrolled(business, in_english.learner), business_sessions, ["absent"] * 8)

    compute_month(month=OCTOBER)

    bonus = bonus_of(in_english.learner, rule=rule)
    assert (bonus.sessions_held, bonus.sessions_attended, bonus.status) == (4, 4, Decision.ELIGIBLE)


def test_a_course_named_in_the_rule_qualifies_whatever_its_track(db):
    business = cohort_on(Track.ENTREPRENEURSHIP)
    rule = bonus_rule(tracks=[Track.ESOL], courses=[business.course])
    sessions = held_sessions(business)
    enrollment = enrolled(business)
    mark(enrollment, sessions, present(8))

    compute_month(month=OCTOBER)

    bonus = bonus_of(enrollment.learner, rule=rule)
    assert (bonus.status, bonus.amount) == (Decision.ELIGIBLE, DOLLARS_200)


def test_a_course_named_in_the_rule_qualifies_in_its_translations_too(db):
    # The rule names the English page; this cohort was set up on its Arabic translation.
    english = cohort_on(Track.ENTREPRENEURSHIP).course
    arabic = english.copy_for_translation(Locale.objects.get_or_create(language_code="ar")[0], copy_parents=True)
    cohort = CohortFactory(course=arabic, time_zone="America/New_York")
    rule = bonus_rule(tracks=[Track.ESOL], courses=[english])
    enrollment = enrolled(cohort)
    mark(enrollment, held_sessions(cohort), present(8))

    compute_month(month=OCTOBER)

    bonus = bonus_of(enrollment.learner, rule=rule)
    assert (bonus.status, bonus.amount, bonus.sessions_attended) == (Decision.ELIGIBLE, DOLLARS_200, 8)


def test_the_row_records_the_learners_partner(rule):
    cohort = cohort_on()
    held_sessions(cohort)
    enrollment = enrolled(cohort)

    compute_month(month=OCTOBER)

    assert bonus_of(enrollment.learner).partner_id == cohort.partner_id


def test_a_learner_whose_enrollment_no_longer_falls_in_the_month_loses_an_undecided_bonus(rule):
    cohort = cohort_on()
    sessions = held_sessions(cohort)
    enrollment = enrolled(cohort)
    mark(enrollment, sessions, present(8))
    compute_month(month=OCTOBER)
    assert bonus_of(enrollment.learner).status == Decision.ELIGIBLE

    # The enrollment date was entered wrong: they really joined in November.
    Enrollment.objects.filter(pk=enrollment.pk).update(enrolled_on=datetime.date(2026, 11, 2))
    compute_month(month=OCTOBER)

    bonus = bonus_of(enrollment.learner)
    assert (bonus.status, bonus.amount, bonus.sessions_held, bonus.basis["sessions"]) == (
        Decision.NOT_ELIGIBLE,
        ZERO,
        0,
        [],
    )


# --- computing again ---------------------------------------------------------------------------------


def test_computing_a_month_twice_gives_the_same_ledger(rule, clock):
    partner = PartnerFactory()
    english, warehouse = cohort_on(Track.ESOL, partner=partner), cohort_on(Track.JOB_TRAINING, partner=partner)
    english_sessions, warehouse_sessions = held_sessions(english), held_sessions(warehouse, OCTOBER_DAYS[:3])
    patterns = [present(8), present(5, absent=3), ["late", "excused", None, "present", "absent", None, "late", "late"]]
    for number, statuses in enumerate(patterns):
        learner = Learner.objects.create(partner=partner, full_name=f"Learner {number}")
        mark(enrolled(english, learner), english_sessions, statuses)
    mark(enrolled(warehouse, learner), warehouse_sessions, present(3))

    first = compute_month(month=OCTOBER)
    before = {bonus.pk: row_snapshot(bonus) for bonus in MonthlyBonus.objects.all()}
    clock.advance(hours=1)
    again = compute_month(month=OCTOBER)
    after = {bonus.pk: row_snapshot(bonus) for bonus in MonthlyBonus.objects.all()}

    assert (first.created, first.updated) == (3, 0)
    assert (again.created, again.updated, again.unchanged, again.flagged) == (0, 0, 3, 0)
    assert after == before  # including updated_at: nothing was written


def test_computing_again_follows_changed_attendance_in_undecided_rows(rule, clock):
    cohort = cohort_on()
    sessions = held_sessions(cohort)
    enrollment = enrolled(cohort)
    mark(enrollment, sessions, present(5, absent=3))
    compute_month(month=OCTOBER)
    assert bonus_of(enrollment.learner).status == Decision.NOT_ELIGIBLE

    enrollment.attendance.filter(session=sessions[5]).update(status="present")
    clock.advance(hours=1)
    result = compute_month(month=OCTOBER)

    bonus = bonus_of(enrollment.learner)
    assert (result.updated, bonus.status, bonus.amount, bonus.sessions_attended) == (
        1,
        Decision.ELIGIBLE,
        DOLLARS_200,
        6,
    )
    assert bonus.updated_at == clock.now


# --- which rule ----------------------------------------------------------------------------------------


def test_a_rule_counts_only_for_months_it_is_active_in(db):
    cohort = cohort_on()
    sessions = held_sessions(cohort)
    enrollment = enrolled(cohort)
    mark(enrollment, sessions, present(8))
    ended = bonus_rule(name="Pilot", active_from=datetime.date(2026, 1, 1), active_until=datetime.date(2026, 9, 30))
    not_yet = bonus_rule(name="Next year", active_from=datetime.date(2026, 11, 1))
    current = bonus_rule(name="This autumn", active_from=datetime.date(2026, 10, 1), amount=Decimal("150.00"))

    compute_month(month=OCTOBER)

    rows = MonthlyBonus.objects.filter(learner=enrollment.learner)
    assert [(row.rule, row.amount) for row in rows] == [(current, Decimal("150.00"))]
    assert not MonthlyBonus.objects.filter(rule__in=[ended, not_yet]).exists()


def test_a_rule_active_for_part_of_a_month_covers_that_whole_month(db):
    rule = bonus_rule(active_from=datetime.date(2026, 10, 20))
    cohort = cohort_on()
    sessions = held_sessions(cohort)
    enrollment = enrolled(cohort)
    mark(enrollment, sessions, present(8))

    compute_month(month=OCTOBER)

    assert bonus_of(enrollment.learner, rule=rule).sessions_held == 8


# --- cost --------------------------------------------------------------------------------------------


def cohort_of(size):
    partner = PartnerFactory()
    cohort = cohort_on(partner=partner)
    sessions = held_sessions(cohort)
    learners = Learner.objects.bulk_create(
        [Learner(partner=partner, full_name=f"Learner {number:03}") for number in range(size)]
    )
    enrollments = Enrollment.objects.bulk_create(
        [
            Enrollment(cohort=cohort, learner=learner, status=Enrollment.Status.ACTIVE, enrolled_on=cohort.start_date)
            for learner in learners
        ]
    )
    for number, enrollment in enumerate(enrollments):
        mark(enrollment, sessions, present(8 - number % 4, absent=number % 4))
    return sessions, enrollments


# Measured on SQLite and on PostgreSQL, the same for 10 and for 60 learners:
#   first computation 12 = savepoint, the month's rules, their named courses, qualifying enrollments
#     (with learner and cohort), held sessions, marks, existing ledger rows (locked), one bulk insert,
#     the audit entry's content type (cached after the first use: 11 from then on), Wagtail's check
#     of that content type, the audit entry, savepoint release;
#   recomputation after every learner's mark changed 11-12: the same with one bulk update for the insert.
COMPUTE_QUERIES = 12


@pytest.mark.parametrize("size", [10, 60])
def test_computing_a_month_takes_the_same_few_queries_for_10_or_60_learners(
    rule, size, clock, django_assert_max_num_queries
):
    sessions, enrollments = cohort_of(size)

    with django_assert_max_num_queries(COMPUTE_QUERIES):
        result = compute_month(month=OCTOBER)
    assert result.created == size

    for enrollment in enrollments:
        mark_changes = enrollment.attendance.filter(session=sessions[-1])
        mark_changes.update(status="absent" if mark_changes.get().status == "present" else "present")
    clock.advance(hours=1)
    with django_assert_max_num_queries(COMPUTE_QUERIES):
        result = compute_month(month=OCTOBER)
    assert result.updated == size


# --- two computations at once (PostgreSQL: real row locks and concurrent connections) ----------------


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_computations_of_a_month_at_once_make_one_ledger(rule, monkeypatch):
    # The beat job and a manager's "compute October" (or a task delivered twice) can overlap.
    cohort = cohort_on()
    sessions = held_sessions(cohort)
    enrollment = enrolled(cohort)
    mark(enrollment, sessions, present(8))
    figures = services._figures

    def slowly(evaluation):  # both computations have read the ledger before either writes
        time.sleep(0.3)
        return figures(evaluation)

    monkeypatch.setattr(services, "_figures", slowly)
    barrier, outcomes = threading.Barrier(2), []

    def compute():
        try:
            barrier.wait(timeout=10)
            outcomes.append(compute_month(month=OCTOBER))
        except Exception as error:  # handed to the assertions below
            outcomes.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=compute) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert not [outcome for outcome in outcomes if isinstance(outcome, Exception)], outcomes
    assert sorted((result.created, result.unchanged) for result in outcomes) == [(0, 1), (1, 0)]
    assert MonthlyBonus.objects.filter(learner=enrollment.learner).count() == 1
