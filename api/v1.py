"""The JSON API, version 1 (/api/v1/): token authentication, every read scoped through the site's own access
rules (people.access, cohorts.access, incentives.access), writes through the same services as the pages,
errors as JSON in the caller's language.

Schema: /api/v1/openapi.json. No docs page: the bundled one would load scripts from a CDN.
"""

from ninja import NinjaAPI
from ninja.errors import ValidationError

from . import errors
from .auth import BearerToken
from .endpoints import cohorts, credentials, learners, me, outcomes, rewards


class PathwaysApi(NinjaAPI):
    def validation_error_from_error_contexts(self, error_contexts):
        """Each problem as {location, field, message}, the message in our words and the request's language."""
        problems = []
        for context in error_contexts:
            model = context.model
            source = model.__ninja_param_source__
            for error in context.pydantic_validation_error.errors(include_url=False):
                loc = model.__ninja_flatten_map_reverse__.get(error["loc"], error["loc"])
                if loc and loc[0] == getattr(model, "__read_from_single_attr__", None):
                    loc = loc[1:]  # the body as the client sent it: "marks.0.status", not "payload.marks.0.status"
                problems.append(errors.field_error((source, *loc), errors.pydantic_message(error)))
        return ValidationError(problems)


api = PathwaysApi(
    title="Pathways API",
    version="1",
    description=(
        "Cohorts, sessions, rosters and attendance, learners, monthly bonuses, milestones, credentials and the outcome figures of the dashboard, scoped exactly "
        "like the pages of the person whose token is used. Send `Authorization: Bearer <token>`; tokens are "
        "created and revoked in the admin (Settings → API tokens). Lists are paginated with `limit` and `offset`. Verifying a certificate code needs no token."
    ),
    urls_namespace="api-v1",
    auth=BearerToken(),
    docs_url=None,
)
for exception_class, handler in errors.HANDLERS:
    api.add_exception_handler(exception_class, handler)

api.add_router("/", me.router)
api.add_router("/", cohorts.router)
api.add_router("/", learners.router)
api.add_router("/", rewards.router)
api.add_router("/", credentials.router)
api.add_router("/", outcomes.router)
