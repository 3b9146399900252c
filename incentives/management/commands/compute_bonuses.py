"""Compute (or recompute) a month's training-bonus ledger: `manage.py compute_bonuses [--month YYYY-MM]`."""

from django.core.management.base import BaseCommand, CommandError

from incentives import services
from incentives.months import compute_summary, parse_month


class Command(BaseCommand):
    help = (
        "Compute the monthly training-bonus ledger (default: last month). Safe to run again: approved and paid "
        "bonuses never change; those whose attendance was edited since are marked as needing adjustment."
    )

    def add_arguments(self, parser):
        parser.add_argument("--month", help="The month as YYYY-MM, e.g. 2026-10. Default: last month.")

    def handle(self, *args, month=None, **options):
        if month is None:
            first = services.previous_month()
        else:
            first = parse_month(month)
            if first is None:
                raise CommandError(f"--month must be a month written as YYYY-MM, e.g. 2026-10 (got {month!r}).")
        result = services.compute_month(month=first)
        self.stdout.write(compute_summary(first, result))
