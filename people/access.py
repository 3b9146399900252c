"""Who may see what: the single home of the scoping rules every selector, view,
export and API endpoint goes through.

- Program managers (and superusers) see every partner and every learner.
- Partner staff see their own partner organization and its learners.
- Instructors see their own partner organization, and the learners enrolled in
  the cohorts they teach. Until cohorts exist (issue #3) that set is empty;
  it is never "their whole partner".
- A learner sees only their own learner record.
- Anonymous visitors and inactive accounts see nothing.
"""

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
        # Learners of the cohorts this instructor teaches; no cohorts exist yet.
        return Learner.objects.none()
    if user.role == Role.LEARNER:
        return Learner.objects.filter(user=user)
    return Learner.objects.none()


def can_see_learner(user, learner):
    return visible_learners(user).filter(pk=learner.pk).exists()


def can_manage_partner(user, partner):
    """Configuration rights over a partner's cohorts and learners (not instructors)."""
    if not _is_signed_in(user):
        return False
    if user.is_program_manager:
        return True
    return user.role == Role.PARTNER_STAFF and user.partner_id == partner.pk
