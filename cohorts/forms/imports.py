"""Forms of the roster import: upload a file (read and checked at once), then confirm what to import."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .. import imports


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Roster file"),
        help_text=_("A CSV file or an Excel workbook (.xlsx), at most 2 MB and 1,000 learners."),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".csv,.xlsx,.txt,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )

    roster_file = None  # the rows read, once the form is valid

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > imports.MAX_BYTES:  # refused before reading it into memory
            raise forms.ValidationError(
                _("The file is larger than %(size)d MB. Split the roster into smaller files."),
                params={"size": imports.MAX_BYTES // (1024 * 1024)},
            )
        try:
            self.roster_file = imports.read_roster(upload.read())
        except imports.RosterFileError as error:
            raise forms.ValidationError(error.message) from error
        return upload


class ImportConfirmForm(forms.Form):
    """The second step. `expected` is how many rows the person saw would be imported: if the cohort changed
    since the preview (someone enrolled one of them meanwhile), the numbers differ and nothing is imported."""

    ALL, VALID = "all", "valid"

    token = forms.CharField(widget=forms.HiddenInput, max_length=64)
    expected = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    action = forms.ChoiceField(choices=[(ALL, ALL), (VALID, VALID)])
    consent_data = forms.BooleanField(
        label=_("These people agreed to the program keeping their records."),
        error_messages={"required": _("Confirm that these people agreed to the program keeping their records.")},
    )
    consent_contact = forms.BooleanField(
        label=_("They also agreed to be contacted by text message or email."), required=False
    )
