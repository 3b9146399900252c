"""The outcome figures: one function, `summary(user, filters)`, behind the dashboard, the funder report, the
exports and the JSON API, so they cannot disagree.

What each figure means (the same words appear on the dashboard):
- People served: different learners with a seat in a chosen cohort during the period — active, completed,
  or withdrawn after taking their seat. A learner in two cohorts is one person. Leaving the waitlist without
  ever taking a seat is not being served.
- Active / waiting: different learners whose enrollment is active now / who are on a waitlist or have a seat
  on offer, in the chosen cohorts.
- Sessions held: not cancelled, and started (in the cohort's own time zone) by now and within the period.
  Instruction hours are their wall-clock lengths; learner-hours are each session's length times the learners
  marked present or late there (minutes late are not deducted, as for credentials).
- Attendance rate: the program's reading of attendance (cohorts.attendance.PROGRAM_READING, the same as the
  cohort page, the learner's portal and credential eligibility): present and late over present, late and
  absent at held sessions that have started; excused and sessions not marked yet are left out of both sides.
  Added up here in SQL from per-session counts, by the reading's own lists of statuses.
- Percentages are rounded half up to one decimal (cohorts.attendance.percent, the one rounding).
- Retention after 4 weeks: of the enrollments whose first class day was at least 28 days ago (or before the
  period's end), the share that had not withdrawn within those 28 days. Counted per enrollment.
- Completion rate: completed over completed plus withdrawn (after taking a seat). Per enrollment.
- Completed with a certificate of completion: of the completed enrollments, those whose learner holds a valid
  certificate of a pathway that certifies completion, from that cohort; never more than "Completed".
- Credentials issued: valid (not revoked) certificates issued in the period.
- Milestones: verified achievements dated in the period, by type, with the amounts recorded (SEED grants).
- Bonuses: monthly bonuses for months in the period, approved (not yet paid) and paid, as counts and dollars.
  "Approved, awaiting payment" is what the payment file pays (incentives.models.AWAITING_PAYMENT): an approved
  bonus later flagged for adjustment is held back and counted apart until resolved; a paid one stays paid.

Scope: a program manager's figures cover every partner, partner staff's only their own partner — enforced
here through people.access, whatever the filters say. The cohort-level filters (program, course, cohort,
term, language) reach milestones and bonuses through the learners served by the chosen cohorts, and
credentials through their cohort.

Queries: the same fixed number whatever the filters and however much data (the filter choices, then one
query per figure group); attendance is read from per-session counts (outcomes.models), never mark by mark.
Where one pass must add up the same rows several ways (by cohort and by week; by partner and overall), the
ORM writes which rows count and a short SELECT with GROUPING SETS adds them up (_grouped).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import (
    BooleanField,
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from cohorts.attendance import ABSENT, EXCUSED, LATE, PRESENT, PROGRAM_READING, percent, tally_of_counts
from cohorts.models import Cohort, Enrollment, Session
from courses.models import Track
from incentives.models import (
    AWAITING_PAYMENT,
    HELD_FOR_ADJUSTMENT,
    PAID_OUT,
    MilestoneAchievement,
    MilestoneType,
    MonthlyBonus,
)
from people.access import can_configure_cohorts, limit_to_managed_partners

from .expressions import PlusDays, SessionMinutes
from .filters import COHORT_FILTERS, OutcomeFilterSet, opening_on_data

RETENTION_DAYS = 28


class InvalidFilters(ValueError):
    """Filters that do not validate; `errors` maps each field to its messages (in the active language)."""

    def __init__(self, errors):
        self.errors = {name: [str(message) for message in messages] for name, messages in errors.items()}
        super().__init__(self.errors)


def may_see_outcomes(user):
    """Program managers (every partner) and partner staff (their own). Instructors and learners do not:
    the same people who configure cohorts, so the rule lives in people.access."""
    return can_configure_cohorts(user)


# --- the figures -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rate:
    """A share with what it is made of, so a page can say "87% (261 of 300)"."""

    part: int
    whole: int

    @property
    def percent(self):
        return percent(self.part, self.whole, places=1)


@dataclass
class Attendance:
    sessions: int = 0
    minutes: int = 0
    present: int = 0
    late: int = 0
    excused: int = 0
    absent: int = 0
    learner_minutes: int = 0

    def add(self, other):
        self.sessions += other.sessions
        self.minutes += other.minutes
        self.present += other.present
        self.late += other.late
        self.excused += other.excused
        self.absent += other.absent
        self.learner_minutes += other.learner_minutes

    @property
    def hours(self):
        return _hours(self.minutes)

    @property
    def learner_hours(self):
        return _hours(self.learner_minutes)

    @property
    def tally(self):
        """These marks under the program's reading."""
        counts = {PRESENT: self.present, LATE: self.late, EXCUSED: self.excused, ABSENT: self.absent}
        return tally_of_counts(counts, PROGRAM_READING)

    @property
    def rate(self):
        tally = self.tally
        return Rate(tally.attended, tally.counted)


@dataclass
class Enrollments:
    """Per-enrollment counts (a learner in two cohorts counts twice here)."""

    signed_up: int = 0
    served: int = 0
    active: int = 0
    waiting: int = 0
    completed: int = 0
    # Of those completed, the enrollments whose learner holds a valid certificate of completion for that very
    # cohort: counted over the same enrollments as `completed`, so it can never exceed it (issue 13).
    completed_with_certificate: int = 0
    withdrawn: int = 0
    retention_base: int = 0
    retained: int = 0

    def add(self, other):
        self.signed_up += other.signed_up
        self.served += other.served
        self.active += other.active
        self.waiting += other.waiting
        self.completed += other.completed
        self.completed_with_certificate += other.completed_with_certificate
        self.withdrawn += other.withdrawn
        self.retention_base += other.retention_base
        self.retained += other.retained

    @property
    def completion(self):
        return Rate(self.completed, self.completed + self.withdrawn)

    @property
    def retention(self):
        return Rate(self.retained, self.retention_base)


@dataclass
class CohortRow:
    id: int
    name: str
    term: str
    partner: str
    course: str
    track: str
    track_label: str
    start_date: datetime.date
    end_date: datetime.date
    status: str
    status_label: str
    partner_id: int = 0
    time_zone: str = ""
    enrollments: Enrollments = field(default_factory=Enrollments)
    attendance: Attendance = field(default_factory=Attendance)


@dataclass
class GroupRow:
    """A program (track) or partner: different learners served, and the sums of its cohorts."""

    key: str
    label: str
    people_served: int = 0
    enrollments: Enrollments = field(default_factory=Enrollments)
    attendance: Attendance = field(default_factory=Attendance)


@dataclass(frozen=True)
class WeekRow:
    week: datetime.date  # its Monday
    attendance: Attendance


@dataclass(frozen=True)
class MonthRow:
    month: datetime.date  # its first day
    credentials: int
    milestones: int


@dataclass(frozen=True)
class MilestoneRow:
    slug: str
    name: str
    track: str
    count: int
    amount: Decimal
    carries_amount: bool


@dataclass(frozen=True)
class Money:
    count: int = 0
    amount: Decimal = Decimal("0.00")


@dataclass
class Summary:
    period_start: datetime.date | None
    period_end: datetime.date | None
    filters: dict
    people_served: int = 0
    active: int = 0
    waiting: int = 0
    enrollments: Enrollments = field(default_factory=Enrollments)
    attendance: Attendance = field(default_factory=Attendance)
    credentials_issued: int | None = None  # None when the credentials app is not installed
    milestones: list = field(default_factory=list)  # MilestoneRow, every type
    bonuses_approved: Money = field(default_factory=Money)  # approved, not yet paid: the payment file's rows
    bonuses_held: Money = field(default_factory=Money)  # approved, then flagged for an adjustment review
    bonuses_paid: Money = field(default_factory=Money)
    cohorts: list = field(default_factory=list)  # CohortRow
    by_track: list = field(default_factory=list)  # GroupRow
    by_partner: list = field(default_factory=list)  # GroupRow
    weeks: list = field(default_factory=list)  # WeekRow, every week of the period up to now
    months: list = field(default_factory=list)  # MonthRow, every month of the period up to now

    @property
    def milestones_reached(self):
        return sum(row.count for row in self.milestones)

    @property
    def grant_dollars(self):
        """Dollars recorded on milestones that carry an amount (the state SEED grants awarded)."""
        return sum((row.amount for row in self.milestones if row.carries_amount), Decimal("0.00"))

    @property
    def bonuses_decided(self):
        return Money(
            self.bonuses_approved.count + self.bonuses_held.count + self.bonuses_paid.count,
            self.bonuses_approved.amount + self.bonuses_held.amount + self.bonuses_paid.amount,
        )

    def to_dict(self):
        """JSON-ready: ints, strings for dates, decimals as strings ("1200.00"), percentages as strings or null."""
        return _plain(
            {
                "period": {"start": self.period_start, "end": self.period_end},
                "filters": {name: value for name, value in self.filters.items() if name not in ("start", "end")},
                "people_served": self.people_served,
                "active": self.active,
                "waiting": self.waiting,
                "sessions_held": self.attendance.sessions,
                "instruction_hours": self.attendance.hours,
                "learner_hours": self.attendance.learner_hours,
                "attendance_rate": _rate_dict(self.attendance.rate),
                "retention_4_weeks": _rate_dict(self.enrollments.retention),
                "completion_rate": _rate_dict(self.enrollments.completion),
                "enrollments": vars(self.enrollments),
                "credentials_issued": self.credentials_issued,
                "milestones": [vars(row) for row in self.milestones],
                "milestones_reached": self.milestones_reached,
                "grant_dollars": self.grant_dollars,
                "bonuses": {
                    "approved": vars(self.bonuses_approved),
                    "held_for_adjustment": vars(self.bonuses_held),
                    "paid": vars(self.bonuses_paid),
                },
                "cohorts": [
                    {
                        "id": row.id,
                        "name": row.name,
                        "term": row.term,
                        "partner": row.partner,
                        "course": row.course,
                        "track": row.track,
                        "start_date": row.start_date,
                        "end_date": row.end_date,
                        "status": row.status,
                        **_group_dict(row),
                    }
                    for row in self.cohorts
                ],
                "by_track": [
                    {"track": row.key, "people_served": row.people_served, **_group_dict(row)} for row in self.by_track
                ],
                "by_partner": [
                    {"partner": row.label, "people_served": row.people_served, **_group_dict(row)}
                    for row in self.by_partner
                ],
                "weekly_attendance": [
                    {
                        "week": row.week,
                        "sessions_held": row.attendance.sessions,
                        "attendance_rate": _rate_dict(row.attendance.rate),
                        "learner_hours": row.attendance.learner_hours,
                    }
                    for row in self.weeks
                ],
                "funnel": {
                    "signed_up": self.enrollments.signed_up,
                    "took_a_seat": self.enrollments.served,
                    "completed": self.enrollments.completed,
                },
                "per_month": [
                    {"month": row.month.strftime("%Y-%m"), "credentials": row.credentials, "milestones": row.milestones}
                    for row in self.months
                ],
            }
        )


def _rate_dict(rate):
    return {"part": rate.part, "whole": rate.whole, "percent": rate.percent}


def _group_dict(row):
    return {
        "enrollments": vars(row.enrollments),
        "sessions_held": row.attendance.sessions,
        "instruction_hours": row.attendance.hours,
        "learner_hours": row.attendance.learner_hours,
        "attendance_rate": _rate_dict(row.attendance.rate),
        "retention_4_weeks": _rate_dict(row.enrollments.retention),
        "completion_rate": _rate_dict(row.enrollments.completion),
    }


def _plain(value):
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _hours(minutes):
    return (Decimal(minutes or 0) / Decimal(60)).quantize(Decimal("0.01"))


# --- building them -----------------------------------------------------------------------------------------


def filter_set(user, data=None, *, today=None, default_period=opening_on_data):
    """The filter form for `user` (its choices scoped to what they may see), bound to `data`."""
    return OutcomeFilterSet(data, user=user, today=today or timezone.localdate(), default_period=default_period)


def summary(user, filters=None, *, now=None, default_period=opening_on_data):
    """Every headline figure, table and series for `user`, under `filters`.

    `filters` is query-string data (a QueryDict or a dict: partner, track, course, cohort, term, language,
    start, end) or an OutcomeFilterSet already built for this user. Raises PermissionDenied for someone who
    may not see outcomes and InvalidFilters when the filters do not validate.
    """
    if not may_see_outcomes(user):
        raise PermissionDenied
    now = now or timezone.now()
    if isinstance(filters, OutcomeFilterSet):
        filterset = filters
    else:
        filterset = filter_set(user, filters, today=timezone.localdate(now), default_period=default_period)
    if not filterset.is_valid():
        raise InvalidFilters(filterset.errors)
    chosen = filterset.values
    start, end = chosen["start"], chosen["end"]
    result = Summary(period_start=start, period_end=end, filters=chosen)

    # The chosen cohorts, always inside the user's scope (the filter set's queryset is scoped, and so is this).
    cohorts = limit_to_managed_partners(user, filterset.qs)
    cohort_ids = cohorts.values("pk")
    cohort_rows = _cohort_rows(cohorts)
    result.cohorts = list(cohort_rows.values())

    enrollments = _enrollments_in_period(cohort_ids, start, end)
    _enrollments_by_cohort(cohort_rows, enrollments, start, end, now)
    sessions = _held_sessions(cohort_ids, {row.time_zone for row in cohort_rows.values()}, start, end, now)
    result.weeks = _attendance(cohort_rows, sessions, start, end, now)
    for row in cohort_rows.values():
        result.enrollments.add(row.enrollments)
        result.attendance.add(row.attendance)
    _learners(result, cohort_rows, enrollments)

    # Figures about learners rather than cohorts follow the learners served by the chosen cohorts, but only
    # when a cohort-level filter narrows the choice (else a milestone reached outside any class still counts).
    narrowed = any(chosen[name] is not None for name in COHORT_FILTERS)
    learners = enrollments.filter(_SERVED).values("learner_id") if narrowed else None
    credentials_by_month = _credentials(result, user, chosen, cohort_ids, learners)
    milestones_by_month = _milestones(result, user, chosen, learners)
    _bonuses(result, user, chosen, learners)
    result.months = _months(credentials_by_month, milestones_by_month, start, end, now)
    return result


_SERVED = Q(status__in=[Enrollment.Status.ACTIVE, Enrollment.Status.COMPLETED]) | Q(
    status=Enrollment.Status.WITHDRAWN, enrolled_on__isnull=False
)
_WAITING = Q(status__in=[Enrollment.Status.WAITLISTED, Enrollment.Status.OFFERED])
_WITHDREW_AFTER_SEAT = Q(status=Enrollment.Status.WITHDRAWN, enrolled_on__isnull=False)


def _cohort_rows(cohorts):
    """Query 1: the chosen cohorts, newest first, with what the table shows about each."""
    tracks = {key: str(label) for key, label in Track.choices}  # translated once, not once per cohort
    statuses = {key: str(label) for key, label in Cohort.Status.choices}
    rows = {}
    for values in (
        cohorts.order_by("-start_date", "name", "pk")
        .values(
            "pk",
            "name",
            "term",
            "partner_id",
            "partner__name",
            "course__title",
            "course__track",
            "start_date",
            "end_date",
            "status",
            "time_zone",
        )
        .distinct()
    ):
        row = CohortRow(
            id=values["pk"],
            name=values["name"],
            term=values["term"],
            partner=values["partner__name"],
            course=values["course__title"],
            track=values["course__track"],
            track_label=tracks.get(values["course__track"], ""),
            start_date=values["start_date"],
            end_date=values["end_date"],
            status=values["status"],
            status_label=statuses.get(values["status"], values["status"]),
            partner_id=values["partner_id"],
            time_zone=values["time_zone"],
        )
        rows[row.id] = row
    return rows


def _first_day():
    """The enrollment's first class day: when they took their seat, but not before the cohort began."""
    return Greatest(Coalesce("enrolled_on", "cohort__start_date"), "cohort__start_date")


def _enrollments_in_period(cohort_ids, start, end):
    """Enrollments in the chosen cohorts whose time in the cohort overlaps the period."""
    enrollments = Enrollment.objects.filter(cohort_id__in=cohort_ids).annotate(first_day=_first_day())
    if end is not None:
        enrollments = enrollments.filter(first_day__lte=end)
    if start is not None:
        enrollments = enrollments.annotate(
            last_day=Coalesce("withdrawn_on", "completed_on", "cohort__end_date")
        ).filter(last_day__gte=start)
    return enrollments


def _learners(result, cohort_rows, enrollments):
    """Query 2: different learners served, active and waiting — overall and per partner — and served per
    program, in one pass over the enrollments (a learner in two cohorts counts once in each count).

    Grouped by partner and overall at once (grouping sets, _grouped), with one COUNT(DISTINCT) filtered to each
    program: together they sort about as many learners as one grouped count would, without reading the
    enrollments again for each grouping. Measured on PostgreSQL with the statewide seed (17 partners): a
    COUNT(DISTINCT) filtered to each partner instead was a third slower; folding the enrollments to one row per
    learner first, or reading a CTE three ways, slower still; and as ORM aggregates, resolving two dozen filters
    through the joins took Python longer than the database took to count."""
    tracks = sorted({row.track for row in cohort_rows.values()})
    projection = enrollments.annotate(
        person=F("learner_id"),
        program=F("cohort__course__track"),
        organization=F("cohort__partner_id"),
        took_seat=ExpressionWrapper(_SERVED, output_field=BooleanField()),
        attending=ExpressionWrapper(Q(status=Enrollment.Status.ACTIVE), output_field=BooleanField()),
        waiting_now=ExpressionWrapper(_WAITING, output_field=BooleanField()),
    ).values("person", "program", "organization", "took_seat", "attending", "waiting_now")
    person, program, took_seat, attending, waiting_now = map(
        connection.ops.quote_name, ("person", "program", "took_seat", "attending", "waiting_now")
    )
    people = f"COUNT(DISTINCT {person}) FILTER (WHERE {{}})"
    counts = [people.format(took_seat), people.format(attending), people.format(waiting_now)]
    counts += [people.format(f"{program} = %s AND {took_seat}")] * len(tracks)
    served_by_track, served_by_partner = {}, {}
    for partner_id, served, active, waiting, *in_tracks in _grouped(
        projection, ["organization"], [("organization",), ()], ", ".join(counts), tracks
    ):
        if partner_id is not None:
            served_by_partner[partner_id] = served
        else:
            result.people_served, result.active, result.waiting = served, active, waiting
            served_by_track = dict(zip(tracks, in_tracks, strict=True))
    result.by_track = _groups(cohort_rows, "track", served_by_track, labels=dict(Track.choices))
    result.by_partner = _groups(cohort_rows, "partner_id", served_by_partner)


def _grouped(projection, keys, grouping_sets, aggregates, params=()):
    """Rows of `aggregates` over the rows of the ORM `projection`, once per grouping set: each row is the keys
    (None for those outside its set; the keys themselves are never null) and then the aggregates, whose
    placeholders `params` fill.

    The ORM says which rows count and what each brings (scope, filters, period, joins); this adds them up in a
    way the ORM cannot say. PostgreSQL does every set in one pass (GROUPING SETS) and folds the projection into
    the query, so the plan is the one an ORM query would get; elsewhere (SQLite, which has no grouping sets)
    it is a UNION ALL of one grouped SELECT per set, reading the rows once per set."""
    quote = connection.ops.quote_name
    inner, inner_params = projection.order_by().query.sql_with_params()
    source = f"FROM ({inner}) {quote('projected')}"

    def group_by(grouping_set):
        return "(" + ", ".join(quote(key) for key in grouping_set) + ")"

    if connection.vendor == "postgresql":
        statement = (
            f"SELECT {', '.join(map(quote, keys))}, {aggregates} {source} "
            f"GROUP BY GROUPING SETS ({', '.join(map(group_by, grouping_sets))})"
        )
        arguments = [*params, *inner_params]
    else:
        statement = " UNION ALL ".join(
            f"SELECT {', '.join(quote(key) if key in grouping_set else 'NULL' for key in keys)}, {aggregates} "
            f"{source}{' GROUP BY ' + group_by(grouping_set) if grouping_set else ''}"
            for grouping_set in grouping_sets
        )
        arguments = [*params, *inner_params] * len(grouping_sets)
    with connection.cursor() as cursor:
        cursor.execute(statement, arguments)
        return cursor.fetchall()


def _retention_cutoff(end, now):
    """Enrollments whose first day is on or before this have had their four weeks (by now, or by the period's end)."""
    as_of = timezone.localdate(now)
    if end is not None and end < as_of:
        as_of = end
    return as_of - datetime.timedelta(days=RETENTION_DAYS)


def _enrollments_by_cohort(cohort_rows, enrollments, start, end, now):
    """Query 3: per cohort, enrollments by where they stand, and four-week retention."""
    had_four_weeks = _SERVED & Q(first_day__lte=_retention_cutoff(end, now))
    left_early = Q(status=Enrollment.Status.WITHDRAWN, withdrawn_on__lt=F("fourth_week_over"))
    for values in (
        enrollments.annotate(fourth_week_over=PlusDays(F("first_day"), RETENTION_DAYS))
        .values("cohort_id")
        .annotate(
            signed_up=Count("pk"),
            served=Count("pk", filter=_SERVED),
            active=Count("pk", filter=Q(status=Enrollment.Status.ACTIVE)),
            waiting=Count("pk", filter=_WAITING),
            completed=Count("pk", filter=Q(status=Enrollment.Status.COMPLETED)),
            completed_with_certificate=Count("pk", filter=Q(status=Enrollment.Status.COMPLETED) & _certified()),
            withdrawn=Count("pk", filter=_WITHDREW_AFTER_SEAT),
            retention_base=Count("pk", filter=had_four_weeks),
            retained=Count("pk", filter=had_four_weeks & ~left_early),
        )
        .order_by()
    ):
        row = cohort_rows.get(values.pop("cohort_id"))
        if row is not None:
            row.enrollments = Enrollments(**values)


def _certified():
    """The enrollment's learner holds a valid certificate of completion from its cohort (a subquery of query 3,
    not a query of its own). Nothing when the credentials app is not installed."""
    if not apps.is_installed("credentials"):
        return Q(pk__in=[])
    Credential = apps.get_model("credentials", "Credential")
    return Exists(
        Credential.objects.filter(
            status=Credential.Status.ISSUED,
            pathway__certifies="completion",
            learner_id=OuterRef("learner_id"),
            cohort_id=OuterRef("cohort_id"),
        )
    )


def _held_sessions(cohort_ids, time_zones, start, end, now):
    """Sessions of the chosen cohorts that were not cancelled and have started (each cohort's own clock).

    A session dated before today in every chosen time zone has started wherever it met: that cheap test
    settles nearly every row, and only the last day or two are checked zone by zone."""
    local_nows = {zone: now.astimezone(ZoneInfo(zone)) for zone in sorted(time_zones)}
    if local_nows:
        started = Q(date__lt=min(local.date() for local in local_nows.values()))
        for zone, local in local_nows.items():
            started |= Q(cohort__time_zone=zone) & (
                Q(date__lt=local.date()) | Q(date=local.date(), start_time__lte=local.time())
            )
    else:
        started = Q(date__lt=timezone.localdate(now))  # no cohorts: any condition, the query finds nothing
    sessions = Session.objects.held().filter(cohort_id__in=cohort_ids).filter(started)
    if start is not None:
        sessions = sessions.filter(date__gte=start)
    if end is not None:
        sessions = sessions.filter(date__lte=end)
    return sessions


def _attendance(cohort_rows, sessions, start, end, now):
    """Query 4: sessions held, their hours and the marks at them (from the per-session counts), per cohort and
    per week (Monday to Sunday); then every week of the period up to now, empty ones included.

    One pass over the sessions, grouped by cohort and by day at once (_grouped), the days added up into weeks
    here: two grouped queries read the sessions, their counts and their cohorts twice; one by cohort and week
    left thousands of rows for Python to add up; and truncating each session's date to its week in SQL cost
    the database more than adding a few hundred days' sums into weeks costs Python."""
    per_session = sessions.annotate(
        held_cohort=F("cohort_id"),
        held_on=F("date"),
        length=SessionMinutes(),
        marked_present=Coalesce("attendance_count__present", 0),
        marked_late=Coalesce("attendance_count__late", 0),
        marked_excused=Coalesce("attendance_count__excused", 0),
        marked_absent=Coalesce("attendance_count__absent", 0),
    ).values("held_cohort", "held_on", "length", "marked_present", "marked_late", "marked_excused", "marked_absent")
    length, present, late, excused, absent = map(
        connection.ops.quote_name, ("length", "marked_present", "marked_late", "marked_excused", "marked_absent")
    )
    # Learner-hours are the session's length for every learner who attended, as the program reads it.
    attended = " + ".join(connection.ops.quote_name(f"marked_{status}") for status in PROGRAM_READING.attended_statuses)
    found = defaultdict(Attendance)
    for cohort_id, held_on, *sums in _grouped(
        per_session,
        ["held_cohort", "held_on"],
        [("held_cohort",), ("held_on",)],
        f"COUNT(*), SUM({length}), SUM({present}), SUM({late}), SUM({excused}), SUM({absent}), "
        f"SUM({length} * ({attended}))",
    ):
        attendance = Attendance(*(int(value) for value in sums))
        if cohort_id is not None:
            if cohort_id in cohort_rows:
                cohort_rows[cohort_id].attendance = attendance
        else:
            held_on = _as_date(held_on)
            found[held_on - datetime.timedelta(days=held_on.weekday())].add(attendance)
    today = timezone.localdate(now)
    last = min(end, today) if end else today
    first = start if start else (min(found) if found else last)
    week_of = first - datetime.timedelta(days=first.weekday())
    weeks = []
    while week_of <= last:
        weeks.append(WeekRow(week=week_of, attendance=found.get(week_of, Attendance())))
        week_of += datetime.timedelta(weeks=1)
    return weeks


def _groups(cohort_rows, row_key, served, *, labels=None):
    """Programs or partners: their different learners served, and their cohorts' sums added up."""
    groups = {}
    for row in cohort_rows.values():
        key = getattr(row, row_key)
        group = groups.get(key)
        if group is None:
            label = labels.get(key, key) if labels is not None else row.partner
            group = groups[key] = GroupRow(key=str(key), label=str(label), people_served=served.get(key, 0))
        group.enrollments.add(row.enrollments)
        group.attendance.add(row.attendance)
    if labels is not None:
        order = list(labels)
        return sorted(groups.values(), key=lambda group: order.index(group.key) if group.key in order else len(order))
    return sorted(groups.values(), key=lambda group: group.label.casefold())


def _credentials(result, user, chosen, cohort_ids, learners):
    """Query 5: valid credentials issued in the period, per month."""
    if not apps.is_installed("credentials"):
        return {}
    Credential = apps.get_model("credentials", "Credential")
    credentials = limit_to_managed_partners(user, Credential.objects.filter(status=Credential.Status.ISSUED))
    if chosen["partner"] is not None:
        credentials = credentials.filter(partner_id=chosen["partner"])
    if learners is not None:
        credentials = credentials.filter(Q(cohort_id__in=cohort_ids) | Q(cohort__isnull=True, learner_id__in=learners))
    credentials = _in_period(credentials, "issued_on", chosen["start"], chosen["end"])
    per_month = _per_month(credentials, "issued_on")
    result.credentials_issued = sum(per_month.values())
    return per_month


def _milestone_achievements(user, chosen, learners):
    achievements = limit_to_managed_partners(
        user,
        MilestoneAchievement.objects.filter(status=MilestoneAchievement.Status.VERIFIED),
        partner_field="learner__partner",
    )
    if chosen["partner"] is not None:
        achievements = achievements.filter(learner__partner_id=chosen["partner"])
    if learners is not None:
        achievements = achievements.filter(learner_id__in=learners)
    return _in_period(achievements, "achieved_on", chosen["start"], chosen["end"])


def _milestones(result, user, chosen, learners):
    """Queries 6 and 7: every milestone type with the verified achievements (and amounts) in the period; and
    the achievements per month."""
    achievements = _milestone_achievements(user, chosen, learners)
    reached = Q(achievements__in=achievements.values("pk"))
    result.milestones = [
        MilestoneRow(
            slug=values["slug"],
            name=values["name"],
            track=values["track"],
            count=values["count"],
            amount=Decimal(values["amount"]).quantize(Decimal("0.01")),
            carries_amount=values["carries_amount"],
        )
        for values in MilestoneType.objects.order_by("track", "sort_order", "name")
        .annotate(
            count=Count("achievements", filter=reached),
            amount=Coalesce(
                Sum("achievements__amount", filter=reached), Value(Decimal("0")), output_field=DecimalField()
            ),
        )
        .values("slug", "name", "track", "carries_amount", "count", "amount")
    ]
    return _per_month(achievements, "achieved_on")


def _per_month(queryset, date_field):
    """{first of the month: how many} of `queryset`, by its `date_field`: counted per day by the database and
    added up into months here, which costs less than truncating every row's date to its month in SQL."""
    per_month = defaultdict(int)
    for day, count in queryset.values_list(date_field).annotate(count=Count("pk")).order_by():
        per_month[day.replace(day=1)] += count
    return dict(per_month)


def _bonuses(result, user, chosen, learners):
    """Query 8: bonuses for months in the period, as decided: approved (awaiting payment), held for an
    adjustment review, and paid — by the ledger's own definitions (incentives.models), so the approved
    dollars here are the payment file's."""
    bonuses = limit_to_managed_partners(
        user, MonthlyBonus.objects.filter(AWAITING_PAYMENT | HELD_FOR_ADJUSTMENT | PAID_OUT)
    )
    if chosen["partner"] is not None:
        bonuses = bonuses.filter(partner_id=chosen["partner"])
    if learners is not None:
        bonuses = bonuses.filter(learner_id__in=learners)
    if chosen["start"] is not None:
        bonuses = bonuses.filter(month__gte=chosen["start"].replace(day=1))
    if chosen["end"] is not None:
        bonuses = bonuses.filter(month__lte=chosen["end"])
    # Filtered aggregates rather than grouped by both columns: PostgreSQL adds up the year's tens of
    # thousands of bonuses faster without a hash table of (status, decision) pairs.
    sums = bonuses.aggregate(
        approved=Count("pk", filter=AWAITING_PAYMENT),
        approved_amount=Sum("amount", filter=AWAITING_PAYMENT),
        held=Count("pk", filter=HELD_FOR_ADJUSTMENT),
        held_amount=Sum("amount", filter=HELD_FOR_ADJUSTMENT),
        paid=Count("pk", filter=PAID_OUT),
        paid_amount=Sum("amount", filter=PAID_OUT),
    )
    result.bonuses_approved = Money(sums["approved"], _dollars(sums["approved_amount"]))
    result.bonuses_held = Money(sums["held"], _dollars(sums["held_amount"]))
    result.bonuses_paid = Money(sums["paid"], _dollars(sums["paid_amount"]))


def _dollars(amount):
    return Decimal("0.00") if amount is None else amount


def _in_period(queryset, field_name, start, end):
    if start is not None:
        queryset = queryset.filter(**{f"{field_name}__gte": start})
    if end is not None:
        queryset = queryset.filter(**{f"{field_name}__lte": end})
    return queryset


def _as_date(value):
    """A date, whichever way the database returned it: a datetime from DATE_TRUNC, text from raw SQL on SQLite."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, str):
        return datetime.date.fromisoformat(value[:10])
    return value


def _months(credentials, milestones, start, end, now):
    """Every month of the period up to now (or from the first one with something in it)."""
    today = timezone.localdate(now)
    last = (min(end, today) if end else today).replace(day=1)
    found = sorted(set(credentials) | set(milestones))
    first = start.replace(day=1) if start else (found[0] if found else last)
    months, month = [], first
    while month <= last:
        months.append(MonthRow(month=month, credentials=credentials.get(month, 0), milestones=milestones.get(month, 0)))
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months
