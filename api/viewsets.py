"""API tokens in the Wagtail admin (Settings → API tokens): create one (its token is shown once, on the
page that follows), see when each was last used, revoke it. Revoked tokens stay listed, with who revoked them.

Who may: program managers create tokens for any active account (an instructor's attendance tablet, a
learner's app) and revoke any; partner staff create and revoke only their own. A token never gives more
than its person's pages do: the API scopes every request through people.access as that person.
"""

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic import history
from wagtail.admin.views.generic.base import BaseObjectMixin, WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import ListingButton
from wagtail.models import APIToken
from wagtail.permission_policies import BasePermissionPolicy

from people.access import can_configure_cohorts, users_who_configure_cohorts
from people.admin_views import BoundedSearchMixin

from . import services

ACTIONS = frozenset({"add", "change", "view"})  # "change" is revoking; tokens are never edited or deleted


class ApiTokenPermissionPolicy(BasePermissionPolicy):
    """Program managers and partner staff (the people with an admin); partner staff only their own tokens."""

    def user_has_permission(self, user, action):
        return action in ACTIONS and can_configure_cohorts(user)

    def user_has_any_permission(self, user, actions):
        return bool(ACTIONS.intersection(actions)) and can_configure_cohorts(user)

    def users_with_any_permission(self, actions):
        if not ACTIONS.intersection(actions):
            return get_user_model().objects.none()
        return users_who_configure_cohorts()

    def instances_user_has_any_permission_for(self, user, actions):
        if not self.user_has_any_permission(user, actions):
            return APIToken.objects.none()
        if user.is_program_manager:
            return APIToken.objects.all()
        return APIToken.objects.filter(user=user)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.instances_user_has_any_permission_for(user, {action}).filter(pk=instance.pk).exists()

    def users_with_any_permission_for_instance(self, actions, instance):
        users = self.users_with_any_permission(actions)
        return users.filter(is_superuser=True) | users.filter(role="manager") | users.filter(pk=instance.user_id)


token_policy = ApiTokenPermissionPolicy(APIToken)


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=100,
        help_text=gettext_lazy("What the token is for, for example “Attendance tablet, room 4”."),
    )
    user = forms.ModelChoiceField(
        label=gettext_lazy("Person"),
        queryset=get_user_model().objects.none(),
        help_text=gettext_lazy("The token acts as this person and sees only what they may see."),
    )

    def __init__(self, *args, for_user, **kwargs):
        super().__init__(*args, **kwargs)
        if for_user.is_program_manager:
            self.fields["user"].queryset = get_user_model().objects.filter(is_active=True).order_by("username")
            self.fields["user"].initial = for_user.pk
        else:
            del self.fields["user"]  # partner staff make tokens for themselves only


class CreateTokenView(generic.CreateView):
    """Creates through api.services and answers with the token on the page itself (never in a URL or a message)."""

    page_title = gettext_lazy("New API token")
    submit_button_label = gettext_lazy("Create token")

    def get_panel(self):
        return None

    def get_form_class(self):
        return ApiTokenForm

    def get_form_kwargs(self):
        kwargs = {"for_user": self.request.user}
        if self.request.method == "POST":
            kwargs.update(data=self.request.POST)
        return kwargs

    def form_valid(self, form):
        token, plaintext = services.create_token(
            user=form.cleaned_data.get("user") or self.request.user,
            name=form.cleaned_data["name"],
            by=self.request.user,
        )
        response = TemplateResponse(
            self.request,
            "api/admin/token_created.html",
            {
                "page_title": _("Copy your API token now"),
                "header_icon": "key",
                "token": token,
                "raw_token": plaintext,
                "index_url": reverse(self.index_url_name),
                "api_root": self.request.build_absolute_uri("/api/v1/"),
            },
        )
        response["Cache-Control"] = "no-store"
        return response


class TokenHistoryView(history.HistoryView):
    """A token's audit trail (created, revoked), for those who may see the token."""

    def get_base_object_queryset(self):
        return token_policy.instances_user_has_any_permission_for(self.request.user, {"view"})


class TokenIndexView(BoundedSearchMixin, generic.IndexView):
    revoke_url_name = None

    def get_base_queryset(self):
        return token_policy.instances_user_has_any_permission_for(self.request.user, {"view"}).select_related("user")

    def get_list_buttons(self, instance):
        if instance.revoked_at is not None:
            return []
        return [
            ListingButton(
                _("Revoke"),
                url=reverse(self.revoke_url_name, args=[instance.pk]),
                icon_name="bin",
                attrs={"aria-label": _("Revoke %(token)s") % {"token": instance}},
                priority=10,
            )
        ]


def _status(token):
    return _("Revoked") if token.revoked_at else _("Active")


class RevokeTokenView(BaseObjectMixin, WagtailAdminTemplateMixin, TemplateView):
    model = APIToken
    template_name = "api/admin/revoke_token.html"
    page_title = gettext_lazy("Revoke API token")
    header_icon = "key"
    index_url_name = None

    def get_object(self):
        token = token_policy.instances_user_has_any_permission_for(self.request.user, {"change"}).filter(pk=self.pk)
        token = token.select_related("user").first()
        if token is None:
            raise Http404
        return token

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(self.index_url_name), "label": _("API tokens")},
            {"url": "", "label": self.page_title},
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"token": self.object, "index_url": reverse(self.index_url_name)}

    def post(self, request, *args, **kwargs):
        services.revoke_token(token=self.object, by=request.user)
        messages.success(
            request,
            _("API token “%(token)s” revoked. Programs using it are refused from now on.") % {"token": self.object},
        )
        return redirect(self.index_url_name)


class ApiTokenViewSet(ModelViewSet):
    model = APIToken
    icon = "key"
    menu_label = gettext_lazy("API tokens")
    add_to_settings_menu = True
    index_view_class = TokenIndexView
    add_view_class = CreateTokenView
    history_view_class = TokenHistoryView
    form_fields = ["name", "user"]
    copy_view_enabled = False
    inspect_view_enabled = False
    add_to_reference_index = False
    list_per_page = 50
    list_display = [
        "name",
        Column("user", label=gettext_lazy("Person")),
        Column("prefix", label=gettext_lazy("Starts with")),
        DateColumn("created", label=gettext_lazy("Created")),
        DateColumn("last_used_at", label=gettext_lazy("Last used")),
        StatusTagColumn(
            "status", label=gettext_lazy("Status"), accessor=_status, primary=lambda token: token.revoked_at is None
        ),
    ]
    search_fields = ["name", "prefix", "user__username"]

    @property
    def permission_policy(self):
        return token_policy

    def get_permissions_to_register(self):
        return Permission.objects.none()

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(
            revoke_url_name=self.get_url_name("revoke"),
            edit_url_name=None,
            delete_url_name=None,
            copy_url_name=None,
            **kwargs,
        )

    def get_history_view_kwargs(self, **kwargs):
        return super().get_history_view_kwargs(edit_url_name=None, **kwargs)

    @property
    def revoke_view(self):
        return self.construct_view(RevokeTokenView, index_url_name=self.get_url_name("index"))

    def get_urlpatterns(self):
        # No edit or delete: a token is created, used and revoked; its row is the record.
        patterns = [
            pattern for pattern in super().get_urlpatterns() if pattern.name not in ("edit", "delete", "copy", "usage")
        ]
        return [*patterns, path("revoke/<int:pk>/", self.revoke_view, name="revoke")]
