"""Reactions to other apps' events: attendance changed, so that session's counts are recounted."""

from django.dispatch import receiver

from cohorts.signals import attendance_changed


@receiver(attendance_changed, dispatch_uid="outcomes.refresh_counts_after_attendance_change")
def refresh_counts_after_attendance_change(sender, session, enrollment_ids, **kwargs):
    """Recount the session's marks in the transaction that changed them (record_attendance holds the
    session's lock): one statement, and the counts the outcome figures read can never disagree with the
    marks once they are committed — nor be committed without them."""
    from .services import refresh_attendance_counts

    refresh_attendance_counts(session_ids=[session.pk], locked=True)
