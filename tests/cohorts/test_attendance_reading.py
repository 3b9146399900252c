"""One reading of attendance: the same marks give the same figures on the cohort page, in the learner's
portal, in credential eligibility and in the outcome figures (cohorts.attendance.PROGRAM_READING); the bonus
rule reads them deliberately differently (a session nobody marked counts as missed), through the same code."""

import datetime
from decimal import Decimal

import pytest

from cohorts import attendance
from cohorts.selectors import attendance_rates
from courses.models import Track
from credentials.eligibility import Kind, cohort_eligibility, learner_progress
from incentives.services import evaluate_month
from outcomes.charts import weekly_attendance
from outcomes.figures import summary
from outcomes.services import refresh_attendance_counts
from people.models import Learner, Role
from people.services import assign_role
from tests.builders import cohort_on, enrolled, held_sessions, mark, stop_clock
from tests.credentials.world import pathway
from tests.factories_cohorts import UserFactory
from tests.incentives.conftest import bonus_rule

pytestmark = pytest.mark.django_db

# Tuesday 20 October 2026, 17:30 in New York (EDT, UTC-4): tonight's 18:00 class has not begun.
NOW = datetime.datetime(2026, 10, 20, 21, 30, tzinfo=datetime.UTC)


def october(day):
    return datetime.date(2026, 10, day)


# Amina's marks, one per case a reading must settle (every class 18:00–20:00 in New York):
MARKS = {
    october(1): "present",  # attended
    october(6): "late",  # attended (late counts)
    october(8): "absent",  # missed
    october(12): "present",  # the session was cancelled afterwards: counts for no one
    october(13): "excused",  # left out of both sides
    october(15): None,  # held, nobody marked it: on neither side for the program, missed for the bonus
    october(20): "present",  # marked before tonight's class began: not held yet, counts for no one
    october(22): "excused",  # excused ahead of time from a future class: counts for no one
    october(27): None,  # a future class
}
# By hand, the program's reading: attended 2 (1st, 6th) of counted 3 (1st, 6th, 8th); 1 excused (13th),
# 1 not marked (15th). 2 / 3 = 66.666…%: shown as 67% (half up, whole percent), 66.7 in the outcome figures
# (half up, one decimal); below a 66.67% minimum (compared exactly), at or above 66%.


@pytest.fixture
def amina(monkeypatch):
    stop_clock(monkeypatch, NOW)
    cohort = cohort_on(Track.ESOL, name="Evening English", start_date=october(1), end_date=october(30))
    sessions = held_sessions(cohort, list(MARKS), cancelled=[october(12)])
    learner = Learner.objects.create(partner=cohort.partner, full_name="Amina Yusuf", consent_data=True)
    learner.user = assign_role(user=UserFactory(username="amina"), role=Role.LEARNER)
    learner.save()
    enrollment = enrolled(cohort, learner)
    mark(enrollment, sessions, list(MARKS.values()))
    refresh_attendance_counts(session_ids=[session.pk for session in sessions])  # as the roster's save does
    instructor = assign_role(user=UserFactory(username="teacher"), role=Role.INSTRUCTOR, partner=cohort.partner)
    cohort.instructors.add(instructor)
    manager = assign_role(user=UserFactory(username="manager"), role=Role.PROGRAM_MANAGER)
    return cohort, enrollment, instructor, manager


def test_the_python_reading_of_the_marks_worked_out_by_hand():
    started = [MARKS[october(day)] for day in (1, 6, 8, 13, 15)]  # held and begun: what every page passes in

    program = attendance.tally(started)
    bonus = attendance.tally(started, attendance.Reading(unmarked_counts_as_missed=True))

    assert (program.attended, program.counted, program.excused, program.unmarked) == (2, 3, 1, 1)
    assert program.rate == 67
    assert not program.meets(Decimal("66.67")) and program.meets(66)
    # The bonus counts the 15th as missed: 2 of 4.
    assert (bonus.attended, bonus.counted) == (2, 4)


def test_the_cohort_page_the_portal_credentials_and_outcomes_agree(client, amina):
    cohort, enrollment, instructor, manager = amina

    # The cohort page's roster (and the rates behind it).
    tally = attendance_rates(enrollment_ids=[enrollment.pk])[enrollment.pk]
    assert (tally.attended, tally.counted, tally.rate) == (2, 3, 67)
    client.force_login(instructor)
    page = client.get(f"/teach/cohorts/{cohort.pk}/").content.decode()
    assert "Attendance 67% (2 of 3)" in page

    # The learner's portal.
    client.force_login(enrollment.learner.user)
    portal = client.get("/learn/").content.decode()
    assert "You came to 2 of 3 classes. 1 excused. 1 class is not marked yet: ask your instructor." in portal

    # Credential eligibility, for staff and in the learner's progress: the same 2 of 3, compared exactly.
    strict = pathway("Strict", min_attendance_percent=Decimal("66.67"))
    lenient = pathway("Lenient", min_attendance_percent=Decimal("66"))
    for chosen, met in ((strict, False), (lenient, True)):
        (judged,) = cohort_eligibility(pathway=chosen, cohort=cohort)
        (requirement,) = [r for r in judged.requirements if r.kind == Kind.ATTENDANCE]
        assert (judged.attended, judged.counted, judged.rate, requirement.met) == (2, 3, 67, met)
        assert requirement.explanation.startswith(
            f"Attendance 67% (2 of 3 sessions); needs {'66.67' if chosen is strict else '66'}%"
        )
    progress = learner_progress(learner=enrollment.learner, pathways=[strict])
    assert [(line.attended, line.counted, line.rate) for line in progress] == [(2, 3, 67)]

    # The outcome figures, added up in SQL from the per-session counts.
    figures = summary(manager, {"cohort": str(cohort.pk), "start": "2026-10-01", "end": "2026-10-31"}, now=NOW)
    assert (figures.attendance.rate.part, figures.attendance.rate.whole) == (2, 3)
    assert figures.attendance.rate.percent == Decimal("66.7")
    assert figures.attendance.sessions == 5  # 1st, 6th, 8th, 13th and 15th: held and begun
    # The dashboard's chart says the whole percent the cohort page says (not 66.7 cut down to 66).
    assert "67% overall" in weekly_attendance(figures).sentence


def test_the_bonus_reads_the_same_marks_its_own_way(amina):
    cohort, enrollment, _instructor, _manager = amina

    ((_partner, evaluation),) = evaluate_month(bonus_rule(), october(1)).values()

    # Held and begun: 1st, 6th, 8th, 13th (excused, left out), 15th (not marked: missed). 2 of 4 = 50.00%;
    # the 20th, 22nd and 27th are still to come.
    assert (evaluation.attended, evaluation.counted, evaluation.unmarked, evaluation.upcoming) == (2, 4, 1, 3)
    assert evaluation.rate == Decimal("50.00")
