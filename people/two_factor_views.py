"""The second-factor pages: confirming a sign-in with a code (or a recovery code), and setting up an
authenticator app. The rules and writes are in people.two_factor."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from . import two_factor
from .forms import SecondFactorCodeForm
from .homes import home_url


def _next_url(request):
    """Where to go once verified: the page asked for, when it is on this site, else the person's home."""
    asked = request.POST.get("next") or request.GET.get("next") or ""
    if asked and url_has_allowed_host_and_scheme(
        asked, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return asked
    return home_url(request.user)


def _with_next(name, next_url):
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


def _wrong_code_message():
    return _(
        "That code is not right, or it has expired. Type the code your app shows now. After a wrong code, "
        "wait a few seconds before the next try."
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def verify(request):
    """After the password: the code from the authenticator app, or one of the recovery codes."""
    user, next_url = request.user, _next_url(request)
    if user.is_verified() or not two_factor.second_factor_required(user):
        return redirect(next_url)
    if not two_factor.is_enrolled(user):
        return redirect(_with_next("people:two_factor_setup", next_url))
    form = SecondFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = two_factor.verify_code(request=request, code=form.cleaned_data["code"])
        if device is not None:
            if device.persistent_id.startswith("otp_static"):
                left = two_factor.recovery_codes_left(user)
                messages.warning(
                    request,
                    ngettext(
                        "You used a recovery code. %(count)d recovery code is left.",
                        "You used a recovery code. %(count)d recovery codes are left.",
                        left,
                    )
                    % {"count": left},
                )
            return redirect(next_url)
        form.add_error("code", _wrong_code_message())
    return render(request, "people/two_factor_verify.html", {"form": form, "next": next_url})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def setup(request):
    """Setting up an authenticator app: scan the QR code (or type the secret), type the code it shows, then
    keep the ten recovery codes, shown this once."""
    user, next_url = request.user, _next_url(request)
    if not two_factor.second_factor_required(user):
        return redirect(next_url)
    if two_factor.is_enrolled(user):
        return redirect(_with_next("people:two_factor", next_url))
    device = two_factor.pending_app(user)
    form = SecondFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = two_factor.confirm_app(request=request, device=device, code=form.cleaned_data["code"])
        if codes is not None:
            return render(request, "people/two_factor_recovery_codes.html", {"codes": codes, "next": next_url})
        form.add_error("code", _wrong_code_message())
    context = {
        "form": form,
        "next": next_url,
        "qr_code": two_factor.provisioning_qr_data_uri(device),
        "secret": two_factor.secret_for_typing(device),
    }
    return render(request, "people/two_factor_setup.html", context)
