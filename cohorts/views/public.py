"""Public views (join the waitlist); served under a language prefix, no sign-in needed."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.ratelimit import AttemptLimit, client_ip

from ..forms.portal import JoinWaitlistForm
from ..models import Cohort, Enrollment
from ..selectors import waitlist_position
from ..services import AlreadyListed, CohortError, join_waitlist

# A community center's front desk may sign up many people from one address: generous, but a bot is stopped.
JOIN_ATTEMPTS = AttemptLimit("join-waitlist", attempts=20, window=60 * 60)
JOINED_SESSION_KEY = "cohorts.joined"


def _open_cohort(cohort_id):
    cohort = get_object_or_404(Cohort.objects.taking_enrollments().select_related("course", "partner"), pk=cohort_id)
    if cohort.end_date < cohort.local_today() or not cohort.course.live:
        raise Http404
    return cohort


@require_http_methods(["GET", "POST"])
def join_cohort(request, cohort_id):
    cohort = _open_cohort(cohort_id)
    course = cohort.course.localized
    if request.method == "POST":
        form = JoinWaitlistForm(request.POST)
        who = client_ip(request)
        if form.is_spam:
            # Look like success, so the bot moves on; nothing is saved.
            return render(request, "cohorts/public/joined.html", {"cohort": cohort, "course": course})
        if JOIN_ATTEMPTS.exceeded(who):
            form.add_error(None, _("Too many sign-ups came from this connection. Please try again in an hour."))
            return render(
                request, "cohorts/public/join.html", {"form": form, "cohort": cohort, "course": course}, status=429
            )
        if form.is_valid():
            JOIN_ATTEMPTS.count(who)
            data = form.cleaned_data
            try:
                enrollment = join_waitlist(
                    cohort=cohort,
                    full_name=data["full_name"],
                    preferred_name=data["preferred_name"],
                    phone=data["phone"],
                    email=data["email"],
                    preferred_language=data["preferred_language"],
                    consent_contact=data["consent_contact"],
                )
            except AlreadyListed as error:
                messages.info(request, error.message)
                return render(request, "cohorts/public/join.html", {"form": None, "cohort": cohort, "course": course})
            except CohortError as error:
                form.add_error(None, error.message)
            except ValidationError as error:  # the learner record's own checks, as on the staff's add page
                form.add_error(None, " ".join(error.messages))
            else:
                request.session[JOINED_SESSION_KEY] = enrollment.pk
                return redirect("join:joined", cohort_id=cohort.pk)
    else:
        form = JoinWaitlistForm()
    # The heading matches the course card's button: a seat to ask for, or a waitlist to join.
    has_seats = cohort.enrollments.holding_seat().count() < cohort.capacity
    return render(
        request, "cohorts/public/join.html", {"form": form, "cohort": cohort, "course": course, "has_seats": has_seats}
    )


def joined(request, cohort_id):
    """The confirmation after joining, with the person's place in line. Only the browser that joined sees it."""
    enrollment = (
        Enrollment.objects.select_related("cohort", "cohort__course", "learner")
        .filter(pk=request.session.get(JOINED_SESSION_KEY), cohort_id=cohort_id)
        .first()
    )
    if enrollment is None:
        return redirect("join:cohort", cohort_id=cohort_id)
    return render(
        request,
        "cohorts/public/joined.html",
        {
            "cohort": enrollment.cohort,
            "course": enrollment.cohort.course.localized,
            "enrollment": enrollment,
            "position": waitlist_position(enrollment),
        },
    )


urlpatterns = [
    path("<int:cohort_id>/", join_cohort, name="cohort"),
    path("<int:cohort_id>/thanks/", joined, name="joined"),
]
