"""URLs for cohort work: instructors (/teach/), learners (/learn/), calendar feeds.

Each audience's views live in their own module under cohorts/views/.
"""

from django.urls import include, path

app_name = "cohorts"

urlpatterns = [
    path("teach/cohorts/", include("cohorts.views.cohort_admin")),
    path("teach/", include("cohorts.views.instructor")),
    path("learn/", include("cohorts.views.portal")),
    path("calendar/", include("cohorts.views.calendar")),
]
