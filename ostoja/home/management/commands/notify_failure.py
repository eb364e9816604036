"""``manage.py notify_failure UNIT`` — mail the administrators that a systemd unit failed.

The backup's and the restore drill's ``OnFailure=`` start ``ostoja-notify-failure@<unit>``,
which runs this: a backup that fails silently is no backup. The message names the unit and
the server, nothing else (``templates/home/email/unit_failed_*.txt``)."""

import re
import socket
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ostoja.home.alerts import unit_failed

# What systemd calls a unit (systemd.unit(5)): nothing else goes into the message.
UNIT_NAME = re.compile(r"^[A-Za-z0-9:_.\\@-]{1,255}$")


class Command(BaseCommand):
    help = "Mail the administrators that a systemd unit (a backup, a restore drill) failed."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("unit", help="the failed unit, e.g. ostoja-backup.service")

    def handle(self, *args: Any, unit: str, **options: Any) -> None:
        if not UNIT_NAME.match(unit):
            raise CommandError("Not a systemd unit name.")
        sent = unit_failed(unit, socket.gethostname())
        if not sent:
            raise CommandError(f"{unit} failed, and no active administrator has an address.")
        self.stdout.write(f"{unit} failed: {sent} administrators told.")
