"""Who is who: what a person may see and do from their role and partner organization alone. Every selector,
view, export and API endpoint scopes through these functions or through the access rules of the app whose
rows it reads (cohorts.access for cohorts and the learners an instructor teaches, incentives.access for money
and milestones), which build on these; people imports none of those apps (docs/ARCHITECTURE.md).

- Program managers (and superusers) see every partner and every learner.
- Partner staff see their own partner organization and its learners.
- Instructors see their own partner organization, the cohorts they teach and
  the learners enrolled (or waitlisted) in those cohorts — never their whole partner.
  Which learners those are is the cohorts app's rule, handed to `visible_learners`
  through the LEARNERS_TAUGHT hook (cohorts.access.learners_taught_by).
- A learner sees only their own learner record.
- Anonymous visitors and inactive accounts see nothing.
- In the Wagtail admin, program managers configure every partner's cohorts, sessions,
  enrollments and holidays; partner staff only their own partner's; instructors and
  learners have no admin at all (can_configure_cohorts, limit_to_managed_partners).
"""

from django.db.models import Q
from wagtail import hooks

from .models import Learner, Partner, Role, User

# A Wagtail hook: `fn(user)` returns a queryset of the learner ids an instructor teaches (cohorts.access).
LEARNERS_TAUGHT = "people_learners_taught"


def is_signed_in(user):
    return user is not None and user.is_authenticated and user.is_active


def visible_partners(user):
    """The partner organizations `user` may see."""
    if not is_signed_in(user):
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
    if not is_signed_in(user):
        return Learner.objects.none()
    if user.is_program_manager:
        return Learner.objects.all()
    if user.role == Role.PARTNER_STAFF:
        return Learner.objects.filter(partner_id=user.partner_id)
    if user.role == Role.INSTRUCTOR:
        return Learner.objects.filter(_taught_by(user))
    if user.role == Role.LEARNER:
        return Learner.objects.filter(user=user)
    return Learner.objects.none()


def _taught_by(user):
    """The learners the instructor teaches, as the apps that know (cohorts) say through LEARNERS_TAUGHT."""
    taught = Q(pk__in=[])
    for learner_ids in (hook(user) for hook in hooks.get_hooks(LEARNERS_TAUGHT)):
        taught |= Q(pk__in=learner_ids)
    return taught


def can_see_learner(user, learner):
    return visible_learners(user).filter(pk=learner.pk).exists()


def can_manage_partner(user, partner):
    """Configuration rights over a partner's cohorts and learners (not instructors)."""
    if not is_signed_in(user):
        return False
    if user.is_program_manager:
        return True
    return user.role == Role.PARTNER_STAFF and user.partner_id == partner.pk


def is_program_staff(user):
    """Managers, partner staff and instructors: people who work for the program, not learners."""
    if not is_signed_in(user):
        return False
    return user.is_program_manager or user.role in (Role.PARTNER_STAFF, Role.INSTRUCTOR)


def can_invite_to_portal(user, learner):
    """Staff who can see a learner may give them a portal account: program managers,
    their partner's staff and the instructors who teach them. Learners invite no one."""
    return is_program_staff(user) and can_see_learner(user, learner)


# --- configuration in the Wagtail admin (cohorts, sessions, enrollments, holidays) --------------


def can_configure_cohorts(user):
    """Program managers and partner staff configure cohorts in the admin; instructors and learners do not."""
    if not is_signed_in(user):
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
    if not is_signed_in(user):
        return queryset.none()
    if user.is_program_manager:
        return queryset
    if user.role == Role.PARTNER_STAFF:
        return queryset.filter(**{partner_field: user.partner_id})
    return queryset.none()
