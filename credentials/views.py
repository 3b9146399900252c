"""Credential pages outside the admin: the public verification page, certificate downloads, the learner's
certificates in the portal and the staff's eligibility page for a cohort.

The verification page needs no login and shows what the certificate itself shows (name, credential, issuer,
hours, dates, validity), what the credential means and asks of every learner (its pathway's description and
requirements), and whether it still stands: valid, expired or revoked. It does not help
anyone guess codes: a code is 135 random bits, a typo is caught by its check character without asking the
database, and each client address may miss only `VERIFY_ATTEMPTS.attempts` times in ten minutes before
every lookup from it is refused for the rest of the window (core.ratelimit).

A learner may keep their certificate's details off the public page (Credential.shown_publicly, switched
in the portal). Then the page says that a certificate with this code exists and asks for the name printed
on it: someone the learner gave the certificate to has both and sees the details; someone who only found
or guessed a code learns nothing about who holds it or what it is for. A wrong name counts as a miss.
"""

import re
import unicodedata

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from wagtail.log_actions import log

from cohorts.views.portal import learner_view
from core.ratelimit import AttemptLimit, client_ip
from people.models import Partner

from . import codes, eligibility, openbadges, selectors, services, sharing
from .forms import NameCheckForm, VerifyForm
from .models import Credential
from .notifications import attachment_name

VERIFY_ATTEMPTS = AttemptLimit("credential-verify", attempts=20, window=10 * 60)
DOWNLOAD_ACTION = "credentials.credential.download"


def _public(response):
    """Verification pages: never cached (a revocation shows at once), not indexed, the code not leaked onward."""
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response


def _blocked(request):
    response = render(request, "credentials/public/blocked.html", {"form": VerifyForm()}, status=429)
    response["Retry-After"] = str(VERIFY_ATTEMPTS.window)
    return _public(response)


@require_GET
def verify_form(request):
    """Where an employer types the code printed on a certificate."""
    if "code" not in request.GET:
        return _public(render(request, "credentials/public/verify_form.html", {"form": VerifyForm()}))
    form = VerifyForm(request.GET)
    if form.is_valid():
        return redirect("credentials:verify", code=form.cleaned_data["code"])
    return _public(render(request, "credentials/public/verify_form.html", {"form": form}, status=400))


def same_name(typed, printed):
    """Names typed by someone else: case, accents' composition, spacing and punctuation are forgiven."""

    def simple(name):
        name = unicodedata.normalize("NFKC", name or "").casefold()
        return re.sub(r"[\W_]+", " ", name).strip()

    return bool(simple(typed)) and simple(typed) == simple(printed)


@never_cache
@require_http_methods(["GET", "POST"])
def verify(request, code):
    who = client_ip(request)
    if VERIFY_ATTEMPTS.exceeded(who):
        return _blocked(request)  # not even looked up: during the pause nothing is learned
    credential = selectors.credential_by_code(code)
    if credential is None:
        VERIFY_ATTEMPTS.count(who)
        typo = not codes.is_well_formed(codes.normalize(code))
        form = VerifyForm(initial={"code": code[:64]})
        return _public(render(request, "credentials/public/not_found.html", {"form": form, "typo": typo}, status=404))
    context = {
        "credential": credential,
        "code": credential.grouped_code,
        "show": credential.shown_publicly,
        "requirements": eligibility.pathway_requirements(credential.pathway),
        "logo": selectors.issuer_logo(credential),
    }
    if not credential.shown_publicly:
        if request.method == "POST":
            name_form = NameCheckForm(request.POST)
            printed = (credential.name_as_printed, credential.name_latin_as_printed)  # either line of the paper
            if name_form.is_valid() and any(same_name(name_form.cleaned_data["name"], name) for name in printed):
                context["show"] = True
            else:
                VERIFY_ATTEMPTS.count(who)
                if name_form.is_valid():
                    name_form.add_error("name", _("That is not the name printed on this certificate."))
        else:
            name_form = NameCheckForm()
        context["name_form"] = name_form
    return _public(render(request, "credentials/public/verify.html", context))


# --- downloads ------------------------------------------------------------------------------------------


@require_GET
@login_required
def download(request, pk, english=False):
    """A certificate's PDF (or its English copy), streamed from private storage to whoever may have it
    (selectors); anyone else gets the same 404 as for a certificate that does not exist, and so does an English
    copy that was not made. Every download is audited."""
    credential = selectors.certificate_for_download(request.user, pk)
    if credential is None:
        raise Http404
    stored = credential.english_pdf if english else credential.pdf
    if not stored:
        raise Http404
    try:
        handle = stored.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    filename = attachment_name(credential, english=english)
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type="application/pdf")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    log(credential, DOWNLOAD_ACTION, user=request.user, data={"learner": credential.learner_id, "english": english})
    return response


# --- the learner's certificates -------------------------------------------------------------------------


@never_cache
@learner_view
def mine(request):
    """The learner's certificates and their progress toward the credentials their cohorts lead to."""
    learner = request.learner
    return render(
        request,
        "credentials/portal/mine.html",
        {
            "learner": learner,
            "credentials": [
                (credential, sharing.share_for(credential))
                for credential in selectors.learner_credentials(learner=learner)
            ],
            "progress": [line for line in eligibility.learner_progress(learner=learner) if line.credential is None],
        },
    )


@require_POST
@learner_view
def visibility(request, pk):
    credential = get_object_or_404(Credential, pk=pk, learner=request.learner)
    shown = request.POST.get("shown") == "1"
    services.set_shown_publicly(credential=credential, shown=shown, by=request.user)
    if shown:
        messages.success(request, _("Employers who scan or type the code now see your certificate's details."))
    else:
        messages.success(
            request,
            _("The public page now shows your certificate's details only to someone who also types your name."),
        )
    return redirect("credentials:mine")


# --- staff: who has earned what in a cohort --------------------------------------------------------------


@never_cache
@login_required
def cohort(request, cohort_id):
    """Each learner of a cohort against a pathway it leads to, requirement by requirement. For the cohort's
    instructors, its partner's staff and program managers; anyone else gets a 404."""
    cohort = selectors.cohort_for_staff(request.user, cohort_id)
    if cohort is None:
        raise Http404
    pathways = eligibility.pathways_for(cohort)
    chosen = next((p for p in pathways if str(p.pk) == request.GET.get("pathway")), pathways[0] if pathways else None)
    results = eligibility.cohort_eligibility(pathway=chosen, cohort=cohort) if chosen else []
    return render(
        request,
        "credentials/staff/cohort.html",
        {
            "cohort": cohort,
            "pathways": pathways,
            "chosen": chosen,
            "results": results,
            "eligible_count": sum(1 for result in results if result.eligible),
            "issued_count": sum(1 for result in results if result.credential is not None),
        },
    )


# --- Open Badges 3.0 (credentials.openbadges) -------------------------------------------------------------


def _open_badge_file(credential):
    response = HttpResponse(openbadges.signed_credential(credential), content_type=openbadges.MEDIA_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, openbadges.file_name(credential))
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
@login_required
def open_badge(request, pk):
    """A credential's signed Open Badges 3.0 file, for whoever may download its PDF (the learner while it is
    valid, staff who may see the learner); anyone else gets a 404. Audited like the PDF."""
    credential = selectors.certificate_for_download(request.user, pk)
    if credential is None:
        raise Http404
    response = _open_badge_file(credential)
    response["Cache-Control"] = "private, no-store"
    log(credential, DOWNLOAD_ACTION, user=request.user, data={"learner": credential.learner_id, "format": "ob3"})
    return response


@require_GET
def public_open_badge(request, code):
    """The Open Badges 3.0 file from the public page: only for a valid certificate whose holder shows its
    details to anyone with the code (the same people already see everything it says)."""
    who = client_ip(request)
    if VERIFY_ATTEMPTS.exceeded(who):
        return _blocked(request)
    credential = selectors.credential_by_code(code)
    if credential is None:
        VERIFY_ATTEMPTS.count(who)
        raise Http404
    if not credential.shown_publicly or credential.is_revoked:
        raise Http404
    return _public(_open_badge_file(credential))


def _published(response, seconds):
    """What verifiers anywhere fetch (profiles, keys, status lists): public, cacheable for `seconds`, readable
    by a verifier running in another site's page. Nothing in it names a person."""
    response["Cache-Control"] = f"public, max-age={seconds}"
    response["Access-Control-Allow-Origin"] = "*"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _json(document, seconds=60 * 60):
    return _published(JsonResponse(document, json_dumps_params={"ensure_ascii": False, "indent": 2}), seconds)


@require_GET
def issuer(request):
    """The program's issuer profile: the parent organization of every partner that issues."""
    return _json(openbadges.program_profile())


@require_GET
def partner_issuer(request, partner_id):
    partner = get_object_or_404(Partner, pk=partner_id)
    return _json(openbadges.partner_profile(partner.pk, partner.name))


@require_GET
def issuer_jwks(request):
    """The public key every Open Badges file and status list is signed with."""
    return _json(openbadges.public_jwks())


@require_GET
def status_list(request, number):
    """A signed revocation status list (W3C Bitstring Status List): positions only, no names."""
    if number >= openbadges.list_count():
        raise Http404
    response = HttpResponse(openbadges.signed_status_list(number), content_type=openbadges.MEDIA_TYPE)
    return _published(response, openbadges.STATUS_TTL_SECONDS)
