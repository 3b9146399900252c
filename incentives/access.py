"""Who may work on bonuses, savings matches and milestones, decide about them, and download their evidence:
the rules that protect incentives' rows, next to them. They build on who is who (people.access); the admin,
the evidence downloads, the instructor pages, the to-do list and the API call these same functions.
"""

from people.access import can_see_learner, is_program_staff, is_signed_in
from people.models import Role


def can_record_milestone(user, learner):
    """Staff who can see a learner record their milestones (instructors from their cohort's page, staff
    in the admin too); only program managers verify them (incentives.viewsets)."""
    return is_program_staff(user) and can_see_learner(user, learner)


def can_work_on_incentives(user):
    """Program managers and partner staff use the bonus and milestone admin: they see the ledgers (partner
    staff only their partner's rows) and record savings deposits and milestones for the learners they may
    configure. Instructors record milestones from their own pages; learners see theirs in the portal."""
    if not is_signed_in(user):
        return False
    return user.is_program_manager or user.role == Role.PARTNER_STAFF


def can_decide_incentives(user):
    """Decisions about money and evidence — bonus and savings-match rules, computing a month, approving,
    marking paid, resolving adjustments, verifying or rejecting milestones — are program managers' alone."""
    return is_signed_in(user) and user.is_program_manager


def can_see_milestone_evidence(user, learner):
    """A milestone's evidence (a license, a business plan) goes to whoever may see the learner: program
    managers, their partner's staff, the instructors who teach them (who record milestones) and the
    learner themself, whose document it is."""
    return can_see_learner(user, learner)


def can_see_savings_evidence(user, learner):
    """A savings deposit's evidence is a bank record: program managers, the learner's partner's staff and
    the learner themself. Not instructors, who neither record nor need it."""
    if not is_signed_in(user):
        return False
    if user.is_program_manager:
        return True
    if user.role == Role.PARTNER_STAFF:
        return user.partner_id == learner.partner_id
    if user.role == Role.LEARNER:
        return learner.user_id == user.pk
    return False
