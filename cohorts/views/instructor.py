"""The instructor's phone-first pages (/teach/): Today, a session's roster, and the check-in code to show in class.

Instructors, partner staff and program managers use them; who may open a session is decided by
cohorts.access (`visible_cohorts` for the Today list, `can_take_attendance` for a session), and a
session someone may not mark is a 404, never a hint that it exists.
"""

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from people.access import is_program_staff

from .. import selectors, services
from ..access import can_take_attendance
from ..extensions import roster_notes
from ..forms.roster import RosterForm
from ..models import Attendance, Session

QR_SCALE = 10  # SVG units per module; the page sizes the picture with CSS


@never_cache
@login_required
@require_GET
def today(request):
    """Today's sessions first (in each cohort's local time), then the coming days, then earlier
    sessions someone still has to finish marking."""
    if not is_program_staff(request.user):
        try:
            return redirect(reverse("cohorts:portal"))
        except NoReverseMatch:
            raise PermissionDenied from None
    agenda = selectors.instructor_agenda(user=request.user, now=timezone.now())
    return render(request, "cohorts/instructor/today.html", {"agenda": agenda})


def _session_to_mark(request, pk):
    session = get_object_or_404(Session.objects.select_related("cohort__course"), pk=pk)
    if not can_take_attendance(request.user, session.cohort):
        raise Http404
    return session


def _statuses(session):
    """A session that has not happened yet can only excuse people (the service refuses anything else)."""
    if session.date > session.cohort.local_today():
        return [(Attendance.Status.EXCUSED.value, Attendance.Status.EXCUSED.label)]
    return Attendance.Status.choices


def _status_label(value):
    return Attendance.Status(value).label if value else _("not marked")


def _conflict_text(name, status):
    return _(
        "%(name)s was changed on another device to %(status)s; your change was not saved — check and save again."
    ) % {"name": name, "status": _status_label(status)}


def _isolated(name):
    """A name inside a sentence, isolated (FSI…PDI) so an Arabic name cannot reorder the English around it."""
    return f"\u2068{name}\u2069"


def _summary(rows, final):
    """'18 present; 2 absent: Hoa, Sasha' — what the roster now holds, naming who was absent or late.

    `final` is {enrollment id: status} after the save; rows without one are not marked yet."""
    separator = pgettext("between the parts of a list", ", ")
    groups = {}
    for enrollment in rows:
        groups.setdefault(final.get(enrollment.pk) or "", []).append(_isolated(enrollment.learner.display_name))
    parts = []
    for status in (
        Attendance.Status.PRESENT,
        Attendance.Status.LATE,
        Attendance.Status.EXCUSED,
        Attendance.Status.ABSENT,
        "",
    ):
        names = groups.get(status)
        if not names:
            continue
        count, listed = len(names), separator.join(names)
        if status == Attendance.Status.PRESENT:
            parts.append(ngettext("%(count)d present", "%(count)d present", count) % {"count": count})
        elif status == Attendance.Status.LATE:
            parts.append(
                ngettext("%(count)d late: %(names)s", "%(count)d late: %(names)s", count)
                % {"count": count, "names": listed}
            )
        elif status == Attendance.Status.EXCUSED:
            parts.append(ngettext("%(count)d excused", "%(count)d excused", count) % {"count": count})
        elif status == Attendance.Status.ABSENT:
            parts.append(
                ngettext("%(count)d absent: %(names)s", "%(count)d absent: %(names)s", count)
                % {"count": count, "names": listed}
            )
        else:
            parts.append(ngettext("%(count)d not marked yet", "%(count)d not marked yet", count) % {"count": count})
    return pgettext("between groups of learners", "; ").join(parts)


def _conflicts_key(session):
    return f"roster-conflicts-{session.pk}"


def _roster_context(session, form, *, conflicts=None, saved=()):
    cohort = session.cohort
    streaks = selectors.absence_streaks(
        cohort=cohort, enrollment_ids=[enrollment.pk for enrollment in form.roster], as_of=session.date
    )
    return {
        "session": session,
        "cohort": cohort,
        "form": form,
        "rows": list(
            form.rows(
                streaks=streaks,
                threshold=cohort.at_risk_after_absences,
                conflicts=conflicts,
                saved=saved,
                notes=roster_notes(session, form.roster),
            )
        ),
        "future": session.date > cohort.local_today(),
        "roster_words": _roster_words(),
    }


def _roster_words():
    """What the roster's script (cohorts/static/cohorts/roster.js) shows, translated here."""
    return {
        "saving": _("Saving…"),
        "saved": _("Saved"),
        "queued": _("Not sent yet: kept on this phone"),
        "failed": _("Not saved: the server did not answer."),
        "retry": _("Try again"),
        "offline": _("You are offline. Your taps are kept on this phone and sent when the connection returns."),
        "offlineSave": _(
            "You are offline, and nothing is lost: your marks are kept on this phone and sent when the "
            "connection returns. Save again then to see the summary."
        ),
        "sending": _("Back online: sending the marks kept on this phone…"),
    }


def _counts(roster):
    marked = sum(1 for enrollment in roster if enrollment.current_status)
    return {"marked": marked, "on_roster": len(roster), "unmarked": len(roster) - marked}


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def roster(request, pk):
    """The whole roster as one plain form; with htmx a tapped row is also saved on its own."""
    session = _session_to_mark(request, pk)
    if session.is_cancelled:
        status = 200
        if request.method == "POST":
            messages.error(request, _("This session was cancelled; there is no attendance to take."))
            status = 409
        return render(
            request, "cohorts/instructor/roster.html", {"session": session, "cohort": session.cohort}, status=status
        )
    statuses = _statuses(session)
    rows = selectors.session_roster(session=session)
    if request.method == "POST" and request.htmx and "row" in request.POST:
        return _save_row(request, session, rows, statuses)
    if request.method == "POST":
        fill = request.POST.get("action") == "all_present" and len(statuses) > 1
        form = RosterForm(request.POST, rows=rows, statuses=statuses, fill_unmarked_present=fill)
        if form.is_valid():
            marks = form.marks()
            _report_stale_rows(request, form.stale_rows)
            if not marks:
                if any(enrollment.current_status for enrollment in rows):
                    final = {enrollment.pk: enrollment.current_status for enrollment in rows}
                    messages.info(
                        request,
                        _("All saved. %(summary)s.") % {"summary": _summary(rows, final)},
                    )
                else:
                    messages.info(request, _("Nothing to save yet: tap a status for each learner, then save."))
                return redirect("cohorts:roster", pk=session.pk)
            try:
                result = services.record_attendance(session=session, marks=marks, recorded_by=request.user)
            except services.CohortError as error:
                form.add_error(None, error.message)
            else:
                _report_saved(request, session, rows, marks, result)
                return redirect("cohorts:roster", pk=session.pk)
        context = _roster_context(session, form) | _counts(rows)
        return render(request, "cohorts/instructor/roster.html", context, status=400)
    form = RosterForm(rows=rows, statuses=statuses)
    # Rows held back at the last save are shown at the row itself, once (see _report_saved).
    conflicts = {int(key): text for key, text in request.session.pop(_conflicts_key(session), {}).items()}
    context = _roster_context(session, form, conflicts=conflicts) | _counts(rows)
    return render(request, "cohorts/instructor/roster.html", context)


def _report_stale_rows(request, count):
    """Rows of a page drawn before someone left the roster (withdrawn meanwhile) are not saved; say so."""
    if count:
        messages.warning(
            request,
            ngettext(
                "%(count)d learner on your page is no longer on this session's roster; their mark was not saved.",
                "%(count)d learners on your page are no longer on this session's roster; their marks were not saved.",
                count,
            )
            % {"count": count},
        )


def _report_saved(request, session, rows, marks, result):
    """One message naming who was absent or late; rows held back as conflicts are only rows this user
    changed (RosterForm.marks leaves the rest out) and are explained at the row itself after the redirect."""
    final = {enrollment.pk: enrollment.current_status for enrollment in rows}
    final |= {mark.enrollment_id: mark.status for mark in marks}
    now_recorded = {}
    if result.conflicts:
        now_recorded = dict(
            Attendance.objects.filter(session=session, enrollment_id__in=result.conflicts).values_list(
                "enrollment_id", "status"
            )
        )
        final |= {enrollment_id: now_recorded.get(enrollment_id) for enrollment_id in result.conflicts}
    kept = len(marks) - len(result.conflicts)
    if kept:
        messages.success(
            request,
            ngettext("Saved: %(count)d marked.", "Saved: %(count)d marked.", kept) % {"count": kept}
            + " "
            + _("%(summary)s.") % {"summary": _summary(rows, final)},
        )
    if result.conflicts:
        names = {enrollment.pk: enrollment.learner.display_name for enrollment in rows}
        request.session[_conflicts_key(session)] = {
            str(enrollment_id): _conflict_text(names[enrollment_id], now_recorded.get(enrollment_id, ""))
            for enrollment_id in result.conflicts
        }
        count = len(result.conflicts)
        messages.warning(
            request,
            ngettext(
                "%(count)d of your changes was not saved: someone changed that learner on another device. "
                "See the highlighted row.",
                "%(count)d of your changes were not saved: someone changed those learners on another device. "
                "See the highlighted rows.",
                count,
            )
            % {"count": count},
        )


def _save_row(request, session, rows, statuses):
    """htmx: save the one row just tapped and answer with that row redrawn (and the count, out of band)."""
    try:
        key = int(request.POST["row"])
    except ValueError:
        return HttpResponse(status=400)
    row = next((enrollment for enrollment in rows if enrollment.pk == key), None)
    if row is None:
        raise Http404
    if not request.POST.get(f"status-{key}"):
        return HttpResponse(status=204)  # a note typed before a status: saved with the status, or the whole form
    form = RosterForm(request.POST, rows=[row], statuses=statuses)
    conflicts, saved = {}, ()
    if form.is_valid():
        try:
            result = services.record_attendance(session=session, marks=form.marks(), recorded_by=request.user)
        except services.CohortError as error:
            form.add_error(f"status-{key}", error.message)
        else:
            fresh = selectors.session_roster(session=session, enrollment_ids=[key])[0]
            if result.conflicts:
                conflicts = {key: _conflict_text(fresh.learner.display_name, fresh.current_status)}
            else:
                saved = {key}
            rows = [fresh if enrollment.pk == key else enrollment for enrollment in rows]
            form = RosterForm(rows=[fresh], statuses=statuses)
    context = _roster_context(session, form, conflicts=conflicts, saved=saved) | _counts(rows)
    context["row"] = context["rows"][0]
    context["oob"] = True
    return render(request, "cohorts/instructor/_roster_row.html", context)


def format_check_in_code(code):
    """ACD EFG: two groups of three are easier to read out and type (spaces are ignored on entry)."""
    return f"{code[:3]} {code[3:]}" if len(code) == 6 else code


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def check_in_code(request, pk):
    """Show the session's self check-in code, huge, with a QR code learners can scan; POST creates it."""
    session = _session_to_mark(request, pk)
    if request.method == "POST":
        if session.is_cancelled:
            messages.error(request, _("This session was cancelled, so there is nothing to check in to."))
        else:
            services.issue_check_in_code(session=session, by=request.user)
        return redirect("cohorts:check_in_code", pk=session.pk)
    context = {"session": session, "cohort": session.cohort}
    opens, closes = services.check_in_window(session)
    now = timezone.now()
    check_in_page = request.build_absolute_uri(reverse("cohorts:check_in"))
    context.update(
        opens=opens, closes=closes, not_open_yet=now < opens, closed=now > closes, check_in_page=check_in_page
    )
    if session.check_in_code:
        link = f"{check_in_page}?{urlencode({'code': session.check_in_code})}"
        qr = segno.make(link, error="m")
        context.update(
            code=format_check_in_code(session.check_in_code),
            check_in_link=link,
            qr_svg=mark_safe(  # noqa: S308 - segno writes the SVG; the only input is our own URL and code
                qr.svg_inline(
                    scale=QR_SCALE, omitsize=True, svgclass="qr__image", lineclass=None, title=_("QR code to check in")
                )
            ),
        )
    return render(request, "cohorts/instructor/check_in_code.html", context)


urlpatterns = [
    path("", today, name="today"),
    path("sessions/<int:pk>/", roster, name="roster"),
    path("sessions/<int:pk>/check-in/", check_in_code, name="check_in_code"),
]
