"""Monthly bonuses and milestones, scoped like the admin ledgers (program managers, partner staff) and the
portal (a learner's own); instructors see their learners' milestones, and no money."""

from typing import Annotated, Literal

from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from incentives.months import parse_month

from .. import selectors
from ..pagination import LimitOffset
from ..schemas import MONTH_PATTERN, BonusOut, Id, IsoDate, MilestoneOut, responses

router = Router(tags=["bonuses and milestones"])

BonusStatus = Literal["eligible", "not_eligible", "approved", "paid", "needs_adjustment"]
MilestoneStatus = Literal["recorded", "verified", "rejected"]


class BonusFilters(Schema):
    month: Annotated[str, Field(pattern=MONTH_PATTERN)] | None = Field(None, description="YYYY-MM")
    status: BonusStatus | None = None
    learner: Id | None = None
    partner: Id | None = None


class MilestoneFilters(Schema):
    status: MilestoneStatus | None = None
    milestone: Annotated[str, Field(pattern=r"^[-a-zA-Z0-9_]{1,80}$")] | None = Field(
        None, description="A milestone type's slug, for example business-license."
    )
    learner: Id | None = None
    achieved_from: IsoDate | None = None
    achieved_to: IsoDate | None = None


@router.get("/bonuses", response=responses(list[BonusOut], not_found=False), summary="Monthly training bonuses")
@paginate(LimitOffset)
def list_bonuses(request, filters: Query[BonusFilters]):
    values = filters.dict()
    values["month"] = parse_month(values["month"]) if values["month"] else None
    return selectors.bonuses_for(request.auth, **values)


@router.get("/milestones", response=responses(list[MilestoneOut], not_found=False), summary="Milestones reached")
@paginate(LimitOffset)
def list_milestones(request, filters: Query[MilestoneFilters]):
    return selectors.milestones_for(request.auth, **filters.dict())
