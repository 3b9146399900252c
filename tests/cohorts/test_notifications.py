"""Seat notices: queued after commit, once per seat, only with consent, in the learner's language."""

import datetime

import pytest
from django.core import mail
from django.db import transaction

from cohorts.models import Cohort, Enrollment
from cohorts.notifications import send_seat_notice
from cohorts.services import enroll, expire_offers, withdraw
from tests.builders import stop_clock
from tests.factories_cohorts import CohortFactory, InstructorFactory, LearnerFactory

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


@pytest.fixture
def clock(monkeypatch):
    return stop_clock(monkeypatch, datetime.datetime(2026, 8, 20, 14, 0, tzinfo=UTC))


@pytest.fixture
def staff():
    return InstructorFactory()


def full_cohort_with_waitlist(clock, staff, *, waiting, **cohort_fields):
    """A one-seat cohort: a seated learner, then `waiting` learners on the waitlist, in that order."""
    cohort = CohortFactory(capacity=1, name="Evening English", start_date=datetime.date(2026, 9, 1), **cohort_fields)
    seated = enroll(learner=LearnerFactory(partner=cohort.partner), cohort=cohort, by=staff)
    queue = []
    for learner in waiting:
        clock.advance(minutes=1)
        queue.append(enroll(learner=learner, cohort=cohort, by=staff))
    return cohort, seated, queue


def reachable(**fields):
    """A learner the program may write to."""
    return LearnerFactory(**{"email": "learner@example.org", "consent_contact": True, **fields})


def test_promoted_learner_is_emailed_once_and_only_after_commit(clock, staff, django_capture_on_commit_callbacks):
    learner = reachable(email="amina@example.org", full_name="Amina Yusuf")
    cohort, seated, _queue = full_cohort_with_waitlist(clock, staff, waiting=[learner], partner=learner.partner)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        withdraw(enrollment=seated, reason="Moved away", by=staff)
        assert mail.outbox == []  # the transaction has not committed yet

    assert len(callbacks) == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["amina@example.org"]
    assert "Evening English" in message.subject
    assert "Amina Yusuf" in message.body
    assert Enrollment.objects.get(learner=learner).seat_notice_sent_at == clock.now


def test_a_promotion_that_is_rolled_back_sends_nothing(clock, staff, django_capture_on_commit_callbacks):
    learner = reachable()
    cohort, seated, _queue = full_cohort_with_waitlist(clock, staff, waiting=[learner], partner=learner.partner)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            withdraw(enrollment=seated, reason="Moved away", by=staff)
            raise RuntimeError("something later in the same request failed")

    assert callbacks == []
    assert mail.outbox == []
    assert Enrollment.objects.get(learner=learner).status == Enrollment.Status.WAITLISTED


def test_seat_notice_is_written_in_the_learners_language(clock, staff, django_capture_on_commit_callbacks):
    # The project's own catalogs may not be compiled yet, but Django's are: the class start
    # date is formatted with the active language's month names, so it shows which language
    # the message was rendered in.
    spanish = reachable(email="lucia@example.org", preferred_language="es")
    english = reachable(email="grace@example.org", preferred_language="en", partner=spanish.partner)
    cohort, seated, queue = full_cohort_with_waitlist(clock, staff, waiting=[spanish, english], partner=spanish.partner)
    cohort.capacity = 2
    cohort.save()

    with django_capture_on_commit_callbacks(execute=True):
        withdraw(enrollment=seated, reason="Moved away", by=staff)

    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {"lucia@example.org", "grace@example.org"}
    assert "1 de septiembre de 2026" in by_recipient["lucia@example.org"].body
    assert "septiembre" not in by_recipient["grace@example.org"].body
    assert "Sept. 1, 2026" in by_recipient["grace@example.org"].body
    assert all("Evening English" in message.subject for message in mail.outbox)


def test_learner_without_contact_consent_gets_no_email(clock, staff, django_capture_on_commit_callbacks):
    learner = reachable(consent_contact=False)
    cohort, seated, _queue = full_cohort_with_waitlist(clock, staff, waiting=[learner], partner=learner.partner)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        withdraw(enrollment=seated, reason="Moved away", by=staff)

    assert len(callbacks) == 1  # the task ran ...
    assert mail.outbox == []  # ... and decided not to write
    enrollment = Enrollment.objects.get(learner=learner)
    assert enrollment.status == Enrollment.Status.ACTIVE
    assert enrollment.seat_notice_sent_at is None


def test_sending_the_seat_notice_twice_sends_one_email(clock, staff):
    learner = reachable()
    cohort, seated, (waiting,) = full_cohort_with_waitlist(clock, staff, waiting=[learner], partner=learner.partner)
    withdraw(enrollment=seated, reason="Moved away", by=staff)  # on_commit never fires inside the test transaction

    assert send_seat_notice(enrollment_id=waiting.pk) is True
    assert send_seat_notice(enrollment_id=waiting.pk) is False  # e.g. the task was redelivered

    assert len(mail.outbox) == 1


def test_offer_email_gives_the_deadline_in_the_cohorts_time_zone(clock, staff):
    learner = reachable(preferred_language="en")
    cohort, seated, (offered,) = full_cohort_with_waitlist(
        clock,
        staff,
        waiting=[learner],
        partner=learner.partner,
        time_zone="Asia/Kabul",
        when_seat_frees=Cohort.WhenSeatFrees.OFFER,
        offer_hours=72,
    )
    withdraw(enrollment=seated, reason="Moved away", by=staff)  # at 14:01 UTC: 18:31 in Kabul, 10:01 in New York

    send_seat_notice(enrollment_id=offered.pk)

    (message,) = mail.outbox
    assert "Aug. 23, 2026, 6:31 p.m." in message.body
    assert "10:01 a.m." not in message.body


def test_a_learner_who_enrolls_again_is_told_about_their_new_seat(clock, staff, django_capture_on_commit_callbacks):
    learner = reachable(email="omar@example.org")
    cohort, seated, (omar,) = full_cohort_with_waitlist(clock, staff, waiting=[learner], partner=learner.partner)
    with django_capture_on_commit_callbacks(execute=True):
        withdraw(enrollment=seated, reason="Moved away", by=staff)
    assert [message.to for message in mail.outbox] == [["omar@example.org"]]  # Omar gets the seat and an email
    withdraw(enrollment=omar, reason="Night shift", by=staff)
    mail.outbox.clear()
    clock.advance(days=3)
    other = enroll(learner=LearnerFactory(partner=cohort.partner), cohort=cohort, by=staff)
    enroll(learner=learner, cohort=cohort, by=staff)  # shift changed: back on the waitlist

    with django_capture_on_commit_callbacks(execute=True):
        withdraw(enrollment=other, reason="Moved away", by=staff)

    assert Enrollment.objects.get(pk=omar.pk).status == Enrollment.Status.ACTIVE
    assert [message.to for message in mail.outbox] == [["omar@example.org"]]


def test_when_an_offer_expires_the_next_person_is_told(clock, staff, django_capture_on_commit_callbacks):
    first = reachable(email="first@example.org")
    second = reachable(email="second@example.org", partner=first.partner)
    cohort, seated, (offered, _next) = full_cohort_with_waitlist(
        clock, staff, waiting=[first, second], partner=first.partner, when_seat_frees=Cohort.WhenSeatFrees.OFFER
    )
    with django_capture_on_commit_callbacks(execute=True):
        withdraw(enrollment=seated, reason="Moved away", by=staff)
    assert [message.to for message in mail.outbox] == [["first@example.org"]]
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        expire_offers(now=clock.now + datetime.timedelta(hours=cohort.offer_hours, minutes=1))

    assert [message.to for message in mail.outbox] == [["second@example.org"]]
