"""Incentive pages outside the admin: recording a learner's milestone from a cohort's page, and evidence
downloads.

Evidence downloads: a milestone's or a savings deposit's file, streamed from private storage.

The files are never under MEDIA_URL; this is the only way to them. Who may fetch one is decided by
incentives.access (can_see_milestone_evidence, can_see_savings_evidence); anyone else gets the same 404 as
for a record that does not exist, so ids reveal nothing. Every download is written to the audit log.
"""

import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods
from wagtail.log_actions import log

from cohorts.access import visible_cohorts
from cohorts.models import Enrollment
from people.models import Learner

from . import selectors, services
from .access import can_record_milestone
from .forms import RecordMilestoneForm
from .models import MilestoneAchievement

DOWNLOAD_ACTION = "incentives.evidence.download"


def _stream(request, record, kind):
    try:
        handle = record.evidence.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    name = record.evidence_name or record.evidence.name.rsplit("/", 1)[-1]
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    # Should a browser render it anyway, it runs nothing and loads nothing.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    log(record, DOWNLOAD_ACTION, user=request.user, data={"kind": kind, "learner": record.learner_id, "file": name})
    return response


@require_GET
@login_required
def achievement_evidence(request, pk):
    achievement = selectors.achievement_evidence(request.user, pk)
    if achievement is None:
        raise Http404
    return _stream(request, achievement, "milestone")


@require_GET
@login_required
def savings_evidence(request, pk):
    deposit = selectors.deposit_evidence(request.user, pk)
    if deposit is None:
        raise Http404
    return _stream(request, deposit, "savings")


# --- recording a milestone (instructors and staff) ------------------------------------------------------


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def record_milestone(request, learner_id):
    """One learner's milestones so far and a form to record another. Anyone who may not record for this
    learner gets the same 404 as for a learner who does not exist."""
    learner = Learner.objects.filter(pk=learner_id).first()
    if learner is None or not can_record_milestone(request.user, learner):
        raise Http404
    cohort = _cohort_to_return_to(request, learner)
    back = reverse("cohorts:cohort", args=[cohort.pk]) if cohort else reverse("cohorts:today")
    tracks = set(
        Enrollment.objects.filter(learner=learner)
        .exclude(status=Enrollment.Status.WAITLISTED)
        .values_list("cohort__course__track", flat=True)
    )
    form = RecordMilestoneForm(request.POST or None, request.FILES or None, tracks=tracks)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_milestone(
                learner=learner,
                milestone_type=data["milestone_type"],
                achieved_on=data["achieved_on"],
                amount=data["amount"],
                note=data["note"],
                evidence=data["evidence"],
                by=request.user,
            )
        except services.IncentiveError as error:
            error.add_to_form(form)
        else:
            messages.success(
                request,
                _("%(milestone)s recorded for %(name)s. A program manager will verify it.")
                % {"milestone": data["milestone_type"].name, "name": learner.display_name},
            )
            return redirect(back)
    return render(
        request,
        "incentives/teach/record_milestone.html",
        {
            "learner": learner,
            "cohort": cohort,
            "back": back,
            "form": form,
            "achievements": MilestoneAchievement.objects.filter(learner=learner)
            .select_related("milestone_type")
            .order_by("-achieved_on", "-pk"),
        },
        status=400 if request.method == "POST" else 200,
    )


def _cohort_to_return_to(request, learner):
    """The cohort page the user came from (?cohort=), if it is one of theirs and the learner is in it."""
    try:
        cohort_id = int(request.GET.get("cohort", ""))
    except ValueError:
        return None
    return visible_cohorts(request.user).filter(pk=cohort_id, enrollments__learner=learner).distinct().first()
