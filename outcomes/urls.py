"""Outcome URLs, mounted inside the Wagtail admin at /admin/outcomes/ (wagtail_hooks.register_admin_urls),
so the admin's own sign-in check applies before our role check."""

from django.urls import path

from . import views

app_name = "outcomes"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("export/<slug:table>/<str:extension>/", views.ExportView.as_view(), name="export"),
    path("report/", views.ReportView.as_view(), name="report"),
    path("report/print/", views.ReportDocumentView.as_view(), name="report_print"),
    path("report/pdf/", views.ReportPDFView.as_view(), name="report_pdf"),
]
