"""Model fields that store values sealed (``aead``) and blind indexes of them (``blind``).

How they behave:

* The database holds only sealed bytes. A value is sealed in ``Model.save()`` (``pre_save``),
  bound to its table, column and the row's ``code`` (a UUID every protected model has, known
  before the first save). ``QuerySet.update()`` or ``bulk_update()`` with a plain value is
  refused: it would bypass sealing.
* A value is opened lazily, on first access to the attribute, and then kept on the
  instance; lists that do not show a field never decrypt it. A value that does not open
  raises ``DecryptionError`` — never the stored bytes, never a blank.
* ``None`` is SQL NULL; every other value, ``0``, ``False`` and ``''`` included, round-trips
  exactly.
* No lookups but ``isnull``: equality search goes through a ``BlindIndexField``.
"""

import datetime as dt
import json
from typing import Any, ClassVar

from django import forms
from django.core import checks
from django.db import models
from django.db.models import Model
from django.utils.text import capfirst

from ostoja.lib.crypto.aead import Place, key_id_of, open_sealed, seal
from ostoja.lib.crypto.blind import NORMALISERS, blind_index
from ostoja.lib.crypto.keys import keyring

ROW_FIELD = "code"


class Sealed(bytes):
    """Bytes as read from the database: a value not yet opened."""


class _Descriptor:
    """Opens the sealed value on first access and keeps the plaintext on the instance."""

    def __init__(self, field: "EncryptedField") -> None:
        self.field = field

    def __get__(self, instance: Model | None, owner: type[Model]) -> Any:
        if instance is None:
            return self
        name = self.field.attname
        if name not in instance.__dict__:
            instance.refresh_from_db(fields=[name])  # a deferred field
        value = instance.__dict__[name]
        if isinstance(value, Sealed):
            value = self.field.open(instance, value)
            instance.__dict__[name] = value
        return value

    def __set__(self, instance: Model, value: Any) -> None:
        instance.__dict__[self.field.attname] = value


class EncryptedField(models.BinaryField):  # type: ignore[type-arg]
    """Base of the encrypted fields: subclasses say how a value becomes bytes and back."""

    python_type: ClassVar[type | tuple[type, ...]] = object
    empty_values = [None]  # '' is a value to keep, not emptiness

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("editable", True)
        kwargs.setdefault("null", True)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    # --- serialisation, per subclass ------------------------------------------------------
    def to_bytes(self, value: Any) -> bytes:
        raise NotImplementedError

    def from_bytes(self, data: bytes) -> Any:
        raise NotImplementedError

    # --- sealing ------------------------------------------------------------------------------
    def to_python(self, value: Any) -> Any:
        """Model validation (``full_clean``) sees the plaintext, not base64 bytes."""
        return value

    def form_defaults(self, kwargs: dict[str, Any], **base: Any) -> dict[str, Any]:
        """A form field's arguments as Django's own fields give them (required, label,
        help text), then the subclass's ``base``, then the caller's ``kwargs``."""
        defaults: dict[str, Any] = {
            "required": not self.blank,
            "label": capfirst(self.verbose_name),
            "help_text": self.help_text,
        }
        return defaults | base | kwargs

    def _place(self, instance: Model) -> Place:
        row = getattr(instance, ROW_FIELD)
        return {"table": instance._meta.db_table, "column": str(self.column), "row": str(row)}

    def open(self, instance: Model, sealed: bytes) -> Any:
        return self.from_bytes(open_sealed(bytes(sealed), **self._place(instance)))

    def plaintext_of(self, instance: Model) -> Any:
        """The value of this field on ``instance``, opened if needed."""
        return getattr(instance, self.attname)

    def contribute_to_class(self, cls: type[Model], name: str, private_only: bool = False) -> None:
        super().contribute_to_class(cls, name, private_only)
        setattr(cls, self.attname, _Descriptor(self))

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Sealed | None:
        return None if value is None else Sealed(bytes(value))

    def pre_save(self, model_instance: Model, add: bool) -> Sealed | None:
        value = model_instance.__dict__.get(self.attname)
        if value is None:
            return None
        if isinstance(value, Sealed):
            if key_id_of(value) == keyring().newest:
                return value  # unchanged and sealed with the newest key: keep as is
            value = self.open(model_instance, value)  # rotation: re-seal below
        if not isinstance(value, self.python_type):
            raise TypeError(
                f"{model_instance._meta.label}.{self.name} takes "
                f"{_names(self.python_type)}, not {type(value).__name__}"
            )
        return Sealed(seal(self.to_bytes(value), **self._place(model_instance)))

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        if value is None:
            return None
        if not isinstance(value, Sealed):
            raise TypeError(
                f"{self.name} is encrypted: set it on the instance and call save(), "
                "never write it with update() or bulk_update()"
            )
        return super().get_db_prep_value(bytes(value), connection, prepared)

    def value_to_string(self, obj: Model) -> str:
        raise TypeError(f"{self.name} is encrypted and is not serialised in plaintext")

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name != "isnull":
            return None  # Django then raises FieldError: unsupported lookup
        return super().get_lookup(lookup_name)

    def get_transform(self, name: str) -> Any:
        return None

    def check(self, **kwargs: Any) -> list[checks.CheckMessage]:
        errors = super().check(**kwargs)
        model = self.model
        row = next((f for f in model._meta.fields if f.name == ROW_FIELD), None)
        if not isinstance(row, models.UUIDField) or not row.unique:
            errors.append(
                checks.Error(
                    f"{model._meta.label} has encrypted fields and so needs a unique "
                    f"UUIDField '{ROW_FIELD}' to bind them to their row",
                    obj=self,
                    id="ostoja.E002",
                )
            )
        return errors


def _tuple(types: type | tuple[type, ...]) -> tuple[type, ...]:
    return types if isinstance(types, tuple) else (types,)


def _names(types: type | tuple[type, ...]) -> str:
    return " or ".join(t.__name__ for t in _tuple(types))


class EncryptedTextField(EncryptedField):
    """Text (names, notes, addresses) sealed at rest."""

    python_type = str

    def to_bytes(self, value: str) -> bytes:
        return value.encode("utf-8")

    def from_bytes(self, data: bytes) -> str:
        return data.decode("utf-8")

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Sealed | str:  # type: ignore[override]
        """An emptied text (NULL: never set, or removed by anonymisation) reads as an empty
        text, so no page prints "None" where a person expects words or a blank."""
        return "" if value is None else Sealed(bytes(value))

    def formfield(self, **kwargs: Any) -> forms.Field:
        return forms.CharField(**self.form_defaults(kwargs, widget=forms.Textarea))


class EncryptedCharField(EncryptedTextField):
    """Short text (a name, a phone number) — an ``<input>`` in forms."""

    def __init__(self, *args: Any, max_length: int = 200, **kwargs: Any) -> None:
        self.text_max_length = max_length
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["max_length"] = self.text_max_length
        return name, path, args, kwargs

    def formfield(self, **kwargs: Any) -> forms.Field:
        return forms.CharField(**self.form_defaults(kwargs, max_length=self.text_max_length))


class EncryptedJSONField(EncryptedField):
    """Structured data (lists, objects, numbers, booleans) sealed at rest."""

    python_type = (dict, list, str, int, float, bool)

    def to_bytes(self, value: Any) -> bytes:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    def from_bytes(self, data: bytes) -> Any:
        return json.loads(data)

    def formfield(self, **kwargs: Any) -> forms.Field:
        return forms.JSONField(**self.form_defaults(kwargs))


class EncryptedDateField(EncryptedField):
    """A date (e.g. of birth) sealed at rest; no ordering or range queries."""

    python_type = dt.date

    def to_bytes(self, value: dt.date) -> bytes:
        if isinstance(value, dt.datetime):
            raise TypeError(f"{self.name} takes a date, not a datetime")
        return value.isoformat().encode("ascii")

    def from_bytes(self, data: bytes) -> dt.date:
        return dt.date.fromisoformat(data.decode("ascii"))

    def formfield(self, **kwargs: Any) -> forms.Field:
        return forms.DateField(**self.form_defaults(kwargs))


class BlindIndexField(models.IntegerField):  # type: ignore[type-arg]
    """A truncated keyed hash of another field's normalised value (``blind``), kept up to
    date on save, for exact-match search without decrypting the table."""

    def __init__(
        self, *args: Any, source: str, kind: str, bits: int, domain: str = "", **kwargs: Any
    ) -> None:
        if kind not in NORMALISERS:
            raise ValueError(f"unknown blind index kind {kind!r}")
        self.source, self.kind, self.bits, self.domain = source, kind, bits, domain
        kwargs.setdefault("null", True)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("db_index", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs |= {"source": self.source, "kind": self.kind, "bits": self.bits}
        if self.domain:
            kwargs["domain"] = self.domain
        for default in ("null", "editable", "db_index"):
            kwargs.pop(default, None)
        return name, path, args, kwargs

    def index_domain(self) -> str:
        """Indexes of one domain are comparable; by default each column is its own."""
        return self.domain or f"{self.model._meta.db_table}.{self.source}"

    def index_of(self, raw: Any) -> int | None:
        """The index value of a raw (unnormalised) value; ``None`` when it has none."""
        normalised = NORMALISERS[self.kind](raw) if raw not in (None, "") else None
        if not normalised:
            return None
        return blind_index(normalised, domain=self.index_domain(), bits=self.bits)

    def pre_save(self, model_instance: Model, add: bool) -> int | None:
        value = self.index_of(getattr(model_instance, self.source))
        setattr(model_instance, self.attname, value)
        return value


def blind_candidates(
    queryset: "models.QuerySet[Any]", index_field: str, raw: Any
) -> "models.QuerySet[Any]":
    """The rows whose blind index matches ``raw``: a superset of the true matches."""
    field = queryset.model._meta.get_field(index_field)
    assert isinstance(field, BlindIndexField)  # noqa: S101  # a programming error otherwise
    value = field.index_of(raw)
    return queryset.none() if value is None else queryset.filter(**{index_field: value})


def blind_lookup(
    queryset: "models.QuerySet[Any]", index_field: str, raw: Any, limit: int | None = None
) -> list[Any]:
    """The rows whose source value equals ``raw`` once normalised: the blind index picks
    candidates, which are then decrypted and compared (only candidates are decrypted). With
    ``limit``, the first that many in the queryset's order: a regular caller's number
    matches hundreds of contacts, and only the rows read before the limit is reached are
    loaded (a cursor, in chunks)."""
    field = queryset.model._meta.get_field(index_field)
    assert isinstance(field, BlindIndexField)  # noqa: S101
    normalise = NORMALISERS[field.kind]
    wanted = normalise(raw) if raw not in (None, "") else None
    if not wanted:
        return []
    candidates = blind_candidates(queryset, index_field, raw)
    found = []
    for row in candidates if limit is None else candidates.iterator(chunk_size=2 * limit):
        if (source := getattr(row, field.source)) not in (None, "") and normalise(source) == wanted:
            found.append(row)
            if len(found) == limit:
                break
    return found
