"""The base of every admin permission policy in the project: rights follow the role (people.access), and
rows are cut to the partner organizations the user manages.

Deliberately not Django permissions: Wagtail's site-history report shows every audit entry of a model
to anyone holding a permission on it, across partners, which would show one partner's learners to
another partner's staff. Subclasses say who holds which action (`user_has_permission`,
`user_has_any_permission`, `users_with_any_permission`); the row-level answers are the same for all.
"""

from django.db.models import Q
from wagtail.permission_policies import BasePermissionPolicy

from .access import limit_to_managed_partners
from .models import Role, User


class PartnerScopedPolicy(BasePermissionPolicy):
    def __init__(self, model, *, partner_field=None):
        super().__init__(model)
        self.partner_field = partner_field  # the lookup from the model to its partner; None: not per partner

    @staticmethod
    def users_with_roles(roles):
        """The active accounts of `roles`, and superusers: who holds a right that follows the role."""
        return User.objects.filter(is_active=True).filter(Q(is_superuser=True) | Q(role__in=roles))

    def instances_user_has_any_permission_for(self, user, actions):
        if not self.user_has_any_permission(user, actions):
            return self.model._default_manager.none()
        rows = self.model._default_manager.all()
        if self.partner_field:
            return limit_to_managed_partners(user, rows, partner_field=self.partner_field)
        return rows

    def user_has_permission_for_instance(self, user, action, instance):
        return (
            self.user_has_permission(user, action)
            and self.instances_user_has_permission_for(user, action).filter(pk=instance.pk).exists()
        )

    def users_with_any_permission_for_instance(self, actions, instance):
        users = self.users_with_any_permission(actions)
        if not self.partner_field:
            return users
        partner_id = (
            self.model._default_manager.filter(pk=instance.pk).values_list(self.partner_field, flat=True).first()
        )
        return users.filter(Q(is_superuser=True) | Q(role=Role.PROGRAM_MANAGER) | Q(partner_id=partner_id))
