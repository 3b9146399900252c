"""Celery wrappers: ids in, one service call each."""

import datetime

from celery import shared_task

from cohorts.models import Enrollment

from . import services
from .models import MonthlyBonus


@shared_task(acks_late=True)
def compute_month(month_iso):
    result = services.compute_month(month=datetime.date.fromisoformat(month_iso))
    return result.__dict__


@shared_task
def compute_previous_month():
    """Beat runs this on the first of each month."""
    return compute_month(services.previous_month().isoformat())


@shared_task(acks_late=True)
def recompute_month_for_enrollments(month_iso, enrollment_ids):
    learner_ids = list(Enrollment.objects.filter(pk__in=enrollment_ids).values_list("learner_id", flat=True))
    if not learner_ids:
        return None
    month = datetime.date.fromisoformat(month_iso)
    if not MonthlyBonus.objects.filter(month=month).exists():
        return None  # that month's ledger hasn't been computed yet; nothing to keep in step
    return services.compute_month(month=month, learner_ids=learner_ids).__dict__
