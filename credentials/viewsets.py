"""The "Credentials" admin in Wagtail: issued credentials (with revoke), issuing a cohort's certificates in a
batch (choose, preview, confirm, watch the progress), credential pathways and certificate templates.

Who may do what is decided in one place, `CredentialPermissionPolicy`, from people.access:
- program managers see and do everything, and alone configure pathways and certificate templates;
- partner staff issue, download and revoke certificates for their own partner's cohorts and learners (the
  same as a program manager, scoped, as docs/ARCHITECTURE.md has it); another partner's rows are a 404;
- instructors and learners have no admin at all (Wagtail's access_admin permission); instructors see their
  cohort's eligibility on their own page (credentials.views.cohort).
Every write is a service call in credentials.services; its refusals come back as form errors or messages.
"""

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView
from wagtail.admin import messages
from wagtail.admin.admin_url_finder import ModelAdminURLFinder
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.admin.ui.tables import Column, LocaleColumn
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.snippets.views import chooser
from wagtail.snippets.views.chooser import SnippetChooserViewSet
from wagtail.snippets.views.snippets import DeleteView as SnippetDeleteView
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from people.access import can_configure_cohorts
from people.admin_views import (
    ListingPageMixin,
    ReasonFormView,
    RecordHistoryView,
    RefusedDeleteMixin,
    ScopedDeleteView,
    ScopedIndexView,
    ScopedInspectView,
    ScopedViewSet,
    person_name,
    status_column,
)
from people.models import Role
from people.permissions import PartnerScopedPolicy

from . import eligibility, selectors, services
from .filters import BatchFilterSet, CredentialFilterSet
from .forms import ChooseBatchForm, CredentialPathwayForm, RevokeForm
from .models import BulkIssuance, CertificateTemplate, Credential, CredentialPathway

# --- who may do what ------------------------------------------------------------------------------------


def _is_manager(user):
    return user is not None and user.is_authenticated and user.is_program_manager


class CredentialPermissionPolicy(PartnerScopedPolicy):
    """Rights over a credentials model in the admin, from the role (people.access) rather than Django permissions.

    `actions` are the only actions anyone has on the model ("revoke" and "issue" besides Wagtail's own);
    `managers_only` keeps them to program managers, otherwise partner staff have them too, on their own
    partner's rows (`partner_field`). Not Django permissions, for the reason cohorts.viewsets gives:
    Wagtail's site-history report shows every audit entry of a model to anyone holding a permission on it,
    across partners.
    """

    def __init__(self, model, *, actions, managers_only=False, partner_field=None):
        super().__init__(model, partner_field=partner_field)
        self.actions = frozenset(actions)
        self.managers_only = managers_only

    def _allowed(self, user):
        return _is_manager(user) if self.managers_only else can_configure_cohorts(user)

    def user_has_permission(self, user, action):
        return action in self.actions and self._allowed(user)

    def user_has_any_permission(self, user, actions):
        return bool(self.actions.intersection(actions)) and self._allowed(user)

    def users_with_any_permission(self, actions):
        if not self.actions.intersection(actions):
            return get_user_model().objects.none()
        roles = [Role.PROGRAM_MANAGER] if self.managers_only else [Role.PROGRAM_MANAGER, Role.PARTNER_STAFF]
        return self.users_with_roles(roles)


CONFIGURE = {"add", "change", "delete", "view"}
POLICIES = {
    Credential: CredentialPermissionPolicy(Credential, actions={"view", "revoke"}, partner_field="learner__partner"),
    BulkIssuance: CredentialPermissionPolicy(BulkIssuance, actions={"view", "add"}, partner_field="cohort__partner"),
    CredentialPathway: CredentialPermissionPolicy(CredentialPathway, actions=CONFIGURE, managers_only=True),
    CertificateTemplate: CredentialPermissionPolicy(CertificateTemplate, actions=CONFIGURE, managers_only=True),
}


class ReadOnlyViewSet(ScopedViewSet):
    """Rows written only by services: a listing, an inspect page and the history; no add, edit or delete URLs
    (and no links to them: the views are told there are none, and the admin's URL finder points at inspect)."""

    inspect_view_enabled = True
    history_view_class = RecordHistoryView
    form_fields = []
    list_per_page = 100
    dropped_views = ("add", "edit", "delete", "usage")

    def get_common_view_kwargs(self, **kwargs):
        none = {f"{view}_url_name": None for view in self.dropped_views}
        return super().get_common_view_kwargs(**{**none, **kwargs})

    def get_urlpatterns(self):
        return [pattern for pattern in super().get_urlpatterns() if pattern.name not in self.dropped_views]

    @property
    def url_finder_class(self):
        return type("_InspectURLFinder", (ModelAdminURLFinder,), {"edit_url_name": self.get_url_name("inspect")})


# --- issued credentials ------------------------------------------------------------------------------------


class CredentialIndexView(ScopedIndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("learner", "pathway", "cohort")


class CredentialInspectView(ScopedInspectView):
    template_name = "credentials/admin/credential_inspect.html"
    related = ("learner", "pathway", "cohort", "issued_by", "revoked_by")
    revoke_url_name = None

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        hidden = set() if self.object.is_revoked else {"revoked_at", "revoked_by", "revoked_reason"}
        if self.object.hours is None:
            hidden.add("hours")
        self.fields = [name for name in self.fields if name not in hidden]

    def get_issued_by_display_value(self):
        return person_name(self.object.issued_by)

    def get_revoked_by_display_value(self):
        return person_name(self.object.revoked_by)

    def get_verification_code_display_value(self):
        return self.object.grouped_code

    def get_hours_display_value(self):
        return f"{self.object.hours.normalize():f}"

    def get_shown_publicly_display_value(self):
        if self.object.shown_publicly:
            return _("Yes, to anyone with the code")
        return _("Only to someone who also types the name printed on it (the learner's choice)")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        credential = self.object
        context.update(
            credential=credential,
            download_url=reverse("credentials:download", args=[credential.pk]),
            verify_url=reverse("credentials:verify", args=[credential.verification_code]),
            can_revoke=not credential.is_revoked and self.user_has_permission("revoke"),
            revoke_url=reverse(self.revoke_url_name, args=[credential.pk]),
            revoke_form=kwargs.get("revoke_form") or RevokeForm(),
        )
        return context


class RevokeView(ReasonFormView):
    """Revoke with a reason (required). The record stays; the public page says it was revoked, and when."""

    model = Credential
    permission_required = "revoke"
    related = ("learner", "pathway")
    context_object_name = "credential"
    object_page = "inspect"
    form_class = RevokeForm
    service_error = services.CredentialError
    template_name = "credentials/admin/revoke.html"
    page_title = gettext_lazy("Revoke certificate")
    header_icon = "warning"

    def get_page_subtitle(self):
        return f"{self.object.title_as_printed} · {self.object.name_as_printed}"

    def get(self, request, *args, **kwargs):
        if self.object.is_revoked:
            messages.info(request, _("This certificate is already revoked."))
            return redirect(self.object_url)
        return super().get(request, *args, **kwargs)

    def act(self, reason):
        return services.revoke_credential(credential=self.object, reason=reason, by=self.request.user)

    def done_message(self, credential):
        return _("The certificate of %(name)s is revoked. Its verification page now says so.") % {
            "name": credential.name_as_printed
        }

    def done_url(self, credential):
        return self.object_url


class CredentialViewSet(ReadOnlyViewSet):
    model = Credential
    name = "credential_admin"
    url_prefix = "credentials"
    icon = "doc-full-inverse"
    menu_label = gettext_lazy("Issued certificates")
    index_view_class = CredentialIndexView
    inspect_view_class = CredentialInspectView
    filterset_class = CredentialFilterSet
    search_fields = ["name_as_printed", "learner__full_name", "learner__preferred_name", "verification_code"]
    ordering = ["-issued_at"]
    inspect_view_fields = [
        "name_as_printed",
        "title_as_printed",
        "issuer_as_printed",
        "learner",
        "cohort",
        "issued_on",
        "expires_on",
        "hours",
        "verification_code",
        "status",
        "revoked_at",
        "revoked_by",
        "revoked_reason",
        "shown_publicly",
        "issued_by",
    ]
    list_display = [
        "name_as_printed",  # the title column: a link to the certificate's page
        Column("pathway", label=gettext_lazy("Credential"), accessor="title_as_printed", sort_key="pathway__name"),
        Column("cohort", label=gettext_lazy("Cohort"), accessor="cohort.name", sort_key="cohort__name"),
        Column("issued_on", label=gettext_lazy("Issued on"), sort_key="issued_on"),
        status_column(lambda row: row.status == Credential.Status.ISSUED),
    ]

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(revoke_url_name=self.get_url_name("revoke"), **kwargs)

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path(
                "revoke/<int:pk>/",
                self.construct_view(RevokeView),
                name="revoke",
            ),
        ]


# --- issuing a cohort's certificates -------------------------------------------------------------------


def _progress_label(batch):
    return f"{batch.processed} / {batch.total}"


class BatchIndexView(ScopedIndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("cohort", "pathway", "requested_by")


class ChooseBatchView(PermissionCheckedMixin, ListingPageMixin, FormView):
    """Step one: the cohort (among those the user may issue to) and the credential."""

    model = BulkIssuance
    permission_required = "add"
    form_class = ChooseBatchForm
    template_name = "credentials/admin/choose_batch.html"
    page_title = gettext_lazy("Issue certificates to a cohort")
    header_icon = "doc-full-inverse"
    preview_url_name = None

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["cohorts"] = selectors.cohorts_for_issuing(self.request.user)
        if self.request.GET:
            kwargs["data"] = self.request.GET
        return kwargs

    def get(self, request, *args, **kwargs):
        # The form is sent with GET, so the preview's URL can be bookmarked and a "back" keeps the choice.
        form = self.get_form()
        if request.GET and form.is_valid():
            query = urlencode({"cohort": form.cleaned_data["cohort"].pk, "pathway": form.cleaned_data["pathway"].pk})
            return redirect(f"{reverse(self.preview_url_name)}?{query}")
        return self.render_to_response(self.get_context_data(form=form))


class PreviewBatchView(PermissionCheckedMixin, ListingPageMixin, TemplateView):
    """Step two: who will get a certificate, who already has one, and why the others do not qualify yet.
    Confirming queues the batch and leads to its progress page."""

    model = BulkIssuance
    permission_required = "add"
    template_name = "credentials/admin/preview_batch.html"
    page_title = gettext_lazy("Check and confirm")
    header_icon = "doc-full-inverse"
    add_url_name = None
    inspect_url_name = None

    def _choice(self):
        data = self.request.POST if self.request.method == "POST" else self.request.GET
        form = ChooseBatchForm(data, cohorts=selectors.cohorts_for_issuing(self.request.user))
        if not form.is_valid():
            return None
        return form.cleaned_data["cohort"], form.cleaned_data["pathway"]

    def get(self, request, *args, **kwargs):
        choice = self._choice()
        if choice is None:
            # Another partner's cohort, a pathway it does not lead to, or a hand-made URL: choose again.
            return redirect(f"{reverse(self.add_url_name)}?{request.GET.urlencode()}")
        return self.render_to_response(self.get_context_data(cohort=choice[0], pathway=choice[1]))

    def get_context_data(self, *, cohort, pathway, **kwargs):
        context = super().get_context_data(**kwargs)
        results = eligibility.cohort_eligibility(pathway=pathway, cohort=cohort)
        context.update(
            cohort=cohort,
            pathway=pathway,
            to_issue=[result for result in results if result.can_issue],
            already=[result for result in results if result.credential is not None],
            not_yet=[result for result in results if result.credential is None and not result.eligible],
            # Said once above the list, in the manager's words, besides each learner's own reason.
            completion_not_yet=services.completion_not_yet(pathway=pathway, cohort=cohort),
            completions_to_record=pathway.certifies_completion
            and any(result.enrollment.status == result.enrollment.Status.ACTIVE for result in results),
            missing_signatory=services.missing_signatory(cohort.partner),
        )
        return context

    def post(self, request, *args, **kwargs):
        choice = self._choice()
        if choice is None:
            raise Http404
        cohort, pathway = choice
        chosen = [value for value in request.POST.getlist("learner") if value.isdigit()]
        if not chosen:
            messages.error(request, _("Tick at least one learner to issue certificates to."))
            return redirect(f"{request.path}?{urlencode({'cohort': cohort.pk, 'pathway': pathway.pk})}")
        try:
            batch = services.start_bulk_issuance(cohort=cohort, pathway=pathway, learner_ids=chosen, by=request.user)
        except services.CredentialError as error:
            messages.error(request, error.message)
            return redirect(f"{request.path}?{urlencode({'cohort': cohort.pk, 'pathway': pathway.pk})}")
        # No "Issuing…" message here: it would stay on the progress page after the batch finished. The page
        # itself says whether the work goes on (includes/batch_progress.html).
        return redirect(self.inspect_url_name, batch.pk)

    def get_trail_items(self):
        return [{"url": reverse(self.add_url_name), "label": _("Issue certificates to a cohort")}]


class BatchProgressView(ScopedInspectView):
    """A batch's progress. With htmx the bar refreshes itself every two seconds until the batch is finished
    (the fragment stops asking once it is); without JavaScript, a refresh link does the same."""

    template_name = "credentials/admin/batch_progress.html"
    partial_template_name = "credentials/admin/includes/batch_progress.html"
    related = ("cohort", "pathway", "requested_by")
    page_title = gettext_lazy("Certificate batch")

    def get(self, request, *args, **kwargs):
        if getattr(request, "htmx", False):
            return TemplateResponse(request, self.partial_template_name, self.progress_context())
        return super().get(request, *args, **kwargs)

    def progress_context(self):
        batch = self.object
        return {
            "batch": batch,
            "progress_url": self.request.path,
            "credentials_url": f"{reverse('credential_admin:index')}?{urlencode({'cohort': batch.cohort_id, 'pathway': batch.pathway_id})}",
            "problems": batch.errors,
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.progress_context())
        return context

    @cached_property
    def header_more_buttons(self):
        return []


class BatchViewSet(ReadOnlyViewSet):
    model = BulkIssuance
    name = "credential_batch_admin"
    url_prefix = "certificate-batches"
    icon = "doc-full-inverse"
    # The menu, the listing and each batch's page use one name for the thing.
    menu_label = gettext_lazy("Certificate batches")
    dropped_views = ("edit", "delete", "usage")  # "add" is the choice of cohort and credential
    index_view_class = BatchIndexView
    inspect_view_class = BatchProgressView
    filterset_class = BatchFilterSet
    ordering = ["-created_at"]
    inspect_view_fields = ["status"]  # the page shows the progress instead (batch_progress.html)
    list_display = [
        "pathway",  # the title column: a link to the batch's progress
        Column("cohort", label=gettext_lazy("Cohort"), accessor="cohort.name", sort_key="cohort__name"),
        Column("progress", label=gettext_lazy("Done"), accessor=_progress_label),
        Column("issued", label=gettext_lazy("Issued"), sort_key="issued"),
        status_column(lambda row: row.status in (BulkIssuance.Status.QUEUED, BulkIssuance.Status.RUNNING)),
        Column("requested_by", label=gettext_lazy("Requested by"), accessor=lambda row: person_name(row.requested_by)),
        Column("created_at", label=gettext_lazy("Requested"), sort_key="created_at"),
    ]

    @cached_property
    def add_view(self):
        return self.construct_view(ChooseBatchView, preview_url_name=self.get_url_name("preview"))

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path(
                "preview/",
                self.construct_view(
                    PreviewBatchView,
                    add_url_name=self.get_url_name("add"),
                    inspect_url_name=self.get_url_name("inspect"),
                ),
                name="preview",
            ),
        ]


# --- pathways and templates (program managers) --------------------------------------------------------------


class PathwayDeleteView(ScopedDeleteView):
    def refusal(self):
        if self.object.credentials.exists() or self.object.bulk_issuances.exists():
            return _("Certificates were issued for this pathway, so it cannot be deleted. Their records point at it.")
        return None


def _requirements_label(pathway):
    parts = []
    if pathway.min_attendance_percent is not None:
        parts.append(_("%(percent)s%% attendance") % {"percent": f"{pathway.min_attendance_percent:g}"})
    if pathway.min_hours is not None:
        parts.append(_("%(hours)s hours") % {"hours": f"{pathway.min_hours:g}"})
    milestones = pathway.required_milestones.all()
    if milestones:
        parts.append(", ".join(milestone.name for milestone in milestones))
    if pathway.certifies_completion:
        parts.append(_("completed"))
    return " · ".join(parts) or _("None")


class PathwayIndexView(ScopedIndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("template").prefetch_related("required_milestones")


class CredentialPathwayViewSet(ScopedViewSet):
    model = CredentialPathway
    name = "credential_pathway_admin"
    url_prefix = "credential-pathways"
    icon = "list-ol"
    menu_label = gettext_lazy("Pathways")
    index_view_class = PathwayIndexView
    delete_view_class = PathwayDeleteView
    base_form_class = CredentialPathwayForm
    search_fields = ["name", "description"]
    ordering = ["name"]
    list_display = [
        "name",
        Column("tracks", label=gettext_lazy("Tracks"), accessor="tracks_display"),
        Column("requirements", label=gettext_lazy("Requirements"), accessor=_requirements_label),
        Column("template", label=gettext_lazy("Certificate template"), accessor="template.name"),
    ]
    panels = [
        FieldPanel("name", heading=gettext_lazy("Name, in English")),
        FieldPanel("name_translations"),
        FieldPanel("description"),
        MultiFieldPanel(
            [FieldPanel("tracks"), FieldPanel("courses", widget=forms.CheckboxSelectMultiple)],
            heading=gettext_lazy("Which cohorts lead to it"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("min_attendance_percent"),
                FieldPanel("min_hours"),
                FieldPanel("required_milestones", widget=forms.CheckboxSelectMultiple),
                FieldPanel("certifies", widget=forms.RadioSelect),
                FieldPanel("validity_months"),
            ],
            heading=gettext_lazy("Requirements"),
        ),
        FieldPanel("template", widget=forms.Select),
    ]


class TemplateDeleteView(RefusedDeleteMixin, SnippetDeleteView):
    """A template a pathway prints with is kept (choose another for the pathway first); its translations are not."""

    def refusal(self):
        if self.object.pathways.exists():
            return _(
                "A credential pathway prints with this template, so it cannot be deleted. Choose another template for it first."
            )
        return None


class ManagersOnlyChooser:
    """Wagtail's snippet chooser lists any snippet to anyone with admin access; templates are program managers'."""

    def dispatch(self, request, *args, **kwargs):
        if not POLICIES[CertificateTemplate].user_has_permission(request.user, "view"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class TemplateChooserViewSet(SnippetChooserViewSet):
    choose_view_class = type("TemplateChooseView", (ManagersOnlyChooser, chooser.ChooseView), {})
    choose_results_view_class = type("TemplateChooseResultsView", (ManagersOnlyChooser, chooser.ChooseResultsView), {})
    chosen_view_class = type("TemplateChosenView", (ManagersOnlyChooser, chooser.SnippetChosenView), {})
    chosen_multiple_view_class = type(
        "TemplateChosenMultipleView", (ManagersOnlyChooser, chooser.SnippetChosenMultipleView), {}
    )
    create_view_class = type("TemplateChooserCreateView", (ManagersOnlyChooser, chooser.SnippetCreateView), {})


class CertificateTemplateViewSet(SnippetViewSet):
    model = CertificateTemplate
    url_prefix = "certificate-templates"
    admin_url_namespace = "certificate_template_admin"
    icon = "form"
    menu_label = gettext_lazy("Certificate templates")
    delete_view_class = TemplateDeleteView
    chooser_viewset_class = TemplateChooserViewSet
    # A template and its translations share name and title: the language tells their rows apart.
    list_display = ["name", LocaleColumn(label=gettext_lazy("Language")), "title", "paper_size", "orientation"]
    copy_view_enabled = False
    add_to_reference_index = False

    def get_permissions_to_register(self):
        return Permission.objects.none()


class CredentialsAdminGroup(SnippetViewSetGroup):
    menu_label = gettext_lazy("Credentials")
    menu_icon = "doc-full-inverse"
    menu_order = 170
    items = (CredentialViewSet, BatchViewSet, CredentialPathwayViewSet, CertificateTemplateViewSet)
