"""Every write about cohorts: schedules, enrollment and the waitlist, attendance, self check-in.

Each function is one transaction, takes keyword arguments, writes its audit entry
in the same transaction and sends notifications only after commit.
"""

import datetime
import secrets
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import F, FilteredRelation, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from core.errors import Refused
from core.phones import same_phone
from people.models import Learner

from .models import Attendance, CalendarFeed, Cohort, Enrollment, Holiday, Session
from .signals import attendance_changed


class CohortError(Refused):
    """A cohort, enrollment or attendance request the rules refuse."""


# --- schedule -----------------------------------------------------------------


@dataclass
class SchedulePlan:
    to_create: list = field(default_factory=list)  # (date, start_time, end_time)
    to_delete: list = field(default_factory=list)  # sessions the pattern no longer has, without attendance
    kept_with_attendance: list = field(default_factory=list)  # off-pattern, kept because attendance exists
    kept_changed_by_hand: list = field(default_factory=list)  # off-pattern, kept because someone edited them
    skipped_holidays: list = field(default_factory=list)  # (date, holiday name)


def _holidays(cohort):
    rows = Holiday.objects.filter(date__range=(cohort.start_date, cohort.end_date)).filter(
        partner__isnull=True
    ) | Holiday.objects.filter(date__range=(cohort.start_date, cohort.end_date), partner_id=cohort.partner_id)
    return {holiday.date: holiday.name for holiday in rows}


def plan_schedule(*, cohort: Cohort) -> SchedulePlan:
    """What `generate_sessions` would do, for a preview before saving."""
    plan = SchedulePlan()
    holidays = _holidays(cohort)
    meeting_times = list(cohort.meeting_times.all())
    wanted = {}
    day = cohort.start_date
    while day <= cohort.end_date:
        for meeting in meeting_times:
            if meeting.weekday == day.weekday():
                if day in holidays:
                    plan.skipped_holidays.append((day, holidays[day]))
                else:
                    wanted[(day, meeting.start_time)] = meeting.end_time
        day += datetime.timedelta(days=1)

    existing = {}
    for session in cohort.sessions.all():
        if session.planned_date is not None:
            existing[(session.planned_date, session.planned_start_time)] = session
    with_attendance = set(
        Attendance.objects.filter(session__cohort=cohort).values_list("session_id", flat=True).distinct()
    )
    for slot, end_time in sorted(wanted.items()):
        if slot not in existing:
            plan.to_create.append((slot[0], slot[1], end_time))
    for slot, session in sorted(existing.items()):
        if slot in wanted:
            continue
        if session.pk in with_attendance:
            plan.kept_with_attendance.append(session)
        elif _was_changed_by_hand(session):
            plan.kept_changed_by_hand.append(session)
        else:
            plan.to_delete.append(session)
    return plan


def _was_changed_by_hand(session):
    """A session someone moved, retimed, gave a topic or cancelled is theirs now, not the pattern's."""
    return (
        session.date != session.planned_date
        or session.start_time != session.planned_start_time
        or bool(session.topic)
        or session.is_cancelled
    )


@transaction.atomic
def generate_sessions(*, cohort: Cohort, by) -> SchedulePlan:
    """Bring the cohort's sessions in line with its weekly pattern and holidays.

    Sessions that already have attendance are never deleted; moved or renamed
    sessions are recognized by their planned slot and left as they are.
    """
    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
    plan = plan_schedule(cohort=cohort)
    Session.objects.bulk_create(
        [
            Session(
                cohort=cohort,
                date=date,
                start_time=start,
                end_time=end,
                planned_date=date,
                planned_start_time=start,
            )
            for date, start, end in plan.to_create
        ]
    )
    if plan.to_delete:
        # Lock the doomed sessions, then look again: a roster saved while we waited
        # (record_attendance locks only its session) makes a session worth keeping.
        doomed = list(
            Session.objects.select_for_update()
            .filter(pk__in=[session.pk for session in plan.to_delete])
            .values_list("pk", flat=True)
        )
        attended = set(Attendance.objects.filter(session_id__in=doomed).values_list("session_id", flat=True))
        plan.kept_with_attendance += [session for session in plan.to_delete if session.pk in attended]
        plan.to_delete = [session for session in plan.to_delete if session.pk not in attended]
        Session.objects.filter(pk__in=[session.pk for session in plan.to_delete]).delete()
    if plan.to_create or plan.to_delete:
        log(
            cohort,
            "cohorts.schedule.generate",
            user=by,
            data={"created": len(plan.to_create), "deleted": len(plan.to_delete)},
        )
    return plan


@transaction.atomic
def move_session(*, session: Session, date, start_time, end_time, topic=None, by) -> Session:
    session = Session.objects.select_for_update().select_related("cohort").get(pk=session.pk)
    before = {"date": str(session.date), "start": str(session.start_time), "end": str(session.end_time)}
    session.date, session.start_time, session.end_time = date, start_time, end_time
    if topic is not None:
        session.topic = topic
    session.full_clean()
    session.save()
    log(
        session,
        "cohorts.session.change",
        user=by,
        data={"before": before, "after": {"date": str(date), "start": str(start_time), "end": str(end_time)}},
    )
    return session


@transaction.atomic
def cancel_session(*, session: Session, reason: str, by) -> Session:
    session = Session.objects.select_for_update().select_related("cohort").get(pk=session.pk)
    if session.is_cancelled:
        return session
    session.status = Session.Status.CANCELLED
    session.cancellation_reason = reason.strip()
    session.full_clean()
    session.save(update_fields=["status", "cancellation_reason", "updated_at"])
    log(session, "cohorts.session.cancel", user=by, data={"reason": session.cancellation_reason})
    return session


# --- enrollment and the waitlist ----------------------------------------------------


def _log_status(enrollment, before, by, **extra):
    log(
        enrollment,
        "cohorts.enrollment.status",
        user=by,
        data={
            "learner": enrollment.learner_id,
            "cohort": enrollment.cohort_id,
            "from": before,
            "to": enrollment.status,
            **extra,
        },
    )


def _locked_cohort(cohort_id):
    """Lock the cohort row: every seat decision for a cohort happens one at a time."""
    return Cohort.objects.select_for_update().get(pk=cohort_id)


def _seats_left(cohort):
    return cohort.capacity - cohort.enrollments.holding_seat().count()


@transaction.atomic
def enroll(*, learner, cohort: Cohort, by, waitlist_only=False) -> Enrollment:
    """Give the learner a seat, or put them at the end of the waitlist when the cohort is full.

    The cohort row is locked while seats are counted, so two people taking
    the last seat at once cannot both get it.
    """
    cohort = _locked_cohort(cohort.pk)
    if cohort.status not in (Cohort.Status.PLANNED, Cohort.Status.RUNNING):
        raise CohortError(_("This cohort is not taking enrollments."))
    if learner.partner_id != cohort.partner_id:
        raise CohortError(_("This learner belongs to another partner organization."))
    existing = Enrollment.objects.filter(learner=learner, cohort=cohort).first()
    if existing is not None and existing.status != Enrollment.Status.WITHDRAWN:
        raise CohortError(
            _("%(name)s is already in this cohort (%(status)s).")
            % {
                "name": learner.display_name,
                "status": existing.get_status_display(),
            }
        )
    now = timezone.now()
    enrollment = existing or Enrollment(learner=learner, cohort=cohort)
    before = enrollment.status if existing else None
    # A returning learner starts afresh: no stale dates, and they must be told about their next seat.
    enrollment.withdrawn_on = None
    enrollment.withdrawal_reason = ""
    enrollment.offer_expires_at = None
    enrollment.seat_notice_sent_at = None
    waitlist_is_empty = not cohort.enrollments.waitlist().exists()
    if not waitlist_only and _seats_left(cohort) > 0 and waitlist_is_empty:
        enrollment.status = Enrollment.Status.ACTIVE
        enrollment.enrolled_on = cohort.local_today()
    else:
        enrollment.status = Enrollment.Status.WAITLISTED
        enrollment.waitlisted_at = now
        enrollment.enrolled_on = None
    try:
        with transaction.atomic():
            enrollment.save()
    except IntegrityError as error:
        raise CohortError(_("%(name)s is already in this cohort.") % {"name": learner.display_name}) from error
    _log_status(enrollment, before, by)
    return enrollment


@transaction.atomic
def admit_from_waitlist(*, enrollment: Enrollment, by) -> Enrollment:
    """Staff admit a particular person from the waitlist (out of order), if a seat is free."""
    cohort = _locked_cohort(enrollment.cohort_id)
    enrollment = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
    if enrollment.status not in (Enrollment.Status.WAITLISTED, Enrollment.Status.OFFERED):
        raise CohortError(_("Only people on the waitlist can be admitted."))
    seats = _seats_left(cohort) + (1 if enrollment.status == Enrollment.Status.OFFERED else 0)
    if seats <= 0:
        raise CohortError(_("The cohort is full. Withdraw someone or raise the number of seats first."))
    before = enrollment.status
    enrollment.status = Enrollment.Status.ACTIVE
    enrollment.enrolled_on = cohort.local_today()
    enrollment.offer_expires_at = None
    enrollment.save()
    _log_status(enrollment, before, by)
    return enrollment


def _fill_open_seats(cohort, by, now=None, passing_over=()):
    """Promote (or offer a seat to) the first people on the waitlist. Caller holds the cohort lock.

    `now` is the caller's clock (expire_offers runs "as of" a given time), so a new
    offer's deadline is counted from the same instant the old one expired at.
    """
    from .tasks import notify_seat

    changed = []
    seats = _seats_left(cohort)
    if seats <= 0:
        return changed
    now = now or timezone.now()
    candidates = cohort.enrollments.waitlist().exclude(pk__in=list(passing_over)).select_for_update()
    for enrollment in candidates[:seats]:
        before = enrollment.status
        if cohort.when_seat_frees == Cohort.WhenSeatFrees.OFFER:
            enrollment.status = Enrollment.Status.OFFERED
            enrollment.offer_expires_at = now + datetime.timedelta(hours=cohort.offer_hours)
        else:
            enrollment.status = Enrollment.Status.ACTIVE
            enrollment.enrolled_on = cohort.local_today()
        enrollment.save()
        _log_status(enrollment, before, by, automatic=True)
        notify_seat.delay_on_commit(enrollment.pk)
        changed.append(enrollment)
    return changed


@transaction.atomic
def fill_open_seats(*, cohort: Cohort, by=None) -> list:
    return _fill_open_seats(_locked_cohort(cohort.pk), by)


@transaction.atomic
def withdraw(*, enrollment: Enrollment, reason: str, by) -> Enrollment:
    """The learner leaves; their seat goes to the waitlist. Attendance already recorded stays."""
    cohort = _locked_cohort(enrollment.cohort_id)
    enrollment = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
    if enrollment.status == Enrollment.Status.WITHDRAWN:
        return enrollment
    if not reason.strip():
        raise CohortError(_("Give a reason for withdrawing."), field="reason")
    before = enrollment.status
    enrollment.status = Enrollment.Status.WITHDRAWN
    enrollment.withdrawn_on = cohort.local_today()
    enrollment.withdrawal_reason = reason.strip()
    enrollment.offer_expires_at = None
    enrollment.save()
    _log_status(enrollment, before, by, reason=enrollment.withdrawal_reason)
    _fill_open_seats(cohort, by)
    return enrollment


def _completion_date(cohort, on):
    """The day a completion is recorded for: today unless staff name an earlier one. A completion is a fact
    staff saw happen, so a day still to come is refused, and so is one before the cohort began."""
    today = cohort.local_today()
    on = on or min(today, cohort.end_date)
    if on > today:
        raise CohortError(_("A completion cannot be recorded for a day still to come."), field="completed_on")
    if on < cohort.start_date:
        raise CohortError(_("A completion cannot be recorded before the cohort began."), field="completed_on")
    return on


@transaction.atomic
def complete(*, enrollment: Enrollment, by, on=None) -> Enrollment:
    enrollment = Enrollment.objects.select_for_update().select_related("cohort").get(pk=enrollment.pk)
    if enrollment.status == Enrollment.Status.COMPLETED:
        return enrollment
    if enrollment.status != Enrollment.Status.ACTIVE:
        raise CohortError(_("Only active learners can complete a cohort."))
    completed_on = _completion_date(enrollment.cohort, on)
    before = enrollment.status
    enrollment.status = Enrollment.Status.COMPLETED
    enrollment.completed_on = completed_on
    enrollment.save()
    _log_status(enrollment, before, by)
    return enrollment


@transaction.atomic
def complete_all_who_attended(*, cohort: Cohort, on=None, by) -> list:
    """Once a cohort has ended: record the completion of every active learner who attended at least one held
    session (present or late), each audited. Learners who never came stay active for staff to decide one by
    one. Returns the enrollments completed (none when everyone was already recorded)."""
    cohort = _locked_cohort(cohort.pk)
    if cohort.local_today() < cohort.end_date:
        raise CohortError(
            _("The cohort ends on %(date)s; completions are recorded for everyone once it has ended.")
            % {"date": date_format(cohort.end_date, "DATE_FORMAT")}
        )
    completed_on = _completion_date(cohort, on)
    attended = Attendance.objects.filter(
        session__cohort=cohort, status__in=[Attendance.Status.PRESENT, Attendance.Status.LATE]
    ).exclude(session__status=Session.Status.CANCELLED)
    enrollments = list(
        Enrollment.objects.select_for_update()
        .filter(cohort=cohort, status=Enrollment.Status.ACTIVE, pk__in=attended.values("enrollment_id"))
        .order_by("pk")
    )
    for enrollment in enrollments:
        enrollment.status = Enrollment.Status.COMPLETED
        enrollment.completed_on = completed_on
        enrollment.save(update_fields=["status", "completed_on", "updated_at"])
        _log_status(enrollment, Enrollment.Status.ACTIVE, by, all_who_attended=True)
    return enrollments


@transaction.atomic
def accept_offer(*, enrollment: Enrollment, by) -> Enrollment:
    cohort = _locked_cohort(enrollment.cohort_id)
    enrollment = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
    if enrollment.status != Enrollment.Status.OFFERED:
        raise CohortError(_("There is no seat on offer for you in this cohort."))
    if enrollment.offer_expires_at and enrollment.offer_expires_at < timezone.now():
        raise CohortError(_("This offer has expired. Please contact the program."))
    enrollment.status = Enrollment.Status.ACTIVE
    enrollment.enrolled_on = cohort.local_today()
    enrollment.offer_expires_at = None
    enrollment.save()
    _log_status(enrollment, Enrollment.Status.OFFERED, by)
    return enrollment


def expire_offers(*, now=None) -> int:
    """Offers past their deadline go back to the end of the waitlist; the seat moves on."""
    now = now or timezone.now()
    expired = 0
    cohort_ids = set(
        Enrollment.objects.filter(status=Enrollment.Status.OFFERED, offer_expires_at__lt=now).values_list(
            "cohort_id", flat=True
        )
    )
    for cohort_id in cohort_ids:
        with transaction.atomic():
            cohort = _locked_cohort(cohort_id)
            lapsed = []
            for enrollment in cohort.enrollments.select_for_update().filter(
                status=Enrollment.Status.OFFERED, offer_expires_at__lt=now
            ):
                lapsed.append(enrollment.pk)
                enrollment.status = Enrollment.Status.WAITLISTED
                enrollment.waitlisted_at = now
                enrollment.offer_expires_at = None
                enrollment.seat_notice_sent_at = None
                enrollment.save()
                _log_status(enrollment, Enrollment.Status.OFFERED, None, expired=True)
                expired += 1
            # The seat moves on; whoever just let it lapse is not offered it again at once.
            _fill_open_seats(cohort, None, now, passing_over=lapsed)
    return expired


# --- attendance -------------------------------------------------------------------


@dataclass(frozen=True)
class Mark:
    """One learner's line on a roster. `expected` is the status the instructor saw
    when the form was drawn: if someone else changed it since, the mark is held back."""

    enrollment_id: int
    status: str
    minutes_late: int | None = None
    note: str = ""
    expected: str | None = None


@dataclass
class RosterResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    conflicts: list = field(default_factory=list)  # enrollment ids held back

    @property
    def saved(self):
        return self.created + self.updated


NO_STATUS = ""
MARKABLE_ENROLLMENTS = (Enrollment.Status.ACTIVE, Enrollment.Status.COMPLETED, Enrollment.Status.WITHDRAWN)


def _validate_mark(mark, session, local_today):
    if mark.status not in Attendance.Status.values:
        raise CohortError(_("“%(status)s” is not an attendance status.") % {"status": mark.status})
    if mark.minutes_late is not None and mark.status != Attendance.Status.LATE:
        raise CohortError(_("Minutes late can only be given for someone marked late."))
    if mark.minutes_late is not None and not 0 < mark.minutes_late < 24 * 60:
        raise CohortError(_("Minutes late must be a number of minutes."))
    if session.date > local_today and mark.status != Attendance.Status.EXCUSED:
        raise CohortError(_("Attendance for a future session can only be “excused”."))


@transaction.atomic
def record_attendance(*, session: Session, marks, recorded_by, source=Attendance.Source.ROSTER) -> RosterResult:
    """Save a whole roster at once: one transaction, a constant number of queries.

    Queries: lock the session (1), the cohort's markable enrollments with this
    session's existing records (1), one upsert (batched by the database's
    parameter limit) and one audit entry.
    """
    # Lock only the session row (not the joined cohort): generate_sessions locks the
    # cohort and then sessions, so taking both here could deadlock with it.
    session = Session.objects.select_for_update(of=("self",)).select_related("cohort").get(pk=session.pk)
    if session.is_cancelled:
        raise CohortError(_("This session was cancelled; there is no attendance to take."))
    local_today = session.cohort.local_today()
    enrollments, existing = {}, {}  # existing: enrollment id -> (status, minutes_late, note) already recorded
    for enrollment in (
        Enrollment.objects.filter(cohort_id=session.cohort_id, status__in=MARKABLE_ENROLLMENTS)
        .annotate(here=FilteredRelation("attendance", condition=Q(attendance__session=session)))
        .annotate(
            current_status=F("here__status"),
            current_minutes_late=F("here__minutes_late"),
            current_note=F("here__note"),
        )
        .only("id", "learner_id", "status", "withdrawn_on", "enrolled_on")
        .order_by()
    ):
        enrollments[enrollment.pk] = enrollment
        if enrollment.current_status is not None:
            existing[enrollment.pk] = (
                enrollment.current_status,
                enrollment.current_minutes_late,
                enrollment.current_note,
            )
    result = RosterResult()
    now = timezone.now()
    to_write, changes = [], []
    seen = set()
    for mark in marks:
        if mark.enrollment_id in seen:
            raise CohortError(_("A learner appears twice on this roster."))
        seen.add(mark.enrollment_id)
        enrollment = enrollments.get(mark.enrollment_id)
        if enrollment is None:
            raise CohortError(_("Someone on this roster is not enrolled in the cohort."))
        if enrollment.status == Enrollment.Status.WITHDRAWN and (
            enrollment.withdrawn_on is None or enrollment.withdrawn_on <= session.date
        ):
            raise CohortError(_("A learner who had withdrawn by this date cannot be marked."))
        if enrollment.enrolled_on is not None and enrollment.enrolled_on > session.date:
            raise CohortError(_("A learner who enrolled after this session's date cannot be marked for it."))
        _validate_mark(mark, session, local_today)
        current = existing.get(mark.enrollment_id)
        current_status = current[0] if current else NO_STATUS
        minutes_late = mark.minutes_late if mark.status == Attendance.Status.LATE else None
        note = (mark.note or "").strip()
        if current == (mark.status, minutes_late, note):
            result.unchanged += 1
            continue
        if mark.expected is not None and mark.expected != current_status:
            result.conflicts.append(mark.enrollment_id)
            continue
        to_write.append(
            Attendance(
                session=session,
                enrollment_id=mark.enrollment_id,
                status=mark.status,
                minutes_late=minutes_late,
                note=note,
                source=source,
                recorded_by=recorded_by,
                recorded_at=now,
                created_at=now,
                updated_at=now,
            )
        )
        changes.append(
            {
                "enrollment": mark.enrollment_id,
                "learner": enrollment.learner_id,
                "from": current_status,
                "to": mark.status,
            }
        )
        if current:
            result.updated += 1
        else:
            result.created += 1
    if to_write:
        Attendance.objects.bulk_create(
            to_write,
            update_conflicts=True,
            unique_fields=["session", "enrollment"],
            update_fields=["status", "minutes_late", "note", "source", "recorded_by", "recorded_at", "updated_at"],
        )
        log(session, "cohorts.attendance.record", user=recorded_by, data={"source": source, "changes": changes})
        attendance_changed.send(
            sender=Session, session=session, enrollment_ids=[change["enrollment"] for change in changes]
        )
    return result


# --- self check-in ------------------------------------------------------------------

CHECK_IN_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"  # no 0/O, 1/I/L, 2/Z, 5/S, 8/B look-alikes
CHECK_IN_CODE_LENGTH = 6
CHECK_IN_OPENS_BEFORE = datetime.timedelta(minutes=15)
LATE_AFTER_MINUTES = 10  # a self check-in this long after the start is recorded as late


def check_in_window(session):
    return session.starts_at - CHECK_IN_OPENS_BEFORE, session.ends_at


@transaction.atomic
def issue_check_in_code(*, session: Session, by) -> Session:
    """Give the session a short code learners can type (or scan) while it meets."""
    session = Session.objects.select_for_update().select_related("cohort").get(pk=session.pk)
    if session.check_in_code:
        return session
    for _attempt in range(10):
        session.check_in_code = "".join(secrets.choice(CHECK_IN_ALPHABET) for _ in range(CHECK_IN_CODE_LENGTH))
        try:
            with transaction.atomic():
                session.save(update_fields=["check_in_code", "updated_at"])
            break
        except IntegrityError:
            continue
    log(session, "cohorts.session.check_in_code", user=by)
    return session


def normalize_check_in_code(code):
    return "".join(code.split()).replace("-", "").upper()


@transaction.atomic
def check_in(*, learner, code: str, now=None) -> Attendance:
    """A signed-in learner types the code shown in class and is marked present.

    Wrong or expired codes raise `CohortError` and record nothing. A status the
    instructor already recorded is never overwritten.
    """
    now = now or timezone.now()
    code = normalize_check_in_code(code)
    if len(code) != CHECK_IN_CODE_LENGTH:
        raise CohortError(_("Check-in codes have %(length)d letters and numbers.") % {"length": CHECK_IN_CODE_LENGTH})
    session = Session.objects.select_related("cohort").filter(check_in_code=code).first()
    enrollment = (
        Enrollment.objects.filter(learner=learner, cohort_id=session.cohort_id, status=Enrollment.Status.ACTIVE).first()
        if session
        else None
    )
    if session is None or enrollment is None:
        raise CohortError(_("That code is not right for any of your classes. Check it and try again."))
    if session.is_cancelled:
        raise CohortError(_("This session was cancelled."))
    opens, closes = check_in_window(session)
    if now < opens:
        raise CohortError(_("Check-in opens 15 minutes before class starts."))
    if now > closes:
        raise CohortError(_("Check-in for this session has closed. Ask your instructor to mark you."))
    existing = Attendance.objects.select_for_update().filter(session=session, enrollment=enrollment).first()
    if existing is not None:
        return existing
    minutes_after_start = int((now - session.starts_at).total_seconds() // 60)
    record_attendance(
        session=session,
        marks=[
            Mark(
                enrollment_id=enrollment.pk,
                status=Attendance.Status.LATE
                if minutes_after_start > LATE_AFTER_MINUTES
                else Attendance.Status.PRESENT,
                minutes_late=minutes_after_start if minutes_after_start > LATE_AFTER_MINUTES else None,
                expected=NO_STATUS,
            )
        ],
        recorded_by=learner.user,
        source=Attendance.Source.SELF_CHECK_IN,
    )
    return Attendance.objects.get(session=session, enrollment=enrollment)


# --- public waitlist sign-up ---------------------------------------------------------


class AlreadyListed(CohortError):
    """The person signing up is already on this cohort's list (matched by phone or email)."""


def _already_listed(cohort, phone, email):
    listed = cohort.enrollments.exclude(status=Enrollment.Status.WITHDRAWN).values_list(
        "learner__phone", "learner__email"
    )
    email = (email or "").strip().lower()
    return any(
        (email and email == (listed_email or "").lower()) or (phone and same_phone(phone, listed_phone))
        for listed_phone, listed_email in listed
    )


@transaction.atomic
def join_waitlist(
    *,
    cohort: Cohort,
    full_name: str,
    preferred_name: str = "",
    phone: str = "",
    email: str = "",
    preferred_language: str,
    consent_contact: bool,
) -> Enrollment:
    """Someone signs themselves up on the public site: a new learner record at the cohort's
    partner, always on the waitlist (staff admit people from it). Consent to keeping records
    is a condition of the form; the same phone or email on the list already is refused."""
    cohort = _locked_cohort(cohort.pk)
    if cohort.status not in (Cohort.Status.PLANNED, Cohort.Status.RUNNING) or cohort.end_date < cohort.local_today():
        raise CohortError(_("This cohort is not taking new names."))
    if _already_listed(cohort, phone, email):
        raise AlreadyListed(
            _(
                "You are already on the list for this cohort. The program will contact you; there is no need to sign up again."
            )
        )
    learner = Learner(
        partner=cohort.partner,
        full_name=full_name.strip(),
        preferred_name=preferred_name.strip(),
        phone=phone.strip(),
        email=email.strip(),
        preferred_language=preferred_language,
        consent_data=True,
        consent_contact=consent_contact,
        consent_recorded_at=timezone.now(),
    )
    learner.full_clean()
    learner.save()
    return enroll(learner=learner, cohort=cohort, by=None, waitlist_only=True)


@transaction.atomic
def enroll_new_learner(
    *,
    cohort: Cohort,
    full_name: str,
    name_latin: str = "",
    preferred_name: str = "",
    phone: str = "",
    email: str = "",
    preferred_language: str,
    consent_data: bool,
    consent_contact: bool = False,
    by,
) -> Enrollment:
    """Staff add someone the program does not know yet: a learner record at the cohort's partner, then `enroll`
    (a seat, or the end of the waitlist). One transaction: if the enrollment is refused, no learner is left behind."""
    if not consent_data:
        raise CohortError(
            _("A learner can only be added once they agree to the program keeping their records."),
            field="consent_data",
        )
    learner = Learner(
        partner=cohort.partner,
        full_name=full_name.strip(),
        name_latin=name_latin.strip(),
        preferred_name=preferred_name.strip(),
        phone=phone.strip(),
        email=email.strip(),
        preferred_language=preferred_language,
        consent_data=True,
        consent_contact=consent_contact,
        consent_recorded_at=timezone.now(),
    )
    learner.full_clean()
    learner.save()
    return enroll(learner=learner, cohort=cohort, by=by)


# --- calendar feeds -----------------------------------------------------------------


@transaction.atomic
def open_calendar_feed(*, learner=None, user=None, renew=False) -> CalendarFeed:
    """The person's working calendar link, or a new one (`renew`: a new one in any case, the old one stopped).
    Exactly one of learner / user.

    Only the token's digest is stored, so a new feed carries its token in `feed.token` for the caller to show
    once; a feed already working has `feed.token` None."""
    if (learner is None) == (user is None):
        raise ValueError("A calendar feed belongs to one learner or one user.")
    working = CalendarFeed.objects.select_for_update().filter(learner=learner, user=user, revoked_at__isnull=True)
    if renew:
        working.update(revoked_at=timezone.now())
    else:
        existing = working.first()
        if existing is not None:
            existing.token = None
            return existing
    token = CalendarFeed.new_token()
    feed = CalendarFeed.objects.create(token_hash=CalendarFeed.hash_token(token), learner=learner, user=user)
    feed.token = token
    return feed


def find_calendar_feed(token):
    """The working feed a calendar app presents `token` for, with its owner; None if unknown or stopped."""
    return (
        CalendarFeed.objects.select_related("user", "learner")
        .filter(token_hash=CalendarFeed.hash_token(token), revoked_at__isnull=True)
        .first()
    )


@transaction.atomic
def revoke_calendar_feeds(*, learner=None, user=None) -> int:
    """Stop the person's calendar links: calendars that subscribed to them stop updating."""
    if (learner is None) == (user is None):
        raise ValueError("A calendar feed belongs to one learner or one user.")
    return CalendarFeed.objects.filter(learner=learner, user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
