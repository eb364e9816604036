"""Records of every app as the other apps meet them (ARCHITECTURE.md §2): where a record
came from, and what follows when two records become one.

* **Sources.** A person is registered from the helpline contact of their call; a case is
  opened from a contact or an emergency intervention. The page that starts the new record
  names its source in the request (``?contact=<code>``); the new record is linked to it in
  the same transaction, so each shows the other, and what the source knows is offered.
* **Merges.** When a duplicate person is merged into the record that is kept, every app
  that refers to people moves its references (cases, identification, interventions,
  helpline contacts).
* **Histories.** What happened to a record in the other apps, and what came of it: a
  person's contacts, cases, assessments and interventions as one timeline; the
  intervention a contact opened; the case an intervention led to. Each app says what it
  knows of a record, as far as the user may see it.

The apps involved sit beside or above each other in the layers (people may not import the
helpline or cases), so they register here — as records register their scopes with the
policy — and are found by kind.
"""

import datetime as dt
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import models

from ostoja.accounts.http import AuthenticatedHttpRequest
from ostoja.accounts.models import User
from ostoja.lib.http import uuid_or_404


@dataclass(frozen=True)
class Source:
    """A record another is being started from, as the user may see it."""

    kind: str  # the request parameter that names it, e.g. "contact"
    code: uuid.UUID
    record: Any
    # What the source already knows of the new record, by the new record's field names
    # (e.g. a contact's caller number as the person's phone): offered, never imposed.
    known: Mapping[str, Any] = field(default_factory=dict)
    # Records that ``target_type``/``target_code`` came from this source (in the caller's
    # transaction, audited by the source's own service).
    link: Callable[[str, str, User], None] = lambda target_type, target_code, user: None


# kind -> (user, code) -> Source; raises Http404 for a source the user may not see.
Resolver = Callable[[User, uuid.UUID], Source]
SOURCES: dict[str, Resolver] = {}


def register_source(kind: str, resolver: Resolver) -> None:
    SOURCES[kind] = resolver


def source_of_request(request: AuthenticatedHttpRequest, *kinds: str) -> Source | None:
    """The source a page was opened from, among ``kinds`` (``?contact=`` in the query, or a
    posted ``contact``): ``None`` when there is none, 404 for a malformed or hidden one."""
    for kind in kinds:
        raw = request.GET.get(kind) or request.POST.get(kind)
        if raw and kind in SOURCES:
            return SOURCES[kind](request.user, uuid_or_404(raw))
    return None


# target type -> [(what moves, mover)]: a mover moves the references to ``duplicate`` over
# to ``keep`` and says how many it moved.
Mover = Callable[[Any, Any], int]
MOVERS: dict[str, list[tuple[str, Mover]]] = {}


def register_mover(target_type: str, name: str, mover: Mover) -> None:
    MOVERS.setdefault(target_type, []).append((name, mover))


def references_move(
    target_type: str, duplicate: models.Model, keep: models.Model
) -> dict[str, int]:
    """Move every app's references to ``duplicate`` over to ``keep`` (in the caller's
    transaction); how many moved, by what moved."""
    moved: dict[str, int] = {}
    for name, mover in MOVERS.get(target_type, []):
        count = mover(duplicate, keep)
        if count:
            moved[name] = moved.get(name, 0) + count
    return moved


@dataclass(frozen=True)
class Event:
    """Something another app knows of a record: a contact about a person, the intervention
    a contact opened, a case. ``kind`` and ``title`` are for people to read (translated,
    names only where the user may see them)."""

    at: dt.datetime
    kind: str
    title: str
    url: str
    detail: str = ""
    record_type: str = ""  # as the access policy names records, e.g. "cases.case"


# target type -> providers: (user, record) -> the events the user may see.
History = Callable[[User, Any], Iterable[Event]]
HISTORIES: dict[str, list[History]] = {}


def register_history(target_type: str, provider: History) -> None:
    HISTORIES.setdefault(target_type, []).append(provider)


def history(target_type: str, user: User, record: Any) -> list[Event]:
    """Every app's events of ``record`` that ``user`` may see, newest first."""
    events = [e for provider in HISTORIES.get(target_type, []) for e in provider(user, record)]
    return sorted(events, key=lambda event: event.at, reverse=True)
