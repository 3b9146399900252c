"""The roster an instructor fills in for one session: a status per learner, minutes late and a note.

Field names carry the enrollment id (`status-12`, `minutes-12`, `note-12`, `expected-12`) so one row can
be posted alone (htmx saves a row as it is tapped) and a whole roster in one plain form post. The hidden
`expected-12` holds the status the page showed: a row someone changed on another device since is held
back by the service as a conflict instead of being overwritten.
"""

from dataclasses import dataclass, field

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Attendance
from ..services import Mark

MAX_MINUTES_LATE = 24 * 60 - 1


@dataclass
class RosterRow:
    """One learner's line as the template draws it."""

    enrollment: object
    status: forms.BoundField
    minutes: forms.BoundField
    note: forms.BoundField
    expected: forms.BoundField
    streak: int = 0
    at_risk: bool = False
    notes: list = field(default_factory=list)  # from other apps (cohorts.extensions), e.g. below the bonus line
    conflict: str = ""  # what another device recorded, when this row's change was held back
    saved: bool = False  # just saved on its own (htmx)

    @property
    def key(self):
        return self.enrollment.pk

    @property
    def learner(self):
        return self.enrollment.learner

    @property
    def chosen(self):
        return self.status.value() or ""

    @property
    def errors(self):
        return [*self.status.errors, *self.minutes.errors, *self.note.errors]

    @property
    def details_open(self):
        """Show minutes and note when they hold something or the learner is late."""
        return bool(self.chosen == Attendance.Status.LATE or self.minutes.value() or self.note.value() or self.errors)


class RosterForm(forms.Form):
    """Every learner on `rows` (enrollments from `selectors.session_roster`) with the mark recorded so far."""

    def __init__(self, data=None, *, rows, statuses=Attendance.Status.choices, fill_unmarked_present=False):
        self.roster = list(rows)
        self.statuses = list(statuses)
        self.fill_unmarked_present = fill_unmarked_present
        initial = {}
        for enrollment in self.roster:
            key = enrollment.pk
            initial[f"status-{key}"] = enrollment.current_status or ""
            initial[f"minutes-{key}"] = enrollment.current_minutes_late
            initial[f"note-{key}"] = enrollment.current_note or ""
            initial[f"expected-{key}"] = enrollment.current_status or ""
        super().__init__(data, initial=initial)
        # The submitted value is filled in by the field; the allowed statuses now, in this request's language.
        invalid_choice = _("“%(value)s” is not a status you can choose here. Choose one of: %(allowed)s.") % {
            "value": "%(value)s",
            "allowed": ", ".join(str(label) for _value, label in self.statuses),
        }
        for enrollment in self.roster:
            key, name = enrollment.pk, enrollment.learner.display_name
            self.fields[f"status-{key}"] = forms.ChoiceField(
                label=name,
                choices=self.statuses,
                required=False,
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": invalid_choice},
            )
            self.fields[f"minutes-{key}"] = forms.IntegerField(
                label=_("Minutes late"),
                required=False,
                min_value=1,
                max_value=MAX_MINUTES_LATE,
                widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 1, "max": MAX_MINUTES_LATE}),
            )
            self.fields[f"note-{key}"] = forms.CharField(label=_("Note"), required=False, max_length=255)
            self.fields[f"expected-{key}"] = forms.ChoiceField(
                choices=[("", ""), *Attendance.Status.choices], required=False, widget=forms.HiddenInput
            )

    def rows(self, *, streaks=None, threshold=None, conflicts=None, saved=(), notes=None):
        streaks, conflicts, notes = streaks or {}, conflicts or {}, notes or {}
        for enrollment in self.roster:
            key = enrollment.pk
            streak = streaks.get(key, 0)
            yield RosterRow(
                enrollment=enrollment,
                status=self[f"status-{key}"],
                minutes=self[f"minutes-{key}"],
                note=self[f"note-{key}"],
                expected=self[f"expected-{key}"],
                streak=streak,
                at_risk=threshold is not None and streak >= threshold,
                notes=notes.get(key, []),
                conflict=conflicts.get(key, ""),
                saved=key in saved,
            )

    def clean(self):
        cleaned = super().clean()
        for enrollment in self.roster:
            key, name = enrollment.pk, enrollment.learner.display_name
            status = cleaned.get(f"status-{key}")
            minutes = cleaned.get(f"minutes-{key}")
            note = cleaned.get(f"note-{key}")
            if minutes is not None and status and status != Attendance.Status.LATE:
                self.add_error(
                    f"minutes-{key}",
                    _("Minutes late are only for someone marked Late: choose Late for %(name)s or clear the minutes.")
                    % {"name": name},
                )
            if (minutes is not None or note) and not status and not self.fill_unmarked_present:
                self.add_error(
                    f"status-{key}",
                    _("Choose a status for %(name)s so the minutes or note can be saved.") % {"name": name},
                )
        return cleaned

    def marks(self):
        """The rows to save. Unmarked rows are left out, or, with `fill_unmarked_present`, marked
        present — only rows the page showed unmarked, so a recorded status is never overwritten.

        Rows this user did not touch are left out too: a page drawn an hour ago posts every row as it
        was drawn, and sending those back would either overwrite a co-teacher's newer mark or (the
        service's conflict rule) blame this user for a change they never made. A row is untouched
        when its status is the one the page showed and its minutes and note are those recorded."""
        marks = []
        for enrollment in self.roster:
            key = enrollment.pk
            status = self.cleaned_data.get(f"status-{key}")
            expected = self.cleaned_data.get(f"expected-{key}") or ""
            if status and status == expected and self._extras_as_recorded(enrollment):
                continue
            if not status:
                if not (self.fill_unmarked_present and expected == ""):
                    continue
                status = Attendance.Status.PRESENT
            marks.append(
                Mark(
                    enrollment_id=key,
                    status=status,
                    minutes_late=self.cleaned_data.get(f"minutes-{key}") if status == Attendance.Status.LATE else None,
                    note=self.cleaned_data.get(f"note-{key}") or "",
                    expected=expected,
                )
            )
        return marks

    def _extras_as_recorded(self, enrollment):
        key = enrollment.pk
        minutes = self.cleaned_data.get(f"minutes-{key}")
        note = (self.cleaned_data.get(f"note-{key}") or "").strip()
        return minutes == enrollment.current_minutes_late and note == (enrollment.current_note or "")

    @property
    def stale_rows(self):
        """How many posted rows are no longer on the roster (withdrawn or moved since the page was drawn)."""
        keys = {str(enrollment.pk) for enrollment in self.roster}
        return sum(1 for name in self.data if name.startswith("status-") and name.removeprefix("status-") not in keys)

    @property
    def row_errors(self):
        """(enrollment, messages) for each row that needs attention, in roster order."""
        return [
            (enrollment, messages)
            for enrollment in self.roster
            if (
                messages := [
                    *self.errors.get(f"status-{enrollment.pk}", []),
                    *self.errors.get(f"minutes-{enrollment.pk}", []),
                    *self.errors.get(f"note-{enrollment.pk}", []),
                ]
            )
        ]
