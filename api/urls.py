"""/api/v1/: the ninja API, and JSON (not HTML) for any other path or method under it.

Each endpoint is wrapped so that (1) a wrong method answers JSON, not ninja's plain text, and (2) a
query parameter the endpoint does not know ("stauts=paid") is refused with a 422 naming it, instead of
being ignored and answering every row.
"""

import re
from functools import cache, wraps

from django.http import JsonResponse
from django.urls import re_path
from django.utils.translation import gettext as _

from .errors import json_error
from .v1 import api

PREFIX = "/api/v1/"


def root(request, **kwargs):
    """Where to start: the schema's address (ninja's own root view would answer an HTML 404)."""
    return JsonResponse(
        {"name": api.title, "version": api.version, "openapi": f"{PREFIX}openapi.json"},
        json_dumps_params={"ensure_ascii": False},
    )


def not_found(request, rest=""):
    return json_error(404, _("There is no such API endpoint. The list is at /api/v1/openapi.json."))


@cache
def _query_parameters():
    """{(OpenAPI path, method): {declared query parameter names}}, read once from the API's own schema."""
    declared = {}
    for path, operations in api.get_openapi_schema(path_prefix=PREFIX)["paths"].items():
        for method, operation in operations.items():
            names = {p["name"] for p in operation.get("parameters", []) if p.get("in") == "query"}
            declared[(path, method.upper())] = names
    return declared


def _openapi_path(route):
    return PREFIX + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)


def _guarded(view, route):
    path = _openapi_path(route)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        known = _query_parameters().get((path, request.method))
        if known is not None and (unknown := sorted(set(request.GET) - known)):
            errors = [
                {"location": "query", "field": name, "message": _("This field is not known here; check its spelling.")}
                for name in unknown
            ]
            return json_error(422, _("Some values are not valid; see errors."), errors)
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and not response.get("Content-Type", "").startswith("application/json"):
            return json_error(
                405,
                _("This endpoint does not accept %(method)s.") % {"method": request.method},
                Allow=response.get("Allow", ""),
            )
        return response

    return wrapper


patterns, _ninja, app_name = api.urls  # app_name "api-v1": ninja reverses its own URLs by it
for pattern in patterns:
    if pattern.name == "api-root":
        pattern.callback = root
    pattern.callback = _guarded(pattern.callback, str(pattern.pattern))

urlpatterns = [*patterns, re_path(r"^(?P<rest>.*)$", not_found, name="not_found")]
