"""Signing staff in for tests includes their second factor, as signing in does for real.

Tests sign people in with the test client's `force_login` / `login`; for anyone who must have a second factor
(people.two_factor.second_factor_required) that alone would leave them at the second-factor page. The
session-wide fixture in tests/conftest.py wraps both so they enrol the person's authenticator app (a real,
confirmed django-otp TOTP device) and mark the session verified with it, exactly as the verify page does after a
right code. Tests of the second factor itself sign in through the pages (or use `sign_in_with_password_only`).
"""

from django.conf import settings
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from people.two_factor import APP_DEVICE_NAME, RECOVERY_DEVICE_NAME, second_factor_required

_force_login = Client.force_login
_login = Client.login


def enrolled_app(user):
    """The user's confirmed authenticator app, enrolled now if they have none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=True)


def code_now(device):
    """The six digits the person's app shows at this moment (RFC 6238, from the device's own secret)."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift):06d}"


def fresh_recovery_code(user):
    """A recovery code of `user`'s, made now (enrolling their app first): what a browser test types when the
    same person signs in twice within one 30-second step, where the app's code may be used only once."""
    enrolled_app(user)
    device, _ = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True})
    token = StaticToken.random_token()
    StaticToken.objects.create(device=device, token=token)
    return token


def verify_session(client, user):
    if not second_factor_required(user):
        return
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = enrolled_app(user).persistent_id
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key


def force_login_with_second_factor(self, user, backend=None):
    _force_login(self, user, backend)
    verify_session(self, user)


def login_with_second_factor(self, **credentials):
    signed_in = _login(self, **credentials)
    if signed_in:
        from django.contrib.auth import get_user_model

        user = get_user_model().objects.get(pk=self.session["_auth_user_id"])
        verify_session(self, user)
    return signed_in


def sign_in_with_password_only(client, user):
    """The state right after the password step: signed in, second factor not yet given."""
    _force_login(client, user)
