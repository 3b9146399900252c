"""Capacity and the waitlist: enroll, withdraw, promotion, offers and their expiry."""

import datetime

import pytest
from wagtail.models import ModelLogEntry

from cohorts.models import Cohort, Enrollment
from cohorts.services import CohortError, accept_offer, enroll, expire_offers, withdraw
from tests.builders import stop_clock
from tests.factories_cohorts import CohortFactory, InstructorFactory, LearnerFactory, PartnerFactory

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


@pytest.fixture
def clock(monkeypatch):
    """Pin `timezone.now()` (services and Cohort.local_today read it); tests move it forward."""
    # 10:00 in New York, cohort running
    return stop_clock(monkeypatch, datetime.datetime(2026, 9, 10, 14, 0, tzinfo=UTC))


@pytest.fixture
def staff():
    return InstructorFactory()


def learners(cohort, *names):
    return [LearnerFactory(partner=cohort.partner, full_name=name) for name in names]


def statuses(cohort):
    return dict(cohort.enrollments.values_list("learner__full_name", "status"))


def waitlist_names(cohort):
    return [e.learner.full_name for e in cohort.enrollments.waitlist().select_related("learner")]


def enroll_in_turn(clock, cohort, people, by):
    """One enrollment a minute, as people arrive at the front desk."""
    result = []
    for learner in people:
        result.append(enroll(learner=learner, cohort=cohort, by=by))
        clock.advance(minutes=1)
    return result


def test_enroll_fills_the_seats_then_waitlists_in_arrival_order(clock, staff):
    cohort = CohortFactory(capacity=2)
    # Arrival order is not alphabetical, so a waitlist sorted by name would show up here.
    people = learners(cohort, "Yusuf", "Mariam", "Zainab", "Amina")

    enroll_in_turn(clock, cohort, people, staff)

    assert statuses(cohort) == {"Yusuf": "active", "Mariam": "active", "Zainab": "waitlisted", "Amina": "waitlisted"}
    assert waitlist_names(cohort) == ["Zainab", "Amina"]
    assert cohort.enrollments.holding_seat().count() == 2
    active = cohort.enrollments.get(learner__full_name="Yusuf")
    assert active.enrolled_on == datetime.date(2026, 9, 10)
    entry = ModelLogEntry.objects.filter(action="cohorts.enrollment.status", object_id=str(active.pk)).get()
    assert entry.data["from"] is None and entry.data["to"] == "active" and entry.user == staff


def test_withdraw_promotes_the_first_on_the_waitlist(clock, staff):
    cohort = CohortFactory(capacity=2, when_seat_frees=Cohort.WhenSeatFrees.PROMOTE)
    yusuf, _mariam, _zainab, _amina = enroll_in_turn(
        clock, cohort, learners(cohort, "Yusuf", "Mariam", "Zainab", "Amina"), staff
    )
    clock.advance(days=5)

    withdraw(enrollment=yusuf, reason="Found a job", by=staff)

    assert statuses(cohort) == {"Yusuf": "withdrawn", "Mariam": "active", "Zainab": "active", "Amina": "waitlisted"}
    zainab = cohort.enrollments.get(learner__full_name="Zainab")
    assert zainab.enrolled_on == datetime.date(2026, 9, 15)
    yusuf.refresh_from_db()
    assert (yusuf.withdrawn_on, yusuf.withdrawal_reason) == (datetime.date(2026, 9, 15), "Found a job")
    assert cohort.enrollments.holding_seat().count() == 2
    promotion = ModelLogEntry.objects.get(
        action="cohorts.enrollment.status", object_id=str(zainab.pk), data__to="active"
    )
    assert promotion.data["automatic"] is True


def test_withdraw_needs_a_reason_and_changes_nothing_without_one(clock, staff):
    cohort = CohortFactory(capacity=1)
    first, _second = enroll_in_turn(clock, cohort, learners(cohort, "Ana", "Berta"), staff)

    with pytest.raises(CohortError) as error:
        withdraw(enrollment=first, reason="  ", by=staff)

    assert error.value.field == "reason"
    assert statuses(cohort) == {"Ana": "active", "Berta": "waitlisted"}


def test_withdraw_offers_the_seat_when_the_cohort_offers(clock, staff):
    cohort = CohortFactory(capacity=1, when_seat_frees=Cohort.WhenSeatFrees.OFFER, offer_hours=48)
    first, _second, _third = enroll_in_turn(clock, cohort, learners(cohort, "Ana", "Berta", "Chen"), staff)

    withdraw(enrollment=first, reason="Moved away", by=staff)

    berta = cohort.enrollments.get(learner__full_name="Berta")
    assert berta.status == Enrollment.Status.OFFERED
    assert berta.offer_expires_at == clock.now + datetime.timedelta(hours=48)
    assert berta.enrolled_on is None
    # The offered seat is held: a newcomer still joins the waitlist behind Chen.
    enroll(learner=learners(cohort, "Dawit")[0], cohort=cohort, by=staff)
    assert waitlist_names(cohort) == ["Chen", "Dawit"]


def test_accepting_an_offer_activates_the_enrollment(clock, staff):
    cohort = CohortFactory(capacity=1, when_seat_frees=Cohort.WhenSeatFrees.OFFER)
    first, second = enroll_in_turn(clock, cohort, learners(cohort, "Ana", "Berta"), staff)
    withdraw(enrollment=first, reason="Moved away", by=staff)
    clock.advance(hours=5)

    accepted = accept_offer(enrollment=second, by=None)

    assert accepted.status == Enrollment.Status.ACTIVE
    assert accepted.offer_expires_at is None
    assert accepted.enrolled_on == clock.now.astimezone(cohort.zone).date()
    assert Enrollment.objects.get(pk=second.pk).status == Enrollment.Status.ACTIVE


def test_an_offer_past_its_deadline_cannot_be_accepted(clock, staff):
    cohort = CohortFactory(capacity=1, when_seat_frees=Cohort.WhenSeatFrees.OFFER, offer_hours=24)
    first, second = enroll_in_turn(clock, cohort, learners(cohort, "Ana", "Berta"), staff)
    withdraw(enrollment=first, reason="Moved away", by=staff)
    clock.advance(hours=25)

    with pytest.raises(CohortError):
        accept_offer(enrollment=second, by=None)

    assert Enrollment.objects.get(pk=second.pk).status == Enrollment.Status.OFFERED


def test_expired_offer_goes_to_the_end_of_the_waitlist_and_the_seat_is_offered_to_the_next(clock, staff):
    cohort = CohortFactory(capacity=1, when_seat_frees=Cohort.WhenSeatFrees.OFFER, offer_hours=72)
    first, berta, _chen, _dawit = enroll_in_turn(
        clock, cohort, learners(cohort, "Ana", "Berta", "Chen", "Dawit"), staff
    )
    withdraw(enrollment=first, reason="Moved away", by=staff)
    deadline = Enrollment.objects.get(pk=berta.pk).offer_expires_at

    assert expire_offers(now=deadline - datetime.timedelta(minutes=1)) == 0  # not yet
    assert statuses(cohort)["Berta"] == "offered"

    later = deadline + datetime.timedelta(minutes=1)
    assert expire_offers(now=later) == 1

    berta.refresh_from_db()
    assert (berta.status, berta.waitlisted_at, berta.offer_expires_at) == ("waitlisted", later, None)
    assert waitlist_names(cohort) == ["Dawit", "Berta"]
    chen = cohort.enrollments.get(learner__full_name="Chen")
    assert chen.status == Enrollment.Status.OFFERED
    assert chen.offer_expires_at == later + datetime.timedelta(hours=72)
    assert cohort.enrollments.holding_seat().count() == 1
    assert ModelLogEntry.objects.filter(
        action="cohorts.enrollment.status", object_id=str(berta.pk), data__expired=True
    ).exists()


def test_enrolling_a_learner_of_another_partner_is_refused(clock, staff):
    cohort = CohortFactory()
    outsider = LearnerFactory(partner=PartnerFactory())

    with pytest.raises(CohortError):
        enroll(learner=outsider, cohort=cohort, by=staff)

    assert not Enrollment.objects.exists()


def test_enrolling_twice_is_refused_with_the_learners_name(clock, staff):
    cohort = CohortFactory()
    learner = LearnerFactory(partner=cohort.partner, full_name="Nguyễn Thị Lan", preferred_name="Lan")
    enroll(learner=learner, cohort=cohort, by=staff)

    with pytest.raises(CohortError) as error:
        enroll(learner=learner, cohort=cohort, by=staff)

    assert "Lan" in error.value.message
    assert Enrollment.objects.filter(learner=learner).count() == 1


def test_a_withdrawn_learner_can_enroll_again(clock, staff):
    cohort = CohortFactory(capacity=5)
    enrollment = enroll(learner=learners(cohort, "Ana")[0], cohort=cohort, by=staff)
    withdraw(enrollment=enrollment, reason="Family emergency", by=staff)
    clock.advance(days=7)

    again = enroll(learner=enrollment.learner, cohort=cohort, by=staff)

    assert again.pk == enrollment.pk  # the same record, so attendance history stays with it
    again.refresh_from_db()
    assert again.status == Enrollment.Status.ACTIVE
    assert (again.withdrawn_on, again.withdrawal_reason) == (None, "")
    assert again.enrolled_on == datetime.date(2026, 9, 17)


def test_a_withdrawn_learner_returning_to_a_full_cohort_joins_the_end_of_the_waitlist(clock, staff):
    cohort = CohortFactory(capacity=1)
    ana, berta = enroll_in_turn(clock, cohort, learners(cohort, "Ana", "Berta"), staff)
    withdraw(enrollment=ana, reason="Family emergency", by=staff)  # Berta takes the seat
    enroll_in_turn(clock, cohort, learners(cohort, "Chen"), staff)

    again = enroll(learner=ana.learner, cohort=cohort, by=staff)

    again.refresh_from_db()
    assert again.status == Enrollment.Status.WAITLISTED
    assert again.enrolled_on is None  # not "enrolled on" an old date while waiting
    assert waitlist_names(cohort) == ["Chen", "Ana"]


def test_a_newcomer_does_not_jump_the_waitlist_when_a_seat_is_free(clock, staff):
    cohort = CohortFactory(capacity=1)
    enroll_in_turn(clock, cohort, learners(cohort, "Ana", "Berta"), staff)
    cohort.capacity = 2  # a second room opened; nobody has been admitted yet
    cohort.save()

    late = enroll(learner=learners(cohort, "Chen")[0], cohort=cohort, by=staff)

    assert late.status == Enrollment.Status.WAITLISTED
    assert waitlist_names(cohort) == ["Berta", "Chen"]


@pytest.mark.parametrize("status", [Cohort.Status.FINISHED, Cohort.Status.CANCELLED])
def test_enrolling_into_a_finished_or_cancelled_cohort_is_refused(clock, staff, status):
    cohort = CohortFactory(status=status)

    with pytest.raises(CohortError):
        enroll(learner=learners(cohort, "Ana")[0], cohort=cohort, by=staff)

    assert not cohort.enrollments.exists()


def test_an_offer_that_lapses_with_nobody_else_waiting_is_not_offered_straight_back(clock, staff):
    cohort = CohortFactory(capacity=1, when_seat_frees=Cohort.WhenSeatFrees.OFFER, offer_hours=72)
    first, berta = enroll_in_turn(clock, cohort, learners(cohort, "Ana", "Berta"), staff)
    withdraw(enrollment=first, reason="Moved away", by=staff)
    deadline = Enrollment.objects.get(pk=berta.pk).offer_expires_at

    assert expire_offers(now=deadline + datetime.timedelta(minutes=1)) == 1

    berta.refresh_from_db()
    # Berta waits again; the seat stays open for staff to admit her or someone new.
    assert berta.status == Enrollment.Status.WAITLISTED and berta.offer_expires_at is None
    assert cohort.enrollments.holding_seat().count() == 0
