"""Learners you may see (people.access.visible_learners): a name, a language and a partner — no contact
details, consent records or anything about immigration."""

from typing import Annotated

from django.http import Http404
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from .. import selectors
from ..pagination import LimitOffset
from ..schemas import Id, LearnerDetailOut, LearnerOut, Text, responses

router = Router(tags=["learners"])


class LearnerFilters(Schema):
    cohort: Id | None = Field(None, description="Only learners enrolled (or waitlisted) in this cohort.")
    partner: Id | None = None
    name: Annotated[Text, Field(max_length=100)] | None = Field(None, description="Part of the name.")


@router.get("/learners", response=responses(list[LearnerOut], not_found=False), summary="Learners you may see")
@paginate(LimitOffset)
def list_learners(request, filters: Query[LearnerFilters]):
    return selectors.learners_for(request.auth, **filters.dict())


@router.get("/learners/{learner_id}", response=responses(LearnerDetailOut), summary="One learner")
def get_learner(request, learner_id: Id):
    learner = selectors.learner_for(request.auth, learner_id)
    if learner is None:
        raise Http404
    return learner  # its `enrollments` are prefetched, cut down to the cohorts the user may see
