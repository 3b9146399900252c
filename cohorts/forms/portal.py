"""Forms learners fill in: self check-in and their name in Latin letters (signed in), joining a waitlist (public)."""

from django import forms
from django.conf import settings
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext_lazy as _

from core.phones import PhoneFormField
from people.models import validate_latin_script


class CheckInForm(forms.Form):
    code = forms.CharField(
        label=_("Check-in code"),
        max_length=20,
        help_text=_("The code your instructor shows in class."),
        widget=forms.TextInput(
            attrs={
                "class": "check-in__input",
                "autocapitalize": "characters",
                "autocomplete": "one-time-code",
                "autocorrect": "off",
                "spellcheck": "false",
                "inputmode": "text",
                "enterkeyhint": "go",
                "autofocus": True,
            }
        ),
    )


class LatinNameForm(forms.Form):
    name_latin = forms.CharField(
        label=_("My name in Latin letters"),
        max_length=200,
        required=False,
        validators=[validate_latin_script],
        help_text=_("Exactly as on your passport or work permit. Leave it empty to print only your name as written."),
        widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off", "autocapitalize": "words"}),
    )


class JoinWaitlistForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200, help_text=_("As you write it, in any alphabet."))
    preferred_name = forms.CharField(label=_("What should we call you? (optional)"), max_length=100, required=False)
    phone = PhoneFormField(
        label=_("Phone"),
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel", "dir": "ltr"}),
    )
    email = forms.EmailField(
        label=_("Email"),
        max_length=254,  # the learner's column; Django's email check alone lets 320 characters through
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "dir": "ltr"}),
    )
    preferred_language = forms.ChoiceField(label=_("Language for messages"), choices=settings.LANGUAGES)
    consent_data = forms.BooleanField(
        label=_("I agree that the program keeps my name and contact details to manage the waitlist and my classes."),
        error_messages={"required": _("We can only put you on the list if you agree to this.")},
    )
    consent_contact = forms.BooleanField(label=_("You may contact me by text message or email."), required=False)
    # Left empty by people (it is hidden); bots fill every field.
    website = forms.CharField(
        label=_("Leave this empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Each language in its own words, so a learner finds theirs whatever the page's language.
        self.fields["preferred_language"].choices = [
            (code, get_language_info(code)["name_local"]) for code, _name in settings.LANGUAGES
        ]
        if get_language() in dict(settings.LANGUAGES):
            self.fields["preferred_language"].initial = get_language()

    @property
    def is_spam(self):
        return bool(self.data.get("website"))

    def clean(self):
        cleaned = super().clean()
        if (
            not cleaned.get("phone")
            and not cleaned.get("email")
            and "phone" not in self.errors
            and "email" not in self.errors
        ):
            message = _("Give a phone number or an email address, so the program can reach you.")
            self.add_error("phone", message)
        return cleaned
