from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data only. It sits at the far end of the dependency chain because it
    seeds every app; nothing imports from it."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "demo"
    verbose_name = "Demo data"
