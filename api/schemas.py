"""What the API sends and accepts. Outgoing shapes carry only what a client needs: a learner is a name,
a language and a partner — never contact details, consent records or anything about immigration."""

import datetime
import re
from typing import Annotated, Literal

from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import AfterValidator, BeforeValidator, ConfigDict

from cohorts.models import Attendance

MAX_ID = 2**63 - 1  # a database id (bigint); larger numbers are refused before any query

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
AttendanceStatus = Literal["present", "late", "excused", "absent"]
assert set(AttendanceStatus.__args__) == set(Attendance.Status.values)  # noqa: S101 - the API speaks the model's words
MONTH_PATTERN = r"^[0-9]{4}-(0[1-9]|1[0-2])$"


def no_null_characters(value: str) -> str:
    if "\x00" in value:
        raise ValueError(_("Null characters are not allowed."))
    return value


Text = Annotated[str, AfterValidator(no_null_characters)]

_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def iso_date_only(value):
    """Dates as YYYY-MM-DD only: pydantic would also read "0" as 1 January 1970."""
    if isinstance(value, datetime.date) or (isinstance(value, str) and _ISO_DATE.match(value)):
        return value
    raise ValueError(_("Enter a valid date.") + " " + _("Use the form YYYY-MM-DD."))


IsoDate = Annotated[datetime.date, BeforeValidator(iso_date_only)]


# --- references --------------------------------------------------------------------------------------


class PartnerRef(Schema):
    id: int
    name: str


class CourseRef(Schema):
    id: int
    title: str
    track: str


class LearnerRef(Schema):
    id: int
    full_name: str = Field(description="As it is printed on certificates, in the learner's own script.")
    display_name: str = Field(description="The name used in class.")


# --- cohorts and sessions ---------------------------------------------------------------------------


def local_time(value):
    return f"{value:%H:%M}"


LocalTime = Annotated[str, Field(pattern=r"^[0-2][0-9]:[0-5][0-9]$", description="HH:MM, the cohort's local time.")]


class MeetingTimeOut(Schema):
    weekday: int = Field(description="0 = Monday … 6 = Sunday")
    start_time: LocalTime
    end_time: LocalTime

    @staticmethod
    def resolve_start_time(meeting):
        return local_time(meeting.start_time)

    @staticmethod
    def resolve_end_time(meeting):
        return local_time(meeting.end_time)


class CohortOut(Schema):
    id: int
    name: str
    term: str
    status: str
    partner: PartnerRef
    course: CourseRef
    start_date: datetime.date
    end_date: datetime.date
    time_zone: str
    delivery: str
    location: str
    meeting_link: str
    capacity: int
    languages: list[str] = Field(description="Codes of the languages of instruction.")

    @staticmethod
    def resolve_languages(cohort):
        return [language.code for language in cohort.languages.all()]


class CohortDetailOut(CohortOut):
    meeting_times: list[MeetingTimeOut]

    @staticmethod
    def resolve_meeting_times(cohort):
        return list(cohort.meeting_times.all())


class SessionOut(Schema):
    id: int
    cohort_id: int
    date: datetime.date = Field(description="In the cohort's time zone.")
    start_time: LocalTime
    end_time: LocalTime
    hours: str = Field(description="Length in hours, as a decimal string (for example “2.00”).")
    topic: str
    status: str
    cancellation_reason: str

    @staticmethod
    def resolve_hours(session):
        return str(session.hours)

    @staticmethod
    def resolve_start_time(session):
        return local_time(session.start_time)

    @staticmethod
    def resolve_end_time(session):
        return local_time(session.end_time)


# --- a session's roster and attendance --------------------------------------------------------------------


class MarkOut(Schema):
    status: AttendanceStatus
    minutes_late: int | None
    note: str


class RosterRowOut(Schema):
    enrollment_id: int
    learner: LearnerRef
    enrollment_status: str
    attendance: MarkOut | None = Field(description="This session's mark so far; null when not marked.")


class RosterOut(Schema):
    session: SessionOut
    allowed_statuses: list[AttendanceStatus] = Field(
        description="A session that has not happened yet can only excuse people."
    )
    rows: list[RosterRowOut]


class MarkIn(Schema):
    model_config = ConfigDict(extra="forbid")

    enrollment_id: Id
    status: AttendanceStatus
    minutes_late: Annotated[int, Field(ge=1, le=24 * 60 - 1)] | None = Field(
        None, description="Only for someone marked late."
    )
    note: Annotated[Text, Field(max_length=255)] = ""
    expected: AttendanceStatus | Literal[""] | None = Field(
        None,
        description=(
            'The status you last saw for this learner ("" for not marked). If someone changed it since, '
            "this mark is held back and reported as a conflict. Leave it out to overwrite."
        ),
    )


class AttendanceIn(Schema):
    model_config = ConfigDict(extra="forbid")

    marks: Annotated[list[MarkIn], Field(min_length=1, max_length=1000)]


class MarkResultOut(Schema):
    enrollment_id: int
    learner_id: int
    outcome: Literal["created", "updated", "unchanged", "conflict"]
    attendance: MarkOut | None = Field(description="What is recorded now.")
    message: str = Field("", description="For a conflict: what happened, in the request's language.")


class AttendanceResultOut(Schema):
    created: int
    updated: int
    unchanged: int
    conflicts: int
    results: list[MarkResultOut]


# --- learners ------------------------------------------------------------------------------------------------


class LearnerOut(Schema):
    id: int
    full_name: str
    preferred_name: str
    display_name: str
    preferred_language: str
    partner: PartnerRef


class EnrollmentOut(Schema):
    id: int
    cohort_id: int
    cohort_name: str
    status: str
    enrolled_on: datetime.date | None
    completed_on: datetime.date | None
    withdrawn_on: datetime.date | None

    @staticmethod
    def resolve_cohort_name(enrollment):
        return enrollment.cohort.name


class LearnerDetailOut(LearnerOut):
    enrollments: list[EnrollmentOut] = Field(description="Only enrollments in cohorts you may see.")


# --- bonuses and milestones ------------------------------------------------------------------------------------


class BonusOut(Schema):
    id: int
    learner: LearnerRef
    partner_id: int
    rule: str
    month: str = Field(description="YYYY-MM")
    sessions_held: int
    sessions_attended: int
    rate: str = Field(description="Attendance rate in percent, as a decimal string.")
    amount: str = Field(description="In dollars, as a decimal string.")
    status: str
    approved_at: datetime.datetime | None
    paid_at: datetime.datetime | None

    @staticmethod
    def resolve_rule(bonus):
        return bonus.rule.name

    @staticmethod
    def resolve_month(bonus):
        return f"{bonus.month:%Y-%m}"

    @staticmethod
    def resolve_rate(bonus):
        return str(bonus.rate)

    @staticmethod
    def resolve_amount(bonus):
        return str(bonus.amount)


class MilestoneTypeRef(Schema):
    id: int
    slug: str
    name: str
    track: str


class MilestoneOut(Schema):
    id: int
    learner: LearnerRef
    milestone: MilestoneTypeRef
    achieved_on: datetime.date
    amount: str | None = Field(description="For milestones that carry an amount (a grant's dollars).")
    status: str
    has_evidence: bool
    verified_at: datetime.datetime | None

    @staticmethod
    def resolve_milestone(achievement):
        return achievement.milestone_type

    @staticmethod
    def resolve_amount(achievement):
        return None if achievement.amount is None else str(achievement.amount)

    @staticmethod
    def resolve_has_evidence(achievement):
        return bool(achievement.evidence)


class MeOut(Schema):
    id: int
    username: str
    role: str
    partner: PartnerRef | None
    language: str = Field(description="The language this response was written in.")


class ErrorOut(Schema):
    detail: str


class FieldErrorOut(Schema):
    location: str
    field: str
    message: str


class ValidationErrorOut(Schema):
    detail: str
    errors: list[FieldErrorOut]


def responses(ok, *, status=200, not_found=True, conflict=False, body=False):
    """An operation's documented answers: `ok`, and the JSON errors every endpoint may give."""
    documented = {status: ok, 401: ErrorOut, 422: ValidationErrorOut}
    if body:
        documented[400] = ErrorOut  # a body that is not JSON
    if not_found:
        documented[404] = ErrorOut
    if conflict:
        documented[409] = ErrorOut
    return documented
