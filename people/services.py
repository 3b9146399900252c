"""Writes about people: role assignment and the Wagtail admin groups behind each role."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from .models import PARTNER_ROLES, Role, User

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
