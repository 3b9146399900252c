"""Messages to learners about their certificates, in the learner's preferred language."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from .models import Credential
from .services import verify_url


def attachment_name(credential):
    """What the downloaded or attached file is called: the credential and the name, as printed."""
    return f"{credential.title_as_printed} - {credential.name_as_printed}.pdf".replace("/", "-")


def send_credential_email(*, credential_id):
    """Send the learner their certificate (attached) with its verification link. At most once per
    credential, never for a revoked one, and only to learners who agreed to be contacted by email."""
    with transaction.atomic():
        credential = (
            Credential.objects.select_for_update(of=("self",))
            .select_related("learner__user")
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
        with credential.pdf.open("rb") as handle:
            message.attach(attachment_name(credential), handle.read(), "application/pdf")
        message.send()
        credential.emailed_at = timezone.now()
        credential.save(update_fields=["emailed_at", "updated_at"])
        return True
