"""Who may see what: the single home of the scoping rules every selector, view,
export and API endpoint goes through.

- Program managers (and superusers) see every partner and every learner.
- Partner staff see their own partner organization and its learners.
- Instructors see their own partner organization, the cohorts they teach and
  the learners enrolled (or waitlisted) in those cohorts — never their whole partner.
- A learner sees only their own learner record.
- Anonymous visitors and inactive accounts see nothing.

Cohorts live in an app that depends on this one, so their models are looked up
by name here rather than imported: the rules stay in one place.
"""

from django.apps import apps

from .models import Learner, Partner, Role


def _is_signed_in(user):
    return user is not None and user.is_authenticated and user.is_active


def visible_partners(user):
    """The partner organizations `user` may see."""
    if not _is_signed_in(user):
        return Partner.objects.none()
    if user.is_program_manager:
        return Partner.objects.all()
    if user.role in (Role.PARTNER_STAFF, Role.INSTRUCTOR):
        return Partner.objects.filter(pk=user.partner_id)
    if user.role == Role.LEARNER:
        return Partner.objects.filter(learners__user=user)
    return Partner.objects.none()


def visible_learners(user):
    """The learners `user` may see."""
    if not _is_signed_in(user):
        return Learner.objects.none()
    if user.is_program_manager:
        return Learner.objects.all()
    if user.role == Role.PARTNER_STAFF:
        return Learner.objects.filter(partner_id=user.partner_id)
    if user.role == Role.INSTRUCTOR:
        return Learner.objects.filter(pk__in=_learner_ids_taught_by(user))
    if user.role == Role.LEARNER:
        return Learner.objects.filter(user=user)
    return Learner.objects.none()


def _learner_ids_taught_by(user):
    Enrollment = apps.get_model("cohorts", "Enrollment")
    return Enrollment.objects.filter(cohort__instructors=user).values("learner_id")


def visible_cohorts(user):
    """The cohorts `user` may see: all (manager), their partner's (partner staff),
    the ones they teach (instructor), the ones they are enrolled in (learner)."""
    Cohort = apps.get_model("cohorts", "Cohort")
    if not _is_signed_in(user):
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
    if not _is_signed_in(user):
        return False
    if user.is_program_manager:
        return True
    if user.role == Role.PARTNER_STAFF:
        return user.partner_id == cohort.partner_id
    if user.role == Role.INSTRUCTOR:
        return cohort.instructors.filter(pk=user.pk).exists()
    return False


def can_see_learner(user, learner):
    return visible_learners(user).filter(pk=learner.pk).exists()


def can_manage_partner(user, partner):
    """Configuration rights over a partner's cohorts and learners (not instructors)."""
    if not _is_signed_in(user):
        return False
    if user.is_program_manager:
        return True
    return user.role == Role.PARTNER_STAFF and user.partner_id == partner.pk


def is_program_staff(user):
    """Managers, partner staff and instructors: people who work for the program, not learners."""
    if not _is_signed_in(user):
        return False
    return user.is_program_manager or user.role in (Role.PARTNER_STAFF, Role.INSTRUCTOR)


def can_invite_to_portal(user, learner):
    """Staff who can see a learner may give them a portal account: program managers,
    their partner's staff and the instructors who teach them. Learners invite no one."""
    return is_program_staff(user) and can_see_learner(user, learner)
