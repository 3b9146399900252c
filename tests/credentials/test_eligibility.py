"""Eligibility: each requirement is met or not with a plain explanation, attendance is read the way the
cohort page and the bonus read it, and a whole cohort is judged in a fixed number of queries."""

import datetime
from decimal import Decimal

import pytest

from cohorts.models import Enrollment
from cohorts.selectors import attendance_rates
from courses.models import Track
from credentials.eligibility import Kind, cohort_eligibility, learner_progress, sessions_to_reach
from credentials.models import Credential, CredentialPathway
from incentives.models import MilestoneAchievement
from tests.builders import stop_clock

from .world import OCTOBER_DAYS, cohort_on, enrolled, held_sessions, mark, milestone_type, pathway, present, reached

pytestmark = pytest.mark.django_db


def judged(pathway_, cohort, learner=None):
    results = cohort_eligibility(pathway=pathway_, cohort=cohort)
    if learner is None:
        (result,) = results
        return result
    return next(result for result in results if result.learner == learner)


def requirement(result, kind):
    (found,) = [requirement for requirement in result.requirements if requirement.kind == kind]
    return found


# --- attendance ------------------------------------------------------------------------------------------


def test_attendance_at_the_minimum_is_met_and_says_the_rate_and_the_sessions():
    cohort = cohort_on()
    sessions = held_sessions(cohort, OCTOBER_DAYS[:8])
    mark(enrolled(cohort), sessions, present(6, absent=2))

    result = judged(pathway(min_attendance_percent=Decimal("75")), cohort)

    attendance = requirement(result, Kind.ATTENDANCE)
    assert attendance.met and result.eligible
    assert attendance.explanation == "Attendance 75% (6 of 8 sessions); needs 75%."


def test_attendance_below_the_minimum_says_how_many_more_sessions_would_reach_it():
    cohort = cohort_on()
    sessions = held_sessions(cohort)
    mark(enrolled(cohort), sessions, present(5, absent=5))

    result = judged(pathway(min_attendance_percent=Decimal("75")), cohort)

    attendance = requirement(result, Kind.ATTENDANCE)
    assert not attendance.met and not result.eligible
    # 5 of 10 is 50%, and no class is scheduled after October's ten: more sessions are not promised
    # (test_sessions_left.py counts the classes still ahead).
    assert attendance.explanation == (
        "Attendance 50% (5 of 10 sessions); needs 75%: no sessions are left in this cohort, "
        "so it can no longer be reached here."
    )


@pytest.mark.parametrize(
    ("attended", "counted", "percent", "more"),
    [(6, 8, 75, 0), (5, 8, 75, 4), (0, 0, 80, 0), (9, 10, 100, None), (2, 3, 70, 1), (7, 10, Decimal("66.67"), 0)],
)
def test_sessions_to_reach_a_rate(attended, counted, percent, more):
    assert sessions_to_reach(attended, counted, percent) == more


def test_late_counts_as_attended_and_excused_is_left_out_of_both_sides():
    cohort = cohort_on()
    sessions = held_sessions(cohort)
    # 6 present + 1 late = 7 attended; 2 absent; 1 excused left out: 7 of 9 = 78%.
    mark(enrolled(cohort), sessions, ["present"] * 6 + ["late", "absent", "absent", "excused"])

    result = judged(pathway(min_attendance_percent=Decimal("75")), cohort)

    assert requirement(result, Kind.ATTENDANCE).met
    assert (result.attended, result.counted) == (7, 9)
    assert requirement(result, Kind.ATTENDANCE).explanation.startswith("Attendance 78% (7 of 9 sessions)")


def test_the_rate_is_the_one_the_cohort_page_shows():
    cohort = cohort_on()
    sessions = held_sessions(cohort, cancelled=[OCTOBER_DAYS[0]])
    enrollment = enrolled(cohort)
    mark(
        enrollment,
        sessions,
        ["present", "absent", "late", "excused", "present", "absent", None, "present", "late", "absent"],
    )

    result = judged(pathway(min_attendance_percent=Decimal("50")), cohort)

    shown = attendance_rates(enrollment_ids=[enrollment.pk])[enrollment.pk]
    assert (result.attended, result.counted) == (shown.attended, shown.counted) == (4, 7)


def test_a_learner_nobody_marked_yet_is_told_so():
    cohort = cohort_on()
    held_sessions(cohort)
    enrolled(cohort)

    attendance = requirement(judged(pathway(min_attendance_percent=Decimal("75")), cohort), Kind.ATTENDANCE)

    assert not attendance.met
    assert attendance.explanation == "No attendance recorded yet; needs 75%."


# --- hours -----------------------------------------------------------------------------------------------


def test_hours_are_the_lengths_of_held_sessions_attended_and_short_ones_say_how_many_more():
    cohort = cohort_on()
    two_hour = held_sessions(cohort, OCTOBER_DAYS[:4], cancelled=[OCTOBER_DAYS[3]])
    ninety_minutes = held_sessions(cohort, OCTOBER_DAYS[4:7], start=datetime.time(9, 0), end=datetime.time(10, 30))
    enrollment = enrolled(cohort)
    # Two-hour classes: present, late, absent, and present at the cancelled one (counts for nothing).
    mark(enrollment, two_hour, ["present", "late", "absent", "present"])
    # Ninety-minute classes: present, excused, present.
    mark(enrollment, ninety_minutes, ["present", "excused", "present"])

    result = judged(pathway(min_hours=Decimal("10")), cohort)

    assert result.hours == Decimal("7.00")  # 2 + 2 + 1.5 + 1.5
    hours = requirement(result, Kind.HOURS)
    assert not hours.met
    assert hours.explanation == "Needs 3 more hours (7 of 10)."


def test_enough_hours_are_met():
    cohort = cohort_on()
    mark(enrolled(cohort), held_sessions(cohort), present(6, absent=4))

    hours = requirement(judged(pathway(min_hours=Decimal("12")), cohort), Kind.HOURS)

    assert hours.met
    assert hours.explanation == "12 hours attended; needs 12."


def test_half_an_hour_short_is_said_in_half_hours():
    cohort = cohort_on()
    sessions = held_sessions(cohort, OCTOBER_DAYS[:3], start=datetime.time(9, 0), end=datetime.time(10, 30))
    mark(enrolled(cohort), sessions, present(3))

    hours = requirement(judged(pathway(min_hours=Decimal("5")), cohort), Kind.HOURS)

    assert hours.explanation == "Needs 0.5 more hours (4.5 of 5)."


# --- milestones ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "met", "explanation"),
    [
        (MilestoneAchievement.Status.VERIFIED, True, "Business license verified."),
        (MilestoneAchievement.Status.RECORDED, False, "Business license recorded, not yet verified."),
        (
            MilestoneAchievement.Status.REJECTED,
            False,
            "Business license: the evidence was rejected; record it again with new evidence.",
        ),
        (None, False, "Business license not recorded yet."),
    ],
)
def test_a_required_milestone_counts_only_once_verified(status, met, explanation):
    cohort = cohort_on(Track.ENTREPRENEURSHIP)
    enrollment = enrolled(cohort)
    license_ = milestone_type("Business license")
    if status is not None:
        reached(enrollment.learner, license_, status)

    result = judged(pathway("Business launch", tracks=[Track.ENTREPRENEURSHIP], milestones=[license_]), cohort)

    milestone = requirement(result, Kind.MILESTONE)
    assert (milestone.met, milestone.explanation) == (met, explanation)
    assert result.eligible is met


def test_a_verified_milestone_after_a_rejected_one_counts_and_every_required_milestone_is_listed():
    cohort = cohort_on(Track.ENTREPRENEURSHIP)
    learner = enrolled(cohort).learner
    plan, license_ = milestone_type("Business plan"), milestone_type("Business license")
    reached(learner, license_, MilestoneAchievement.Status.REJECTED, day=datetime.date(2026, 10, 1))
    reached(learner, license_, MilestoneAchievement.Status.VERIFIED, day=datetime.date(2026, 10, 9))

    result = judged(pathway("Business launch", tracks=[Track.ENTREPRENEURSHIP], milestones=[plan, license_]), cohort)

    # In the milestone types' own order (by name within a track).
    assert [(r.met, r.explanation) for r in result.requirements] == [
        (True, "Business license verified."),
        (False, "Business plan not recorded yet."),
    ]
    assert [requirement.explanation for requirement in result.unmet] == ["Business plan not recorded yet."]


def test_another_learners_milestone_does_not_count():
    cohort = cohort_on(Track.ENTREPRENEURSHIP)
    first, second = enrolled(cohort, name="Hodan"), enrolled(cohort, name="Yonas")
    license_ = milestone_type()
    reached(first.learner, license_)
    required = pathway("Business launch", tracks=[Track.ENTREPRENEURSHIP], milestones=[license_])

    assert judged(required, cohort, first.learner).eligible
    assert not judged(required, cohort, second.learner).eligible


# --- completion -------------------------------------------------------------------------------------------


AFTER_THE_END = datetime.datetime(2026, 12, 21, 12, 0, tzinfo=datetime.UTC)  # the cohorts end on 18 Dec 2026
BEFORE_THE_END = datetime.datetime(2026, 12, 7, 17, 0, tzinfo=datetime.UTC)


def test_once_the_cohort_ended_completion_is_what_staff_recorded(monkeypatch):
    stop_clock(monkeypatch, AFTER_THE_END)
    cohort = cohort_on()
    active = enrolled(cohort, name="Active learner")
    done = enrolled(
        cohort, name="Finished learner", status=Enrollment.Status.COMPLETED, completed_on=datetime.date(2026, 12, 18)
    )
    left = enrolled(
        cohort,
        name="Learner who left",
        status=Enrollment.Status.WITHDRAWN,
        withdrawn_on=datetime.date(2026, 10, 20),
        withdrawal_reason="Found a job",
    )
    required = pathway(certifies=CredentialPathway.Certifies.COMPLETION)

    explanations = {
        enrollment.pk: (requirement(judged(required, cohort, enrollment.learner), Kind.COMPLETION))
        for enrollment in (active, done, left)
    }

    assert (explanations[active.pk].met, explanations[active.pk].explanation) == (
        False,
        "The cohort ended on Dec. 18, 2026; staff have not recorded the completion yet.",
    )
    assert (explanations[done.pk].met, explanations[done.pk].explanation) == (
        True,
        "Completed the course on Dec. 18, 2026.",
    )
    assert (explanations[left.pk].met, explanations[left.pk].explanation) == (
        False,
        "Left the course on Oct. 20, 2026; the course must be completed.",
    )


def test_a_certificate_of_completion_waits_for_the_cohort_to_end_even_for_a_completion_recorded_early(monkeypatch):
    """The bug of issue 13: on 7 Dec a "Certificate of Completion" went to a cohort that runs until later."""
    stop_clock(monkeypatch, BEFORE_THE_END)
    cohort = cohort_on()
    early = enrolled(
        cohort, name="Recorded early", status=Enrollment.Status.COMPLETED, completed_on=datetime.date(2026, 12, 4)
    )
    active = enrolled(cohort, name="Still in class")
    required = pathway(certifies=CredentialPathway.Certifies.COMPLETION)

    for enrollment in (early, active):
        result = judged(required, cohort, enrollment.learner)
        assert not result.eligible
        assert [r.explanation for r in result.unmet] == ["The cohort ends on Dec. 18, 2026."]


def test_an_achievement_does_not_wait_for_the_end_of_the_cohort(monkeypatch):
    stop_clock(monkeypatch, BEFORE_THE_END)
    cohort = cohort_on()
    enrolled(cohort)

    result = judged(pathway(certifies=CredentialPathway.Certifies.ACHIEVEMENT), cohort)

    assert result.eligible and result.requirements == []


def test_learners_still_waiting_for_a_seat_are_not_judged():
    cohort = cohort_on()
    enrolled(cohort, name="On the waitlist", status=Enrollment.Status.WAITLISTED, enrolled_on=None)
    enrolled(cohort, name="Offered a seat", status=Enrollment.Status.OFFERED, enrolled_on=None)
    sitting = enrolled(cohort, name="In class")

    assert [result.learner for result in cohort_eligibility(pathway=pathway(), cohort=cohort)] == [sitting.learner]


# --- all together ----------------------------------------------------------------------------------------


def test_every_requirement_met_makes_a_learner_eligible_and_one_unmet_does_not(monkeypatch):
    stop_clock(monkeypatch, AFTER_THE_END)
    cohort = cohort_on(Track.ENTREPRENEURSHIP)
    sessions = held_sessions(cohort)
    ready = enrolled(cohort, name="Ready", status=Enrollment.Status.COMPLETED, completed_on=datetime.date(2026, 11, 1))
    almost = enrolled(
        cohort, name="Almost", status=Enrollment.Status.COMPLETED, completed_on=datetime.date(2026, 11, 1)
    )
    mark(ready, sessions, present(9, absent=1))
    mark(almost, sessions, present(9, absent=1))
    plan = milestone_type("Business plan")
    reached(ready.learner, plan)
    reached(almost.learner, plan, MilestoneAchievement.Status.RECORDED)
    required = pathway(
        "Business launch",
        tracks=[Track.ENTREPRENEURSHIP],
        milestones=[plan],
        min_attendance_percent=Decimal("80"),
        min_hours=Decimal("16"),
        certifies=CredentialPathway.Certifies.COMPLETION,
    )

    ready_result, almost_result = judged(required, cohort, ready.learner), judged(required, cohort, almost.learner)

    assert [r.kind for r in ready_result.requirements] == [Kind.ATTENDANCE, Kind.HOURS, Kind.MILESTONE, Kind.COMPLETION]
    assert ready_result.eligible and ready_result.can_issue
    assert not almost_result.eligible
    assert [r.explanation for r in almost_result.unmet] == ["Business plan recorded, not yet verified."]


def test_a_pathway_without_requirements_lets_everyone_who_took_part_qualify():
    cohort = cohort_on()
    enrolled(cohort)

    result = judged(pathway(), cohort)

    assert result.requirements == [] and result.eligible


def test_a_learner_who_holds_the_credential_is_eligible_but_not_issued_again(tmp_path):
    cohort = cohort_on()
    enrollment = enrolled(cohort)
    required = pathway()
    credential = Credential.objects.create(
        learner=enrollment.learner,
        pathway=required,
        cohort=cohort,
        partner=cohort.partner,
        name_as_printed="Amina Yusuf",
        title_as_printed=required.name,
        issuer_as_printed=cohort.partner.name,
        issued_on=datetime.date(2026, 11, 2),
        verification_code="X" * 28,
        pdf="certificates/x.pdf",
    )

    result = judged(required, cohort)

    assert result.eligible and result.credential == credential and not result.can_issue


# --- queries ---------------------------------------------------------------------------------------------


def _cohort_of(size, required_milestones):
    cohort = cohort_on(Track.ENTREPRENEURSHIP)
    sessions = held_sessions(cohort)
    for number in range(size):
        enrollment = enrolled(cohort, name=f"Learner {number:03}")
        mark(enrollment, sessions, present(8, absent=1, excused=1))
        for milestone in required_milestones:
            reached(enrollment.learner, milestone)
    return cohort


def test_a_whole_cohort_is_judged_in_the_same_few_queries_whatever_its_size(django_assert_max_num_queries):
    plan, license_ = milestone_type("Business plan"), milestone_type("Business license")
    required = pathway(
        "Business launch",
        tracks=[Track.ENTREPRENEURSHIP],
        milestones=[plan, license_],
        min_attendance_percent=Decimal("75"),
        min_hours=Decimal("10"),
        certifies=CredentialPathway.Certifies.ACHIEVEMENT,
    )
    small, large = _cohort_of(3, [plan, license_]), _cohort_of(60, [plan, license_])

    # The pathway with its courses and milestones (3), the enrollments with their learners, attendance
    # rates, hours, milestones, credentials already issued (5).
    with django_assert_max_num_queries(8):
        few = cohort_eligibility(pathway=required, cohort=small)
    with django_assert_max_num_queries(8):
        many = cohort_eligibility(pathway=required, cohort=large)

    assert len(few) == 3 and len(many) == 60
    assert all(result.eligible for result in many)
    assert many[0].hours == Decimal("16.00")


def test_the_portal_sees_progress_toward_each_credential_its_cohorts_lead_to(django_assert_max_num_queries):
    esol = cohort_on(Track.ESOL, name="Evening English")
    business = cohort_on(Track.ENTREPRENEURSHIP, name="Start Your Business", partner=esol.partner)
    enrollment = enrolled(esol)
    enrolled(business, enrollment.learner)
    mark(enrollment, held_sessions(esol), present(10))
    license_ = milestone_type()
    pathway("ESOL Level 1", min_hours=Decimal("12"))
    pathway("Business launch", tracks=[Track.ENTREPRENEURSHIP], milestones=[license_])
    pathway("Warehouse certificate", tracks=[Track.JOB_TRAINING])

    with django_assert_max_num_queries(8):
        progress = learner_progress(learner=enrollment.learner)

    lines = {(line.pathway.name, line.enrollment.cohort.name): line for line in progress}
    assert set(lines) == {("ESOL Level 1", "Evening English"), ("Business launch", "Start Your Business")}
    assert lines[("ESOL Level 1", "Evening English")].eligible
    assert [r.explanation for r in lines[("Business launch", "Start Your Business")].requirements] == [
        "Business license not recorded yet."
    ]
