"""A client-like record used to test the data protection layer before the apps that hold
client data exist. Its table is created for the test session only (``conftest``)."""

import uuid
from typing import ClassVar

from django.db import models

from ostoja.accounts.models import Organisation
from ostoja.lib.crypto.fields import (
    BlindIndexField,
    EncryptedCharField,
    EncryptedDateField,
    EncryptedJSONField,
    EncryptedTextField,
)


class Sample(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, null=True)
    organisation_id: int | None
    name = EncryptedCharField()
    note = EncryptedTextField()
    born = EncryptedDateField()
    facts = EncryptedJSONField()
    phone = EncryptedCharField(max_length=40)
    email = EncryptedCharField()
    phone_index = BlindIndexField(source="phone", kind="phone", bits=16)
    email_index = BlindIndexField(source="email", kind="email", bits=12)
    name_index = BlindIndexField(source="name", kind="name", bits=12)

    objects: ClassVar[models.Manager["Sample"]] = models.Manager()

    class Meta:
        app_label = "home"
        db_table = "test_sample"

    def __str__(self) -> str:
        return str(self.code)
