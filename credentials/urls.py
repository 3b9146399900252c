"""Credential URLs outside the admin, included from pathways/urls.py at the site root: the public
verification page (/verify/, and /v/<code> as printed), downloads, the learner's certificates and the staff's cohort page, and the
Open Badges 3.0 files, issuer profiles, public key and status lists (credentials.openbadges)."""

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
    path("verify/<str:code>/openbadge/", views.public_open_badge, name="public_open_badge"),
    path("credentials/<int:pk>/openbadge/", views.open_badge, name="open_badge"),
    path("credentials/issuer/", views.issuer, name="issuer"),
    path("credentials/issuer/jwks.json", views.issuer_jwks, name="issuer_jwks"),
    path("credentials/issuer/<int:partner_id>/", views.partner_issuer, name="partner_issuer"),
    path("credentials/status/<int:number>/", views.status_list, name="status_list"),
    path("credentials/<int:pk>/visibility/", views.visibility, name="visibility"),
    path("credentials/cohorts/<int:cohort_id>/", views.cohort, name="cohort"),
]
