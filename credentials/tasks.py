"""Celery wrappers: ids in, one service call each.

`issue_batch` is acknowledged only after it ran (acks_late) and redelivered if its worker dies, so it may
run more than once; credentials.services.run_bulk_issuance is safe to run again at any point. Queue it
with `delay_on_commit`, so the worker never looks for a batch that is not committed yet.
"""

import logging

from celery import shared_task
from django.db import InterfaceError, OperationalError
from django.utils.translation import gettext as _

from . import notifications, services
from .models import BulkIssuance

logger = logging.getLogger(__name__)

# Database hiccups (a restart, a failover) are worth retrying; anything else stops the batch with its error.
RETRY_ON = (OperationalError, InterfaceError)


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=5)
def issue_batch(self, batch_id):
    try:
        batch = services.run_bulk_issuance(batch_id=batch_id)
    except RETRY_ON as error:
        if self.request.retries >= self.max_retries:
            services.finish_batch(
                batch_id, status=BulkIssuance.Status.FAILED, error=_("The database could not be reached.")
            )
            raise
        raise self.retry(exc=error, countdown=min(300, 10 * 2**self.request.retries)) from error
    except Exception:
        logger.exception("Certificate batch %s stopped.", batch_id)
        services.finish_batch(
            batch_id, status=BulkIssuance.Status.FAILED, error=_("The batch stopped with an error; see the server log.")
        )
        raise
    if batch is None:
        return None
    return {"issued": batch.issued, "skipped": batch.skipped, "failed": batch.failed}


@shared_task(acks_late=True)
def email_credential(credential_id):
    return notifications.send_credential_email(credential_id=credential_id)


@shared_task
def sweep_orphan_certificates():
    """Beat runs this daily: certificate files a killed process left without their credential."""
    return services.sweep_orphan_files()
