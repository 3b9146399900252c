"""The one "refused request" error every domain raises, and the one way it reaches a form.

A service that refuses a request (a full cohort, a month already paid, a code that does not match) raises
`Refused` or a domain's subclass of it (`CohortError`, `IncentiveError`, ...) with a translated message that
is safe to show the person who asked, and optionally the `field` it is about. Views, admin screens and the
API turn it into what their user sees in one place each: `add_to_form` here for forms, the API's handler
for JSON (api.errors), `messages.error(request, error.message)` where a page has no form.
"""


class Refused(Exception):
    """A request the rules refuse; the message is translated and safe to show."""

    def __init__(self, message, *, field=None):
        super().__init__(message)
        self.message = message
        self.field = field

    def add_to_form(self, form, *, fields=None, default=None):
        """Show the refusal on `form`: at the field it is about when the form has it (`fields` maps a
        service's field name to the form's, `default` names the field for refusals that name none),
        otherwise above the form."""
        name = (fields or {}).get(self.field, self.field) or default
        form.add_error(name if name in form.fields else None, self.message)
