"""Who may see which cohort and take its attendance, and which learners an instructor teaches: the rules that
read cohorts' own rows (enrollments, instructors), next to them. Who is who (roles, partner organizations,
the learners a person may see) is people.access, which these build on; the API, the instructor pages, the
portal and the admin all call these same functions.
"""

from people.access import is_signed_in
from people.models import Role

from .models import Cohort, Enrollment


def learners_taught_by(user):
    """The ids of the learners enrolled (or waitlisted) in the cohorts `user` teaches. people.access asks for
    them through its LEARNERS_TAUGHT hook (cohorts/wagtail_hooks.py) for an instructor's `visible_learners`."""
    return Enrollment.objects.filter(cohort__instructors=user).values("learner_id")


def visible_cohorts(user):
    """The cohorts `user` may see: all (manager), their partner's (partner staff),
    the ones they teach (instructor), the ones they are enrolled in (learner)."""
    if not is_signed_in(user):
        return Cohort.objects.none()
    if user.is_program_manager:
        return Cohort.objects.all()
    if user.role == Role.PARTNER_STAFF:
        return Cohort.objects.filter(partner_id=user.partner_id)
    if user.role == Role.INSTRUCTOR:
        return Cohort.objects.filter(pk__in=user.cohorts_taught.values("pk"))
    if user.role == Role.LEARNER:
        return Cohort.objects.filter(enrollments__learner__user=user).distinct()
    return Cohort.objects.none()


def can_take_attendance(user, cohort):
    """Instructors of the cohort, its partner's staff and program managers."""
    if not is_signed_in(user):
        return False
    if user.is_program_manager:
        return True
    if user.role == Role.PARTNER_STAFF:
        return user.partner_id == cohort.partner_id
    if user.role == Role.INSTRUCTOR:
        return cohort.instructors.filter(pk=user.pk).exists()
    return False
