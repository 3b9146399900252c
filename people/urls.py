from django.contrib.auth import views as auth_views
from django.urls import path

from . import two_factor_views, views

app_name = "people"

urlpatterns = [
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("invite/<int:learner_id>/", views.invite, name="invite"),
    path("setup/", views.setup, name="setup"),
    path("confirm-password/", views.confirm_password, name="confirm_password"),
    path("password-reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="people/password/reset_done.html"),
        name="password_reset_done",
    ),
    path("password-reset/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(template_name="people/password/reset_complete.html"),
        name="password_reset_complete",
    ),
    path("two-factor/", two_factor_views.verify, name="two_factor"),
    path("two-factor/setup/", two_factor_views.setup, name="two_factor_setup"),
]
