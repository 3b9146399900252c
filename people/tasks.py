"""Celery wrappers for people: receive ids, re-fetch, send one message."""

from celery import shared_task

from . import notifications


@shared_task(acks_late=True)
def send_portal_invite(invite_id, code):
    """`code` travels through the broker because only its hash is stored; the task checks it against the hash."""
    notifications.send_portal_invite(invite_id=invite_id, code=code)
