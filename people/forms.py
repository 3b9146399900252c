"""Forms for people: choosing a portal password with a setup code."""

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from .services import InviteError, find_invite


class PortalSetupForm(forms.Form):
    code = forms.CharField(
        label=_("Setup code"),
        max_length=32,
        help_text=_("The code on your paper or in your email. Small letters and dashes are fine."),
        widget=forms.TextInput(
            attrs={
                "class": "code-input",
                "autocapitalize": "characters",
                "autocomplete": "one-time-code",
                "spellcheck": "false",
            }
        ),
    )
    new_password1 = forms.CharField(
        label=_("Choose a password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    new_password2 = forms.CharField(
        label=_("Type the password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    invite = None

    def clean_code(self):
        code = self.cleaned_data["code"]
        try:
            self.invite = find_invite(code)
        except InviteError as error:
            raise forms.ValidationError(error.message, code="bad_code") from error
        return code

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("new_password1"), cleaned.get("new_password2")
        if first and second and first != second:
            self.add_error("new_password2", _("The two passwords are not the same."))
        elif first and self.invite is not None:
            try:
                password_validation.validate_password(first, self.invite.learner.user)
            except forms.ValidationError as error:
                self.add_error("new_password1", error)
        return cleaned

    @property
    def code_was_wrong(self):
        return any(error.code == "bad_code" for error in self.errors.as_data().get("code", []))
