"""Celery wrappers: receive ids, re-fetch, call one service or send one message."""

from celery import shared_task

from . import notifications, services


@shared_task(acks_late=True)
def notify_seat(enrollment_id):
    notifications.send_seat_notice(enrollment_id=enrollment_id)


@shared_task
def expire_offers():
    return services.expire_offers()
