"""``manage.py create_admin`` — the first administrator of a new organisation.

There are no default accounts (ASVS 6.3.2): a fresh production installation starts with
this command, which e-mails the administrator a link to set their own password.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ostoja.accounts.models import Organisation
from ostoja.accounts.roles import Role
from ostoja.accounts.services import user_invite


class Command(BaseCommand):
    help = "Create an organisation (if new) and invite its first administrator."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organisation", required=True, help="the organisation's name")
        parser.add_argument("--short-code", required=True, help="e.g. KCIK, used in case numbers")
        parser.add_argument("--email", required=True)
        parser.add_argument("--name", required=True, help="the administrator's full name")

    def handle(self, *args: Any, **options: Any) -> None:
        short_code = options["short_code"].strip().upper()
        if not short_code.isalnum():
            raise CommandError("--short-code takes letters and digits only")
        organisation, _ = Organisation.objects.get_or_create(
            short_code=short_code, defaults={"name": options["organisation"].strip()}
        )
        try:
            user = user_invite(
                organisation=organisation,
                email=options["email"],
                full_name=options["name"],
                role=Role.ADMINISTRATOR,
                acting_user=None,
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(f"Invitation sent to {user.email} ({organisation}).")
