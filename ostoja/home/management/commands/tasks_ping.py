"""``manage.py tasks_ping`` — is a task worker running? Exit 0 when one answers in time."""

import secrets
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from huey.exceptions import ResultTimeout

from ostoja.home.tasks import ping


class Command(BaseCommand):
    help = "Send a task to the queue and wait for a worker to answer it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--timeout", type=float, default=10.0, help="seconds to wait")

    def handle(self, *args: Any, timeout: float, **options: Any) -> None:
        token = secrets.token_hex(8)
        result = ping(token)
        try:
            answer = result.get(blocking=True, timeout=timeout)
        except ResultTimeout:
            result.revoke()
            raise CommandError(f"No task worker answered within {timeout:g} s.") from None
        if answer != token:
            raise CommandError("A worker answered with something else.")
        self.stdout.write("A task worker answered.")
