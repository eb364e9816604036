"""Fields every app's records share."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


def code_field() -> "models.UUIDField[uuid.UUID, uuid.UUID]":
    """A record's code: the random identifier URLs, audit entries and other apps use (never
    the row's number)."""
    return models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
