"""What comes in by SMS or e-mail, offered first to the apps that sent something it may
answer (prevention's check-ins abroad), before it becomes an ordinary incoming contact.

The apps that send messages sit above the helpline in the layers, so they register a
claimer here (at start-up, like histories in ``accounts.records``): a claimer takes the
message — and then it is theirs, recorded and audited by their own service — or leaves
it. A message nobody claims is a helpline contact, as any other.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from ostoja.accounts.models import Organisation


@dataclass(frozen=True)
class Incoming:
    organisation: Organisation
    channel: str  # ``Contact.Channel``: "sms" or "email"
    sender: str  # the phone number or the e-mail address
    subject: str
    text: str
    received_at: dt.datetime
    # What identifies the message (the gateway's id, the e-mail's hash): a repeat is known.
    identity: str


Claimer = Callable[[Incoming], bool]
CLAIMERS: list[Claimer] = []


def register_claimer(claimer: Claimer) -> None:
    if claimer not in CLAIMERS:
        CLAIMERS.append(claimer)


def claimed(message: Incoming) -> bool:
    """Whether an app took the message as its own."""
    return any(claimer(message) for claimer in CLAIMERS)
