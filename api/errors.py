"""Every error the API answers is JSON with a message in the caller's language (Accept-Language):
`{"detail": "...", "errors": [{"field": ..., "message": ...}]}` — `errors` only for 422.

Validation messages reuse Django's own wording where one fits (so they are already translated in every
language Django ships), and name the field as the client sent it ("marks.2.status"). A last-resort handler
logs anything unexpected and answers a JSON 500 instead of an HTML page.
"""

import json
import logging

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from core.errors import Refused

logger = logging.getLogger("pathways.api")


class ApiError(Refused):
    """A refusal the API answers with `status` and a translated `message`; `errors` for per-field detail."""

    def __init__(self, status, message, *, errors=None):
        super().__init__(message)
        self.status = status
        self.errors = errors


class BadToken(AuthenticationError):
    """A token was sent but is wrong, revoked, or belongs to a deactivated account."""


def error_body(detail, errors=None):
    body = {"detail": str(detail)}
    if errors is not None:
        body["errors"] = errors
    return body


def json_error(status, detail, errors=None, **headers):
    response = JsonResponse(error_body(detail, errors), status=status, json_dumps_params={"ensure_ascii": False})
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def field_error(loc, message):
    """One entry of `errors`: where (`location` query/path/body, `field` as a dotted path) and what is wrong."""
    loc = list(loc)
    location = loc[0] if loc and loc[0] in ("query", "path", "body", "header", "cookie") else "body"
    rest = loc[1:] if loc and loc[0] == location else loc
    return {"location": location, "field": ".".join(str(part) for part in rest), "message": str(message)}


# --- pydantic's error types in our words ---------------------------------------------------------------


def _choices(ctx):
    expected = (ctx or {}).get("expected", "")
    return expected.replace("'", "")


def pydantic_message(error):
    """A pydantic error (a dict from ValidationError.errors()) as a sentence in the active language."""
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    value = error.get("input")
    if kind == "missing":
        return _("This field is required.")
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return _("Enter a whole number.")
    if kind in ("float_parsing", "float_type", "decimal_parsing", "decimal_type"):
        return _("Enter a number.")
    if kind in ("greater_than_equal", "greater_than"):
        limit = ctx.get("ge", ctx.get("gt"))
        if kind == "greater_than":
            return _("Ensure this value is greater than %(limit_value)s.") % {"limit_value": limit}
        return _("Ensure this value is greater than or equal to %(limit_value)s.") % {"limit_value": limit}
    if kind in ("less_than_equal", "less_than"):
        limit = ctx.get("le", ctx.get("lt"))
        if kind == "less_than":
            return _("Ensure this value is less than %(limit_value)s.") % {"limit_value": limit}
        return _("Ensure this value is less than or equal to %(limit_value)s.") % {"limit_value": limit}
    if kind == "string_too_long":
        limit = ctx.get("max_length")
        shown = len(value) if isinstance(value, str) else limit
        return ngettext(
            "Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
            "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
            limit,
        ) % {"limit_value": limit, "show_value": shown}
    if kind == "string_too_short":
        limit = ctx.get("min_length")
        return ngettext(
            "Ensure this value has at least %(limit_value)d character (it has %(show_value)d).",
            "Ensure this value has at least %(limit_value)d characters (it has %(show_value)d).",
            limit,
        ) % {"limit_value": limit, "show_value": len(value) if isinstance(value, str) else 0}
    if kind == "string_type":
        return _("Enter text here.")
    if kind in ("bool_parsing", "bool_type"):
        return _("Enter true or false.")
    if kind in ("literal_error", "enum"):
        return (
            _("Select a valid choice. %(value)s is not one of the available choices.") % {"value": _short(value)}
            + " "
            + _("Choose one of: %(allowed)s.") % {"allowed": _choices(ctx)}
        )
    if kind in ("date_parsing", "date_from_datetime_parsing", "date_type", "date_from_datetime_inexact"):
        return _("Enter a valid date.")
    if kind == "string_pattern_mismatch":
        return _("Enter a valid value.")
    if kind in ("list_type", "tuple_type", "set_type"):
        return _("Enter a list of values.")
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return _("Send an object (a JSON dictionary) here.")
    if kind == "too_long":
        return ngettext("Send at most %(count)d item.", "Send at most %(count)d items.", ctx.get("max_length", 0)) % {
            "count": ctx.get("max_length", 0)
        }
    if kind == "extra_forbidden":
        return _("This field is not known here; check its spelling.")
    if kind == "value_error":
        # Our own validators raise ValueError with a message already translated.
        return str(ctx.get("error", error.get("msg", "")))
    if kind == "json_invalid":
        return _("The request body is not valid JSON.")
    return error.get("msg", _("Enter a valid value."))


def _short(value):
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return f"“{text[:40]}”"


# --- the handlers NinjaAPI calls ---------------------------------------------------------------------


def on_validation_error(request, exc: NinjaValidationError):
    return json_error(422, _("Some values are not valid; see errors."), exc.errors)


def on_authentication_error(request, exc):
    if isinstance(exc, BadToken):
        detail = _("This API token is not valid: it may be mistyped or revoked. Ask for a new one in the admin.")
    else:
        detail = _("Sign in with an API token: send the header “Authorization: Bearer <your token>”.")
    return json_error(401, detail, WWW_Authenticate='Bearer realm="pathways"')


def on_http_error(request, exc: HttpError):
    if exc.status_code == 400 and isinstance(exc.__cause__, ValueError):
        # ninja's body parser failed: not JSON, or not UTF-8.
        return json_error(400, _("The request body is not valid JSON."))
    return json_error(exc.status_code, _("The request could not be handled: %(reason)s") % {"reason": exc.message})


def on_refused(request, exc: Refused):
    """Every refusal in one place: a service's (core.errors.Refused, such as CohortError) is a 422 with its
    message; one the API raised itself (ApiError) carries its own status and per-field errors."""
    if isinstance(exc, ApiError):
        return json_error(exc.status, exc.message, exc.errors)
    return json_error(422, exc.message)


def on_not_found(request, exc):
    return json_error(404, _("Not found: it does not exist, or you may not see it."))


def on_permission_denied(request, exc):
    return json_error(403, _("You may not do this."))


def on_django_validation_error(request, exc: DjangoValidationError):
    if hasattr(exc, "error_dict"):
        errors = [
            {"location": "body", "field": name, "message": str(message)}
            for name, messages in exc.message_dict.items()
            for message in messages
        ]
    else:
        errors = [{"location": "body", "field": "", "message": str(message)} for message in exc.messages]
    return json_error(422, _("Some values are not valid; see errors."), errors)


def on_unexpected(request, exc):
    """The last resort: log it with the traceback, answer JSON (never Django's HTML page)."""
    logger.exception("API request failed: %s %s", request.method, request.path)
    return json_error(500, _("Something went wrong on our side. It has been logged; please try again later."))


HANDLERS = [
    (NinjaValidationError, on_validation_error),
    (AuthenticationError, on_authentication_error),
    (HttpError, on_http_error),
    (Refused, on_refused),
    (Http404, on_not_found),
    (PermissionDenied, on_permission_denied),
    (DjangoValidationError, on_django_validation_error),
    (Exception, on_unexpected),
]
