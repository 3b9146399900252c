"""Messages to learners, written in the learner's preferred language."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import Enrollment


def send_seat_notice(*, enrollment_id):
    """Tell a learner they have a seat (or one on offer). Sent at most once per seat."""
    with transaction.atomic():
        enrollment = (
            Enrollment.objects.select_for_update(of=("self",))
            .select_related("learner", "cohort", "cohort__course")
            .filter(pk=enrollment_id)
            .first()
        )
        if enrollment is None or enrollment.seat_notice_sent_at is not None:
            return False
        if enrollment.status not in (Enrollment.Status.ACTIVE, Enrollment.Status.OFFERED):
            return False
        learner = enrollment.learner
        if not (learner.email and learner.consent_contact):
            return False
        # Dates and times as the learner reads them: their language, the cohort's time zone.
        with translation.override(learner.preferred_language), timezone.override(enrollment.cohort.zone):
            context = {
                "enrollment": enrollment,
                "learner": learner,
                "cohort": enrollment.cohort,
                "base_url": settings.WAGTAILADMIN_BASE_URL,
            }
            subject = render_to_string("cohorts/email/seat_subject.txt", context).strip()
            body = render_to_string("cohorts/email/seat_body.txt", context)
        send_mail(subject, body, None, [learner.email])
        enrollment.seat_notice_sent_at = timezone.now()
        enrollment.save(update_fields=["seat_notice_sent_at", "updated_at"])
        return True
