"""The outcome figures of the dashboard, with the dashboard's filters: outcomes.figures.summary, the one
function behind the dashboard, the funder report and the exports, so the API cannot disagree with them.

For program managers (every partner) and partner staff (their own partner, whatever the filters say);
instructors and learners get a 403, as they have no dashboard.
"""

from typing import Annotated, Any, Literal

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from pydantic import BaseModel, ConfigDict

from outcomes import figures

from ..errors import ApiError
from ..schemas import ErrorOut, Id, IsoDate, Text, responses

router = Router(tags=["outcomes"])

Choice = Annotated[Text, Field(max_length=120)]


class OutcomeFilters(Schema):
    """The dashboard's filters; each is checked against the choices the dashboard offers this user."""

    partner: Id | None = Field(None, description="A partner organization's id.")
    track: Literal["esol", "job_training", "entrepreneurship"] | None = None
    course: Id | None = Field(None, description="A course page's id.")
    cohort: Id | None = Field(None, description="A cohort's id.")
    term: Choice | None = None
    language: Choice | None = Field(None, description="A language of instruction's code.")
    start: IsoDate | None = Field(
        None, description="First day of the period (default: the first day a cohort ran in the last twelve months)."
    )
    end: IsoDate | None = Field(None, description="Last day of the period (default: today).")


class RateOut(Schema):
    part: int
    whole: int
    percent: str | None = Field(description="With one decimal, or null when there is nothing to count.")


class MoneyOut(Schema):
    count: int
    amount: str


class BonusesOut(Schema):
    approved: MoneyOut  # what the payment file pays (incentives.models.AWAITING_PAYMENT)
    held_for_adjustment: MoneyOut  # approved, then flagged for an adjustment review: held back from payment
    paid: MoneyOut


class PeriodOut(Schema):
    start: str | None
    end: str | None


class SummaryOut(BaseModel):  # plain pydantic: ninja's Schema would drop the extra (untyped) keys
    """The headline figures (typed here) and the dashboard's tables and series (cohorts, by_track, by_partner,
    weekly_attendance, funnel, per_month, milestones, enrollments), as outcomes.figures.Summary.to_dict gives them."""

    model_config = ConfigDict(extra="allow")

    period: PeriodOut
    filters: dict[str, Any]
    people_served: int
    active: int
    waiting: int
    sessions_held: int
    instruction_hours: str
    learner_hours: str
    attendance_rate: RateOut
    retention_4_weeks: RateOut
    completion_rate: RateOut
    credentials_issued: int | None
    milestones_reached: int
    grant_dollars: str
    bonuses: BonusesOut
    cohorts: list[dict[str, Any]]


@router.get(
    "/outcomes/summary",
    response=responses(SummaryOut, not_found=False) | {403: ErrorOut},
    summary="Outcome figures, with the dashboard's filters",
)
def outcome_summary(request, filters: Query[OutcomeFilters]):
    chosen = {  # as query-string data; a filter not given is left out, so the dashboard's defaults apply
        name: value.isoformat() if hasattr(value, "isoformat") else str(value)
        for name, value in filters.dict().items()
        if value is not None
    }
    try:
        result = figures.summary(request.auth, chosen)
    except PermissionDenied as refused:
        raise ApiError(403, _("Outcome figures are for program managers and partner staff.")) from refused
    except figures.InvalidFilters as invalid:
        errors = [
            {"location": "query", "field": name if name != "__all__" else "", "message": message}
            for name, messages in invalid.errors.items()
            for message in messages
        ]
        raise ApiError(422, _("Some values are not valid; see errors."), errors=errors) from invalid
    return SummaryOut(**result.to_dict())  # an instance, so the tables and series beyond the typed fields stay
