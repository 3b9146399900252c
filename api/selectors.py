"""Reads for the API. Each starts from the scope the site itself uses (people.access, cohorts.access or the
app's selectors), so a token sees exactly what its person's pages show, and loads what its response needs in
a fixed number of queries. No scoping rule is written here."""

from django.db.models import Prefetch, Q

from cohorts.access import visible_cohorts
from cohorts.models import Enrollment, Session
from cohorts.selectors import sessions_visible_to
from incentives.selectors import achievements_readable_by, bonuses_readable_by
from people.access import visible_learners


def cohorts_for(user, *, status=None, partner=None, term=None):
    cohorts = visible_cohorts(user).select_related("partner", "course").prefetch_related("languages")
    if status:
        cohorts = cohorts.filter(status=status)
    if partner:
        cohorts = cohorts.filter(partner_id=partner)
    if term:
        cohorts = cohorts.filter(term=term)
    return cohorts.order_by("-start_date", "name", "pk")


def cohort_for(user, pk):
    return cohorts_for(user).prefetch_related("meeting_times").filter(pk=pk).first()


def cohort_is_visible(user, pk):
    return visible_cohorts(user).filter(pk=pk).exists()


def sessions_for(user, *, cohort_id, date_from=None, date_to=None, status=None):
    sessions = sessions_visible_to(user).filter(cohort_id=cohort_id).select_related("cohort")
    if date_from:
        sessions = sessions.filter(date__gte=date_from)
    if date_to:
        sessions = sessions.filter(date__lte=date_to)
    if status:
        sessions = sessions.filter(status=status)
    return sessions.order_by("date", "start_time", "pk")


def session_for(user, pk) -> Session | None:
    return sessions_visible_to(user).select_related("cohort").filter(pk=pk).first()


def learners_for(user, *, cohort=None, partner=None, name=None):
    learners = visible_learners(user).select_related("partner")
    if cohort:
        learners = learners.filter(pk__in=Enrollment.objects.filter(cohort_id=cohort).values("learner_id"))
    if partner:
        learners = learners.filter(partner_id=partner)
    if name:
        learners = learners.filter(Q(full_name__icontains=name) | Q(preferred_name__icontains=name))
    return learners.order_by("full_name", "pk")


def learner_for(user, pk):
    """The learner with only the enrollments `user` may see (an instructor: in the cohorts they teach)."""
    enrollments = (
        Enrollment.objects.filter(cohort__in=visible_cohorts(user))
        .select_related("cohort")
        .order_by("-cohort__start_date", "cohort__name", "pk")
    )
    return (
        visible_learners(user)
        .select_related("partner")
        .prefetch_related(Prefetch("enrollments", queryset=enrollments))
        .filter(pk=pk)
        .first()
    )


def bonuses_for(user, *, month=None, status=None, learner=None, partner=None):
    """The ledger rows the admin shows `user` (program managers every partner's, partner staff their own
    partner's) and, for a learner, their own rows as the portal shows them. Instructors see no ledger."""
    bonuses = bonuses_readable_by(user).select_related("learner", "rule")
    if month:
        bonuses = bonuses.filter(month=month)
    if status:
        bonuses = bonuses.filter(status=status)
    if learner:
        bonuses = bonuses.filter(learner_id=learner)
    if partner:
        bonuses = bonuses.filter(partner_id=partner)
    return bonuses.order_by("-month", "learner__full_name", "rule__name", "pk")


def milestones_for(user, *, status=None, milestone=None, learner=None, achieved_from=None, achieved_to=None):
    """The achievements the admin shows `user`, and those of the learners they may see: instructors their
    learners' (who record milestones and see their evidence), a learner their own."""
    achievements = achievements_readable_by(user).select_related("learner", "milestone_type")
    if status:
        achievements = achievements.filter(status=status)
    if milestone:
        achievements = achievements.filter(milestone_type__slug=milestone)
    if learner:
        achievements = achievements.filter(learner_id=learner)
    if achieved_from:
        achievements = achievements.filter(achieved_on__gte=achieved_from)
    if achieved_to:
        achievements = achievements.filter(achieved_on__lte=achieved_to)
    return achievements.order_by("-achieved_on", "learner__full_name", "pk")
