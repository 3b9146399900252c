from django.apps import AppConfig


class IncentivesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "incentives"
    verbose_name = "Bonuses and milestones"

    def ready(self):
        from . import receivers  # noqa: F401  (attendance edits flag decided bonuses for review)
