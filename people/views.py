"""Thin views for people: signing in, inviting a learner to the portal, the learner's account setup, and the
language switcher."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django.views.i18n import set_language as django_set_language

from core.ratelimit import AttemptLimit, client_ip

from .access import can_invite_to_portal, is_program_staff, visible_learners
from .forms import ConfirmPasswordForm, PortalSetupForm, SignInForm
from .homes import home_url, preferred_language
from .lockout import end_sign_in_pause
from .models import PortalInvite
from .services import (
    InviteError,
    complete_portal_setup,
    format_invite_code,
    invite_to_portal,
    is_set_up,
    may_reset_portal_password,
    remember_language,
)
from .sessions import confirm_password as remember_password_confirmed
from .two_factor import second_factor_required

SETUP_ATTEMPTS = AttemptLimit("portal-setup", attempts=10, window=10 * 60)
PASSWORD_RESET_ATTEMPTS = AttemptLimit("password-reset", attempts=5, window=60 * 60)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def invite(request, learner_id):
    """Staff create a learner's portal account and a one-time code to print (or email)."""
    if not is_program_staff(request.user):
        raise PermissionDenied
    learner = get_object_or_404(visible_learners(request.user).select_related("user", "partner"), pk=learner_id)
    if not can_invite_to_portal(request.user, learner):
        raise PermissionDenied
    if request.method == "POST":
        try:
            issued = invite_to_portal(learner=learner, by=request.user)
        except InviteError as error:
            messages.error(request, error.message)
            return redirect("people:invite", learner_id=learner.pk)
        setup_path = reverse("people:setup")
        return render(
            request,
            "people/invite_issued.html",
            {
                "learner": learner,
                "issued": issued,
                "code": format_invite_code(issued.code),
                "setup_link": request.build_absolute_uri(f"{setup_path}?{urlencode({'code': issued.code})}"),
                "setup_page": request.build_absolute_uri(setup_path),
            },
        )
    latest = PortalInvite.objects.filter(learner=learner).first()
    set_up = is_set_up(learner.user)
    may_issue = not set_up or may_reset_portal_password(request.user)
    return render(
        request, "people/invite.html", {"learner": learner, "latest": latest, "set_up": set_up, "may_issue": may_issue}
    )


@never_cache
@require_http_methods(["GET", "POST"])
def setup(request):
    """A learner types their code (or follows the link that carries it) and chooses a password."""
    who = client_ip(request)
    if request.method == "POST":
        if SETUP_ATTEMPTS.exceeded(who):
            # Not even checked: during the pause a guess must not learn whether it was right.
            form = PortalSetupForm(initial={"code": request.POST.get("code", "")[:32]})
            blocked = _("Too many wrong codes were tried. Wait 10 minutes, then try again.")
            return render(request, "people/setup.html", {"form": form, "blocked": blocked}, status=429)
        form = PortalSetupForm(request.POST)
        if form.is_valid():
            try:
                user = complete_portal_setup(
                    code=form.cleaned_data["code"], password=form.cleaned_data["new_password1"]
                )
            except InviteError as error:
                form.add_error("code", error.message)
            except ValidationError as error:
                form.add_error("new_password1", error)
            else:
                SETUP_ATTEMPTS.reset(who)
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(
                    request,
                    _("Your account is ready. Your username is %(username)s — keep it with your password.")
                    % {"username": user.username},
                )
                return redirect("cohorts:portal")
        if form.code_was_wrong:
            SETUP_ATTEMPTS.count(who)
    else:
        form = PortalSetupForm(initial={"code": request.GET.get("code", "")[:32]})
    return render(request, "people/setup.html", {"form": form})


class SignInView(auth_views.LoginView):
    """Django's sign-in page. It leads each person to their own home (people.homes) unless a safe `next`
    asks for another page; on a phone or browser that has no language chosen yet, the person's own
    language (a learner's from their learner record, staff's from their account) comes with them, so
    their pages are in it from the first one."""

    template_name = "people/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def get_success_url(self):
        # Staff who must confirm with a second factor go there first, and on to the page asked for after. Just
        # signed in, request.user is the bare account (never verified); already signed in, django-otp's.
        url = super().get_success_url()
        user = self.request.user
        verified = getattr(user, "is_verified", lambda: False)()
        if second_factor_required(user) and not verified:
            return f"{reverse('people:two_factor')}?{urlencode({'next': url})}"
        return url

    def get_default_redirect_url(self):
        # Only reached when there is no `next`, or Django judged it unsafe (another host, another scheme).
        return home_url(self.request.user)

    def form_valid(self, form):
        response = super().form_valid(form)
        language = preferred_language(form.get_user())
        chosen_here = settings.LANGUAGE_COOKIE_NAME in self.request.COOKIES
        # The account's default is the site's language: only a language someone chose is worth carrying over.
        if not chosen_here and language != settings.LANGUAGE_CODE and language in dict(settings.LANGUAGES):
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def confirm_password(request):
    """A sensitive page asked for the password again (people.sessions); once typed, back to that page."""
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = home_url(request.user)
    form = ConfirmPasswordForm(request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        remember_password_confirmed(request)
        return redirect(next_url)
    status = 400 if request.method == "POST" else 200
    return render(request, "people/confirm_password.html", {"form": form, "next": next_url}, status=status)


class PasswordResetView(auth_views.PasswordResetView):
    """The owner's own way back in: a link to the email address on their account (never one staff typed on a
    learner record), valid PASSWORD_RESET_TIMEOUT (3 days) and once. The same answer whether or not an account
    has that address, so the page tells no one who has an account."""

    template_name = "people/password/reset.html"
    email_template_name = "people/email/password_reset_body.txt"
    subject_template_name = "people/email/password_reset_subject.txt"
    success_url = reverse_lazy("people:password_reset_done")

    @property
    def extra_email_context(self):
        # The link's host comes from settings, never from the request's Host header.
        return {"base_url": settings.WAGTAILADMIN_BASE_URL}

    def form_valid(self, form):
        if PASSWORD_RESET_ATTEMPTS.exceeded(client_ip(self.request)):
            return redirect(self.success_url)  # the same answer; nothing more is sent from this address
        PASSWORD_RESET_ATTEMPTS.count(client_ip(self.request))
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Choosing the new password from the emailed link. It proves the person holds the account's email, so it
    also ends a sign-in pause on that account (django-axes), from every address: the real owner's way back in."""

    template_name = "people/password/reset_confirm.html"
    success_url = reverse_lazy("people:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        end_sign_in_pause(username=form.user.get_username())
        return response


def set_language(request):
    """Django's language switcher (the cookie, the redirect to the page in the new language), and for someone
    signed in, the choice is also kept on their account."""
    response = django_set_language(request)
    if request.method == "POST" and request.user.is_authenticated:
        remember_language(user=request.user, language=request.POST.get("language", ""))
    return response
