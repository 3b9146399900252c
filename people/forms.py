"""Forms for people: signing in, choosing a portal password with a setup code, confirming the password."""

from django import forms
from django.contrib.auth import authenticate, password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from .services import InviteError, find_invite


class SignInForm(AuthenticationForm):
    """Django's sign-in form in our own words: Django's Arabic catalog calls the password رمز المرور on the form
    and كلمة السر in its error, where every other page says كلمة المرور."""

    error_messages = {
        **AuthenticationForm.error_messages,
        # Django's own words, so every other language keeps Django's translation; ours fixes the Arabic.
        "invalid_login": _(
            "Please enter a correct %(username)s and password. Note that both fields may be case-sensitive."
        ),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Username")
        self.fields["password"].label = _("Password")


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
        # Lazy: computed at import it stayed in English on every page.
        help_text=lazy(password_validation.password_validators_help_text_html, str)(),
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


class ConfirmPasswordForm(forms.Form):
    """The signed-in person's password again, before a sensitive page. Checked through authenticate(), so wrong
    passwords here count towards the sign-in pause like wrong passwords at sign-in."""

    password = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request

    def clean_password(self):
        password = self.cleaned_data["password"]
        user = self.request.user
        confirmed = authenticate(self.request, username=user.get_username(), password=password)
        if confirmed is None or confirmed.pk != user.pk:
            raise forms.ValidationError(_("That is not your password. Try again."), code="wrong_password")
        return password


class SecondFactorCodeForm(forms.Form):
    """The six-digit code from an authenticator app (or, when signing in, a recovery code)."""

    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        widget=forms.TextInput(
            attrs={
                "class": "code-input",
                "autocomplete": "one-time-code",
                "inputmode": "text",
                "autocapitalize": "none",
                "spellcheck": "false",
                "dir": "ltr",
            }
        ),
    )
