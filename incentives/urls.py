"""Incentive URLs outside the admin: recording a milestone, evidence downloads (included from pathways/urls.py at /incentives/)."""

from django.urls import path

from . import views

app_name = "incentives"

urlpatterns = [
    path("milestones/record/<int:learner_id>/", views.record_milestone, name="record_milestone"),
    path("evidence/achievement/<int:pk>/", views.achievement_evidence, name="achievement_evidence"),
    path("evidence/savings/<int:pk>/", views.savings_evidence, name="savings_evidence"),
]
