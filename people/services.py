"""Writes about people: role assignment, the Wagtail admin groups behind each role, portal invitations, a
learner's name in Latin letters."""

import datetime
import re
import secrets
from dataclasses import dataclass

from anyascii import anyascii
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.password_validation import validate_password
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from core.errors import Refused

from .models import PARTNER_ROLES, Learner, PortalInvite, Role, User

# The Wagtail admin group each staff role belongs to. The role field is what
# scoping reads; the group only carries Wagtail's admin permissions.
ROLE_GROUPS = {
    Role.PROGRAM_MANAGER: "Program managers",
    Role.PARTNER_STAFF: "Partner staff",
}

_MANAGER_MODEL_PERMISSIONS = [
    ("wagtailadmin", "access_admin"),
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
    ("cms", "change_brandingsettings"),
    ("courses", "add_instructionlanguage"),
    ("courses", "change_instructionlanguage"),
    ("courses", "delete_instructionlanguage"),
    ("wagtail_localize", "submit_translation"),
    # Cohort admin rights follow the role (cohorts.viewsets.PartnerScopedPermissionPolicy). These Django
    # permissions only let Wagtail's site-history report show managers the cohort audit entries; partner
    # staff deliberately do not hold them, because that report is not scoped by partner.
    *[
        ("cohorts", f"{action}_{model}")
        for model in ("cohort", "session", "enrollment", "holiday")
        for action in ("add", "change", "delete", "view")
    ],
    # Likewise for bonuses and milestones (incentives.viewsets.IncentivePermissionPolicy decides the admin
    # rights); these only let managers read money decisions and evidence downloads in the site history.
    *[
        ("incentives", f"view_{model}")
        for model in (
            "bonusrule",
            "monthlybonus",
            "savingsmatchrule",
            "savingsdeposit",
            "milestonetype",
            "milestoneachievement",
        )
    ],
]
_MANAGER_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
_MANAGER_COLLECTION_PERMISSIONS = [
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
]
# Partner staff: the admin only; what they may do there is decided by role and partner (people.access).
_PARTNER_STAFF_MODEL_PERMISSIONS = [("wagtailadmin", "access_admin")]


def _permissions(pairs, using):
    found = []
    for app_label, codename in pairs:
        permission = (
            Permission.objects.using(using).filter(content_type__app_label=app_label, codename=codename).first()
        )
        if permission is not None:
            found.append(permission)
    return found


@transaction.atomic
def ensure_role_groups(*, using="default"):
    """Create or refresh the admin groups for the staff roles. Idempotent."""
    from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

    managers, _ = Group.objects.using(using).get_or_create(name=ROLE_GROUPS[Role.PROGRAM_MANAGER])
    managers.permissions.add(*_permissions(_MANAGER_MODEL_PERMISSIONS, using))
    root_page = Page.objects.using(using).filter(depth=1).first()
    if root_page is not None:
        for permission in _permissions([("wagtailcore", code) for code in _MANAGER_PAGE_PERMISSIONS], using):
            GroupPagePermission.objects.using(using).get_or_create(
                group=managers, page=root_page, permission=permission
            )
    root_collection = Collection.objects.using(using).filter(depth=1).first()
    if root_collection is not None:
        for permission in _permissions(_MANAGER_COLLECTION_PERMISSIONS, using):
            GroupCollectionPermission.objects.using(using).get_or_create(
                group=managers, collection=root_collection, permission=permission
            )

    partner_staff, _ = Group.objects.using(using).get_or_create(name=ROLE_GROUPS[Role.PARTNER_STAFF])
    partner_staff.permissions.add(*_permissions(_PARTNER_STAFF_MODEL_PERMISSIONS, using))


@transaction.atomic
def assign_role(*, user: User, role: str, partner=None) -> User:
    """Give `user` exactly one role (and partner), keeping admin groups in step."""
    user.role = role
    user.partner = partner if role in PARTNER_ROLES else None
    user.full_clean(exclude=["password"])
    user.save()
    role_group_names = set(ROLE_GROUPS.values())
    user.groups.remove(*Group.objects.filter(name__in=role_group_names))
    if role in ROLE_GROUPS:
        group, _ = Group.objects.get_or_create(name=ROLE_GROUPS[role])
        user.groups.add(group)
    return user


# --- portal invitations -----------------------------------------------------------

INVITE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"  # no 0/O, 1/I/L, 2/Z, 5/S, 8/B look-alikes
INVITE_CODE_LENGTH = 10
# Short-lived: a code on paper is a key to the account until it is used. 72 hours covers a weekend between
# the class where it is handed out and the learner trying it at home.
INVITE_VALID_FOR = datetime.timedelta(hours=72)


class InviteError(Refused):
    """A refused invitation or portal setup."""


@dataclass(frozen=True)
class IssuedInvite:
    invite: PortalInvite
    code: str  # shown once to the staff member; only its hash is stored
    username: str
    new_account: bool
    emailed: bool  # an email was queued


def normalize_invite_code(code):
    """People type codes with spaces, dashes and small letters; all of those still match."""
    return re.sub(r"[\s-]", "", code or "").upper()


def hash_invite_code(code):
    """Keyed with SECRET_KEY, so the stored hash cannot be checked against guesses without the key."""
    return salted_hmac("pathways.portal-invite", normalize_invite_code(code), algorithm="sha256").hexdigest()


def format_invite_code(code):
    """ACDE-FGHJ-KM: easier to read aloud and copy from paper."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def _username_for(learner):
    """An ASCII username from the learner's name (any script), unique among accounts."""
    base = re.sub(r"[^a-z0-9]+", ".", anyascii(learner.display_name).lower()).strip(".")[:24] or "learner"
    candidate, number = base, 1
    while User.objects.filter(username__iexact=candidate).exists():
        number += 1
        candidate = f"{base}{number}"
    return candidate


def _create_learner_account(learner):
    for _attempt in range(5):
        user = User(username=_username_for(learner), role=Role.LEARNER, first_name=learner.display_name[:150])
        user.set_unusable_password()  # nobody can sign in until the learner chooses a password
        try:
            with transaction.atomic():
                user.save()
            return user
        except IntegrityError:  # someone took the same username a moment ago
            continue
    raise InviteError(_("Could not create an account right now. Please try again."))


def is_set_up(user) -> bool:
    """The learner has chosen a password (an account staff created but nobody set up has none)."""
    return user is not None and user.has_usable_password()


def may_reset_portal_password(user) -> bool:
    """Only program managers replace a password a learner chose; instructors and partner staff issue codes only
    for accounts nobody has set up, so a code in their hands can never take over a learner's account."""
    return user.is_program_manager


@transaction.atomic
def invite_to_portal(*, learner: Learner, by) -> IssuedInvite:
    """Give the learner a portal account (if they have none) and a new one-time setup code.

    Any earlier unused code stops working. The code is emailed only when the
    learner has an email address and agreed to be contacted. For an account the learner already set up, only a
    program manager may issue a code (it replaces the password when used); anyone else gets an InviteError.
    """
    learner = Learner.objects.select_for_update(of=("self",)).select_related("user").get(pk=learner.pk)
    user = learner.user
    new_account = user is None
    if new_account:
        user = _create_learner_account(learner)
        learner.user = user
        learner.save(update_fields=["user", "updated_at"])
    elif user.role != Role.LEARNER:
        raise InviteError(_("This learner is linked to a staff account; it cannot be used for the portal."))
    resets_password = is_set_up(user)
    if resets_password and not may_reset_portal_password(by):
        raise InviteError(
            _(
                "This learner already chose a password. They can reset it themselves with “Forgot your password?” "
                "on the sign-in page, or a program manager can give them a new code."
            )
        )
    now = timezone.now()
    revoked = PortalInvite.objects.filter(learner=learner, used_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=now
    )
    for _attempt in range(10):
        code = "".join(secrets.choice(INVITE_ALPHABET) for _ in range(INVITE_CODE_LENGTH))
        try:
            with transaction.atomic():
                invite = PortalInvite.objects.create(
                    learner=learner,
                    code_hash=hash_invite_code(code),
                    created_by=by,
                    expires_at=now + INVITE_VALID_FOR,
                    resets_password=resets_password,
                )
            break
        except IntegrityError:
            continue
    else:
        raise InviteError(_("Could not create a code right now. Please try again."))
    emailed = bool(learner.email and learner.consent_contact)
    log(
        learner,
        "people.portal.reset" if resets_password else "people.portal.invite",
        user=by,
        data={"invite": invite.pk, "new_account": new_account, "revoked_earlier": revoked, "emailed": emailed},
    )
    if emailed:
        from .tasks import send_portal_invite

        send_portal_invite.delay_on_commit(invite.pk, code)
    return IssuedInvite(invite=invite, code=code, username=user.username, new_account=new_account, emailed=emailed)


def _open_invite(code, *, lock=False):
    invites = PortalInvite.objects.select_related("learner__user")
    if lock:
        invites = invites.select_for_update(of=("self",))
    invite = invites.filter(code_hash=hash_invite_code(code)).first() if normalize_invite_code(code) else None
    if invite is None or invite.learner.user is None:
        raise InviteError(_("That code is not right. Check it and try again."), field="code")
    if invite.used_at is not None:
        raise InviteError(
            _(
                "This code was already used. Sign in with your username and password, or ask the program for a new code."
            ),
            field="code",
        )
    if invite.revoked_at is not None:
        raise InviteError(
            _("This code was replaced by a newer one. Use the most recent code you were given."), field="code"
        )
    if invite.expires_at <= timezone.now():
        raise InviteError(_("This code has expired. Ask the program for a new one."), field="code")
    if is_set_up(invite.learner.user) and not invite.resets_password:
        # The account was set up another way since (a reset by email, a manager): a code for a new account
        # must not replace the password the learner chose.
        raise InviteError(
            _(
                "This account is already set up. Sign in with your username and password, or use “Forgot your "
                "password?” on the sign-in page."
            ),
            field="code",
        )
    return invite


def find_invite(code) -> PortalInvite:
    """The open invite for `code`, or an `InviteError` saying plainly what is wrong with it."""
    return _open_invite(code)


@transaction.atomic
def complete_portal_setup(*, code: str, password: str) -> User:
    """The learner chose a password with their code: the account works, the code is spent.

    The invite row is locked, so the same code used twice at once sets one password.
    """
    invite = _open_invite(code, lock=True)
    user = invite.learner.user
    validate_password(password, user)
    user.set_password(password)
    user.is_active = True
    if not user.email and invite.learner.email:
        # The address the code may have gone to becomes the account's: the learner's own way back in
        # (password reset by email), which later edits to the learner record do not change.
        user.email = invite.learner.email
    user.save(update_fields=["password", "is_active", "email"])
    invite.used_at = timezone.now()
    invite.save(update_fields=["used_at", "updated_at"])
    # Whoever typed the code is not known; the entry names the account and who issued the code.
    log(
        invite.learner,
        "people.portal.setup",
        user=user,
        data={"invite": invite.pk, "issued_by": invite.created_by_id, "reset": invite.resets_password},
    )
    return user


def remember_language(*, user: User, language: str) -> None:
    """The language a signed-in person chose in the switcher becomes their preferred language: it follows them to
    another phone, and a learner's emails, reminders and certificates use it too."""
    if language not in dict(settings.LANGUAGES):
        return
    if user.preferred_language != language:
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])
    Learner.objects.filter(user=user).exclude(preferred_language=language).update(
        preferred_language=language, updated_at=timezone.now()
    )


@transaction.atomic
def set_name_latin(*, learner: Learner, name_latin: str, by) -> Learner:
    """The learner's name in Latin letters as on their official papers, typed by themself or by staff (never
    guessed from the name in another script). Printed under that name on certificates issued from now on.
    Raises ValidationError for anything but Latin letters (or too long). Audited."""
    learner = Learner.objects.select_for_update().get(pk=learner.pk)
    name_latin = " ".join((name_latin or "").split())
    if learner.name_latin == name_latin:
        return learner
    learner.name_latin = Learner._meta.get_field("name_latin").clean(name_latin, learner)
    learner.save(update_fields=["name_latin", "updated_at"])
    log(learner, "people.learner.name_latin", user=by, data={"learner": learner.pk})
    return learner
