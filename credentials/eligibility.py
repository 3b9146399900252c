"""Who has earned a credential, requirement by requirement, with a plain explanation of each.

One reading of the facts for every caller — the bulk-issuing preview and task, the learner's portal, the
instructor's cohort page and issuing one certificate — so they cannot disagree:
- attendance is the program's reading (cohorts.attendance, whose docstring says why the bonus alone reads
  differently): marks at held sessions that have started, present and late count as attended, excused and
  sessions not marked yet are left out of both sides; the minimum is compared with the exact share, the rate
  shown is rounded half up to whole percent;
- hours are the lengths of the held (not cancelled) sessions the learner attended (present or late);
- a required milestone counts once a program manager verified it;
- "completed" (for a pathway that certifies completion) is the enrollment's status, recorded by staff, and the
  cohort's last day having come: a certificate of completion never precedes the end of the course.

The whole cohort is judged in a fixed number of queries, whatever its size (see `cohort_eligibility`).
Callers scope first: the cohort or learner handed in must be one the requesting user may see.
"""

import datetime
import math
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cohorts.attendance import Tally, percent
from cohorts.models import Attendance, Enrollment, Session
from cohorts.selectors import attendance_rates
from incentives.models import MilestoneAchievement

from .models import Credential, CredentialPathway

# Enrollments judged: those who took part. Waitlisted and offered learners have not started.
JUDGED_STATUSES = (Enrollment.Status.ACTIVE, Enrollment.Status.COMPLETED, Enrollment.Status.WITHDRAWN)


class Kind:
    ATTENDANCE = "attendance"
    HOURS = "hours"
    MILESTONE = "milestone"
    COMPLETION = "completion"


@dataclass(frozen=True)
class Requirement:
    kind: str
    met: bool
    explanation: str  # translated in the language active when judged


@dataclass
class Eligibility:
    pathway: CredentialPathway
    enrollment: Enrollment
    requirements: list = field(default_factory=list)
    attended: int = 0
    counted: int = 0
    hours: Decimal = Decimal("0")
    credential: Credential | None = None  # the valid credential already issued, if any

    @property
    def learner(self):
        return self.enrollment.learner

    @property
    def eligible(self):
        return all(requirement.met for requirement in self.requirements)

    @property
    def can_issue(self):
        return self.eligible and self.credential is None

    @property
    def unmet(self):
        return [requirement for requirement in self.requirements if not requirement.met]

    @property
    def rate(self):
        """Whole percent rounded half up, or None before anyone marked this learner."""
        return percent(self.attended, self.counted)


def pathways_for(cohort):
    """The pathways a cohort's learners can earn. Three queries (pathways, their courses and milestones)."""
    pathways = CredentialPathway.objects.select_related("template").prefetch_related("courses", "required_milestones")
    return [pathway for pathway in pathways if pathway.covers(cohort.course)]


def pathway_requirements(pathway):
    """What a pathway asks of every learner, in plain words for someone who was not in the class (the public
    verification page). Reads the pathway's milestones (one query unless prefetched)."""
    words = []
    if pathway.min_attendance_percent is not None:
        words.append(
            _("Came to at least %(needed)s%% of the classes.") % {"needed": _percent(pathway.min_attendance_percent)}
        )
    if pathway.min_hours is not None:
        words.append(_("Attended at least %(needed)s hours of class.") % {"needed": _hours(pathway.min_hours)})
    for milestone in pathway.required_milestones.all():
        words.append(_("%(milestone)s, checked by the program.") % {"milestone": milestone.name})
    if pathway.certifies_completion:
        words.append(_("Completed the course."))
    return words


# --- the facts ------------------------------------------------------------------------------------------


def _session_hours(start, end):
    """Session.hours from the two times alone (a class is its wall-clock length)."""
    seconds = (
        datetime.datetime.combine(datetime.date.min, end) - datetime.datetime.combine(datetime.date.min, start)
    ).total_seconds()
    return (Decimal(seconds) / Decimal(3600)).quantize(Decimal("0.01"))


def attended_hours(*, enrollment_ids):
    """{enrollment id: hours} over held sessions marked present or late. One query."""
    hours = defaultdict(Decimal)
    rows = (
        Attendance.objects.filter(
            enrollment_id__in=list(enrollment_ids), status__in=[Attendance.Status.PRESENT, Attendance.Status.LATE]
        )
        .exclude(session__status=Session.Status.CANCELLED)
        .values_list("enrollment_id", "session__start_time", "session__end_time")
        .order_by()
    )
    for enrollment_id, start, end in rows:
        hours[enrollment_id] += _session_hours(start, end)
    return hours


@dataclass
class Facts:
    rates: dict  # enrollment id -> cohorts.attendance.Tally
    hours: dict  # enrollment id -> Decimal
    milestones: dict  # (learner id, milestone type id) -> set of statuses
    credentials: dict  # (learner id, pathway id) -> Credential
    # cohort id -> sessions not cancelled that have not ended yet; read only when someone's attendance falls short
    still_scheduled: dict = field(default_factory=dict)


def gather_facts(*, enrollments, pathways):
    """Everything needed to judge `enrollments` against `pathways`: at most four queries for any number of
    learners (attendance rates, hours, milestones when a pathway requires any, credentials already issued).
    `pathways[*].required_milestones` should be prefetched."""
    enrollment_ids = [enrollment.pk for enrollment in enrollments]
    learner_ids = {enrollment.learner_id for enrollment in enrollments}
    milestone_type_ids = {milestone.pk for pathway in pathways for milestone in pathway.required_milestones.all()}
    facts = Facts(rates={}, hours={}, milestones=defaultdict(set), credentials={})
    if not enrollment_ids:
        return facts
    facts.rates = attendance_rates(enrollment_ids=enrollment_ids)
    facts.hours = attended_hours(enrollment_ids=enrollment_ids)
    if milestone_type_ids:
        for learner_id, type_id, status in MilestoneAchievement.objects.filter(
            learner_id__in=learner_ids, milestone_type_id__in=milestone_type_ids
        ).values_list("learner_id", "milestone_type_id", "status"):
            facts.milestones[(learner_id, type_id)].add(status)
    for credential in Credential.objects.filter(
        learner_id__in=learner_ids, pathway__in=[pathway.pk for pathway in pathways], status=Credential.Status.ISSUED
    ):
        facts.credentials[(credential.learner_id, credential.pathway_id)] = credential
    facts.still_scheduled = _still_scheduled(enrollments, pathways, facts.rates)
    return facts


def _still_scheduled(enrollments, pathways, rates):
    """{cohort id: sessions still to come} for the cohorts of active learners below a pathway's attendance
    minimum: what "N more sessions" can honestly count on. One query, and none when nobody falls short."""
    needed = [pathway.min_attendance_percent for pathway in pathways if pathway.min_attendance_percent is not None]
    if not needed:
        return {}
    short = set()
    for enrollment in enrollments:
        tally = rates.get(enrollment.pk, Tally())
        if enrollment.status == Enrollment.Status.ACTIVE and tally.counted and not tally.meets(max(needed)):
            short.add(enrollment.cohort_id)
    if not short:
        return {}
    now = timezone.now()
    still = defaultdict(int)
    # Sessions from yesterday on (a time zone ahead of the server's may already be a day further), then
    # those not yet ended in their own cohort's zone.
    for cohort_id, day, end, zone in (
        Session.objects.held()
        .filter(cohort_id__in=short, date__gte=timezone.localdate(now) - datetime.timedelta(days=1))
        .values_list("cohort_id", "date", "end_time", "cohort__time_zone")
        .order_by()
    ):
        if datetime.datetime.combine(day, end, tzinfo=ZoneInfo(zone)) > now:
            still[cohort_id] += 1
    return still


# --- the judgement --------------------------------------------------------------------------------------


def _number(value):
    """12, 4.5, 66.67: no trailing zeros, in the active language's format."""
    value = Decimal(value)
    value = value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()
    return number_format(value, use_l10n=True)


def _plural_count(value):
    """The number ngettext chooses a plural form by: a fraction reads as plural ("0.5 hours")."""
    return int(value) if value == value.to_integral_value() else 2


_percent = _hours = _number


def sessions_to_reach(attended, counted, percent):
    """How many more sessions attended in a row bring `attended / counted` up to `percent`; None if never."""
    target = Decimal(percent) / 100
    if attended >= target * counted:
        return 0
    if target >= 1:
        return None
    return math.ceil((target * counted - attended) / (1 - target))


def _attendance(pathway, attended, counted, still_scheduled):
    """`still_scheduled`: the sessions left to the learner in this cohort. A shortfall is told against those
    alone: a cohort that has ended offers no "N more sessions"."""
    needed = pathway.min_attendance_percent
    if counted == 0:
        return Requirement(
            Kind.ATTENDANCE,
            needed == 0,
            _("No attendance recorded yet; needs %(needed)s%%.") % {"needed": _percent(needed)},
        )
    values = {"rate": percent(attended, counted), "needed": _percent(needed), "attended": attended, "counted": counted}
    if Tally(attended=attended, counted=counted).meets(needed):
        return Requirement(
            Kind.ATTENDANCE,
            True,
            _("Attendance %(rate)s%% (%(attended)s of %(counted)s sessions); needs %(needed)s%%.") % values,
        )
    return _attendance_with_sessions_left(needed, attended, counted, still_scheduled, values)


def _attendance_with_sessions_left(needed, attended, counted, left, values):
    """Only the sessions still scheduled count: the fewest of them to attend (missing the others) that end at
    the minimum; or, when none would, that it can no longer be reached in this cohort."""
    more = next(
        (extra for extra in range(left + 1) if Tally(attended=attended + extra, counted=counted + left).meets(needed)),
        None,
    )
    if more is None:
        if left == 0:
            text = _(
                "Attendance %(rate)s%% (%(attended)s of %(counted)s sessions); needs %(needed)s%%: no sessions are "
                "left in this cohort, so it can no longer be reached here."
            )
        else:
            text = ngettext(
                "Attendance %(rate)s%% (%(attended)s of %(counted)s sessions); needs %(needed)s%%: even the %(left)s "
                "session still scheduled would not reach it, so it can no longer be reached in this cohort.",
                "Attendance %(rate)s%% (%(attended)s of %(counted)s sessions); needs %(needed)s%%: even all %(left)s "
                "sessions still scheduled would not reach it, so it can no longer be reached in this cohort.",
                left,
            )
        return Requirement(Kind.ATTENDANCE, False, text % {**values, "left": left})
    return Requirement(
        Kind.ATTENDANCE,
        False,
        ngettext(
            "Attendance %(rate)s%% (%(attended)s of %(counted)s sessions); needs %(needed)s%%: attend the "
            "%(left)s session still scheduled to reach it.",
            "Attendance %(rate)s%% (%(attended)s of %(counted)s sessions); needs %(needed)s%%: attend %(more)s of "
            "the %(left)s sessions still scheduled to reach it.",
            left,
        )
        % {**values, "more": more, "left": left},
    )


def _hours_requirement(pathway, hours):
    needed = pathway.min_hours
    if hours >= needed:
        return Requirement(
            Kind.HOURS,
            True,
            _("%(hours)s hours attended; needs %(needed)s.") % {"hours": _hours(hours), "needed": _hours(needed)},
        )
    missing = needed - hours
    return Requirement(
        Kind.HOURS,
        False,
        ngettext(
            "Needs %(missing)s more hour (%(hours)s of %(needed)s).",
            "Needs %(missing)s more hours (%(hours)s of %(needed)s).",
            _plural_count(missing),
        )
        % {"missing": _hours(missing), "hours": _hours(hours), "needed": _hours(needed)},
    )


def _milestone(milestone, statuses):
    name = {"milestone": milestone.name}
    Status = MilestoneAchievement.Status
    if Status.VERIFIED in statuses:
        return Requirement(Kind.MILESTONE, True, _("%(milestone)s verified.") % name)
    if Status.RECORDED in statuses:
        return Requirement(Kind.MILESTONE, False, _("%(milestone)s recorded, not yet verified.") % name)
    if Status.REJECTED in statuses:
        return Requirement(
            Kind.MILESTONE,
            False,
            _("%(milestone)s: the evidence was rejected; record it again with new evidence.") % name,
        )
    return Requirement(Kind.MILESTONE, False, _("%(milestone)s not recorded yet.") % name)


def _completion(enrollment):
    """A certificate of completion claims the course is over and the learner finished it, so both must be
    true: the cohort's last day has come, and staff recorded the learner's completion (cohorts.services.complete).
    A completion recorded early still waits for the last day: the paper must not print a future end."""
    cohort = enrollment.cohort
    if enrollment.status == Enrollment.Status.WITHDRAWN:
        if enrollment.withdrawn_on:
            return Requirement(
                Kind.COMPLETION,
                False,
                _("Left the course on %(date)s; the course must be completed.")
                % {"date": date_format(enrollment.withdrawn_on, "DATE_FORMAT")},
            )
        return Requirement(Kind.COMPLETION, False, _("Left the course; the course must be completed."))
    end = {"date": date_format(cohort.end_date, "DATE_FORMAT")}
    if cohort.local_today() < cohort.end_date:
        return Requirement(Kind.COMPLETION, False, _("The cohort ends on %(date)s.") % end)
    if enrollment.status != Enrollment.Status.COMPLETED:
        return Requirement(
            Kind.COMPLETION,
            False,
            _("The cohort ended on %(date)s; staff have not recorded the completion yet.") % end,
        )
    if enrollment.completed_on:
        return Requirement(
            Kind.COMPLETION,
            True,
            _("Completed the course on %(date)s.") % {"date": date_format(enrollment.completed_on, "DATE_FORMAT")},
        )
    return Requirement(Kind.COMPLETION, True, _("Completed the course."))


def judge(pathway, enrollment, facts):
    """One learner against one pathway, from facts already gathered. No queries."""
    tally = facts.rates.get(enrollment.pk, Tally())
    attended, counted = tally.attended, tally.counted
    hours = facts.hours.get(enrollment.pk, Decimal("0"))
    result = Eligibility(
        pathway=pathway,
        enrollment=enrollment,
        attended=attended,
        counted=counted,
        hours=hours,
        credential=facts.credentials.get((enrollment.learner_id, pathway.pk)),
    )
    if pathway.min_attendance_percent is not None:
        # Only an active learner has sessions ahead; one who completed or left has none in this cohort.
        left = (
            facts.still_scheduled.get(enrollment.cohort_id, 0) if enrollment.status == Enrollment.Status.ACTIVE else 0
        )
        result.requirements.append(_attendance(pathway, attended, counted, left))
    if pathway.min_hours is not None:
        result.requirements.append(_hours_requirement(pathway, hours))
    for milestone in pathway.required_milestones.all():
        result.requirements.append(
            _milestone(milestone, facts.milestones.get((enrollment.learner_id, milestone.pk), set()))
        )
    if pathway.certifies_completion:
        result.requirements.append(_completion(enrollment))
    return result


def _sort_key(eligibility):
    learner = eligibility.learner
    return (learner.full_name.casefold(), learner.pk)


def _with_requirements(pathway):
    if "required_milestones" in getattr(pathway, "_prefetched_objects_cache", {}):
        return pathway
    return (
        CredentialPathway.objects.select_related("template")
        .prefetch_related("courses", "required_milestones")
        .get(pk=pathway.pk)
    )


def cohort_eligibility(*, pathway, cohort, learner_ids=None):
    """Every learner who took part in `cohort`, judged against `pathway`, by name.

    Queries, whatever the cohort size: the enrollments with their learners, attendance rates, hours,
    milestones (when the pathway requires any), credentials already issued — plus three to load the
    pathway's courses and milestones when it was not loaded with them.
    """
    pathway = _with_requirements(pathway)
    enrollments = Enrollment.objects.filter(cohort=cohort, status__in=JUDGED_STATUSES).select_related("learner")
    if learner_ids is not None:
        enrollments = enrollments.filter(learner_id__in=list(learner_ids))
    enrollments = list(enrollments)
    for enrollment in enrollments:
        enrollment.cohort = cohort  # judged against its end date; no query per learner
    facts = gather_facts(enrollments=enrollments, pathways=[pathway])
    return sorted((judge(pathway, enrollment, facts) for enrollment in enrollments), key=_sort_key)


def learner_progress(*, learner, pathways=None):
    """The learner's progress toward each credential their cohorts lead to, for the portal: one line per
    (enrollment, pathway). A fixed number of queries, whatever the number of cohorts and pathways.
    `pathways`, when given, must have their courses and required milestones prefetched."""
    enrollments = list(
        Enrollment.objects.filter(learner=learner, status__in=JUDGED_STATUSES).select_related(
            "learner", "cohort__course"
        )
    )
    if not enrollments:
        return []
    if pathways is None:
        pathways = list(CredentialPathway.objects.prefetch_related("courses", "required_milestones"))
    pairs = [
        (pathway, enrollment)
        for enrollment in enrollments
        for pathway in pathways
        if pathway.covers(enrollment.cohort.course)
    ]
    if not pairs:
        return []
    facts = gather_facts(enrollments=enrollments, pathways=[pathway for pathway, _enrollment in pairs])
    return [judge(pathway, enrollment, facts) for pathway, enrollment in pairs]
