"""``manage.py rotate_keys`` — re-seal every encrypted value and file with the newest key.

Resumable and safe to interrupt: rows are re-sealed in batches, each batch in its own
transaction; a value already sealed with the newest key is left alone, so running the
command again continues where it stopped. ``--reindex`` also recomputes every blind index
(after a change of ``OSTOJA_INDEX_KEY``).
"""

import base64
from pathlib import Path
from typing import Any

from allauth.mfa.adapter import get_adapter
from allauth.mfa.models import Authenticator
from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import models, transaction

from ostoja.lib.crypto.aead import key_id_of
from ostoja.lib.crypto.fields import BlindIndexField, EncryptedField, Sealed
from ostoja.lib.crypto.files import EncryptedStorage
from ostoja.lib.crypto.keys import keyring


def protected_models() -> list[tuple[type[models.Model], list[EncryptedField], list[str]]]:
    """Every model with encrypted fields, with those fields and its blind indexes."""
    found = []
    for model in apps.get_models():
        sealed = [f for f in model._meta.fields if isinstance(f, EncryptedField)]
        indexes = [f.attname for f in model._meta.fields if isinstance(f, BlindIndexField)]
        if sealed:
            found.append((model, sealed, indexes))
    return found


class Command(BaseCommand):
    help = "Re-encrypt everything with the newest field key (and optionally rebuild indexes)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument("--max-rows", type=int, default=0, help="stop after this many rows")
        parser.add_argument("--reindex", action="store_true", help="recompute blind indexes")

    def handle(
        self, *args: Any, batch_size: int, max_rows: int, reindex: bool, **options: Any
    ) -> None:
        newest = keyring().newest
        done = 0
        for model, fields, indexes in protected_models():
            last_pk: Any = None
            while True:
                rows = model._default_manager.order_by("pk")
                if last_pk is not None:
                    rows = rows.filter(pk__gt=last_pk)
                batch = list(rows[:batch_size])
                if not batch:
                    break
                with transaction.atomic():
                    for row in batch:
                        stale = [
                            f.attname
                            for f in fields
                            if isinstance(raw := row.__dict__.get(f.attname), Sealed)
                            and key_id_of(raw) != newest
                        ]
                        if stale or (reindex and indexes):
                            row.save(update_fields=stale + (indexes if reindex else []))
                            done += 1
                        if max_rows and done >= max_rows:
                            break
                last_pk = row.pk
                if max_rows and done >= max_rows:
                    self.stdout.write(f"Stopped after {done} rows; run again to continue.")
                    return
            self.stdout.write(f"{model._meta.label}: up to date.")
        done += self._totp_secrets(newest)
        files = self._files(max_rows - done if max_rows else 0)
        self.stdout.write(f"Re-sealed {done} rows and {files} files with key {newest}.")

    def _totp_secrets(self, newest: int) -> int:
        """Authenticator-app secrets and recovery-code seeds, sealed by ``MfaAdapter``."""
        adapter = get_adapter()
        count = 0
        for authenticator in Authenticator.objects.all():
            stale = [
                name
                for name in ("secret", "seed")
                if name in authenticator.data
                and key_id_of(base64.b64decode(authenticator.data[name])) != newest
            ]
            for name in stale:
                authenticator.data[name] = adapter.encrypt(
                    adapter.decrypt(authenticator.data[name])
                )
            if stale:
                authenticator.save(update_fields=["data"])
                count += 1
        return count

    def _files(self, limit: int) -> int:
        storage = EncryptedStorage()
        root = Path(settings.PRIVATE_FILES_ROOT)
        count = 0
        for path in sorted(root.rglob("*")) if root.exists() else []:
            if not path.is_file() or path.name.endswith(".tmp"):
                continue
            name = str(path.relative_to(root))
            if storage.needs_reseal(name):
                storage.reseal(name)
                count += 1
                if limit and count >= limit:
                    break
        return count
