"""The to-do list on a manager's or partner staff member's admin home: what is waiting for someone, each a
count with a link to the admin listing that shows it.

Reads only, through the selectors the listings themselves use, so a count and the listing it links to
cannot disagree; scoped by people.access (partner staff count their own partner's rows). A fixed number of
queries whatever the amount of data (tests/outcomes/test_todo.py holds it to that).
"""

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count, Exists, Max, Min, OuterRef, Q
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cohorts.models import Attendance, Cohort, Enrollment, Session
from cohorts.selectors import at_risk_counts
from credentials.eligibility import JUDGED_STATUSES, gather_facts, judge
from credentials.models import CredentialPathway
from incentives.access import can_decide_incentives, can_work_on_incentives
from incentives.models import BonusRule, Decision, MilestoneAchievement, MonthlyBonus
from incentives.months import month_key, month_label
from incentives.selectors import achievements_visible_to, bonuses_visible_to, deposits_visible_to
from incentives.services import month_bounds
from people.access import limit_to_managed_partners

# How far back the list looks for months never computed and sessions never marked: older gaps are
# history, not today's work.
LOOK_BACK_MONTHS = 12
UNMARKED_LOOK_BACK = datetime.timedelta(days=60)
# A seat offer "about to expire": the learner has two days or less to accept.
OFFER_EXPIRES_SOON = datetime.timedelta(hours=48)


@dataclass
class Item:
    key: str  # stable, for tests and styling
    count: int
    text: str  # the sentence with the count in it, translated
    url: str
    details: list = field(default_factory=list)  # (text, url) lines under the item, e.g. per instructor


def _url(name, **query):
    url = reverse(name)
    return f"{url}?{urlencode(query)}" if query else url


def todo_list(user, *, now=None):
    """The items `user` may see, in the order of a month's work. Empty for anyone without the admin."""
    if not can_work_on_incentives(user):  # program managers and partner staff
        return []
    now = now or timezone.now()
    today = timezone.localdate(now)
    items = []
    if can_decide_incentives(user):  # computing a month is the managers' decision
        items.append(_months_not_computed(user, today))
    items.extend(_bonuses_to_decide(user))
    items.append(_unmarked_sessions(user, today))
    items.append(_milestones_to_verify(user))
    items.append(_credentials_to_issue(user))
    items.append(_learners_at_risk(user, today))
    items.append(_offers_expiring(user, now))
    return items


def _months_not_computed(user, today):
    """Ended months (of the last twelve) in which a cohort a bonus rule covers held a session, but no bonus
    row exists. Three queries: the rules with their courses, the months held, the months computed."""
    this_month = today.replace(day=1)
    since = (this_month - datetime.timedelta(days=31 * LOOK_BACK_MONTHS)).replace(day=1)
    rules = list(BonusRule.objects.prefetch_related("courses"))
    covered = Q(pk__in=[])
    for rule in rules:
        covered |= rule.covers_q("cohort__course")
    held = {
        month.date() if isinstance(month, datetime.datetime) else month
        for month in Session.objects.held()
        .filter(covered, date__gte=since, date__lt=this_month)
        .annotate(month=TruncMonth("date"))
        .values_list("month", flat=True)
        .distinct()
    }
    computed = set(
        MonthlyBonus.objects.filter(month__gte=since, month__lt=this_month).values_list("month", flat=True).distinct()
    )
    missing = sorted(
        month
        for month in held - computed
        if any(rule.is_active_in(*month_bounds(month)) for rule in rules)  # a rule ran that month
    )
    compute_url = reverse("monthly_bonus_admin:compute")
    return Item(
        key="months_not_computed",
        count=len(missing),
        text=ngettext(
            "%(count)s month whose bonuses are not computed",
            "%(count)s months whose bonuses are not computed",
            len(missing),
        )
        % {"count": len(missing)},
        url=compute_url,
        details=[(month_label(month), f"{compute_url}?{urlencode({'month': month_key(month)})}") for month in missing],
    )


def _bonuses_to_decide(user):
    """Bonus and savings-match rows waiting for approval, and decided bonuses whose attendance changed since.
    Two queries."""
    bonuses = bonuses_visible_to(user).aggregate(
        eligible=Count("pk", filter=Q(status=Decision.ELIGIBLE)),
        adjust=Count("pk", filter=Q(status=Decision.NEEDS_ADJUSTMENT)),
    )
    deposits = deposits_visible_to(user).filter(status=Decision.ELIGIBLE).count()
    return [
        Item(
            key="bonuses_to_approve",
            count=bonuses["eligible"],
            text=ngettext(
                "%(count)s bonus awaiting approval", "%(count)s bonuses awaiting approval", bonuses["eligible"]
            )
            % {"count": bonuses["eligible"]},
            url=_url("monthly_bonus_admin:index", status=Decision.ELIGIBLE),
        ),
        Item(
            key="bonuses_to_adjust",
            count=bonuses["adjust"],
            text=ngettext(
                "%(count)s bonus needing an adjustment", "%(count)s bonuses needing an adjustment", bonuses["adjust"]
            )
            % {"count": bonuses["adjust"]},
            url=_url("monthly_bonus_admin:index", status=Decision.NEEDS_ADJUSTMENT),
        ),
        Item(
            key="deposits_to_approve",
            count=deposits,
            text=ngettext(
                "%(count)s savings deposit awaiting approval", "%(count)s savings deposits awaiting approval", deposits
            )
            % {"count": deposits},
            url=_url("savings_deposit_admin:index", status=Decision.ELIGIBLE),
        ),
    ]


def _unmarked_sessions(user, today):
    """Held sessions of the last sixty days, before today, where no one was marked, counted by instructor.
    One query."""
    sessions = (
        limit_to_managed_partners(user, Session.objects.held(), partner_field="cohort__partner")
        .filter(date__lt=today, date__gte=today - UNMARKED_LOOK_BACK)
        .filter(Exists(Enrollment.objects.filter(cohort=OuterRef("cohort"), status=Enrollment.Status.ACTIVE)))
        .exclude(Exists(Attendance.objects.filter(session=OuterRef("pk"))))
    )
    rows = list(
        sessions.values(
            "cohort__instructors__pk",
            "cohort__instructors__first_name",
            "cohort__instructors__last_name",
            "cohort__instructors__username",
        )
        .annotate(
            sessions=Count("pk", distinct=True),
            cohorts=Count("cohort", distinct=True),
            some_cohort=Min("cohort"),
            oldest=Min("date"),
            newest=Max("date"),
        )
        .order_by("-sessions", "cohort__instructors__username")
    )
    total = sessions.count()  # a session two instructors share is one session
    details = []
    for row in rows:
        # A cohort nobody teaches yet has a row too, its names None (not "None None").
        names = (row["cohort__instructors__first_name"], row["cohort__instructors__last_name"])
        name = " ".join(part for part in names if part) or row["cohort__instructors__username"] or _("No instructor")
        query = {"date_from": row["oldest"].isoformat(), "date_to": row["newest"].isoformat()}
        if row["cohorts"] == 1:
            query["cohort"] = row["some_cohort"]
        sentence = ngettext("%(name)s: %(count)s session", "%(name)s: %(count)s sessions", row["sessions"])
        details.append(
            (
                # The name isolated, so an Arabic name does not reorder the sentence around it.
                mark_safe(  # noqa: S308 (the sentence is escaped, the name escaped inside its <bdi>)
                    conditional_escape(sentence)
                    % {"name": format_html("<bdi>{}</bdi>", name), "count": row["sessions"]}
                ),
                _url("session_admin:index", **query),
            )
        )
    return Item(
        key="unmarked_sessions",
        count=total,
        text=ngettext(
            "%(count)s past session with no attendance taken", "%(count)s past sessions with no attendance taken", total
        )
        % {"count": total},
        url=_url("session_admin:index", date_to=(today - datetime.timedelta(days=1)).isoformat()),
        details=details,
    )


def _milestones_to_verify(user):
    """One query."""
    count = achievements_visible_to(user).filter(status=MilestoneAchievement.Status.RECORDED).count()
    return Item(
        key="milestones_to_verify",
        count=count,
        text=ngettext("%(count)s milestone awaiting verification", "%(count)s milestones awaiting verification", count)
        % {"count": count},
        url=_url("milestone_achievement_admin:index", status=MilestoneAchievement.Status.RECORDED),
    )


def _credentials_to_issue(user):
    """Learners who meet every requirement of a credential their cohort leads to and do not hold it yet: the
    eligibility the bulk-issuing preview shows (credentials.eligibility). Queries: the enrollments, the
    pathways with their courses and milestones (three), and gather_facts' four."""
    enrollments = list(
        limit_to_managed_partners(user, Enrollment.objects.all(), partner_field="cohort__partner")
        .filter(status__in=JUDGED_STATUSES)
        .exclude(cohort__status=Cohort.Status.CANCELLED)
        .select_related("learner", "cohort__course")
    )
    pathways = list(
        CredentialPathway.objects.select_related("template").prefetch_related("courses", "required_milestones")
    )
    pairs = [
        (pathway, enrollment)
        for enrollment in enrollments
        for pathway in pathways
        if pathway.covers(enrollment.cohort.course)
    ]
    facts = gather_facts(enrollments=enrollments, pathways=pathways) if pairs else None
    to_issue = [(pathway, enrollment) for pathway, enrollment in pairs if judge(pathway, enrollment, facts).can_issue]
    learners = {enrollment.learner_id for _pathway, enrollment in to_issue}
    batches = {(enrollment.cohort_id, pathway.pk) for pathway, enrollment in to_issue}
    url = reverse("credential_batch_admin:add")
    if len(batches) == 1:
        cohort_id, pathway_id = next(iter(batches))
        url = _url("credential_batch_admin:add", cohort=cohort_id, pathway=pathway_id)
    return Item(
        key="credentials_to_issue",
        count=len(learners),
        text=ngettext(
            "%(count)s learner eligible for a credential not yet issued",
            "%(count)s learners eligible for a credential not yet issued",
            len(learners),
        )
        % {"count": len(learners)},
        url=url,
    )


def _learners_at_risk(user, today):
    """Active learners of cohorts under way who missed their cohort's number of sessions in a row
    (cohorts.selectors.at_risk_counts, as the instructor's pages flag them). Two queries."""
    cohorts = list(
        limit_to_managed_partners(user, Cohort.objects.filter(start_date__lte=today, end_date__gte=today))
        .exclude(status=Cohort.Status.CANCELLED)
        .only("pk", "time_zone", "at_risk_after_absences")
    )
    counts = at_risk_counts(cohorts=cohorts, as_of={cohort.pk: cohort.local_today() for cohort in cohorts})
    count = sum(counts.values())
    return Item(
        key="learners_at_risk",
        count=count,
        text=ngettext("%(count)s learner at risk", "%(count)s learners at risk", count) % {"count": count},
        url=reverse("cohort_admin:index"),
    )


def _offers_expiring(user, now):
    """Seats offered from the waitlist whose offer ends within two days. One query."""
    count = (
        limit_to_managed_partners(user, Enrollment.objects.all(), partner_field="cohort__partner")
        .filter(
            status=Enrollment.Status.OFFERED, offer_expires_at__gt=now, offer_expires_at__lte=now + OFFER_EXPIRES_SOON
        )
        .count()
    )
    return Item(
        key="offers_expiring",
        count=count,
        text=ngettext(
            "%(count)s waitlist offer expiring within two days",
            "%(count)s waitlist offers expiring within two days",
            count,
        )
        % {"count": count},
        url=_url("enrollment_admin:index", status=Enrollment.Status.OFFERED),
    )
