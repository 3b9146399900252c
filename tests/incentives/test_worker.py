"""A real Celery worker on Redis and the PostgreSQL test database computes a month's bonus ledger for a
200-learner program, is killed (SIGKILL) in the middle of it, and the computation is done again: every
learner has exactly one bonus per rule for the month, with the amount the rules give, and the audit log
records each rule's computation once.

Why this holds: compute_month is one transaction (a killed worker's half-written ledger is rolled back by
PostgreSQL when its connection drops), it locks the month's rules (a second run waits for the first to be
gone), it is idempotent (a run after a finished one changes nothing and logs nothing), and the task is
acknowledged only after it ran (acks_late, reject_on_worker_lost), so Redis or the worker hands it out again.

The kill lands in the middle because the database is made slow, not the code: for this test only, a trigger
sleeps before each ledger row is inserted and counts the rows in a sequence (sequences ignore rollbacks),
so the test sees how far the uncommitted computation has got and kills the worker half-way through.

Runs only where a test Redis is configured and the database is PostgreSQL; anywhere else it is skipped.
"""

import datetime
import os
import signal
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from wagtail.models import ModelLogEntry

from cohorts.models import Attendance, Enrollment
from courses.models import Track
from incentives.models import BonusRule, Decision, MonthlyBonus
from incentives.tasks import compute_month
from people.models import Learner
from tests.celery import worker
from tests.celery.worker import wait_for
from tests.factories_cohorts import PartnerFactory

from .conftest import OCTOBER, bonus_rule, cohort_on, held_sessions

pytestmark = worker.NEEDS_WORKER
broker, workers = worker.broker, worker.workers  # the shared fixtures

ESOL_LEARNERS = 120
JOB_TRAINING_LEARNERS = 80
SECONDS_PER_ROW = 0.02  # 320 rows: about six seconds of inserting, plenty of time to kill in the middle

P, L, E, A, U = "present", "late", "excused", "absent", None  # U: never marked, counts as missed

# October's eight held sessions as each kind of learner attended them, and what each rule pays for that:
# the training bonus ($200: 75%, at least 4, late counts, excused left out) and, for ESOL learners only,
# the attendance award ($50: 90%, at least 7, late does not count, excused left out).
PATTERNS = [
    ([P, P, P, P, P, P, P, P], Decimal("200.00"), Decimal("50.00")),  # 8 of 8
    ([P, P, P, A, P, P, A, P], Decimal("200.00"), Decimal("0.00")),  # 6 of 8 is 75%: the bonus, not the award
    ([P, A, P, P, A, P, A, P], Decimal("0.00"), Decimal("0.00")),  # 5 of 8: 62.5%
    ([P, P, L, P, P, P, P, P], Decimal("200.00"), Decimal("0.00")),  # the award does not count late: 7 of 8
    ([P, E, P, P, P, E, P, P], Decimal("200.00"), Decimal("0.00")),  # 6 of 6, but the award needs 7 sessions
    ([P, P, P, P, U, P, P, P], Decimal("200.00"), Decimal("0.00")),  # unmarked is missed: 87.5%
    ([A, P, E, A, P, A, A, P], Decimal("0.00"), Decimal("0.00")),  # 3 of 7
    ([P, P, P, E, P, P, P, P], Decimal("200.00"), Decimal("50.00")),  # 7 of 7
]


def _learners(cohort, count, name):
    """`count` learners enrolled in `cohort` since September, marked in turn with each pattern; returns
    {learner id: pattern index}."""
    sessions = held_sessions(cohort)
    learners = Learner.objects.bulk_create(
        [Learner(partner=cohort.partner, full_name=f"{name} {number:03}", consent_data=True) for number in range(count)]
    )
    enrollments = Enrollment.objects.bulk_create(
        [
            Enrollment(
                cohort=cohort, learner=learner, status=Enrollment.Status.ACTIVE, enrolled_on=datetime.date(2026, 9, 1)
            )
            for learner in learners
        ]
    )
    Attendance.objects.bulk_create(
        [
            Attendance(session=session, enrollment=enrollment, status=status)
            for number, enrollment in enumerate(enrollments)
            for session, status in zip(sessions, PATTERNS[number % len(PATTERNS)][0], strict=True)
            if status is not None
        ]
    )
    return {learner.pk: number % len(PATTERNS) for number, learner in enumerate(learners)}


@pytest.fixture
def program(transactional_db):
    """The cash-assistance program's month: 200 learners, two partners, an ESOL and a job-training cohort,
    and two rules. Returns the rules and the expected ledger {(learner id, rule id): amount}."""
    training = bonus_rule(name="Training bonus")
    award = bonus_rule(
        name="ESOL attendance award",
        tracks=[Track.ESOL],
        amount=Decimal("50.00"),
        threshold_percent=Decimal("90.00"),
        minimum_sessions=7,
        late_counts_as_attended=False,
    )
    esol = _learners(cohort_on(Track.ESOL, partner=PartnerFactory()), ESOL_LEARNERS, "Amina")
    job = _learners(
        cohort_on(Track.JOB_TRAINING, time_zone="America/Los_Angeles", partner=PartnerFactory()),
        JOB_TRAINING_LEARNERS,
        "Tesfaye",
    )
    expected = {}
    for learner_id, pattern in {**esol, **job}.items():
        expected[(learner_id, training.pk)] = PATTERNS[pattern][1]
    for learner_id, pattern in esol.items():
        expected[(learner_id, award.pk)] = PATTERNS[pattern][2]
    return (training, award), expected


class SlowLedger:
    """For this test only: a trigger that sleeps before each ledger row is inserted and counts the rows (in
    a sequence, which a rollback does not undo, so the count shows uncommitted work too)."""

    def __init__(self, seconds_per_row):
        with connection.cursor() as cursor:
            cursor.execute("CREATE SEQUENCE test_ledger_inserts")
            cursor.execute("CREATE TABLE test_ledger_pace (seconds double precision NOT NULL)")
            cursor.execute("INSERT INTO test_ledger_pace VALUES (%s)", [seconds_per_row])
            # Each statement of a volatile function reads afresh: a new pace applies from the next row on.
            cursor.execute(
                """
                CREATE FUNCTION test_ledger_slow_insert() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM nextval('test_ledger_inserts');
                    PERFORM pg_sleep((SELECT seconds FROM test_ledger_pace));
                    RETURN NEW;
                END $$
                """
            )
            cursor.execute(
                "CREATE TRIGGER test_ledger_slow_insert BEFORE INSERT ON incentives_monthlybonus"
                " FOR EACH ROW EXECUTE FUNCTION test_ledger_slow_insert()"
            )

    def inserted(self):
        """Rows inserted so far, committed or not."""
        with connection.cursor() as cursor:
            cursor.execute("SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM test_ledger_inserts")
            return cursor.fetchone()[0]

    def full_speed(self):
        with connection.cursor() as cursor:
            cursor.execute("UPDATE test_ledger_pace SET seconds = 0")

    def remove(self):
        with connection.cursor() as cursor:
            cursor.execute("DROP TRIGGER IF EXISTS test_ledger_slow_insert ON incentives_monthlybonus")
            cursor.execute("DROP FUNCTION IF EXISTS test_ledger_slow_insert()")
            cursor.execute("DROP TABLE IF EXISTS test_ledger_pace")
            cursor.execute("DROP SEQUENCE IF EXISTS test_ledger_inserts")


@pytest.fixture
def slow_ledger(transactional_db):
    ledger = SlowLedger(SECONDS_PER_ROW)
    yield ledger
    ledger.remove()


def _compute_entries():
    return ModelLogEntry.objects.filter(
        action="incentives.bonus.compute", content_type=ContentType.objects.get_for_model(BonusRule)
    )


def _computed_once(rules, expected):
    """Exactly one row per learner and rule, each with the amount (and status) the rules give; one audit
    entry per rule for the month, counting the rows it created."""
    rows = list(MonthlyBonus.objects.filter(month=OCTOBER).values_list("learner_id", "rule_id", "amount", "status"))
    assert len(rows) == len(expected) == ESOL_LEARNERS * 2 + JOB_TRAINING_LEARNERS
    assert {(learner_id, rule_id): amount for learner_id, rule_id, amount, _status in rows} == expected
    assert all(status == (Decision.ELIGIBLE if amount > 0 else Decision.NOT_ELIGIBLE) for *_ids, amount, status in rows)
    assert sum(amount for *_ids, amount, _status in rows) == sum(expected.values())
    entries = sorted(_compute_entries().values_list("object_id", "data"))
    assert entries == sorted(
        (
            str(rule.pk),
            {"month": OCTOBER.isoformat(), "created": sum(1 for _l, r in expected if r == rule.pk), "updated": 0},
        )
        for rule in rules
    )


def _kill_half_way(slow_ledger, log, kill):
    """Wait until the first rule's rows are in and the second rule's are going in, then kill."""
    first_rule_rows = ESOL_LEARNERS  # the rules are computed in name order: the award (ESOL only) first
    wait_for(lambda: slow_ledger.inserted() >= first_rule_rows + 40, "the computation to get half-way", log)
    # Half the ledger and the first rule's audit entry are written, and none of it is visible: one transaction.
    assert MonthlyBonus.objects.count() == 0 and not _compute_entries().exists()
    kill()
    assert slow_ledger.inserted() < ESOL_LEARNERS * 2 + JOB_TRAINING_LEARNERS, (
        "the computation finished before the kill"
    )
    # The killed worker's database session is still inserting (PostgreSQL notices a lost client only when it
    # answers); let it reach its end, find the client gone and roll back, and let the rerun go at full speed.
    slow_ledger.full_speed()


def _succeeded(task_id, log, what):
    """The worker's log line for the task's successful run, with its result: {'created': ..., ...}."""
    done = f"compute_month[{task_id}] succeeded"
    wait_for(lambda: done in log.read_text(), what, log)
    (line,) = [line for line in log.read_text().splitlines() if done in line]
    return line


def _rerun_changes_nothing(log):
    """The month's task queued once more (a duplicate delivery, or the beat job after the admin button, looks
    just like this): nothing is created, changed or logged again."""
    before = list(MonthlyBonus.objects.order_by("pk").values_list("pk", "amount", "status", "updated_at"))
    entries = _compute_entries().count()
    line = _succeeded(compute_month.delay(OCTOBER.isoformat()).id, log, "the second delivery")
    assert f"{{'created': 0, 'updated': 0, 'unchanged': {len(before)}, 'flagged': 0}}" in line
    assert list(MonthlyBonus.objects.order_by("pk").values_list("pk", "amount", "status", "updated_at")) == before
    assert _compute_entries().count() == entries


ALL_CREATED = f"{{'created': {ESOL_LEARNERS * 2 + JOB_TRAINING_LEARNERS}, 'updated': 0, 'unchanged': 0, 'flagged': 0}}"


def test_a_worker_killed_mid_month_is_replaced_and_every_bonus_is_computed_exactly_once(program, slow_ledger, workers):
    """The whole worker dies (a lost machine or container): Redis hands the unacknowledged task to a new one."""
    rules, expected = program
    first, first_log = workers("first")

    task = compute_month.delay(OCTOBER.isoformat())

    _kill_half_way(slow_ledger, first_log, lambda: worker.kill(first))
    assert f"compute_month[{task.id}] received" in first_log.read_text()
    assert "succeeded" not in first_log.read_text()

    _second, second_log = workers("second")

    # The same task, handed out again, computed the whole month: the killed run left nothing behind.
    assert ALL_CREATED in _succeeded(task.id, second_log, "the second worker to compute the month")
    _computed_once(rules, expected)
    _rerun_changes_nothing(second_log)
    _computed_once(rules, expected)


def test_a_pool_process_killed_mid_month_is_replaced_by_its_worker_and_the_month_is_computed_once(
    program, slow_ledger, workers
):
    """Only the process running the task dies (the OOM killer): the worker puts the task back at once
    (reject_on_worker_lost) and runs it in a fresh process; Redis's own redelivery is hours away."""
    rules, expected = program
    process, log = workers("prefork", pool="prefork", concurrency=2, visibility_timeout=3600)

    task = compute_month.delay(OCTOBER.isoformat())

    def kill_pool():
        pool = worker.children(process.pid)
        assert pool, "the worker has no pool processes"
        for pid in pool:
            os.kill(pid, signal.SIGKILL)

    _kill_half_way(slow_ledger, log, kill_pool)

    assert ALL_CREATED in _succeeded(task.id, log, "the worker to compute the month again")
    assert process.poll() is None  # the worker itself lived on
    assert "WorkerLostError" in log.read_text()
    _computed_once(rules, expected)
    _rerun_changes_nothing(log)
