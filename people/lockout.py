"""What a person sees when sign-ins are paused after too many failures (django-axes' AXES_LOCKOUT_CALLABLE).

One page for our login and Wagtail's: a plain explanation in the visitor's language, how long to wait,
and what to do instead — never an error page. Status 429 with Retry-After, so scripts back off too.
"""

from axes.helpers import get_cool_off
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
