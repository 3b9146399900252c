"""Credentials (certificates) and the public verification of a code.

The list is scoped like the pages: the admin's credentials (program managers every partner's, partner staff
their own partner's learners'), the certificates of the learners an instructor teaches (the cohort page and
its downloads), and a learner's own, revoked ones included.

Verification needs no token and answers what the public page shows, under the same rules: a code that
does not exist and a wrong name count against the caller's address (credentials.views.VERIFY_ATTEMPTS), and
a certificate its holder keeps off the public page shows its details only to someone who also sends the
name printed on it (POST, so the name stays out of URLs and logs).
"""

import datetime
from typing import Annotated, Literal

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from core.ratelimit import client_ip
from credentials import openbadges, services
from credentials import selectors as credential_selectors
from credentials.models import Credential, CredentialPathway
from credentials.views import VERIFY_ATTEMPTS, same_name
from people.access import visible_learners

from ..errors import ApiError
from ..pagination import LimitOffset
from ..schemas import ErrorOut, Id, LearnerRef, Text, ValidationErrorOut, responses

router = Router(tags=["credentials"])


class PathwayRef(Schema):
    id: int
    name: str


class CredentialOut(Schema):
    id: int
    learner: LearnerRef
    pathway: PathwayRef
    cohort_id: int | None
    name_as_printed: str
    name_latin_as_printed: str = Field(description="The Latin-letter line under a name in another script, or empty.")
    title_as_printed: str
    issuer_as_printed: str
    hours: str | None
    issued_on: datetime.date
    status: Literal["issued", "revoked"]
    revoked_at: datetime.datetime | None
    verification_code: str = Field(description="As printed: groups of four.")

    @staticmethod
    def resolve_hours(credential):
        return None if credential.hours is None else str(credential.hours)

    @staticmethod
    def resolve_verification_code(credential):
        return credential.grouped_code


class CredentialFilters(Schema):
    status: Literal["issued", "revoked"] | None = None
    learner: Id | None = None
    cohort: Id | None = None


def credentials_for(user, *, status=None, learner=None, cohort=None):
    seen = Credential.objects.filter(learner__in=visible_learners(user))
    rows = (credential_selectors.credentials_visible_to(user) | seen).select_related("learner", "pathway")
    if status:
        rows = rows.filter(status=status)
    if learner:
        rows = rows.filter(learner_id=learner)
    if cohort:
        rows = rows.filter(cohort_id=cohort)
    return rows.order_by("-issued_at", "pk")


@router.get("/credentials", response=responses(list[CredentialOut], not_found=False), summary="Certificates issued")
@paginate(LimitOffset)
def list_credentials(request, filters: Query[CredentialFilters]):
    return credentials_for(request.auth, **filters.dict())


# --- issuing one certificate --------------------------------------------------------------------------------


class IssueIn(Schema):
    learner: Id
    pathway: Id
    cohort: Id


@router.post(
    "/credentials",
    response=responses(CredentialOut, status=201, conflict=True, body=True),
    summary="Issue one learner's certificate",
    description=(
        "Program managers (any cohort) and partner staff (their partner's cohorts), through the same service as "
        "the admin: the learner must meet every requirement of the pathway. A pathway that certifies completion "
        "is refused (422) until the cohort has ended and staff recorded the learner's completion; a learner who "
        "holds the credential already is a 409."
    ),
)
def issue(request, payload: IssueIn):
    user = request.auth
    cohort = credential_selectors.cohorts_for_issuing(user).filter(pk=payload.cohort).first()
    pathway = CredentialPathway.objects.filter(pk=payload.pathway).first()
    learner = visible_learners(user).filter(pk=payload.learner).first()
    if cohort is None or pathway is None or learner is None:
        raise Http404
    if not pathway.covers(cohort.course):
        raise ApiError(
            422,
            _("“%(pathway)s” is not earned in %(course)s. Choose a credential of that course or its track.")
            % {"pathway": pathway.name, "course": cohort.course.title},
        )
    try:
        credential = services.issue_credential(learner=learner, pathway=pathway, cohort=cohort, by=user)
    except services.AlreadyIssued as error:
        raise ApiError(409, error.message) from error
    except services.CertificateStoreError as error:
        raise ApiError(503, error.message) from error
    return Status(201, credential)


class OpenBadgeOut(Schema):
    id: int
    media_type: Literal["application/vc+jwt"] = "application/vc+jwt"
    open_badge: str = Field(
        description="The certificate as a signed Open Badges 3.0 credential (VC-JWT, EdDSA): the same file the "
        "portal downloads. Its key is at /credentials/issuer/jwks.json, its revocation status list at the "
        "URL in its credentialStatus."
    )


@router.get(
    "/credentials/{credential_id}/openbadge",
    response=responses(OpenBadgeOut),
    summary="A certificate as a signed Open Badges 3.0 credential",
)
def open_badge(request, credential_id: Id):
    """For whoever may download the certificate's PDF: staff who may see the learner, the learner while valid."""
    credential = credential_selectors.certificate_for_download(request.auth, credential_id)
    if credential is None:
        raise Http404
    return {"id": credential.pk, "open_badge": openbadges.signed_credential(credential)}


# --- public verification ------------------------------------------------------------------------------------


class VerificationOut(Schema):
    code: str
    details_shown: bool = Field(
        description="False when the holder shows details only to someone who also sends the printed name."
    )
    status: Literal["valid", "expired", "revoked"] | None = None
    revoked_on: datetime.date | None = None
    expires_on: datetime.date | None = Field(
        None, description="The last day it is valid; none when it does not expire. Past it, status is expired."
    )
    name: str | None = None
    name_latin: str | None = Field(
        None, description="As printed under a name in another script, from the holder's official papers."
    )
    credential: str | None = None
    issued_by: str | None = None
    issued_on: datetime.date | None = None
    message: str


class NameCheckIn(Schema):
    name: Annotated[Text, Field(min_length=1, max_length=200)]


Code = Annotated[str, Field(max_length=64)]
VERIFY_RESPONSES = {200: VerificationOut, 404: ErrorOut, 422: ValidationErrorOut, 429: ErrorOut}


def _verify(request, code, name=None):
    who = client_ip(request)
    if VERIFY_ATTEMPTS.exceeded(who):
        raise ApiError(429, _("Too many checks from your address. Please wait a few minutes and try again."))
    credential = credential_selectors.credential_by_code(code)
    if credential is None:
        VERIFY_ATTEMPTS.count(who)
        raise ApiError(404, _("No certificate has this code. Check it for typing mistakes."))
    shown = credential.shown_publicly
    if not shown and name is not None:
        shown = any(
            same_name(name, printed) for printed in (credential.name_as_printed, credential.name_latin_as_printed)
        )
        if not shown:
            VERIFY_ATTEMPTS.count(who)
    answer = {"code": credential.grouped_code, "details_shown": shown}
    if not shown:
        return answer | {
            "message": _(
                "A certificate with this code exists. Its holder shows its details only to someone who also "
                "knows the name printed on it: send that name to see the details and whether it is still valid."
            )
        }
    revoked, expired = credential.is_revoked, credential.expired
    if revoked:
        status, message = "revoked", _("This certificate was revoked. It is no longer valid.")
    elif expired:
        status, message = "expired", _("This certificate has expired. It is no longer valid.")
    else:
        status, message = "valid", _("This certificate is valid.")
    return answer | {
        "status": status,
        "revoked_on": credential.revoked_at.date() if revoked else None,
        "expires_on": credential.expires_on,
        "name": credential.name_as_printed,
        "name_latin": credential.name_latin_as_printed or None,
        "credential": credential.title_as_printed,
        "issued_by": credential.issuer_as_printed,
        "issued_on": credential.issued_on,
        "message": message,
    }


@router.get("/verify/{code}", auth=None, response=VERIFY_RESPONSES, summary="Check a certificate's code (public)")
def verify(request, code: Code):
    return _verify(request, code)


@router.post(
    "/verify/{code}",
    auth=None,
    response=VERIFY_RESPONSES | {400: ErrorOut},
    summary="Check a code with the name printed on the certificate (public)",
)
def verify_with_name(request, code: Code, payload: NameCheckIn):
    return _verify(request, code, payload.name)
