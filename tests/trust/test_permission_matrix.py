"""Every URL pattern of the project, requested as every role, against an explicit table of outcomes.

The table below (ENTRIES) has one entry per URL pattern of ours — pages, file downloads, feeds, admin
viewsets over our models — and Wagtail's own admin URLs are covered by the groups in WAGTAIL_ADMIN. A
pattern with no entry fails the build (test_every_url_pattern_has_an_entry names it and prints a stub).

Objects in URLs belong to the learner's side (Northside: its cohort, the learner's enrollment, bonus...);
"other_*" roles must not reach them (IDOR). Every 200 is also searched for the names of learners the role
may not see (zero leaks). Each request runs in a savepoint that is rolled back, so POSTs change nothing.

Adding an entry for a new URL: copy the stub from the failure message into ENTRIES, keyed by the route
exactly as printed; give `args` the ids it needs from the world (tests/trust/matrix_world.py: add the
object there if it is new), and for each role the outcome a user should get — OK, LOGIN, NOT_FOUND, ...
A 200 for a role that must not see the object is a bug to fix in the view, never an entry to write.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.resolvers import LocalePrefixPattern, RegexPattern
from wagtail.admin.viewsets import viewsets as admin_viewsets

from .matrix_world import LEARNER_NAME, MAY_SEE, OTHER_LEARNER_NAME, ROLES, build_world

# The mark makes pytest-django set up the test database even when this module runs alone; without it the
# module-wide world below would be built in the development database.
pytestmark = pytest.mark.django_db

# --- outcomes --------------------------------------------------------------------------------------------

OK = "200"
NO_CONTENT = "204"
BAD_REQUEST = "400"
FORBIDDEN = "403"
NOT_FOUND = "404"
NOT_ALLOWED = "405"
TOO_MANY = "429"
LOGIN = "→ sign in"  # redirect to /accounts/login/?next=...
ADMIN_LOGIN = "→ admin sign in"  # Wagtail: anonymous, or signed in without admin access
ADMIN_DENIED = "→ admin home"  # Wagtail's "Sorry, you do not have permission to access this area."


def to(path):
    """A redirect to `path` (query string ignored)."""
    return f"→ {path}"


# Where sign-in leads each signed-in role (people.homes); learners to /learn/, the default of `roles`.
ROLE_HOMES = {
    "instructor": to("/teach/"),
    "other_instructor": to("/teach/"),
    "staff": ADMIN_DENIED,  # /admin/ itself: outcome_of names every redirect there so
    "other_staff": ADMIN_DENIED,
    "manager": ADMIN_DENIED,
}


def outcome_of(response):
    if 300 <= response.status_code < 400:
        target = re.split(r"[?#]", response["Location"], maxsplit=1)[0]
        target = re.sub(r"^https?://[^/]+", "", target)
        if target == settings.LOGIN_URL or target == "/accounts/login/":
            return LOGIN
        if target == "/admin/login/":
            return ADMIN_LOGIN
        if target == "/admin/":
            return ADMIN_DENIED
        return to(target)
    return str(response.status_code)


def roles(default=None, **outcomes):
    """An outcome for every role: `default` for those not named."""
    unknown = set(outcomes) - set(ROLES)
    assert not unknown, f"unknown roles {unknown}"
    table = {role: outcomes.get(role, default) for role in ROLES}
    assert None not in table.values(), f"no outcome for {[r for r, o in table.items() if o is None]}"
    return table


@dataclass(frozen=True)
class Check:
    """What each role gets from one URL pattern.

    get: role -> outcome of a GET. post: role -> outcome of a POST with empty data (None: not posted).
    args: world -> the values of the pattern's parameters, by name (or position for regex groups).
    """

    get: dict
    post: dict | None = None
    args: object = None  # callable(world) -> dict
    query: str = ""  # appended to the path, "{name}" filled with the world object's id


# --- who may do what, in the words of the program -------------------------------------------------------

# Instructors of the cohort, its partner's staff and managers; other staff get the same 404 as a missing id.
COHORT_STAFF = roles(
    LOGIN,
    learner=NOT_FOUND,
    other_learner=NOT_FOUND,
    instructor=OK,
    other_instructor=NOT_FOUND,
    staff=OK,
    other_staff=NOT_FOUND,
    manager=OK,
)


def cohort_staff(outcome):
    """COHORT_STAFF, with `outcome` for those allowed (e.g. what an empty form POST gives them)."""
    return {**COHORT_STAFF, **{role: outcome for role in ("instructor", "staff", "manager")}}


# A signed-in page of our own that every role may open, each seeing only their own things.
SIGNED_IN = roles(OK, anonymous=LOGIN)
PUBLIC = roles(OK)
# Wagtail admin pages for our viewsets: no admin access below partner staff.
NO_ADMIN = dict.fromkeys(("anonymous", "learner", "other_learner", "instructor", "other_instructor"), ADMIN_LOGIN)


def admin(staff, other_staff, manager):
    return roles(**NO_ADMIN, staff=staff, other_staff=other_staff, manager=manager)


# Listing pages: each partner's staff see their own rows (the leak check proves they see no one else's).
ADMIN_LIST = admin(OK, OK, OK)
# Northside's records: its staff and managers; Unidos's staff get a 404 (the scoped queryset has no such row).
ADMIN_OBJECT = admin(OK, NOT_FOUND, OK)
# Program-wide rules (bonus and savings-match rules, milestone types): program managers only. Partner
# staff are sent back to the dashboard from the list, and get a 404 for a rule's own pages.
MANAGER_ONLY = admin(ADMIN_DENIED, ADMIN_DENIED, OK)
MANAGER_ONLY_OBJECT = admin(NOT_FOUND, NOT_FOUND, OK)
# Decisions about money and evidence: partner staff see the "program managers only" page (403), or a 404
# for another partner's record.
DECISION = admin(FORBIDDEN, FORBIDDEN, OK)
DECISION_ON_OBJECT = admin(FORBIDDEN, NOT_FOUND, OK)
# Records nobody edits, deletes or lists usages of in the admin (computed ledgers, recorded milestones):
# Wagtail answers the same for everyone, so ids reveal nothing.
NOT_EDITABLE = admin(ADMIN_DENIED, ADMIN_DENIED, ADMIN_DENIED)
NO_SUCH_VIEW = admin(NOT_FOUND, NOT_FOUND, NOT_FOUND)


def _staff_api_token(world):
    """An API token of Northside's partner staff (made on first use, inside the world's transaction)."""
    from wagtail.models import APIToken

    owner = world.users["staff"]
    return APIToken.objects.filter(user=owner).first() or APIToken.create_token(user=owner, name="Reports")[0]


def pk(name):
    return lambda world: {"pk": getattr(world, name).pk}


def _uid(user):
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    return urlsafe_base64_encode(force_bytes(user.pk))


def viewset(prefix, obj, *, index=ADMIN_LIST, add=ADMIN_LIST, edit=ADMIN_OBJECT, delete=None, history=None, usage=None):
    """The standard routes of one of our ModelViewSets (index, results, add, edit, delete, history, usage),
    addressed with the world's object `obj`; each defaults to `edit`'s outcomes."""
    entries = {
        f"admin/{prefix}/": Check(index),
        f"admin/{prefix}/results/": Check(index),
        f"admin/{prefix}/new/": Check(add, post=add),
        f"admin/{prefix}/edit/<int:pk>/": Check(edit, post=edit, args=pk(obj)),
        f"admin/{prefix}/delete/<int:pk>/": Check(delete or edit, args=pk(obj)),
        f"admin/{prefix}/history/<int:pk>/": Check(history or edit, args=pk(obj)),
        f"admin/{prefix}/history-results/<int:pk>/": Check(history or edit, args=pk(obj)),
        f"admin/{prefix}/usage/<int:pk>/": Check(usage or edit, args=pk(obj)),
    }
    return entries


# Setting up the second factor: staff who have one already are sent to the code page.
SECOND_FACTOR_SETUP = roles(
    to("/learn/"),
    anonymous=LOGIN,
    instructor=to("/teach/"),
    other_instructor=to("/teach/"),
    **dict.fromkeys(("staff", "other_staff", "manager"), to("/accounts/two-factor/")),
)


# --- the table ---------------------------------------------------------------------------------------------

ENTRIES = {
    # Wagtail's public pages and files
    "<lang>/((?:[\\w\\-]+/)*)$": Check(PUBLIC, args=lambda w: ["programs/everyday-english/"]),
    "<lang>/_util/login/": Check(PUBLIC),
    "<lang>/_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/": Check(
        roles(NOT_FOUND), args=lambda w: {"page_view_restriction_id": 999999, "page_id": w.course.pk}
    ),
    "documents/(\\d+)/(.*)$": Check(PUBLIC, args=lambda w: [w.document.pk, w.document.filename]),
    "documents/authenticate_with_password/<int:restriction_id>/": Check(
        roles(NOT_FOUND), args=lambda w: {"restriction_id": 999999}
    ),
    "i18n/setlang/": Check(roles(to("/")), post=roles(to("/"))),
    "favicon.ico": Check(roles(to("/static/cms/favicon.ico")), post=roles(to("/static/cms/favicon.ico"))),
    # accounts
    # Signed in already: each person's own home (people.homes); the admin's home reads as ADMIN_DENIED here.
    "accounts/login/": Check(
        roles(to("/learn/"), **ROLE_HOMES, anonymous=OK), post=roles(to("/learn/"), **ROLE_HOMES, anonymous=OK)
    ),
    "accounts/logout/": Check(roles(NOT_ALLOWED), post=roles(to("/"))),
    "accounts/invite/<int:learner_id>/": Check(
        {**COHORT_STAFF, "learner": FORBIDDEN, "other_learner": FORBIDDEN},
        # The world's learner has set up her account: only a program manager may give her a new code (it replaces
        # her password); her instructor and her partner's staff are sent back to the page that says why.
        post={
            **COHORT_STAFF,
            "learner": FORBIDDEN,
            "other_learner": FORBIDDEN,
            "instructor": to("/accounts/invite/{learner}/"),
            "staff": to("/accounts/invite/{learner}/"),
        },
        args=lambda w: {"learner_id": w.learner.pk},
    ),
    "accounts/setup/": Check(PUBLIC, post=PUBLIC),
    # Typing the password again before a sensitive page (people.sessions): anyone signed in; an empty POST is a
    # form error.
    "accounts/confirm-password/": Check(SIGNED_IN, post=roles(BAD_REQUEST, anonymous=LOGIN)),
    # The owner's password reset by email: open to everyone, and the same answer whoever asks (an empty POST is
    # the form again). The link's page is addressed with the learner's account and a token that is not theirs.
    "accounts/password-reset/": Check(PUBLIC, post=PUBLIC),
    "accounts/password-reset/sent/": Check(PUBLIC),
    "accounts/password-reset/<uidb64>/<token>/": Check(
        PUBLIC, post=PUBLIC, args=lambda w: {"uidb64": _uid(w.learner.user), "token": "cv1pqz-0123456789abcdef"}
    ),
    "accounts/password-reset/done/": Check(PUBLIC),
    # The second factor. Every staff session here has passed it (tests/second_factor.py), so the pages send
    # each person on: staff to where they were going (their home), learners and the instructors of an
    # organization that does not ask for one to their own home, since there is nothing to confirm; enrolled
    # staff from the set-up page to the code page. test_a_password_alone_opens_no_page_but_the_second_factor
    # covers sessions that have not passed it.
    "accounts/two-factor/": Check(
        roles(to("/learn/"), **ROLE_HOMES, anonymous=LOGIN), post=roles(to("/learn/"), **ROLE_HOMES, anonymous=LOGIN)
    ),
    "accounts/two-factor/setup/": Check(SECOND_FACTOR_SETUP, post=SECOND_FACTOR_SETUP),
    # public waitlist
    "<lang>/join/<int:cohort_id>/": Check(PUBLIC, post=PUBLIC, args=lambda w: {"cohort_id": w.cohort.pk}),
    "<lang>/join/<int:cohort_id>/thanks/": Check(
        roles(to("/en/join/{cohort}/")), args=lambda w: {"cohort_id": w.cohort.pk}
    ),
    # instructors (/teach/)
    "teach/": Check(roles(OK, anonymous=LOGIN, learner=to("/learn/"), other_learner=to("/learn/"))),
    "teach/sessions/<int:pk>/": Check(
        COHORT_STAFF, post=cohort_staff(to("/teach/sessions/{session}/")), args=pk("session")
    ),
    "teach/sessions/<int:pk>/check-in/": Check(
        COHORT_STAFF, post=cohort_staff(to("/teach/sessions/{session}/check-in/")), args=pk("session")
    ),
    "teach/cohorts/<int:pk>/": Check(COHORT_STAFF, post=cohort_staff(BAD_REQUEST), args=pk("cohort")),
    "teach/cohorts/<int:pk>/add/": Check(COHORT_STAFF, post=cohort_staff(BAD_REQUEST), args=pk("cohort")),
    "teach/cohorts/<int:pk>/import/": Check(COHORT_STAFF, post=cohort_staff(BAD_REQUEST), args=pk("cohort")),
    "teach/cohorts/<int:pk>/import/template.csv": Check(COHORT_STAFF, args=pk("cohort")),
    # learners (/learn/)
    "learn/": Check(
        roles(to("/teach/"), anonymous=LOGIN, learner=OK, other_learner=OK),
    ),
    "learn/check-in/": Check(
        roles(to("/teach/"), anonymous=LOGIN, learner=OK, other_learner=OK),
        post=roles(to("/teach/"), anonymous=LOGIN, learner=OK, other_learner=OK),
    ),
    # The learner's own name in Latin letters: always their own record, never an id in the URL.
    "learn/name/": Check(
        roles(to("/teach/"), anonymous=LOGIN, learner=OK, other_learner=OK),
        post=roles(to("/teach/"), anonymous=LOGIN, learner=BAD_REQUEST, other_learner=BAD_REQUEST),
    ),
    "learn/offers/<int:enrollment_id>/accept/": Check(
        roles(NOT_ALLOWED),
        post=roles(to("/teach/"), anonymous=LOGIN, learner=to("/learn/"), other_learner=NOT_FOUND),
        args=lambda w: {"enrollment_id": w.enrollment.pk},
    ),
    # calendar feeds: the token is the credential (calendar apps fetch without signing in)
    # Learners and instructors have feeds; staff and managers do not. An empty POST names no action: 400.
    "calendar/mine/": Check(
        roles(
            FORBIDDEN,
            anonymous=LOGIN,
            learner=to("/learn/"),
            other_learner=to("/learn/"),
            instructor=OK,
            other_instructor=OK,
        ),
        post=roles(
            FORBIDDEN,
            anonymous=LOGIN,
            learner=BAD_REQUEST,
            other_learner=BAD_REQUEST,
            instructor=BAD_REQUEST,
            other_instructor=BAD_REQUEST,
        ),
    ),
    "calendar/<str:token>.ics": Check(PUBLIC, args=lambda w: {"token": w.feed.token}),
    # incentives outside the admin
    "incentives/milestones/record/<int:learner_id>/": Check(
        COHORT_STAFF, post=cohort_staff(BAD_REQUEST), args=lambda w: {"learner_id": w.learner.pk}
    ),
    "incentives/evidence/achievement/<int:pk>/": Check({**COHORT_STAFF, "learner": OK}, args=pk("achievement")),
    "incentives/evidence/savings/<int:pk>/": Check(
        {**COHORT_STAFF, "learner": OK, "instructor": NOT_FOUND}, args=pk("deposit")
    ),
    # --- our admin viewsets (cohorts) ---
    # A cohort with sessions and enrollments is not deleted: its edit page says why.
    **viewset(
        "cohorts",
        "cohort",
        delete=admin(to("/admin/cohorts/edit/{cohort}/"), NOT_FOUND, to("/admin/cohorts/edit/{cohort}/")),
    ),
    "admin/cohorts/generate-sessions/<int:pk>/": Check(ADMIN_OBJECT, post=ADMIN_OBJECT, args=pk("cohort")),
    **viewset("sessions", "session"),
    **viewset("enrollments", "enrollment"),
    **viewset("holidays", "holiday"),
    # Learners (the learner's own record, addressed by Unidos's staff: 404).
    **viewset("learners", "learner"),
    "admin/learners/data/<int:pk>/": Check(ADMIN_OBJECT, args=pk("learner")),
    # Partner organizations (who signs their certificates): each partner's staff edit their own, only managers
    # add one, and no one deletes one here (there is no such URL).
    **{
        route: check
        for route, check in viewset("partners", "partner", add=MANAGER_ONLY).items()
        if "/delete/" not in route
    },
    # --- our admin viewsets (incentives) ---
    # Ledgers are computed, never added, edited or deleted by hand; they are inspected and decided.
    **viewset(
        "monthly-bonuses",
        "bonus",
        add=NOT_EDITABLE,
        edit=NOT_EDITABLE,
        delete=NO_SUCH_VIEW,
        history=ADMIN_OBJECT,
        usage=NO_SUCH_VIEW,
    ),
    "admin/monthly-bonuses/inspect/<int:pk>/": Check(ADMIN_OBJECT, args=pk("bonus")),
    "admin/monthly-bonuses/compute/": Check(DECISION, post=DECISION),
    # Nothing to resolve on this bonus: the manager is sent back to the ledger.
    "admin/monthly-bonuses/resolve/<int:pk>/": Check(
        admin(FORBIDDEN, NOT_FOUND, to("/admin/monthly-bonuses/")),
        post=admin(FORBIDDEN, NOT_FOUND, to("/admin/monthly-bonuses/resolve/{bonus}/")),
        args=pk("bonus"),
    ),
    # The payment file for October, asked for Northside: Unidos's staff get a file without Northside's rows
    # (the leak check reads it).
    "admin/monthly-bonuses/export/<str:extension>/": Check(
        ADMIN_LIST, args=lambda w: {"extension": "csv"}, query="?month=2026-10&partner={partner}"
    ),
    **viewset(
        "savings-deposits", "deposit", edit=NOT_EDITABLE, delete=NO_SUCH_VIEW, history=ADMIN_OBJECT, usage=NO_SUCH_VIEW
    ),
    "admin/savings-deposits/inspect/<int:pk>/": Check(ADMIN_OBJECT, args=pk("deposit")),
    "admin/savings-deposits/export/<str:extension>/": Check(
        ADMIN_LIST, args=lambda w: {"extension": "csv"}, query="?month=2026-10&partner={partner}"
    ),
    **viewset(
        "milestones", "achievement", edit=NOT_EDITABLE, delete=NO_SUCH_VIEW, history=ADMIN_OBJECT, usage=NO_SUCH_VIEW
    ),
    "admin/milestones/inspect/<int:pk>/": Check(ADMIN_OBJECT, args=pk("achievement")),
    # Verifying is a POST from the record's page (GET: 405); rejecting asks for a reason first.
    "admin/milestones/verify/<int:pk>/": Check(
        admin(FORBIDDEN, NOT_FOUND, NOT_ALLOWED),
        post=admin(FORBIDDEN, NOT_FOUND, to("/admin/milestones/")),
        args=pk("achievement"),
    ),
    "admin/milestones/reject/<int:pk>/": Check(DECISION_ON_OBJECT, post=DECISION_ON_OBJECT, args=pk("achievement")),
    # A rule in use is not deleted: its edit page says why.
    **viewset(
        "bonus-rules",
        "bonus_rule",
        index=MANAGER_ONLY,
        add=MANAGER_ONLY,
        edit=MANAGER_ONLY,
        history=MANAGER_ONLY_OBJECT,
        usage=MANAGER_ONLY_OBJECT,
        delete=admin(NOT_FOUND, NOT_FOUND, to("/admin/bonus-rules/edit/{bonus_rule}/")),
    ),
    **viewset(
        "savings-match-rules",
        "savings_rule",
        index=MANAGER_ONLY,
        add=MANAGER_ONLY,
        edit=MANAGER_ONLY,
        history=MANAGER_ONLY_OBJECT,
        usage=MANAGER_ONLY_OBJECT,
        delete=admin(NOT_FOUND, NOT_FOUND, to("/admin/savings-match-rules/edit/{savings_rule}/")),
    ),
    **viewset(
        "milestone-types",
        "milestone_type",
        index=MANAGER_ONLY,
        add=MANAGER_ONLY,
        edit=MANAGER_ONLY,
        history=MANAGER_ONLY_OBJECT,
        usage=MANAGER_ONLY_OBJECT,
        delete=admin(NOT_FOUND, NOT_FOUND, to("/admin/milestone-types/edit/{milestone_type}/")),
    ),
    # --- credentials outside the admin ---
    # Verifying is public; the world's certificate is kept off the public page, so nobody sees the name there.
    "verify/": Check(PUBLIC),
    "verify/<str:code>/": Check(PUBLIC, args=lambda w: {"code": w.credential.verification_code}),
    # The short link printed on the certificate and in its QR code: the same public page.
    "v/<str:code>": Check(PUBLIC, args=lambda w: {"code": w.credential.verification_code}),
    "credentials/mine/": Check(roles(to("/teach/"), anonymous=LOGIN, learner=OK, other_learner=OK)),
    # The file: its learner, and the staff who may see the learner.
    "credentials/<int:pk>/pdf/": Check({**COHORT_STAFF, "learner": OK}, args=pk("credential")),
    # Its English copy: exactly the same people.
    "credentials/<int:pk>/pdf/english/": Check({**COHORT_STAFF, "learner": OK}, args=pk("credential")),
    # Its Open Badges 3.0 file: the same people. From the public page only when the holder shows the details
    # there, which the world's learner does not.
    "credentials/<int:pk>/openbadge/": Check({**COHORT_STAFF, "learner": OK}, args=pk("credential")),
    "verify/<str:code>/openbadge/": Check(roles(NOT_FOUND), args=lambda w: {"code": w.credential.verification_code}),
    # What any verifier fetches: issuer profiles, the public key, revocation status lists (no names in them).
    "credentials/issuer/": Check(PUBLIC),
    "credentials/issuer/jwks.json": Check(PUBLIC),
    "credentials/issuer/<int:partner_id>/": Check(PUBLIC, args=lambda w: {"partner_id": w.partner.pk}),
    "credentials/status/<int:number>/": Check(PUBLIC, args=lambda w: {"number": 0}),
    # Showing a certificate on the public page is the learner's choice alone (a POST from their page).
    "credentials/<int:pk>/visibility/": Check(
        roles(NOT_ALLOWED),
        post=roles(to("/teach/"), anonymous=LOGIN, learner=to("/credentials/mine/"), other_learner=NOT_FOUND),
        args=pk("credential"),
    ),
    "credentials/cohorts/<int:cohort_id>/": Check(COHORT_STAFF, args=lambda w: {"cohort_id": w.cohort.pk}),
    # --- outcomes: every partner's staff see their own partner's figures (the leak check reads them) ---
    "admin/outcomes/": Check(ADMIN_LIST),
    "admin/outcomes/export/<slug:table>/<str:extension>/": Check(
        ADMIN_LIST, args=lambda w: {"table": "cohorts", "extension": "csv"}
    ),
    "admin/outcomes/report/": Check(ADMIN_LIST),
    "admin/outcomes/report/print/": Check(ADMIN_LIST),
    "admin/outcomes/report/pdf/": Check(ADMIN_LIST),
    # The audit trail names every learner and actor: program managers only.
    "admin/reports/audit-trail/": Check(MANAGER_ONLY),
    "admin/reports/audit-trail/results/": Check(MANAGER_ONLY),
    # --- our admin viewsets (credentials) ---
    "admin/credentials/": Check(ADMIN_LIST),
    "admin/credentials/results/": Check(ADMIN_LIST),
    "admin/credentials/history/<int:pk>/": Check(ADMIN_OBJECT, args=pk("credential")),
    "admin/credentials/history-results/<int:pk>/": Check(ADMIN_OBJECT, args=pk("credential")),
    "admin/credentials/inspect/<int:pk>/": Check(ADMIN_OBJECT, args=pk("credential")),
    "admin/credentials/revoke/<int:pk>/": Check(ADMIN_OBJECT, post=ADMIN_OBJECT, args=pk("credential")),
    "admin/certificate-batches/": Check(ADMIN_LIST),
    "admin/certificate-batches/results/": Check(ADMIN_LIST),
    "admin/certificate-batches/new/": Check(ADMIN_LIST, post=ADMIN_LIST),
    # The preview is the answer to the issue form: without a form there is nothing to preview (GET goes back
    # to the form; a POST naming no cohort finds none).
    "admin/certificate-batches/preview/": Check(
        admin(*[to("/admin/certificate-batches/new/")] * 3), post=admin(NOT_FOUND, NOT_FOUND, NOT_FOUND)
    ),
    "admin/certificate-batches/history/<int:pk>/": Check(ADMIN_OBJECT, args=pk("batch")),
    "admin/certificate-batches/history-results/<int:pk>/": Check(ADMIN_OBJECT, args=pk("batch")),
    "admin/certificate-batches/inspect/<int:pk>/": Check(ADMIN_OBJECT, args=pk("batch")),
    # Pathways and certificate templates are program-wide: program managers only.
    **viewset(
        "credential-pathways",
        "pathway",
        index=MANAGER_ONLY,
        add=MANAGER_ONLY,
        edit=MANAGER_ONLY,
        history=MANAGER_ONLY_OBJECT,
        usage=MANAGER_ONLY_OBJECT,
        delete=admin(NOT_FOUND, NOT_FOUND, to("/admin/credential-pathways/edit/{pathway}/")),
    ),
    # A template or pathway in use is not deleted: its edit page says why.
    "admin/certificate-templates/delete/<int:pk>/": Check(
        admin(ADMIN_DENIED, ADMIN_DENIED, to("/admin/certificate-templates/edit/{certificate_template}/")),
        args=pk("certificate_template"),
    ),
    **{
        f"admin/snippets/choose/credentials/certificatetemplate/{action}": Check(MANAGER_ONLY)
        for action in ("", "results/", "chosen-multiple/", "create/")
    },
    "admin/snippets/choose/credentials/certificatetemplate/chosen/<str:pk>/": Check(
        MANAGER_ONLY, args=pk("certificate_template")
    ),
    # --- the JSON API (/api/v1/) ---
    # The API reads only `Authorization: Bearer <token>`: a signed-in browser session is no credential there, so
    # every role gets the JSON 401 here (and a 405 for a method an endpoint does not take). What each role's
    # token may see — each endpoint, each id, IDOR — is tested in tests/api/test_scoping.py.
    "api/v1/": Check(PUBLIC),
    "api/v1/openapi.json": Check(PUBLIC),
    "api/v1/(?P<rest>.*)$": Check(roles(NOT_FOUND)),
    **{
        route: Check(roles("401"), args=args)
        for route, args in (
            ("api/v1/me", None),
            ("api/v1/cohorts", None),
            ("api/v1/cohorts/<cohort_id>", lambda w: {"cohort_id": w.cohort.pk}),
            ("api/v1/cohorts/<cohort_id>/sessions", lambda w: {"cohort_id": w.cohort.pk}),
            ("api/v1/sessions/<session_id>", lambda w: {"session_id": w.session.pk}),
            ("api/v1/sessions/<session_id>/roster", lambda w: {"session_id": w.session.pk}),
            ("api/v1/learners", None),
            ("api/v1/learners/<learner_id>", lambda w: {"learner_id": w.learner.pk}),
            ("api/v1/bonuses", None),
            ("api/v1/milestones", None),
            ("api/v1/credentials", None),
            ("api/v1/credentials/<credential_id>/openbadge", lambda w: {"credential_id": w.credential.pk}),
            ("api/v1/outcomes/summary", None),
        )
    },
    # Verifying a certificate code is public, as the /verify/ page: a code that does not exist is a 404 for
    # everyone; a POST (the printed name, as JSON) that is not JSON is a 400.
    "api/v1/verify/<code>": Check(roles(NOT_FOUND), post=roles(BAD_REQUEST), args=lambda w: {"code": "NOT-A-CODE"}),
    # Issuing one certificate (POST) beside the list (GET): a token is needed for both.
    "api/v1/credentials": Check(roles("401"), post=roles("401")),
    "api/v1/sessions/<session_id>/attendance": Check(
        roles(NOT_ALLOWED), post=roles("401"), args=lambda w: {"session_id": w.session.pk}
    ),
    # API tokens in the admin: partner staff see and revoke only their own (the token here is Northside's
    # staff's); program managers everyone's.
    "admin/api-tokens/": Check(ADMIN_LIST),
    "admin/api-tokens/results/": Check(ADMIN_LIST),
    "admin/api-tokens/new/": Check(ADMIN_LIST, post=ADMIN_LIST),
    "admin/api-tokens/history/<int:pk>/": Check(ADMIN_OBJECT, args=lambda w: {"pk": _staff_api_token(w).pk}),
    "admin/api-tokens/history-results/<int:pk>/": Check(ADMIN_OBJECT, args=lambda w: {"pk": _staff_api_token(w).pk}),
    "admin/api-tokens/revoke/<int:pk>/": Check(
        ADMIN_OBJECT,
        post=admin(to("/admin/api-tokens/"), NOT_FOUND, to("/admin/api-tokens/")),
        args=lambda w: {"pk": _staff_api_token(w).pk},
    ),
    # Wagtail's user admin, over our User model (addressed with the learner's account): program managers
    # give out roles with people.services.assign_role, not here, so nobody below superuser gets in.
    **{
        f"admin/users/{action}": Check(
            admin(ADMIN_DENIED, ADMIN_DENIED, ADMIN_DENIED), args=lambda w: {"pk": w.learner.user_id}
        )
        for action in (
            "",
            "results/",
            "new/",
            "edit/<int:pk>/",
            "delete/<int:pk>/",
            "history/<int:pk>/",
            "history-results/<int:pk>/",
            "usage/<int:pk>/",
            "copy/<int:pk>/",
        )
    },
    # Choosing a course's instruction languages (a snippet chooser, Wagtail's views): public course data that
    # any admin user may pick; only managers may create one.
    **{
        f"admin/snippets/choose/courses/instructionlanguage/{action}": Check(ADMIN_LIST)
        for action in ("", "results/", "chosen-multiple/")
    },
    "admin/snippets/choose/courses/instructionlanguage/chosen/<str:pk>/": Check(
        admin(NOT_FOUND, NOT_FOUND, NOT_FOUND), args=lambda w: {"pk": 999999}
    ),
    "admin/snippets/choose/courses/instructionlanguage/create/": Check(admin(ADMIN_DENIED, ADMIN_DENIED, OK)),
    # Wagtail's admin API for documents and images, scoped (people.admin_api): what a user may choose. Partner
    # staff may choose none, so their list is empty (the leak check reads it) and Northside's file is a 404.
    **{
        f"admin/api/main/{kind}/{action}": Check(outcome, args=args)
        for kind, obj in (("documents", "northside_document"), ("images", "image"))
        for action, outcome, args in (
            ("", ADMIN_LIST, None),
            ("<int:pk>/", admin(NOT_FOUND, NOT_FOUND, OK), pk(obj)),
            ("find/", admin(NOT_FOUND, NOT_FOUND, NOT_FOUND), None),  # no id asked for: nothing found
        )
    },
    # wagtail-localize's .po upload for a real translation: a POST without a file is a server error
    # (MultiValueDictKeyError in upload_pofile), reached only by those who may translate (program managers).
    # An upstream bug, written down here so that any other change to this route shows.
    "admin/localize/translate/<int:translation_id>/pofile/upload/": Check(
        admin(NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
        post=admin(ADMIN_DENIED, ADMIN_DENIED, "500"),
        args=lambda w: {"translation_id": w.translation.pk},
    ),
}

# Wagtail's own admin URLs (pages, images, documents, users, reports, settings...). Their rules are
# Wagtail's; what we check is that nobody without admin access gets in, that they never fail with a 500,
# and (with the leak check) that a partner's staff never see another partner's learners there. Ids in these
# URLs are real objects (WAGTAIL_OBJECTS_BY_*): the world's image, documents, collection and redirect carry
# Northside's learner's name, so a 200 for Unidos's staff or another learner is a leak.
ANY_ADMIN_ANSWER = frozenset(
    {OK, NO_CONTENT, BAD_REQUEST, FORBIDDEN, NOT_FOUND, NOT_ALLOWED, ADMIN_DENIED, "→ /admin/*"}
)
WAGTAIL_ADMIN = [
    # (pattern over the route, Check)
    (r"^admin/(login|password_reset)/", Check(roles(ANY_ADMIN_ANSWER, anonymous=OK))),
    (
        r"^admin/logout/$",
        Check(
            roles(ADMIN_LOGIN, staff=NOT_ALLOWED, other_staff=NOT_ALLOWED, manager=NOT_ALLOWED), post=roles(ADMIN_LOGIN)
        ),
    ),
    (r"^admin/(jsi18n|sprite)/$", Check(PUBLIC)),
    # Wagtail's own "does the 500 page work" view: a deliberate server error, for admin users only.
    (r"^admin/failwhale/$", Check(roles(ADMIN_LOGIN, staff="500", other_staff="500", manager="500"))),
    (
        r"^admin/",
        Check(roles(ADMIN_LOGIN, staff=ANY_ADMIN_ANSWER, other_staff=ANY_ADMIN_ANSWER, manager=ANY_ADMIN_ANSWER)),
    ),
]


# --- enumerating the project's URL patterns ---------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    route: str  # as Django's resolver reports it, with "<lang>/" for the language prefix
    pattern: object = field(compare=False)
    module: str = field(compare=False)  # where its view is defined
    namespace: str = field(compare=False, default="")  # the innermost URL namespace (a viewset's name)


def _segment(pattern):
    if isinstance(pattern, LocalePrefixPattern):
        return "<lang>/"
    text = str(pattern)
    return text.removeprefix("^") if isinstance(pattern, RegexPattern) else text


def _view_module(callback):
    view = getattr(callback, "view_class", None) or getattr(callback, "cls", None) or callback
    while hasattr(view, "__wrapped__"):
        view = view.__wrapped__
    return getattr(view, "__module__", "") or ""


def project_routes(patterns=None, prefix="", namespace=""):
    """Every URL pattern, depth first."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or namespace
            yield from project_routes(pattern.url_patterns, prefix + _segment(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            yield Route(prefix + _segment(pattern.pattern), pattern, _view_module(pattern.callback), namespace)


ROUTES = {route.route: route for route in project_routes()}


def _project_app_labels():
    root = Path(settings.BASE_DIR).resolve()
    return {
        config.label
        for config in apps.get_app_configs()
        if Path(config.path).resolve().is_relative_to(root) and ".venv" not in Path(config.path).parts
    }


OUR_APPS = _project_app_labels() | {"pathways"}


def _our_viewsets():
    """Admin viewsets (ours, or Wagtail's generic ones) registered for models of our apps."""
    names = set()
    for viewset in admin_viewsets.viewsets:
        model = getattr(viewset, "model", None)
        if isinstance(model, str):
            model = apps.get_model(model)
        if model is not None and model._meta.app_label in OUR_APPS:
            names.add(viewset.name)
    return names


OUR_VIEWSETS = _our_viewsets()


def is_ours(route):
    """Our pages, and every admin URL of our apps' models: these need an entry of their own."""
    return (
        not route.route.startswith("admin/")
        or route.module.split(".")[0] in OUR_APPS
        or route.namespace in OUR_VIEWSETS
    )


def check_for(route):
    if route.route in ENTRIES:
        return ENTRIES[route.route]
    if not is_ours(route):
        for expression, check in WAGTAIL_ADMIN:
            if re.search(expression, route.route):
                return check
    return None


# Regular-expression parts of routes, and a value that matches each.
REGEX_SAMPLES = [
    (r"(?P<pk>\d+)", "999999"),
    (r"(?P<revision_id_a>live|earliest|\d+)", "earliest"),
    (r"(?P<revision_id_b>live|latest|\d+)", "latest"),
    (r"(?P<rest>.*)", "nothing-here"),
    (r"\.\.\.", "..."),
    (r".*", "nothing-here"),
]
CONVERTER = re.compile(r"<(?:(?P<kind>\w+):)?(?P<name>\w+)>")

# Wagtail's admin routes: the world object each id parameter names, by parameter (and, for a bare `pk` or an
# ambiguous name, by the start of the route). Northside's objects: Unidos's staff must not reach them.
WAGTAIL_OBJECTS_BY_PREFIX = [
    ("admin/api/main/pages/", "course"),
    ("admin/api/main/documents/", "northside_document"),
    ("admin/api/main/images/", "image"),
    ("admin/pages/", "course"),
    ("admin/collections/", "collection"),
    ("admin/workflows/tasks/", "task"),
    ("admin/workflows/task_chooser/", "task"),
    ("admin/workflows/", "workflow"),
    ("admin/localize/submit/snippet/", "instruction_language"),
    ("admin/localize/api/snippets/", "instruction_language"),
    ("admin/settings/", "branding"),
    ("admin/documents/chooser/", "northside_document"),
    ("admin/images/chooser/", "image"),
    ("admin/snippets/courses/instructionlanguage/", "instruction_language"),
    ("admin/certificate-templates/", "certificate_template"),
    ("admin/locales/", "locale"),
    ("admin/sites/", "site"),
    ("admin/groups/", "group"),
    ("admin/editing-sessions/", "editing_session"),
    ("admin/images/multiple/delete_upload/", "uploaded_image"),
    ("admin/images/multiple/create_from_uploaded_image/", "uploaded_image"),
    ("admin/documents/multiple/delete_upload/", "uploaded_document"),
    ("admin/documents/multiple/create_from_uploaded_document/", "uploaded_document"),
]
WAGTAIL_OBJECTS_BY_PARAMETER = {
    "page_id": "course",
    "parent_page_id": "course",
    "page_to_move_id": "course",
    "destination_id": "home",
    "page_pk": "course",
    "revision_id": "revision",
    "workflow_state_id": "workflow_state",
    "task_state_id": "task_state",
    "task_id": "task",
    "workflow_pk": "workflow",
    "image_id": "image",
    "document_id": "northside_document",
    "doc_id": "northside_document",
    "collection_id": "collection",
    "redirect_id": "redirect",
    "session_id": "editing_session",
    "translation_source_id": "translation_source",
    "translation_id": "translation",
    "string_segment_id": "string_segment",
    "overridable_segment_id": "overridable_segment",
}
# Names in Wagtail's routes that are not ids, with a value that fits the world.
WAGTAIL_VALUES = {
    "content_type_app_name": "courses",
    "content_type_model_name": "coursepage",
    "app_label": "courses",
    "model_name": "instructionlanguage",
    "app_name": "cms",
    "action_name": "approve",
    "filter_spec": "original",
    "mode": "default",
    "token": "not-a-reset-token",
}


def wagtail_args(route, world):
    """Real ids (and fitting names) for one of Wagtail's admin routes, instead of made-up ones."""
    args = {}
    for match in CONVERTER.finditer(route):
        name = match["name"]
        obj = WAGTAIL_OBJECTS_BY_PARAMETER.get(name)
        if name == "pk" or obj is None:
            obj = next((obj for prefix, obj in WAGTAIL_OBJECTS_BY_PREFIX if route.startswith(prefix)), None)
        if name == "object_id":
            obj = "course"
        if name in WAGTAIL_VALUES and name not in ("pk",):
            args[name] = WAGTAIL_VALUES[name]
        elif obj is not None and obj in world.objects:
            args[name] = world.objects[obj].pk
    if "<uidb64>" in route:
        args["uidb64"] = _uid(world.learner.user)
    if route.startswith("admin/settings/"):
        args.update(app_name="cms", model_name="brandingsettings")
    if route.startswith("admin/editing-sessions/"):
        args.update(app_label="wagtailcore", model_name="page")
    return args


BOGUS = {
    "int": "999999",
    "str": "999999",
    "slug": "bogus",
    "path": "bogus",
    "uuid": "00000000-0000-0000-0000-000000000000",
}


def url_for(route, world, check):
    """A concrete path for `route`: the entry's own ids, or made-up ones for Wagtail's admin."""
    args = check.args(world) if check.args else {}
    if not check.args and route.route.startswith("admin/"):
        args = wagtail_args(route.route, world)
    path = route.route.replace("<lang>/", "en/")
    if isinstance(args, list):  # positional values for regex groups, in order
        for value in args:
            path = re.sub(r"\((?:[^()]|\([^()]*\))*\)", lambda m, v=value: str(v), path, count=1)
    for fragment, sample in REGEX_SAMPLES:
        if fragment == r"(?P<pk>\d+)" and "pk" in args:
            sample = str(args["pk"])
        path = path.replace(fragment, sample)
    path = CONVERTER.sub(lambda m: str(args[m["name"]]) if m["name"] in args else BOGUS[m["kind"] or "str"], path)
    path = "/" + path.replace("$", "")
    resolved = resolve(path).route
    assert resolved == route.route.replace("<lang>/", "en/"), (
        f"{path} resolves to {resolved}, not to {route.route}: give its entry args that fit"
    )
    return path


# --- the world, once per module; every request in a savepoint ----------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        assert "memory" in connection.settings_dict["NAME"] or connection.settings_dict["NAME"].startswith("test_"), (
            "the permission matrix must run on the test database"
        )
        built = build_world()
        built.sessions = {}
        for role, user in built.users.items():
            client = Client()
            client.force_login(user)
            built.sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
        yield built
        transaction.set_rollback(True)


def request_as(world, role, method, path):
    client = Client(raise_request_exception=False)
    if role in world.sessions:
        client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[role]
    cache.clear()  # attempt counters and Wagtail's caches start empty for each request
    with transaction.atomic():
        if role in world.sessions:
            _just_signed_in(world.sessions[role])
        response = client.get(path) if method == "GET" else client.post(path, {})
        # The test client closes the response itself; closing it again here would send request_finished
        # with Django's close_old_connections listening, which closes a PostgreSQL connection mid-transaction.
        body = b"".join(response.streaming_content) if response.streaming else response.content
        transaction.set_rollback(True)
    return response, body


def _just_signed_in(session_key):
    """The module-wide sessions stay as fresh as at sign-in (people.sessions' idle timeout and re-authentication
    would otherwise end them partway through a long run); rolled back with the request."""
    import time

    from django.contrib.sessions.backends.db import SessionStore

    from people import sessions

    store = SessionStore(session_key)
    now = time.time()
    store[sessions.STARTED] = store[sessions.SEEN] = store[sessions.PASSWORD_CONFIRMED] = now
    store.save()


def ids(world):
    return {name: obj.pk for name, obj in world.objects.items() if hasattr(obj, "pk")}


def expected_matches(expected, observed, world):
    if isinstance(expected, frozenset):
        return any(expected_matches(option, observed, world) for option in expected)
    if expected.endswith("*"):
        return observed.startswith(expected[:-1])
    return observed == expected.format(**ids(world))


def leaks(role, body):
    text = body.decode("utf-8", errors="replace")
    hidden = {LEARNER_NAME, OTHER_LEARNER_NAME} - MAY_SEE[role]
    return sorted(name for name in hidden if name in text or name.lower().replace(" ", ".") + "@" in text)


def run_check(world, route, check):
    """Every role, GET (and POST when the entry says so): the differences from the table."""
    path = url_for(route, world, check) + check.query.format(**ids(world))
    problems = []
    seen = {"GET": {}, "POST": {}}
    for method in ("GET", "POST"):
        table = check.get if method == "GET" else check.post
        if method == "POST" and table is None and NOT_ALLOWED in seen["GET"].values():
            table = check.get  # a POST-only view without its own POST outcomes (Wagtail's): the same rules
        if table is None:
            continue
        for role in ROLES:
            response, body = request_as(world, role, method, path)
            observed = outcome_of(response)
            seen[method][role] = observed
            if not expected_matches(table[role], observed, world):
                problems.append(f"{method} {path} as {role}: expected {table[role]}, got {observed}")
            if response.status_code >= 500 and table[role] != "500":
                problems.append(f"{method} {path} as {role}: server error {response.status_code}")
            if observed == OK and (leaked := leaks(role, body)):
                problems.append(f"{method} {path} as {role}: LEAK of {', '.join(leaked)}")
    if problems:  # what every role got, to read next to the table
        problems.append(f"observed at {path}: " + "; ".join(f"{m} {t}" for m, t in seen.items() if t))
    return problems


# --- the tests ---------------------------------------------------------------------------------------------


def stub(route):
    parameters = [match["name"] for match in CONVERTER.finditer(route.route)]
    args = (
        ", args=lambda w: {" + ", ".join(f'"{name}": w.<object>.pk' for name in parameters) + "}" if parameters else ""
    )
    return f'    "{route.route}": Check(roles(...), post=None{args}),  # view in {route.module}'


def test_every_url_pattern_has_an_entry():
    missing = [route for route in ROUTES.values() if check_for(route) is None]
    stale = sorted(set(ENTRIES) - set(ROUTES))

    assert not missing, (
        f"{len(missing)} URL pattern(s) have no expected outcomes in tests/trust/test_permission_matrix.py. "
        "Add to ENTRIES, after checking what each role should get:\n" + "\n".join(stub(route) for route in missing)
    )
    assert not stale, f"ENTRIES for URL patterns that no longer exist: {stale}"


def test_the_matrix_covers_admin_pages_and_our_own_views():
    ours = [route for route in ROUTES.values() if is_ours(route)]
    wagtail_admin = [route for route in ROUTES.values() if not is_ours(route)]

    assert len(ours) >= 100 and len(wagtail_admin) >= 200
    assert any(route.route.startswith("<lang>/") for route in ours)


# Ids of Wagtail's routes for which no object can be made in the world, and why.
NO_REAL_OBJECT = {
    # A course page has no overridable segment (no images, embeds or links in its fields).
    "admin/localize/translate/<int:translation_id>/overrides/<int:overridable_segment_id>/edit/": "overridable",
}


def test_wagtail_admin_routes_are_addressed_with_real_objects(world):
    """Issue 16, finding 10: made-up ids gave every role a 404 on Wagtail's object pages, so the leak check
    there checked nothing. Every id in those routes now names a real object of the world."""
    made_up = []
    for route in ROUTES.values():
        check = check_for(route)
        if check is None or is_ours(route) or route.route in ENTRIES or route.route in NO_REAL_OBJECT:
            continue
        ids_in_route = [m["name"] for m in CONVERTER.finditer(route.route) if m["kind"] in (None, "int", "str")]
        ids_in_route = [name for name in ids_in_route if name.endswith(("id", "pk")) or name == "uidb64"]
        if not ids_in_route and "(?P<pk>" not in route.route:
            continue
        path = url_for(route, world, check)
        if BOGUS["int"] in path:
            made_up.append(f"{route.route} -> {path}")
    assert not made_up, "Wagtail admin routes with made-up ids:\n" + "\n".join(made_up)


# Patterns without an entry are reported once, by test_every_url_pattern_has_an_entry.
@pytest.mark.parametrize("route", sorted(route for route in ROUTES if check_for(ROUTES[route])), ids=str)
def test_every_role_gets_what_the_table_says(world, route):
    problems = run_check(world, ROUTES[route], check_for(ROUTES[route]))

    assert not problems, "\n".join(problems)


# Pages a session that has given only the password may open; every other page sends it to the second factor.
OPEN_BEFORE_THE_SECOND_FACTOR = ("accounts/two-factor/", "accounts/logout/", "i18n/setlang/")


@pytest.mark.parametrize("role", ["staff", "manager", "instructor"])
def test_a_password_alone_opens_no_page_but_the_second_factor(world, role):
    """Every URL pattern of the project, Wagtail's admin and pages included, asked for by someone who must
    give a second factor and has signed in with the password only (the instructor's organization asks for
    it here), is refused with a redirect to the second-factor page, GET and POST alike."""
    from people.models import Partner
    from tests.second_factor import sign_in_with_password_only

    user = world.users[role]
    client = Client(raise_request_exception=False)
    sign_in_with_password_only(client, user)
    problems = []
    with transaction.atomic():
        Partner.objects.filter(pk=world.partner.pk).update(instructors_need_second_factor=True)
        for name, route in sorted(ROUTES.items()):
            check = check_for(route) or Check(roles(OK))
            path = url_for(route, world, check)
            for method in ("GET", "POST"):
                if name == "accounts/logout/" and method == "POST":
                    continue  # it would sign this client out for every page after it
                cache.clear()
                response = client.get(path) if method == "GET" else client.post(path, {})
                location = response.get("Location", "")
                if name.startswith(OPEN_BEFORE_THE_SECOND_FACTOR):
                    if response.status_code >= 500:
                        problems.append(f"{method} {path}: server error {response.status_code}")
                elif response.status_code != 302 or not location.startswith("/accounts/two-factor/"):
                    problems.append(f"{method} {path}: {response.status_code} {location}")
        transaction.set_rollback(True)
    assert len(ROUTES) > 300
    assert not problems, "\n".join(problems)
