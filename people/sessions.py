"""How long a sign-in lasts, and when a sensitive page asks for the password again.

- Staff (program managers, partner staff, instructors, superusers) are signed out after
  PATHWAYS_STAFF_IDLE_TIMEOUT without a request (30 minutes) and PATHWAYS_STAFF_SESSION_LIFETIME after signing in
  (12 hours), whatever they do (ASVS 7.3.1, 7.3.2).
- Learners on their own phone stay signed in PATHWAYS_LEARNER_SESSION_LIFETIME (30 days).
- A sensitive page (password, email and contact details, a learner's data export, the name printed on
  certificates) needs the password typed within PATHWAYS_REAUTHENTICATION_WINDOW (10 minutes): signing in counts,
  otherwise /accounts/confirm-password/ asks for it and comes back.

The session keeps two times (signed in, last seen) as Unix seconds from time.time(), which tests move.
"""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Role

STARTED = "pathways.signed_in_at"
SEEN = "pathways.seen_at"
PASSWORD_CONFIRMED = "pathways.password_confirmed_at"
# Last-seen is written at most this often, so a page's many requests do not each save the session.
SEEN_RESOLUTION = 60

# Pages of other apps that count as sensitive (our own views use @asks_password_again).
SENSITIVE_URL_NAMES = {"wagtailadmin_account"}


def is_staff_session(user):
    return user.is_superuser or user.role != Role.LEARNER


def _seconds(delta):
    return delta.total_seconds()


@receiver(user_logged_in, dispatch_uid="people.sessions.signed_in")
def remember_sign_in(sender, request, user, **kwargs):
    """Typing the password to sign in starts the session's clocks and counts as a fresh confirmation."""
    if request is None or not hasattr(request, "session"):
        return
    now = time.time()
    request.session[STARTED] = request.session[SEEN] = request.session[PASSWORD_CONFIRMED] = now
    if is_staff_session(user):
        # The stored session and its cookie end at the absolute limit whatever happens; the idle limit is checked
        # by the middleware, which can then say why on the sign-in page.
        request.session.set_expiry(timezone.now() + settings.PATHWAYS_STAFF_SESSION_LIFETIME)


def confirm_password(request):
    """The signed-in person just typed their password again (people.views.confirm_password)."""
    request.session[PASSWORD_CONFIRMED] = time.time()


def password_recently_confirmed(request):
    confirmed = request.session.get(PASSWORD_CONFIRMED)
    return confirmed is not None and time.time() - confirmed <= _seconds(settings.PATHWAYS_REAUTHENTICATION_WINDOW)


def asks_password_again(view):
    """Mark a view as sensitive: SessionPolicyMiddleware asks for the password first unless it was typed recently."""
    view.asks_password_again = True
    return view


def _is_sensitive(request, view_func):
    view = getattr(view_func, "view_class", view_func)
    if getattr(view, "asks_password_again", False) or getattr(view_func, "asks_password_again", False):
        return True
    match = request.resolver_match
    return match is not None and match.url_name in SENSITIVE_URL_NAMES


def _expired(request, now):
    """Why this session is over (a message for the sign-in page), or None."""
    started = request.session.get(STARTED, now)
    seen = request.session.get(SEEN, now)
    if is_staff_session(request.user):
        if now - started > _seconds(settings.PATHWAYS_STAFF_SESSION_LIFETIME):
            return _("You were signed out because you signed in more than 12 hours ago. Please sign in again.")
        if now - seen > _seconds(settings.PATHWAYS_STAFF_IDLE_TIMEOUT):
            return _("You were signed out after 30 minutes without activity. Please sign in again.")
    elif now - started > _seconds(settings.PATHWAYS_LEARNER_SESSION_LIFETIME):
        return _("You were signed out because you signed in more than 30 days ago. Please sign in again.")
    return None


class SessionPolicyMiddleware:
    """After AuthenticationMiddleware and MessageMiddleware: ends sessions past their time, keeps last-seen, guards sensitive pages."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = time.time()
            reason = _expired(request, now)
            if reason:
                logout(request)
                messages.info(request, reason)
            else:
                if STARTED not in request.session:  # a session from before this policy: its clock starts now
                    request.session[STARTED] = now
                if now - request.session.get(SEEN, 0) >= SEEN_RESOLUTION:
                    request.session[SEEN] = now
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not _is_sensitive(request, view_func):
            return None
        if password_recently_confirmed(request):
            return None
        query = urlencode({"next": request.get_full_path()})
        return redirect(f"{reverse('people:confirm_password')}?{query}")
