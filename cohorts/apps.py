from django.apps import AppConfig


class CohortsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cohorts"
    verbose_name = "Cohorts"

    def ready(self):
        from wagtail.models import ReferenceIndex

        from .models import Cohort

        # A cohort's course is a page: Wagtail's usage count and delete confirmation must see the cohorts.
        # Registered here, not by the admin viewset (which registers only once the admin's URLs load, so
        # cohorts saved by a command before that were never indexed). Sessions and enrollments stay out.
        ReferenceIndex.register_model(Cohort)
