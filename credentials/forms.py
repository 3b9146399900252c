"""Forms for credentials: the public code and name checks, and the admin's pathway, batch and revoke forms.

The forms only collect and check input; every write goes through credentials.services.
"""

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from courses.forms import CoversCoursesForm

from . import codes
from .models import CertificateTemplate, CredentialPathway

CODE_EXAMPLE = "7K2M-Q9XD-4HNB-T6PV-W3RC-8JEA-G5F1"


def _code_help():
    # Formatted when shown, in the reader's language: `_() % {...}` at import time froze it in English.
    return gettext("Printed under the QR code, for example %(example)s. Dashes and small letters are fine.") % {
        "example": CODE_EXAMPLE
    }


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=64,
        help_text=lazy(_code_help, str)(),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false", "dir": "ltr"}
        ),
    )

    def clean_code(self):
        code = codes.normalize(self.cleaned_data["code"])
        if len(code) != codes.LENGTH:
            raise forms.ValidationError(
                _(
                    "A verification code has %(length)d letters and digits; this one has %(typed)d. Check it and try again."
                )
                % {"length": codes.LENGTH, "typed": len(code)}
            )
        if not codes.is_well_formed(code):
            raise forms.ValidationError(_("This code has a typo. Check each character against the certificate."))
        return code


class NameCheckForm(forms.Form):
    name = forms.CharField(
        label=_("Name printed on the certificate"), max_length=200, widget=forms.TextInput(attrs={"dir": "auto"})
    )


class CredentialPathwayForm(CoversCoursesForm):
    tracks_help = _("Cohorts of courses on these tracks lead to it.")
    covers_nothing = _("Choose at least one track or one course, or no one can earn this credential.")

    class Meta:
        model = CredentialPathway
        fields = [
            "name",
            "name_translations",
            "description",
            "tracks",
            "courses",
            "min_attendance_percent",
            "min_hours",
            "required_milestones",
            "certifies",
            "validity_months",
            "template",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "template" in self.fields:
            # A pathway names the template in the default language; learners get their language's translation.
            from wagtail.models import Locale

            self.fields["template"].queryset = CertificateTemplate.objects.filter(locale=Locale.get_default())


class CohortChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, cohort):
        return f"{cohort} · {cohort.partner.name}"


class ChooseBatchForm(forms.Form):
    """Step one of issuing to a cohort: which cohort, which credential."""

    cohort = CohortChoiceField(label=_("Cohort"), queryset=None, empty_label=_("Choose a cohort"))
    pathway = forms.ModelChoiceField(
        label=_("Credential"), queryset=CredentialPathway.objects.all(), empty_label=_("Choose a credential")
    )

    def __init__(self, *args, cohorts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = cohorts

    def clean(self):
        cleaned = super().clean()
        cohort, pathway = cleaned.get("cohort"), cleaned.get("pathway")
        if cohort and pathway and not pathway.covers(cohort.course):
            self.add_error(
                "pathway",
                _("“%(pathway)s” is not earned in %(course)s. Choose a credential of that course or its track.")
                % {"pathway": pathway.name, "course": cohort.course.title},
            )
        return cleaned


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is it revoked?"),
        max_length=255,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept with the record and shown to staff. The public page only says it was revoked, and when."),
    )
