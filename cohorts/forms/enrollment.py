"""Forms of a cohort's staff page: add a learner (someone the partner knows, or someone new) and the
per-enrollment actions (admit from the waitlist, withdraw with a reason, mark completed)."""

from django import forms
from django.conf import settings
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from core.phones import PhoneFormField, display_phone
from people.models import validate_latin_script

from ..models import Enrollment


class LearnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, learner):
        """Full name (and the name used in class), with a contact to tell two people of one name apart."""
        label = learner.full_name
        if learner.preferred_name and learner.preferred_name != learner.full_name:
            label += f" ({learner.preferred_name})"
        contact = display_phone(learner.phone) or learner.email
        return f"{label} · {contact}" if contact else label


class ExistingLearnerForm(forms.Form):
    """Enroll someone the partner already has. `learners` is already scoped by the view (people.access)
    and leaves out whoever is in the cohort now, so a forged id is simply not a valid choice."""

    learner = LearnerChoiceField(
        label=_("Learner"),
        queryset=None,
        empty_label=_("Choose a learner"),
        error_messages={"invalid_choice": _("Choose a learner from the list.")},
    )

    def __init__(self, *args, learners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["learner"].queryset = learners


def language_choices():
    """Each language in its own words, so staff find the learner's whatever the page's language."""
    return [(code, get_language_info(code)["name_local"]) for code, _name in settings.LANGUAGES]


class NewLearnerForm(forms.Form):
    """Someone the program does not know yet. The service checks the record again (full_clean)."""

    full_name = forms.CharField(
        label=_("Full name"),
        max_length=200,
        help_text=_("Exactly as it should appear on a certificate, in the learner's own script."),
        widget=forms.TextInput(attrs={"dir": "auto", "autocomplete": "off"}),
    )
    name_latin = forms.CharField(
        label=_("Name in Latin letters (optional)"),
        max_length=200,
        required=False,
        validators=[validate_latin_script],
        help_text=_(
            "Only when the full name is in another script: exactly as on the learner's official papers. Ask, "
            "never guess."
        ),
        widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off"}),
    )
    preferred_name = forms.CharField(
        label=_("Preferred name (optional)"),
        max_length=100,
        required=False,
        help_text=_("What the learner likes to be called in class."),
        widget=forms.TextInput(attrs={"dir": "auto", "autocomplete": "off"}),
    )
    phone = PhoneFormField(
        label=_("Phone (optional)"),
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "dir": "ltr", "autocomplete": "off"}),
    )
    email = forms.EmailField(
        label=_("Email (optional)"),
        max_length=254,  # the learner's column; Django's email check alone lets 320 characters through
        required=False,
        widget=forms.EmailInput(attrs={"dir": "ltr", "autocomplete": "off"}),
    )
    preferred_language = forms.ChoiceField(label=_("Language for messages"), choices=language_choices)
    consent_data = forms.BooleanField(
        label=_("The learner agreed that the program keeps their name and contact details."),
        error_messages={
            "required": _("A learner can only be added once they agree to the program keeping their records.")
        },
    )
    consent_contact = forms.BooleanField(
        label=_("The learner agreed to be contacted by text message or email."), required=False
    )


class EnrollmentActionForm(forms.Form):
    """One button on the cohort page: admit, withdraw (with a reason) or complete one enrollment of the cohort."""

    ADMIT, WITHDRAW, COMPLETE = "admit", "withdraw", "complete"

    action = forms.ChoiceField(choices=[(ADMIT, ADMIT), (WITHDRAW, WITHDRAW), (COMPLETE, COMPLETE)])
    enrollment = forms.ModelChoiceField(
        queryset=Enrollment.objects.none(),
        error_messages={"invalid_choice": _("This learner is not in this cohort any more. Reload the page.")},
    )
    reason = forms.CharField(
        label=_("Reason for withdrawing"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"dir": "auto"}),
    )

    def __init__(self, *args, cohort, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enrollment"].queryset = cohort.enrollments.select_related("learner")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == self.WITHDRAW and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Give a reason for withdrawing."))
        return cleaned


class CompleteAllForm(forms.Form):
    """Once a cohort has ended: record, in one step, the completion of every active learner who attended."""

    completed_on = forms.DateField(
        label=_("Completed on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Usually the cohort's last day. A day still to come is refused."),
    )
