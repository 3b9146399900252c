"""For someone who lost both their phone and their recovery codes: remove their authenticator app and codes,
so their next sign-in sets up a new app. Audited; sessions verified with the removed app stop counting."""

from django.core.management.base import BaseCommand, CommandError

from people.models import User
from people.two_factor import reset_second_factor


class Command(BaseCommand):
    help = "Remove a person's authenticator app and recovery codes; they set up a new app at their next sign-in."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No account with the username {username!r}.")
        removed = reset_second_factor(user=user)
        self.stdout.write(f"Removed {removed} device(s) of {username}; they set up a new app at their next sign-in.")
