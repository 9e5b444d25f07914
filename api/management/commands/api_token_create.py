"""`manage.py api_token_create <username> [--name NAME]`: a new API token, printed on the last line."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from api.tokens import token_create


class Command(BaseCommand):
    help = "Create a personal access token for the API; the token is printed on the last line."

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="Command line")

    def handle(self, *args, username: str, name: str, **options) -> None:
        model = get_user_model()
        try:
            user = model.objects.get(**{model.USERNAME_FIELD: username})
        except model.DoesNotExist:
            raise CommandError(f"No user named {username!r}.") from None
        try:
            row, token = token_create(user=user, name=name)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(f"Token {row.name!r} for {username}; it is shown only now:")
        self.stdout.write(token)
