"""The statewide seed (demo/scale.py, behind `seed_demo --scale`), at its "sample" size: what it builds holds
together — learners only in their own partner's cohorts, marks only at held sessions for learners with a seat,
each session's counts equal to its marks — and running it again changes nothing."""

import datetime
import io

import pytest
from django.db.models import Count, F

from cohorts.models import Attendance, Cohort, Enrollment
from courses.models import Track
from demo.scale import PARTNERS, seed_statewide
from incentives.models import BonusRule, MilestoneType
from outcomes.figures import summary
from outcomes.models import SessionAttendanceCount
from people.models import Learner, Partner, Role
from tests.conftest import user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def statewide(site_tree):
    BonusRule.objects.create(
        name="Training bonus", tracks=[Track.ESOL, Track.JOB_TRAINING], active_from=datetime.date(2020, 1, 1)
    )
    for slug in ("business-plan", "business-license", "seed-grant-awarded"):
        MilestoneType.objects.create(name=slug, slug=slug, track=Track.ENTREPRENEURSHIP, carries_amount="grant" in slug)
    output = io.StringIO()
    result = seed_statewide(output, scale="sample")
    return result, output.getvalue()


def test_the_sample_network_is_built_and_reported(statewide):
    result, output = statewide

    assert (
        result["counts"]["partners"] == PARTNERS == Partner.objects.filter(slug__startswith="statewide-sample-").count()
    )
    assert Cohort.objects.count() == result["counts"]["cohorts"] == 6
    assert Learner.objects.count() == result["counts"]["learners"] == 250
    assert Attendance.objects.count() == result["counts"]["attendance"] > 1000
    assert "attendance:" in output and "total" in result["seconds"]


def test_learners_sit_only_in_their_own_partners_cohorts_and_marks_need_a_seat(statewide):
    assert not Enrollment.objects.exclude(learner__partner=F("cohort__partner")).exists()
    assert not Attendance.objects.filter(enrollment__enrolled_on__isnull=True).exists()
    assert not Attendance.objects.filter(session__status="cancelled").exists()
    assert not Attendance.objects.filter(enrollment__withdrawn_on__lte=F("session__date")).exists()
    assert not Enrollment.objects.values("learner", "cohort").annotate(n=Count("pk")).filter(n__gt=1).exists()


def test_each_sessions_counts_equal_its_marks(statewide):
    marks = {
        (row["session_id"], row["status"]): row["n"]
        for row in Attendance.objects.values("session_id", "status").annotate(n=Count("pk"))
    }
    for count in SessionAttendanceCount.objects.all():
        for status in ("present", "late", "excused", "absent"):
            assert getattr(count, status) == marks.get((count.session_id, status), 0)


def test_seeding_again_changes_nothing(statewide):
    before = Attendance.objects.count()

    assert seed_statewide(io.StringIO(), scale="sample") == {}
    assert Attendance.objects.count() == before


def test_the_figures_read_the_network(statewide):
    manager = user_with_role(Role.PROGRAM_MANAGER, username="statewide.manager")

    result = summary(manager, {"start": "", "end": ""})

    assert 0 < result.people_served <= 250
    assert result.attendance.present > 0 and result.attendance.rate.percent > 50
    assert len(result.by_partner) == 6  # six cohorts, one for each of the first six partners
