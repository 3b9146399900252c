"""What a person sees when sign-ins are paused after too many failures (django-axes' AXES_LOCKOUT_CALLABLE), the
username failures are counted under (AXES_USERNAME_CALLABLE), and what is counted (AXES_HANDLER).

One page for our login and Wagtail's: a plain explanation in the visitor's language, how long to wait,
and what to do instead — never an error page. Status 429 with Retry-After, so scripts back off too.
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
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


class PairAndAddressHandler(AxesDatabaseHandler):
    """django-axes' database handler (AXES_HANDLER), counting two things with AXES_LOCKOUT_PARAMETERS =
    [["username", "ip_address"], "ip_address"]:

    - the username-and-address pair locks after AXES_FAILURE_LIMIT failures, so wrong passwords typed for
      `manager` somewhere else never lock the manager out of their own office;
    - an address that fails PATHWAYS_ADDRESS_FAILURE_LIMIT times across any usernames is paused too (a
      password-guessing script), with a higher limit, because a classroom shares one address.

    axes has one failure limit for every parameter, hence this small override. A successful sign-in clears only
    its own pair: signing in to one's own account must not wipe the address's count of guesses at others.
    """

    def _failures(self, request, credentials):
        pair, address = self.get_user_attempts(request, credentials)
        return [attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0 for attempts in (pair, address)]

    def get_failures(self, request, credentials=None):
        pair, address = self._failures(request, credentials)
        if address >= settings.PATHWAYS_ADDRESS_FAILURE_LIMIT:
            return max(pair, get_failure_limit(request, credentials))
        return pair

    def reset_user_attempts(self, request, credentials=None):
        pair, _address = self.filter_user_attempts(request, credentials)
        count, _ = pair.delete()
        return count


def end_sign_in_pause(*, username):
    """Clear the failures counted against an account from every address: for its owner, once they proved who they
    are (a password reset from their email). Returns how many counters were cleared."""
    return AccessAttempt.objects.filter(username=username).delete()[0]
