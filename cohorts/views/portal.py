"""The learner portal (/learn/): my cohorts, upcoming sessions, attendance, self check-in, my name in Latin letters.

Every view reads the signed-in learner's own record (`request.user.learner`), never a
learner id from the URL, so one learner cannot reach another's data.
"""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from core.ratelimit import AttemptLimit
from people import services as people_services
from people.access import is_program_staff
from people.models import Learner
from people.sessions import asks_password_again

from .. import selectors, services
from ..extensions import portal_sections
from ..forms.portal import CheckInForm, LatinNameForm
from ..models import Attendance, CalendarFeed, Enrollment
from .calendar import new_feed_url

CHECK_IN_ATTEMPTS = AttemptLimit("check-in", attempts=10, window=10 * 60)


def learner_view(view):
    """Signed-in learners only: anonymous visitors go to sign in, staff to their Today page.

    Pages are in the learner's preferred language unless they chose one with the
    language switcher (its cookie wins). The response is rendered inside the
    override, so use `render()` (not a lazy TemplateResponse) in these views.
    """

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if is_program_staff(request.user):
            return redirect("cohorts:today")
        request.learner = Learner.objects.filter(user=request.user).first()
        if request.learner is None:
            return render(request, "cohorts/portal/no_learner.html", status=403)
        if settings.LANGUAGE_COOKIE_NAME in request.COOKIES:
            return view(request, *args, **kwargs)
        language = request.learner.preferred_language
        with translation.override(language):
            request.LANGUAGE_CODE = language
            response = view(request, *args, **kwargs)
        response.headers["Content-Language"] = language
        return response

    return wrapper


@never_cache
@learner_view
def portal(request):
    learner = request.learner
    now = timezone.now()
    enrollments = selectors.portal_enrollments(learner=learner)
    feed = CalendarFeed.objects.filter(learner=learner, revoked_at__isnull=True).first()
    return render(
        request,
        "cohorts/portal/home.html",
        {
            "learner": learner,
            "enrollments": enrollments,
            "upcoming": selectors.upcoming_sessions(learner=learner, now=now),
            "histories": selectors.attendance_history(enrollments=enrollments, now=now),
            "more_sections": portal_sections(request, learner),
            "feed": feed,
            "feed_url": new_feed_url(request, feed),
        },
    )


@require_POST
@learner_view
def accept_offer(request, enrollment_id):
    enrollment = get_object_or_404(Enrollment, pk=enrollment_id, learner=request.learner)
    try:
        enrollment = services.accept_offer(enrollment=enrollment, by=request.user)
    except services.CohortError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Your seat in %(cohort)s is confirmed. See you in class!") % {"cohort": enrollment.cohort.name_in()},
        )
    return redirect("cohorts:portal")


@never_cache
@require_http_methods(["GET", "POST"])
@learner_view
def check_in(request):
    """Type (or scan) the code shown in class. Wrong codes record nothing; too many wrong codes pause tries."""
    if request.method == "GET":
        form = CheckInForm(initial={"code": request.GET.get("code", "")[:20]})
        return render(request, "cohorts/portal/check_in.html", {"form": form})
    form = CheckInForm(request.POST)
    if CHECK_IN_ATTEMPTS.exceeded(request.user.pk):
        form = CheckInForm(initial={"code": request.POST.get("code", "")[:20]})
        blocked = _(
            "Too many codes that did not work. Wait 10 minutes, then try again, or ask your instructor to mark you."
        )
        return render(request, "cohorts/portal/check_in.html", {"form": form, "blocked": blocked}, status=429)
    if form.is_valid():
        try:
            attendance = services.check_in(learner=request.learner, code=form.cleaned_data["code"])
        except services.CohortError as error:
            CHECK_IN_ATTEMPTS.count(request.user.pk)
            form.add_error("code", error.message)
        else:
            CHECK_IN_ATTEMPTS.reset(request.user.pk)
            session = attendance.session
            return render(
                request,
                "cohorts/portal/checked_in.html",
                {
                    "attendance": attendance,
                    "session": session,
                    "cohort": session.cohort,
                    "by_instructor": attendance.source != Attendance.Source.SELF_CHECK_IN,
                },
            )
    return render(request, "cohorts/portal/check_in.html", {"form": form})


@asks_password_again  # a phone left signed in for a month must not change the name certificates print
@never_cache
@require_http_methods(["GET", "POST"])
@learner_view
def my_name(request):
    """The learner's name as certificates print it, and the Latin-letter line they may add under it (as on their
    official papers: they type it, nothing is guessed for them)."""
    learner = request.learner
    form = LatinNameForm(request.POST or None, initial={"name_latin": learner.name_latin})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                people_services.set_name_latin(
                    learner=learner, name_latin=form.cleaned_data["name_latin"], by=request.user
                )
            except ValidationError as error:
                form.add_error("name_latin", error.messages)
            else:
                messages.success(request, _("Saved. Certificates issued from now on print it under your name."))
                return redirect("cohorts:my_name")
    return render(request, "cohorts/portal/my_name.html", {"learner": learner, "form": form}, status=status)


urlpatterns = [
    path("", portal, name="portal"),
    path("name/", my_name, name="my_name"),
    path("check-in/", check_in, name="check_in"),
    path("offers/<int:enrollment_id>/accept/", accept_offer, name="accept_offer"),
]
