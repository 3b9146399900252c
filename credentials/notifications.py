"""Messages to learners about their certificates, in the learner's preferred language."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from .models import Credential
from .services import verify_url


def attachment_name(credential, english=False):
    """What the downloaded or attached file is called: the credential and the name, as printed; its English copy
    names the credential by its main (English) name, as that copy prints it."""
    if english:
        return f"{credential.pathway.name} - {credential.name_as_printed} - English.pdf".replace("/", "-")
    return f"{credential.title_as_printed} - {credential.name_as_printed}.pdf".replace("/", "-")


def attachments(credential):
    """(file name, bytes) of the certificate and, when one was made, its English copy."""
    files = [(attachment_name(credential), credential.pdf)]
    if credential.english_pdf:
        files.append((attachment_name(credential, english=True), credential.english_pdf))
    for name, stored in files:
        with stored.open("rb") as handle:
            yield name, handle.read()


def send_credential_email(*, credential_id):
    """Send the learner their certificate (attached, with its English copy when there is one) and its verification link. At most once per
    credential, never for a revoked one, and only to learners who agreed to be contacted by email."""
    with transaction.atomic():
        credential = (
            Credential.objects.select_for_update(of=("self",))
            .select_related("learner__user", "pathway")
            .filter(pk=credential_id)
            .first()
        )
        if credential is None or credential.emailed_at is not None or credential.is_revoked:
            return False
        learner = credential.learner
        if not (learner.email and learner.consent_contact):
            return False
        with translation.override(learner.preferred_language):
            context = {
                "learner": learner,
                "credential": credential,
                "verify_url": verify_url(credential.verification_code),
                "portal_url": f"{settings.WAGTAILADMIN_BASE_URL}{reverse('credentials:mine')}"
                if learner.user_id
                else "",
            }
            subject = render_to_string("credentials/email/issued_subject.txt", context).strip()
            body = render_to_string("credentials/email/issued_body.txt", context)
        message = EmailMessage(subject, body, to=[learner.email])
        for name, content in attachments(credential):
            message.attach(name, content, "application/pdf")
        message.send()
        credential.emailed_at = timezone.now()
        credential.save(update_fields=["emailed_at", "updated_at"])
        return True
