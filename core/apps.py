from django.apps import AppConfig


class CoreConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "core"
    verbose_name = "Core"

    def ready(self):
        from . import checks  # noqa: F401 (registers them)
        from .spreadsheets import neutralize_wagtail_exports

        neutralize_wagtail_exports()
