"""Phone numbers: read with Google's libphonenumber (`phonenumbers`), stored as E.164 (+252615123456).

Learners' numbers come from many countries. A number written without a country code is read as a number of
settings.PATHWAYS_PHONE_REGION (default "US"); one with + (or the region's international prefix) is read as
written. Two numbers are the same person's when their E.164 forms are equal: the old rule, "the last ten
digits match", took +252 61 512 3456 (Somalia) for (261) 512-3456 (a US number) and missed 070 123 4567
written in Kabul against +93 70 123 4567.

A number is accepted when it has the right number of digits for its country ("possible" in libphonenumber's
words), not only when it lies in a range known to be assigned today: numbering plans change faster than a
pinned library, and a learner with a new number must not be turned away.
"""

import phonenumbers
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from phonenumbers import NumberParseException, PhoneNumberFormat, ValidationResult

MAX_LENGTH = 32


def phone_region():
    return getattr(settings, "PATHWAYS_PHONE_REGION", "US")


def _parse(text):
    """The number in E.164, or a ValidationError whose message says what to fix."""
    region = phone_region()
    calling_code = phonenumbers.country_code_for_region(region)
    try:
        number = phonenumbers.parse(text, region)
    except NumberParseException as error:
        reason = PARSE_ERRORS.get(error.error_type)
        if reason is None:
            message = _(
                "Enter a phone number, for example +1 555 010 2000. Numbers without a country code are read "
                "as +%(code)s numbers."
            ) % {"code": calling_code}
            raise ValidationError(message, code="invalid_phone") from error
        raise _refusal(reason, calling_code) from error
    reason = phonenumbers.is_possible_number_with_reason(number)
    if reason == ValidationResult.IS_POSSIBLE:
        return phonenumbers.format_number(number, PhoneNumberFormat.E164)
    raise _refusal(reason, number.country_code)


# What the parser says, in is_possible_number's words: one message each.
PARSE_ERRORS = {
    NumberParseException.INVALID_COUNTRY_CODE: ValidationResult.INVALID_COUNTRY_CODE,
    NumberParseException.TOO_SHORT_NSN: ValidationResult.TOO_SHORT,
    NumberParseException.TOO_SHORT_AFTER_IDD: ValidationResult.TOO_SHORT,
    NumberParseException.TOO_LONG: ValidationResult.TOO_LONG,
}


def _refusal(reason, calling_code):
    if reason == ValidationResult.INVALID_COUNTRY_CODE:
        message = _("The country code of this phone number is not known. Check the digits after the +.")
    elif reason in (ValidationResult.TOO_LONG, ValidationResult.INVALID_LENGTH):
        message = _(
            "This phone number has too many digits for +%(code)s. Check it, or start with + and the country code."
        )
    else:  # too short, or a local number without its area code
        message = _(
            "This phone number has too few digits for +%(code)s. Check it, or start with + and the country code."
        )
    return ValidationError(message % {"code": calling_code}, code="invalid_phone")


def validate_phone(value):
    """Refuse what cannot be read as a phone number, with a message that says why."""
    if value:
        _parse(value)


def to_e164(text):
    """The number in E.164, or None when the text cannot be read as one."""
    try:
        return _parse(text) if text else None
    except ValidationError:
        return None


def normalize_phone(text):
    """The number in E.164 when it can be read; otherwise the text as it is (stripped), never an error: a
    value saved before numbers were checked this way must stay findable."""
    text = (text or "").strip()
    return to_e164(text) or text


def same_phone(first, second):
    """Whether two written numbers are the same number (both in E.164, or the same text when unreadable)."""
    first, second = normalize_phone(first), normalize_phone(second)
    return bool(first) and first == second


def display_phone(value):
    """A stored number as people read it, with its country code: +252615123456 is shown +252 61 512 3456."""
    try:
        number = phonenumbers.parse(value, None)
    except NumberParseException:
        return value or ""  # a value saved before numbers were checked, shown as it was typed
    return phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)


class _ReadsPhoneNumbers:
    """What the form field and the model field share: E.164 out of whatever was typed, checked by validate_phone."""

    default_validators = [validate_phone]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", MAX_LENGTH)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return normalize_phone(value) if value else value


class PhoneFormField(_ReadsPhoneNumbers, forms.CharField):
    """A form's phone box: what is typed comes back in E.164, or the field says what to fix."""


class PhoneNumberField(_ReadsPhoneNumbers, models.CharField):
    """A phone number stored in E.164: every save and lookup reads it through `normalize_phone` (Django's
    CharField prepares values with to_python), and cleaning (forms, services' full_clean) checks it."""

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": PhoneFormField, **kwargs})
