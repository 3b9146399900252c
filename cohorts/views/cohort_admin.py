"""Staff pages for one cohort (/teach/cohorts/<pk>/): roster and waitlist, adding, admitting, withdrawing and
completing learners, and importing a roster from a CSV or Excel file.

Who may open them: program staff who can see the cohort (people.access.is_program_staff and
cohorts.access.visible_cohorts), that is the cohort's instructors, its partner's staff and program managers. The
same people may act here — instructors enroll learners and import rosters (docs/ARCHITECTURE.md, who does what). A learner (who can see
their own cohorts in the portal) or anyone else gets a 404, never a hint that the cohort exists.

The import's preview is kept in the server-side session between the two steps, under a random token: the
rows (personal data) are not sent back and forth through the phone, cannot be edited or replayed into another
cohort, and several tabs can each have their own preview. Even so, the confirm step checks every row again,
because the cohort may have changed since the preview was shown.
"""

import secrets
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from core.spreadsheets import CSV_CONTENT_TYPE
from people.access import is_program_staff, visible_learners

from .. import imports, selectors, services
from ..access import visible_cohorts
from ..attendance import Tally
from ..extensions import learner_links
from ..forms.enrollment import CompleteAllForm, EnrollmentActionForm, ExistingLearnerForm, NewLearnerForm
from ..forms.imports import ImportConfirmForm, RosterUploadForm
from ..models import Cohort, Enrollment, Session

PREVIEW_SESSION_KEY = "cohorts.roster_import"
PREVIEW_MAX_AGE = 2 * 60 * 60  # seconds: a preview older than this is uploaded again
PREVIEWS_KEPT = 3  # per browser session, so a forgotten tab does not grow the session forever


def _cohort_for(request, pk):
    if not is_program_staff(request.user):
        raise Http404
    return get_object_or_404(visible_cohorts(request.user).select_related("course", "partner"), pk=pk)


def _taking_enrollments(cohort):
    return cohort.status in (Cohort.Status.PLANNED, Cohort.Status.RUNNING)


# --- the cohort page ---------------------------------------------------------------------------------------


@dataclass
class RosterLine:
    enrollment: Enrollment
    tally: Tally = field(default_factory=Tally)  # under the program's reading (cohorts.attendance)
    streak: int = 0
    at_risk: bool = False
    links: list = field(default_factory=list)  # (label, url) from other apps (cohorts.extensions)

    @property
    def learner(self):
        return self.enrollment.learner

    @property
    def attended(self):
        return self.tally.attended

    @property
    def counted(self):
        return self.tally.counted

    @property
    def rate(self):
        """Whole percent rounded half up, or None before anyone marked this learner."""
        return self.tally.rate


def _page_context(cohort, *, failed=None, complete_all_form=None):
    """Everything the page shows. Queries: enrollments with learners, the waitlist in its order, attendance
    rates, absence streaks (2), the next session, instructors and languages: the same for any roster size."""
    enrollments = list(cohort.enrollments.select_related("learner").order_by())
    by_status = {status: [] for status in Enrollment.Status.values}
    for enrollment in enrollments:
        by_status[enrollment.status].append(enrollment)
    active = sorted(by_status[Enrollment.Status.ACTIVE], key=lambda e: e.learner.display_name.casefold())
    active_ids = [enrollment.pk for enrollment in active]
    rates = selectors.attendance_rates(enrollment_ids=active_ids)
    today = cohort.local_today()
    streaks = selectors.absence_streaks(cohort=cohort, enrollment_ids=active_ids, as_of=today)
    roster = []
    for enrollment in active:
        streak = streaks.get(enrollment.pk, 0)
        roster.append(
            RosterLine(enrollment, rates.get(enrollment.pk, Tally()), streak, streak >= cohort.at_risk_after_absences)
        )
    learners = {enrollment.pk: enrollment.learner for enrollment in enrollments}
    waitlist = list(cohort.enrollments.waitlist())  # the order is defined once, in EnrollmentQuerySet
    for enrollment in waitlist:
        enrollment.learner = learners[enrollment.pk]
    offered = sorted(
        by_status[Enrollment.Status.OFFERED], key=lambda e: (e.offer_expires_at is None, e.offer_expires_at)
    )
    seats_taken = len(active) + len(offered)
    return {
        "cohort": cohort,
        "course": cohort.course,
        "instructors": list(cohort.instructors.all()),
        "languages": list(cohort.languages.all()),
        "roster": roster,
        "at_risk_count": sum(1 for line in roster if line.at_risk),
        "offered": offered,
        "waitlist": waitlist,
        "completed": sorted(by_status[Enrollment.Status.COMPLETED], key=lambda e: e.learner.display_name.casefold()),
        "withdrawn": sorted(
            by_status[Enrollment.Status.WITHDRAWN], key=lambda e: (e.withdrawn_on is None, e.withdrawn_on), reverse=True
        ),
        "seats_taken": seats_taken,
        "seats_left": max(cohort.capacity - seats_taken, 0),
        "taking_enrollments": _taking_enrollments(cohort),
        "next_session": Session.objects.held()
        .filter(cohort=cohort, date__gte=today)
        .order_by("date", "start_time")
        .first(),
        "failed": failed,
        # Recording completions in one step is offered once the cohort has ended (see services.complete_all_who_attended).
        "has_ended": today >= cohort.end_date,
        "attended_count": sum(1 for line in roster if line.attended),
        "never_came_count": sum(1 for line in roster if not line.attended),
        "complete_all_form": complete_all_form
        or CompleteAllForm(initial={"completed_on": min(today, cohort.end_date)}),
    }


@dataclass
class FailedAction:
    """An action the page refused: shown at the top and next to the learner it was about."""

    enrollment_id: int | None
    action: str
    errors: list
    reason: str = ""


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def cohort_page(request, pk):
    cohort = _cohort_for(request, pk)
    if request.method == "POST" and request.POST.get("action") == "complete_all":
        return _complete_all(request, cohort)
    if request.method == "POST":
        form = EnrollmentActionForm(request.POST, cohort=cohort)
        if form.is_valid():
            try:
                text = _act(request, form.cleaned_data)
            except services.CohortError as error:
                error.add_to_form(form)
            else:
                messages.success(request, text)
                return redirect("cohorts:cohort", pk=cohort.pk)
        failed = FailedAction(
            enrollment_id=_int_or_none(request.POST.get("enrollment")),
            action=request.POST.get("action", ""),
            errors=[error for errors in form.errors.values() for error in errors],
            reason=request.POST.get("reason", "")[:200],
        )
        return render(
            request, "cohorts/cohort/page.html", _with_links(request, _page_context(cohort, failed=failed)), status=400
        )
    return render(request, "cohorts/cohort/page.html", _with_links(request, _page_context(cohort)))


def _complete_all(request, cohort):
    """Record the completion of everyone who attended, once the cohort has ended; bad dates said on the field."""
    form = CompleteAllForm(request.POST)
    if form.is_valid():
        try:
            completed = services.complete_all_who_attended(
                cohort=cohort, on=form.cleaned_data["completed_on"], by=request.user
            )
        except services.CohortError as error:
            error.add_to_form(form)
        else:
            messages.success(
                request,
                ngettext(
                    "Completion recorded for %(count)d learner.",
                    "Completion recorded for %(count)d learners.",
                    len(completed),
                )
                % {"count": len(completed)},
            )
            return redirect("cohorts:cohort", pk=cohort.pk)
    failed = FailedAction(
        enrollment_id=None,
        action="complete_all",
        errors=[error for errors in form.errors.values() for error in errors],
    )
    context = _page_context(cohort, failed=failed, complete_all_form=form)
    return render(request, "cohorts/cohort/page.html", _with_links(request, context), status=400)


def _with_links(request, context):
    links = learner_links(request, context["cohort"], [line.learner for line in context["roster"]])
    for line in context["roster"]:
        line.links = links.get(line.learner.pk, [])
    return context


def _int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _act(request, data):
    """Run one action; return the message to show. CohortError propagates (nothing was saved)."""
    enrollment, action = data["enrollment"], data["action"]
    name = enrollment.learner.display_name
    if action == EnrollmentActionForm.ADMIT:
        services.admit_from_waitlist(enrollment=enrollment, by=request.user)
        return _("%(name)s is now enrolled.") % {"name": name}
    if action == EnrollmentActionForm.COMPLETE:
        services.complete(enrollment=enrollment, by=request.user)
        return _("%(name)s completed the cohort.") % {"name": name}
    waiting = list(enrollment.cohort.enrollments.waitlist().values_list("pk", flat=True)[:10])
    services.withdraw(enrollment=enrollment, reason=data["reason"], by=request.user)
    parts = [_("%(name)s was withdrawn.") % {"name": name}]
    for moved in (
        Enrollment.objects.filter(pk__in=waiting).exclude(status=Enrollment.Status.WAITLISTED).select_related("learner")
    ):
        if moved.status == Enrollment.Status.OFFERED:
            parts.append(
                _("%(name)s, next on the waitlist, was offered the seat.") % {"name": moved.learner.display_name}
            )
        else:
            parts.append(_("%(name)s, next on the waitlist, now has the seat.") % {"name": moved.learner.display_name})
    return " ".join(parts)


# --- adding a learner -------------------------------------------------------------------------------------


def _learners_to_add(user, cohort):
    """Learners of the cohort's partner whom `user` may see (people.access) and who are not in the cohort now."""
    in_cohort = cohort.enrollments.exclude(status=Enrollment.Status.WITHDRAWN).values("learner_id")
    return (
        visible_learners(user)
        .filter(partner_id=cohort.partner_id)
        .exclude(pk__in=in_cohort)
        .only("full_name", "preferred_name", "phone", "email")
        .order_by("full_name", "pk")
    )


def _enrolled_message(enrollment):
    name = enrollment.learner.display_name
    if enrollment.status == Enrollment.Status.WAITLISTED:
        return _("The cohort is full, so %(name)s is on the waitlist at position %(position)d.") % {
            "name": name,
            "position": selectors.waitlist_position(enrollment),
        }
    return _("%(name)s is enrolled.") % {"name": name}


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def add_learner(request, pk):
    cohort = _cohort_for(request, pk)
    learners = _learners_to_add(request.user, cohort)
    language = get_language() if get_language() in dict(settings.LANGUAGES) else "en"
    existing_form = ExistingLearnerForm(prefix="existing", learners=learners)
    new_form = NewLearnerForm(prefix="new", initial={"preferred_language": language})
    status = 200
    if request.method == "POST":
        status = 400
        which = request.POST.get("form")
        if which == "existing":
            existing_form = ExistingLearnerForm(request.POST, prefix="existing", learners=learners)
            if existing_form.is_valid():
                try:
                    enrollment = services.enroll(
                        learner=existing_form.cleaned_data["learner"], cohort=cohort, by=request.user
                    )
                except services.CohortError as error:
                    existing_form.add_error(None, error.message)
                else:
                    messages.success(request, _enrolled_message(enrollment))
                    return redirect("cohorts:cohort", pk=cohort.pk)
        elif which == "new":
            new_form = NewLearnerForm(request.POST, prefix="new")
            if new_form.is_valid():
                try:
                    enrollment = services.enroll_new_learner(cohort=cohort, by=request.user, **new_form.cleaned_data)
                except services.CohortError as error:
                    new_form.add_error(error.field if error.field in new_form.fields else None, error.message)
                except ValidationError as error:
                    new_form.add_error(None, " ".join(error.messages))
                else:
                    messages.success(request, _enrolled_message(enrollment))
                    return redirect("cohorts:cohort", pk=cohort.pk)
        else:
            messages.error(request, _("Choose whether to add a learner you know or someone new."))
    context = {
        "cohort": cohort,
        "existing_form": existing_form,
        "new_form": new_form,
        "has_learners": existing_form.fields["learner"].queryset.exists(),
        "taking_enrollments": _taking_enrollments(cohort),
        "seats_left": max(cohort.capacity - cohort.enrollments.holding_seat().count(), 0),
    }
    return render(request, "cohorts/cohort/add.html", context, status=status)


# --- importing a roster ------------------------------------------------------------------------------------


def _store_preview(request, cohort, roster_file):
    token = secrets.token_urlsafe(16)
    previews = dict(request.session.get(PREVIEW_SESSION_KEY, {}))
    previews[token] = {
        "cohort": cohort.pk,
        "user": request.user.pk,
        "at": timezone.now().timestamp(),
        "file": roster_file.as_data(),
    }
    newest = sorted(previews.items(), key=lambda item: item[1]["at"], reverse=True)[:PREVIEWS_KEPT]
    request.session[PREVIEW_SESSION_KEY] = dict(newest)
    return token


def _stored_preview(request, cohort, token):
    entry = request.session.get(PREVIEW_SESSION_KEY, {}).get(token or "")
    if (
        not entry
        or entry.get("cohort") != cohort.pk
        or entry.get("user") != request.user.pk
        or timezone.now().timestamp() - entry.get("at", 0) > PREVIEW_MAX_AGE
    ):
        return None
    return imports.RosterFile.from_data(entry["file"])


def _forget_preview(request, token):
    previews = dict(request.session.get(PREVIEW_SESSION_KEY, {}))
    previews.pop(token, None)
    request.session[PREVIEW_SESSION_KEY] = previews


def _import_url(cohort, token=None):
    url = reverse("cohorts:import", kwargs={"pk": cohort.pk})
    return f"{url}?{urlencode({'preview': token})}" if token else url


def _preview_context(cohort, roster_file, token, confirm_form=None):
    """The checked rows and the confirm form. The template writes the token and `expected` (the rows that
    would be imported now) itself, so a re-shown form carries today's numbers, not the ones posted."""
    valid, invalid = roster_file.valid_rows, roster_file.invalid_rows
    return {
        "cohort": cohort,
        "roster": roster_file,
        "token": token,
        "valid_count": len(valid),
        "invalid_count": len(invalid),
        "invalid_rows": invalid,
        "confirm_form": confirm_form or ImportConfirmForm(),
        "seats_left": max(cohort.capacity - cohort.enrollments.holding_seat().count(), 0),
        "taking_enrollments": _taking_enrollments(cohort),
    }


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def roster_import(request, pk):
    """Upload (POST) → preview (GET ?preview=<token>, safe to reload) → confirm (POST step=confirm)."""
    cohort = _cohort_for(request, pk)
    if request.method == "POST" and request.POST.get("step") == "confirm":
        return _confirm_import(request, cohort)
    if request.method == "POST":
        form = RosterUploadForm(request.POST, request.FILES)
        if not _taking_enrollments(cohort):
            form.add_error(None, _("This cohort is not taking enrollments."))
        elif form.is_valid():
            token = _store_preview(request, cohort, form.roster_file)
            return redirect(_import_url(cohort, token))
        context = {"cohort": cohort, "upload_form": form, "taking_enrollments": _taking_enrollments(cohort)}
        return render(request, "cohorts/cohort/import.html", context, status=400)
    token = request.GET.get("preview")
    if token:
        roster_file = _stored_preview(request, cohort, token)
        if roster_file is None:
            messages.warning(request, _("That preview is no longer available. Upload the file again."))
            return redirect(_import_url(cohort))
        imports.check_roster(roster_file, cohort=cohort)
        return render(request, "cohorts/cohort/import.html", _preview_context(cohort, roster_file, token))
    context = {"cohort": cohort, "upload_form": RosterUploadForm(), "taking_enrollments": _taking_enrollments(cohort)}
    return render(request, "cohorts/cohort/import.html", context)


def _confirm_import(request, cohort):
    token = request.POST.get("token", "")
    roster_file = _stored_preview(request, cohort, token)
    if roster_file is None:
        messages.warning(request, _("That preview is no longer available. Upload the file again."))
        return redirect(_import_url(cohort))
    imports.check_roster(roster_file, cohort=cohort)  # again: the cohort may have changed since the preview
    form = ImportConfirmForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        rows = roster_file.valid_rows
        if data["action"] == ImportConfirmForm.ALL and roster_file.invalid_rows:
            form.add_error(
                None,
                ngettext(
                    "%(count)d row has a problem, so not every row can be imported. Fix it in the file and upload "
                    "it again, or import only the valid rows.",
                    "%(count)d rows have problems, so not every row can be imported. Fix them in the file and "
                    "upload it again, or import only the valid rows.",
                    len(roster_file.invalid_rows),
                )
                % {"count": len(roster_file.invalid_rows)},
            )
        elif len(rows) != data["expected"]:
            form.add_error(
                None,
                _("Something changed in this cohort since the preview. Check the rows below again, then confirm."),
            )
        elif not rows:
            form.add_error(None, _("No row can be imported. Fix the file and upload it again."))
        else:
            try:
                result = imports.import_roster(
                    cohort=cohort,
                    rows=rows,
                    by=request.user,
                    consent_data=data["consent_data"],
                    consent_contact=data["consent_contact"],
                )
            except services.CohortError as error:
                form.add_error(None, error.message)
            else:
                _forget_preview(request, token)
                messages.success(request, result.summary())
                return redirect("cohorts:cohort", pk=cohort.pk)
    context = _preview_context(cohort, roster_file, token, confirm_form=form)
    return render(request, "cohorts/cohort/import.html", context, status=400)


@never_cache
@login_required
@require_GET
def import_template(request, pk):
    """The headings to fill in, as a CSV Excel opens correctly in any language (UTF-8 with a byte order mark)."""
    _cohort_for(request, pk)
    response = HttpResponse(imports.template_csv(), content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="roster-template.csv"'
    return response


urlpatterns = [
    path("<int:pk>/", cohort_page, name="cohort"),
    path("<int:pk>/add/", add_learner, name="cohort_add"),
    path("<int:pk>/import/", roster_import, name="import"),
    path("<int:pk>/import/template.csv", import_template, name="import_template"),
]
