"""Recount every session's attendance marks (after a bulk import, or if a refresh was lost)."""

import time

from django.core.management.base import BaseCommand

from outcomes.services import rebuild_attendance_counts


class Command(BaseCommand):
    help = "Recount the attendance marks of every session for the outcomes figures."

    def handle(self, *args, **options):
        started = time.perf_counter()
        sessions = rebuild_attendance_counts()
        self.stdout.write(
            self.style.SUCCESS(f"Counted attendance for {sessions} sessions in {time.perf_counter() - started:.1f} s.")
        )
