"""Reactions to other apps' events: a learner's personal data erased (people.privacy)."""

from django.db import transaction
from django.dispatch import receiver
from django.utils.translation import gettext as _

from people.privacy import learner_erased

from . import services
from .models import Credential


@receiver(learner_erased, dispatch_uid="credentials.revoke_after_erasure")
def revoke_after_erasure(sender, learner, by, **kwargs):
    """An erased learner's certificates stop verifying: revoked (the public page says so, with no name)
    and hidden, and their PDFs (and English copies), which print the name, are deleted once the erasure commits."""
    files = []
    for credential in Credential.objects.filter(learner=learner):
        services.revoke_credential(
            credential=credential, reason=_("The holder's personal data was erased at their request."), by=by
        )
        services.set_shown_publicly(credential=credential, shown=False, by=by)
        files += [credential.pdf, credential.english_pdf]
    transaction.on_commit(lambda: [stored.storage.delete(stored.name) for stored in files if stored])
