"""Credential URLs outside the admin, included from pathways/urls.py at the site root: the public
verification page (/verify/, and /v/<code> as printed), downloads, the learner's certificates and the staff's cohort page."""

from django.urls import path

from . import views

app_name = "credentials"

urlpatterns = [
    path("verify/", views.verify_form, name="verify_form"),
    path("verify/<str:code>/", views.verify, name="verify"),
    # The short link printed on certificates and in their QR codes: the same page, the same attempt limit.
    path("v/<str:code>", views.verify, name="verify_short"),
    path("credentials/mine/", views.mine, name="mine"),
    path("credentials/<int:pk>/pdf/", views.download, name="download"),
    path("credentials/<int:pk>/pdf/english/", views.download, {"english": True}, name="download_english"),
    path("credentials/<int:pk>/visibility/", views.visibility, name="visibility"),
    path("credentials/cohorts/<int:cohort_id>/", views.cohort, name="cohort"),
]
