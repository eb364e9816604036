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
from ostoja.lib.inventory import Category, Inventory


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

    # A test record like a client's, of no real person (``about`` is empty).
    personal_data = Inventory(
        fields={
            "name": Category.IDENTITY,
            "note": Category.FREE_TEXT,
            "born": Category.IDENTITY,
            "facts": Category.FREE_TEXT,
            "phone": Category.CONTACT,
            "email": Category.CONTACT,
            "phone_index": Category.CONTACT,
            "email_index": Category.CONTACT,
            "name_index": Category.IDENTITY,
        }
    )

    objects: ClassVar[models.Manager["Sample"]] = models.Manager()

    class Meta:
        app_label = "home"
        db_table = "test_sample"

    def __str__(self) -> str:
        return str(self.code)
