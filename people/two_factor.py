"""The second factor (django-otp): who must confirm their sign-in with a code, enrolling an authenticator app
with its recovery codes, and checking a code. The pages are in people.two_factor_views; the gate that keeps
an unconfirmed session out of everything else is pathways.middleware.SecondFactorMiddleware.

Program managers (and superusers) and partner staff always need one; instructors when their organization
asks for it (Partner.instructors_need_second_factor); learners never. Enrolment and every use of a recovery
code are written to the audit log.
"""

from base64 import b32encode
from binascii import unhexlify

import segno
from django.db import transaction
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.log_actions import log

from .models import Partner, Role, User

RECOVERY_CODE_COUNT = 10
APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"

ENROL_ACTION = "people.two_factor.enrol"
RECOVERY_CODE_ACTION = "people.two_factor.recovery_code"
RESET_ACTION = "people.two_factor.reset"


def second_factor_required(user):
    """Whether `user` must confirm each sign-in with a second factor before reaching any page."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_program_manager or user.role == Role.PARTNER_STAFF:
        return True
    if user.role == Role.INSTRUCTOR:
        return Partner.objects.filter(pk=user.partner_id, instructors_need_second_factor=True).exists()
    return False


def is_enrolled(user):
    """Whether `user` has a confirmed authenticator app."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_app(user):
    """The authenticator app being set up (made on first call; the same secret until it is confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)


def secret_for_typing(device):
    """The app's secret in base32, in groups of four: what someone types when they cannot scan the QR code."""
    secret = b32encode(unhexlify(device.key)).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def provisioning_qr_data_uri(device):
    """The otpauth:// address of `device` as an SVG QR code, inline (the pages' policy allows data: images)."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2)


def clean_code(text):
    """A code as people type it: spaces and dashes dropped, small letters (recovery codes are lower case)."""
    return "".join(character for character in (text or "") if character.isalnum()).lower()


@transaction.atomic
def confirm_app(*, request, device, code):
    """Confirm the pending `device` with a code it shows now: the app is enrolled, this session counts as
    verified, and ten recovery codes are made (replacing any earlier ones). Returns the codes, or None when
    the code was wrong."""
    user = request.user
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user, confirmed=False)
    if not device.verify_token(clean_code(code)):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    StaticDevice.objects.filter(user=user).delete()
    recovery = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=recovery, token=token) for token in codes)
    log(instance=_account(user), action=ENROL_ACTION, user=_account(user))
    _verified(request, device)
    return codes


def verify_code(*, request, code):
    """Check a code from the app, or a recovery code (used up by this). On success the session counts as
    verified and the device is returned; None when no device accepted it (each device throttles its own
    failures, doubling the wait after every wrong code)."""
    user = request.user
    token = clean_code(code)
    if not token:
        return None
    with transaction.atomic():
        model = TOTPDevice if len(token) == 6 and token.isdigit() else StaticDevice  # recovery codes: 8 letters/digits
        for device in model.objects.devices_for_user(user, confirmed=True).select_for_update():
            if device.verify_token(token):
                break
        else:
            return None
        if model is StaticDevice:
            log(
                instance=_account(user),
                action=RECOVERY_CODE_ACTION,
                user=_account(user),
                data={"codes_left": device.token_set.count()},
            )
    _verified(request, device)
    return device


@transaction.atomic
def reset_second_factor(*, user, by=None):
    """Remove `user`'s authenticator apps and recovery codes (lost phone and codes): their next sign-in sets
    up a new app. Sessions already verified with a removed device stop counting as verified (django-otp
    looks the device up on every request). Returns how many devices were removed."""
    removed = TOTPDevice.objects.filter(user=user).delete()[1].get("otp_totp.TOTPDevice", 0)
    removed += StaticDevice.objects.filter(user=user).delete()[1].get("otp_static.StaticDevice", 0)
    if removed:
        log(instance=user, action=RESET_ACTION, user=by)
    return removed


def recovery_codes_left(user):
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def _account(user):
    """The User itself: request.user is wrapped twice (auth's and django-otp's lazy objects), and Wagtail's
    audit log finds the log model of one wrapper deep only, so it would silently write nothing."""
    return User.objects.get(pk=user.pk)


def _verified(request, device):
    # A session gaining rights gets a new key, as at sign-in, so a key seen before is worth nothing now.
    request.session.cycle_key()
    otp_login(request, device)
