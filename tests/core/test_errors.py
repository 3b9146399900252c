"""One refused-request error: every domain's refusal is a core.errors.Refused and reaches a form one way."""

from django import forms

from api.errors import ApiError
from cohorts.imports import RosterFileError
from cohorts.services import CohortError
from core.errors import Refused
from credentials.services import CredentialError
from incentives.services import IncentiveError
from people.privacy import PrivacyError
from people.services import InviteError


class WithdrawForm(forms.Form):
    withdrawal_reason = forms.CharField(required=False)
    status = forms.CharField(required=False)


def test_every_domain_refusal_is_the_core_error_with_its_message_and_field():
    for error_class in (CohortError, IncentiveError, CredentialError, InviteError, PrivacyError, RosterFileError):
        error = error_class("Refused here.", field="status")
        assert isinstance(error, Refused)
        assert (error.message, error.field, str(error)) == ("Refused here.", "status", "Refused here.")
    assert isinstance(ApiError(409, "Taken."), Refused)


def test_a_refusal_shows_at_its_field_when_the_form_has_it_and_above_the_form_otherwise():
    form = WithdrawForm(data={})
    form.is_valid()
    CohortError("Give a reason.", field="reason").add_to_form(form, fields={"reason": "withdrawal_reason"})
    CohortError("Cohort is full.").add_to_form(form, default="status")
    IncentiveError("Month is paid.", field="month").add_to_form(form)
    assert form.errors["withdrawal_reason"] == ["Give a reason."]
    assert form.errors["status"] == ["Cohort is full."]
    assert form.non_field_errors() == ["Month is paid."]
