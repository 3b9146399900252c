"""Reactions to other apps' events. Kept explicit and small: they only queue work or register names."""

from django.dispatch import receiver

from cohorts.signals import attendance_changed


@receiver(attendance_changed, dispatch_uid="incentives.recompute_after_attendance_change")
def recompute_after_attendance_change(sender, session, enrollment_ids, **kwargs):
    """Attendance changed: after commit, recompute that month for those learners.

    Undecided bonuses follow; decided ones are flagged "needs adjustment".
    """
    from .tasks import recompute_month_for_enrollments

    recompute_month_for_enrollments.delay_on_commit(session.date.replace(day=1).isoformat(), list(enrollment_ids))
