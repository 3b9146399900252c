"""Admin registration for credentials: audit-log actions, the permission policies and the "Credentials"
menu (viewsets.py); and what credentials add to the cohorts' pages (cohorts.extensions): a "My certificates"
section on the learner portal, and a link to each learner's progress on a cohort's staff page."""

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.models import ModelLogEntry
from wagtail.permissions import register_permission_policy

from cohorts.extensions import LEARNER_LINKS, PORTAL_SECTIONS

from . import eligibility, selectors
from .models import BulkIssuance, Credential, CredentialPathway
from .viewsets import POLICIES, CredentialsAdminGroup

LOG_ACTIONS = [
    ("credentials.credential.issue", _("Issue certificate"), _("Certificate issued")),
    ("credentials.credential.revoke", _("Revoke certificate"), _("Certificate revoked")),
    ("credentials.credential.visibility", _("Change public verification"), _("Public verification details changed")),
    ("credentials.credential.download", _("Download certificate"), _("Certificate downloaded")),
    ("credentials.batch.start", _("Issue certificates in bulk"), _("Certificate batch requested")),
    ("credentials.batch.finish", _("Finish certificate batch"), _("Certificate batch finished")),
]


# Wagtail refuses to write an audit entry for an action it does not know, so every issue and revoke
# depends on these names.
@hooks.register("register_log_actions")
def register_credential_log_actions(actions):
    for model in (Credential, BulkIssuance):
        actions.register_model(model, ModelLogEntry)
    for action, label, message in LOG_ACTIONS:
        actions.register_action(action, label, message)


# The admin's rights over these models follow the role (see viewsets.CredentialPermissionPolicy);
# registered before anything asks Wagtail for these models' policies.
for _model, _policy in POLICIES.items():
    register_permission_policy(_model, _policy)


@hooks.register("register_admin_viewset")
def register_credentials_admin():
    return CredentialsAdminGroup()


# --- what learners and staff see on the cohorts' pages (cohorts.extensions) ------------------------------


@hooks.register(PORTAL_SECTIONS)
def certificates_and_progress(request, learner):
    """Valid certificates to download, and what is left toward the others; the full page is credentials:mine.
    One query where no credential pathway is set up (no pathway, no certificate); a fixed few otherwise."""
    pathways = list(CredentialPathway.objects.prefetch_related("courses", "required_milestones"))
    if not pathways:
        return ""
    credentials = [c for c in selectors.learner_credentials(learner=learner) if not c.is_revoked]
    progress = [
        line for line in eligibility.learner_progress(learner=learner, pathways=pathways) if line.credential is None
    ]
    if not credentials and not progress:
        return ""
    return render_to_string(
        "credentials/portal/section.html", {"credentials": credentials, "progress": progress}, request=request
    )


@hooks.register(LEARNER_LINKS)
def credential_progress_links(request, cohort, learners):
    """On a cohort's staff page: each learner's requirements toward the credentials the cohort leads to.
    One query: the pathways' tracks and courses."""
    course = cohort.course
    leads_there = any(
        course.track in (tracks or []) or translation_key == course.translation_key
        for tracks, translation_key in CredentialPathway.objects.values_list("tracks", "courses__translation_key")
    )
    if not leads_there:
        return {}
    url, label = reverse("credentials:cohort", args=[cohort.pk]), gettext("Credential progress")
    return {learner.pk: [(label, f"{url}#learner-{learner.pk}")] for learner in learners}
