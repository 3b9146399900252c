"""Thin views for cohorts, one module per audience; each module ends with its `urlpatterns`."""
