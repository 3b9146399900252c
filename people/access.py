"""Who may see what: the single home of the scoping rules every selector, view,
export and API endpoint goes through.

- Program managers (and superusers) see every partner and every learner.
- Partner staff see their own partner organization and its learners.
- Instructors see their own partner organization, the cohorts they teach and
  the learners enrolled (or waitlisted) in those cohorts — never their whole partner.
- A learner sees only their own learner record.
- Anonymous visitors and inactive accounts see nothing.
- In the Wagtail admin, program managers configure every partner's cohorts, sessions,
  enrollments and holidays; partner staff only their own partner's; instructors and
  learners have no admin at all (can_configure_cohorts, limit_to_managed_partners).

Cohorts live in an app that depends on this one, so their models are looked up
by name here rather than imported: the rules stay in one place.
"""

from django.apps import apps
from django.db.models import Q

from .models import Learner, Partner, Role, User


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


def can_record_milestone(user, learner):
    """Staff who can see a learner record their milestones (instructors from their cohort's page, staff
    in the admin too); only program managers verify them (incentives.viewsets)."""
    return is_program_staff(user) and can_see_learner(user, learner)


def can_invite_to_portal(user, learner):
    """Staff who can see a learner may give them a portal account: program managers,
    their partner's staff and the instructors who teach them. Learners invite no one."""
    return is_program_staff(user) and can_see_learner(user, learner)


# --- configuration in the Wagtail admin (cohorts, sessions, enrollments, holidays) --------------


def can_configure_cohorts(user):
    """Program managers and partner staff configure cohorts in the admin; instructors and learners do not."""
    if not _is_signed_in(user):
        return False
    return user.is_program_manager or user.role == Role.PARTNER_STAFF


def users_who_configure_cohorts(*, partner_id=None):
    """The accounts `can_configure_cohorts` allows, as a queryset; with `partner_id`, those who may
    configure that partner's cohorts (its staff and every program manager)."""
    users = User.objects.filter(is_active=True).filter(
        Q(is_superuser=True) | Q(role__in=[Role.PROGRAM_MANAGER, Role.PARTNER_STAFF])
    )
    if partner_id is not None:
        users = users.filter(Q(is_superuser=True) | Q(role=Role.PROGRAM_MANAGER) | Q(partner_id=partner_id))
    return users


def managed_partners(user):
    """The partner organizations whose cohorts and learners `user` may configure (see can_manage_partner)."""
    return limit_to_managed_partners(user, Partner.objects.all(), partner_field="pk")


def limit_to_managed_partners(user, queryset, *, partner_field="partner"):
    """`queryset` cut down to the rows of the partners `user` may configure: every row for program
    managers, their own partner's rows for partner staff, none for anyone else.

    `partner_field` is the lookup from the queryset's model to the partner ("cohort__partner" for
    sessions and enrollments, "pk" for partners themselves). Rows without a partner (holidays every
    partner observes) are left to program managers.
    """
    if not _is_signed_in(user):
        return queryset.none()
    if user.is_program_manager:
        return queryset
    if user.role == Role.PARTNER_STAFF:
        return queryset.filter(**{partner_field: user.partner_id})
    return queryset.none()


# --- bonuses, savings matches and milestones (incentives) ---------------------------------------


def can_work_on_incentives(user):
    """Program managers and partner staff use the bonus and milestone admin: they see the ledgers (partner
    staff only their partner's rows) and record savings deposits and milestones for the learners they may
    configure. Instructors record milestones from their own pages; learners see theirs in the portal."""
    if not _is_signed_in(user):
        return False
    return user.is_program_manager or user.role == Role.PARTNER_STAFF


def can_decide_incentives(user):
    """Decisions about money and evidence — bonus and savings-match rules, computing a month, approving,
    marking paid, resolving adjustments, verifying or rejecting milestones — are program managers' alone."""
    return _is_signed_in(user) and user.is_program_manager


def can_see_milestone_evidence(user, learner):
    """A milestone's evidence (a license, a business plan) goes to whoever may see the learner: program
    managers, their partner's staff, the instructors who teach them (who record milestones) and the
    learner themself, whose document it is."""
    return can_see_learner(user, learner)


def can_see_savings_evidence(user, learner):
    """A savings deposit's evidence is a bank record: program managers, the learner's partner's staff and
    the learner themself. Not instructors, who neither record nor need it."""
    if not _is_signed_in(user):
        return False
    if user.is_program_manager:
        return True
    if user.role == Role.PARTNER_STAFF:
        return user.partner_id == learner.partner_id
    if user.role == Role.LEARNER:
        return learner.user_id == user.pk
    return False
