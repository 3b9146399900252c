"""Outcomes keeps one derived table: each session's attendance counts, so program-wide figures over a
million attendance marks read a row per session instead of a row per mark.

The counts are rebuilt from the marks (never incremented), so refreshing twice, or late, is harmless:
see outcomes.services.refresh_attendance_counts.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SessionAttendanceCount(models.Model):
    """How many learners were marked present, late, excused and absent at one session."""

    session = models.OneToOneField(
        "cohorts.Session",
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="attendance_count",
    )
    present = models.PositiveIntegerField(_("present"), default=0)
    late = models.PositiveIntegerField(_("late"), default=0)
    excused = models.PositiveIntegerField(_("excused"), default=0)
    absent = models.PositiveIntegerField(_("absent"), default=0)
    refreshed_at = models.DateTimeField(_("counted at"), auto_now=True)

    class Meta:
        verbose_name = _("session attendance count")
        verbose_name_plural = _("session attendance counts")

    def __str__(self):
        return f"{self.session_id}: {self.present}/{self.late}/{self.excused}/{self.absent}"
