from django.contrib.auth import views as auth_views
from django.urls import path

from . import two_factor_views, views

app_name = "people"

urlpatterns = [
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("invite/<int:learner_id>/", views.invite, name="invite"),
    path("setup/", views.setup, name="setup"),
    path("two-factor/", two_factor_views.verify, name="two_factor"),
    path("two-factor/setup/", two_factor_views.setup, name="two_factor_setup"),
]
