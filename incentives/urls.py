"""Incentive URLs outside the admin: evidence downloads (included from pathways/urls.py at /incentives/)."""

from django.urls import path

from . import views

app_name = "incentives"

urlpatterns = [
    path("evidence/achievement/<int:pk>/", views.achievement_evidence, name="achievement_evidence"),
    path("evidence/savings/<int:pk>/", views.savings_evidence, name="savings_evidence"),
]
