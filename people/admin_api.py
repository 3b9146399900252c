"""Wagtail's admin API (/admin/api/main/), scoped: its documents and images endpoints list what a user may
choose in the admin, not every file of every collection.

Out of the box they answer any admin user (partner staff hold only "access admin") with every document and
image but those in privacy-restricted collections: a file titled with a learner's name was listed to another
partner's staff. The permission matrix found it once it addressed Wagtail's routes with real objects."""

from wagtail.documents import get_document_model
from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet
from wagtail.images import get_image_model
from wagtail.images.api.admin.views import ImagesAdminAPIViewSet
from wagtail.permissions import policy_registry


def _choosable(user, model):
    policy = policy_registry.get_by_type(model)
    return policy.instances_user_has_any_permission_for(user, ["choose"]).values("pk")


class ChoosableDocumentsAdminAPIViewSet(DocumentsAdminAPIViewSet):
    def get_queryset(self):
        return super().get_queryset().filter(pk__in=_choosable(self.request.user, get_document_model()))


class ChoosableImagesAdminAPIViewSet(ImagesAdminAPIViewSet):
    def get_queryset(self):
        return super().get_queryset().filter(pk__in=_choosable(self.request.user, get_image_model()))


def scope_admin_api(router):
    """construct_admin_api hook, after Wagtail's own: the same endpoint names, scoped viewsets."""
    router.register_endpoint("documents", ChoosableDocumentsAdminAPIViewSet)
    router.register_endpoint("images", ChoosableImagesAdminAPIViewSet)
