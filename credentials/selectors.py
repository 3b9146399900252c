"""Reads about credentials, each scoped to the requesting user through people.access.

- In the admin, program managers see every credential and batch; partner staff those of their own
  partner's learners (credentials) and cohorts (batches); no one else any.
- A certificate's PDF goes to whoever may see the learner (people.access.can_see_learner: program
  managers, their partner's staff, the instructors who teach them) and to the learner themself while it
  is valid.
- The public verification page reads one credential by its code, and shows only what the certificate
  itself shows.
"""

from cohorts.access import visible_cohorts
from people.access import can_see_learner, is_program_staff, limit_to_managed_partners

from . import codes
from .models import BulkIssuance, Credential


def credentials_visible_to(user):
    return limit_to_managed_partners(user, Credential.objects.all(), partner_field="learner__partner")


def batches_visible_to(user):
    return limit_to_managed_partners(user, BulkIssuance.objects.all(), partner_field="cohort__partner")


def cohorts_for_issuing(user):
    """The cohorts `user` may issue certificates to: every cohort for program managers, their partner's for
    partner staff."""
    from cohorts.models import Cohort

    return limit_to_managed_partners(user, Cohort.objects.select_related("partner", "course")).order_by(
        "-start_date", "name"
    )


def certificate_for_download(user, pk):
    """The credential whose PDF `user` may download, or None (missing and forbidden look the same)."""
    credential = Credential.objects.select_related("learner").filter(pk=pk).first()
    if credential is None or not can_see_learner(user, credential.learner):
        return None
    if not is_program_staff(user) and credential.is_revoked:
        return None  # a learner keeps only valid certificates
    return credential


def credential_by_code(typed):
    """The credential with this code as someone typed it, or None. No query for a code that cannot exist."""
    code = codes.normalize(typed)
    if not codes.is_well_formed(code):
        return None
    return (
        Credential.objects.select_related("cohort", "pathway", "partner__logo")
        .prefetch_related("pathway__required_milestones")
        .filter(verification_code=code)
        .first()
    )


def issuer_logo(credential):
    """The logo the verification page shows beside the issuer: the issuing partner's, as on the paper."""
    return credential.partner.logo


def learner_credentials(*, learner):
    """The learner's own certificates, newest first (valid and revoked: a learner should know)."""
    return list(Credential.objects.filter(learner=learner).order_by("-issued_at"))


def cohort_for_staff(user, pk):
    """A cohort whose eligibility `user` may see on the staff page: its instructors, its partner's staff and
    program managers (the same people who see its roster)."""
    if not is_program_staff(user):
        return None
    return visible_cohorts(user).select_related("course", "partner").filter(pk=pk).first()
