"""What a person sees when sign-ins are paused after too many failures (django-axes' AXES_LOCKOUT_CALLABLE), and
the username failures are counted under (AXES_USERNAME_CALLABLE).

One page for our login and Wagtail's: a plain explanation in the visitor's language, how long to wait,
and what to do instead — never an error page. Status 429 with Retry-After, so scripts back off too.
"""

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.shortcuts import render
from django.utils import timezone
from django.utils.timesince import timeuntil


def locked_out(request, original_response=None, credentials=None):
    cool_off = get_cool_off(request)
    now = timezone.now()
    # Django's own catalog translates "1 hour", "30 minutes"... into every language we offer.
    wait = timeuntil(now + cool_off, now) if cool_off else ""
    response = render(request, "people/locked_out.html", {"wait": wait}, status=429)
    if cool_off:
        response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response


def attempted_username(request, credentials=None):
    """The username a failed sign-in is counted under (django-axes' AXES_USERNAME_CALLABLE): what was typed,
    cut to the length axes stores. Sign-in forms do not limit what is typed, so a 300-character username
    made PostgreSQL refuse axes' row and the sign-in page answer with a server error."""
    username = credentials.get("username") if credentials else request.POST.get("username")
    if not isinstance(username, str):
        return username
    return username.replace("\x00", "")[: AccessAttempt._meta.get_field("username").max_length]
