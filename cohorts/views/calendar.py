"""Private calendar feeds: /calendar/<token>.ics for a learner or an instructor, and managing one's own link."""

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from people.models import Learner, Role

from .. import ics, services
from ..models import CalendarFeed, Enrollment, Session

FEED_HISTORY = datetime.timedelta(days=180)  # past sessions older than this are left out of feeds


def _uid_domain():
    return urlsplit(settings.WAGTAILADMIN_BASE_URL).hostname or "pathways"


def _event(session, domain):
    cohort = session.cohort
    name = cohort.name_in()
    summary = f"{name}: {session.topic}" if session.topic else name
    description = []
    if session.is_cancelled:
        summary = _("Cancelled: %(summary)s") % {"summary": summary}
        description.append(_("Cancelled: %(reason)s") % {"reason": session.cancellation_reason})
    if cohort.meeting_link and cohort.delivery != cohort.Delivery.IN_PERSON:
        description.append(_("Online: %(link)s") % {"link": cohort.meeting_link})
    online = cohort.delivery == cohort.Delivery.ONLINE
    return ics.Event(
        uid=f"session-{session.pk}@{domain}",
        start=session.starts_at,
        end=session.ends_at,
        time_zone=cohort.time_zone,
        summary=summary,
        location=(cohort.meeting_link if online else cohort.location) or cohort.meeting_link,
        description="\n".join(description),
        url=cohort.meeting_link if cohort.delivery != cohort.Delivery.IN_PERSON else "",
        cancelled=session.is_cancelled,
        last_modified=session.updated_at,
    )


def _feed_sessions(feed):
    since = timezone.localdate() - FEED_HISTORY
    sessions = Session.objects.select_related("cohort").filter(date__gte=since).order_by("date", "start_time")
    if feed.learner_id:
        return sessions.filter(
            cohort__enrollments__learner_id=feed.learner_id,
            cohort__enrollments__status__in=[Enrollment.Status.ACTIVE, Enrollment.Status.COMPLETED],
        )
    return sessions.filter(cohort__instructors=feed.user)


@require_GET
def feed(request, token):
    """The token is the only credential: calendar apps fetch without signing in. Revoked or unknown → 404."""
    calendar_feed = services.find_calendar_feed(token)
    if calendar_feed is None:
        raise Http404
    if calendar_feed.user_id and not (calendar_feed.user.is_active and calendar_feed.user.role == Role.INSTRUCTOR):
        raise Http404
    domain = _uid_domain()
    owner = calendar_feed.learner or calendar_feed.user
    with translation.override(owner.preferred_language):  # calendar apps send no useful language
        body = ics.calendar(
            [_event(session, domain) for session in _feed_sessions(calendar_feed)],
            name=_("Pathways classes"),
            stamp=timezone.now(),
        )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="pathways.ics"'
    response["Cache-Control"] = "private, max-age=900"
    response["X-Robots-Tag"] = "noindex"
    return response


NEW_LINK_SESSION_KEY = "cohorts.calendar_link"


def new_feed_url(request, calendar_feed):
    """The link made a moment ago for `calendar_feed`, shown on the page the maker lands on and then never
    again (only the token's digest is stored); "" when there is none to show."""
    made = request.session.pop(NEW_LINK_SESSION_KEY, None)
    if calendar_feed is None or not made or made.get("feed") != calendar_feed.pk:
        return ""
    return made["url"]


def _owner(user):
    """Whose feed the signed-in user manages: their learner record, or themselves as an instructor."""
    if user.role == Role.INSTRUCTOR and user.is_active:
        return {"user": user}
    if user.role == Role.LEARNER:
        learner = Learner.objects.filter(user=user).first()
        if learner is not None:
            return {"learner": learner}
    raise PermissionDenied


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def my_calendar(request):
    """Create (action=create), replace (action=renew) or stop (action=revoke) one's own calendar link.

    Learners manage theirs from the portal and are sent back there; instructors see it here. A new link is
    shown once, on the page that follows.
    """
    owner = _owner(request.user)
    if request.method == "POST":
        action = request.POST.get("action")
        if action in ("create", "renew"):
            made = services.open_calendar_feed(**owner, renew=action == "renew")
            if made.token:
                url = request.build_absolute_uri(reverse("cohorts:ics", args=[made.token]))
                request.session[NEW_LINK_SESSION_KEY] = {"feed": made.pk, "url": url}
        elif action == "revoke":
            services.revoke_calendar_feeds(**owner)
        else:
            return HttpResponse(status=400)
        if "learner" in owner:
            return redirect(reverse("cohorts:portal") + "#calendar")
        return redirect("cohorts:my_calendar")
    if "learner" in owner:
        return redirect(reverse("cohorts:portal") + "#calendar")
    calendar_feed = CalendarFeed.objects.filter(revoked_at__isnull=True, **owner).first()
    feed_url = new_feed_url(request, calendar_feed)
    return render(request, "cohorts/portal/my_calendar.html", {"feed": calendar_feed, "feed_url": feed_url})


urlpatterns = [
    path("mine/", my_calendar, name="my_calendar"),
    path("<str:token>.ics", feed, name="ics"),
]
