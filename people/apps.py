from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate


class PeopleConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "people"
    verbose_name = "People"

    def ready(self):
        post_migrate.connect(sync_role_groups_after_migrate, dispatch_uid="people.sync_role_groups")


def sync_role_groups_after_migrate(sender, app_config, using="default", **kwargs):
    """Rebuild the role groups once per migrate, after the last app's permissions exist."""
    # post_migrate is sent once per app that has models, in INSTALLED_APPS order.
    last_with_models = [config for config in apps.get_app_configs() if config.models_module is not None][-1]
    if app_config is not last_with_models:
        return
    from .services import ensure_role_groups

    ensure_role_groups(using=using)
