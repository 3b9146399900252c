"""Messages to learners about their portal account, in the learner's preferred language."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode

from .models import PortalInvite
from .services import format_invite_code, hash_invite_code


def setup_url(code):
    """The link printed or emailed with an invitation; it fills the code in for the learner."""
    return f"{settings.WAGTAILADMIN_BASE_URL}{reverse('people:setup')}?{urlencode({'code': code})}"


def send_portal_invite(*, invite_id, code):
    """Email the setup code. At most once per invite, and never for a code that was replaced or used."""
    with transaction.atomic():
        invite = (
            PortalInvite.objects.select_for_update(of=("self",))
            .select_related("learner__user")
            .filter(pk=invite_id)
            .first()
        )
        if invite is None or invite.emailed_at is not None or not invite.is_open:
            return False
        if invite.code_hash != hash_invite_code(code):
            return False
        learner = invite.learner
        if not (learner.email and learner.consent_contact and learner.user):
            return False
        with translation.override(learner.preferred_language):
            context = {
                "learner": learner,
                "username": learner.user.username,
                "code": format_invite_code(code),
                "setup_url": setup_url(code),
                "expires": invite.expires_at,
            }
            subject = render_to_string("people/email/invite_subject.txt", context).strip()
            body = render_to_string("people/email/invite_body.txt", context)
        send_mail(subject, body, None, [learner.email])
        invite.emailed_at = timezone.now()
        invite.save(update_fields=["emailed_at", "updated_at"])
        return True
