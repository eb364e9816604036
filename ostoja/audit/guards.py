"""Database guards that make the audit trail append-only for the application's own role.

Installed by a migration, and again after every ``migrate``/``flush`` (``post_migrate``),
idempotently. On PostgreSQL a trigger refuses UPDATE, DELETE and TRUNCATE of entries (an
UPDATE is allowed only to redact ``data`` and nothing else) and any change of the head but
"one more"; on SQLite triggers do the same. Only the database owner can drop them — which
is "behind the application's back", and what ``audit_verify`` is there to catch.
"""

from django.db.backends.base.base import BaseDatabaseWrapper

ENTRY = "audit_auditentry"
HEAD = "audit_audithead"
_KEEP = (
    "seq",
    "at",
    "actor_id",
    "organisation_id",
    "action",
    "target_type",
    "target_code",
    "purpose",
    "request_id",
    "data_hash",
    "link",
)

_POSTGRESQL = f"""
CREATE OR REPLACE FUNCTION ostoja_audit_entry_guard() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF ({", ".join(f"NEW.{c}" for c in _KEEP)})
         IS NOT DISTINCT FROM ({", ".join(f"OLD.{c}" for c in _KEEP)})
       AND NEW.data = '{{"redacted": true}}'::jsonb THEN
      RETURN NEW;
    END IF;
  END IF;
  RAISE EXCEPTION 'the audit trail is append-only (% of an entry)', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END
$$ LANGUAGE plpgsql;
CREATE OR REPLACE FUNCTION ostoja_audit_head_guard() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF NEW.seq = OLD.seq + 1 THEN
      RETURN NEW;
    END IF;
  END IF;
  RAISE EXCEPTION 'the audit trail is append-only (% of its head)', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END
$$ LANGUAGE plpgsql;
CREATE OR REPLACE TRIGGER ostoja_audit_entry_guard BEFORE UPDATE OR DELETE ON {ENTRY}
  FOR EACH ROW EXECUTE FUNCTION ostoja_audit_entry_guard();
CREATE OR REPLACE TRIGGER ostoja_audit_entry_truncate BEFORE TRUNCATE ON {ENTRY}
  FOR EACH STATEMENT EXECUTE FUNCTION ostoja_audit_entry_guard();
CREATE OR REPLACE TRIGGER ostoja_audit_head_guard BEFORE UPDATE OR DELETE ON {HEAD}
  FOR EACH ROW EXECUTE FUNCTION ostoja_audit_head_guard();
CREATE OR REPLACE TRIGGER ostoja_audit_head_truncate BEFORE TRUNCATE ON {HEAD}
  FOR EACH STATEMENT EXECUTE FUNCTION ostoja_audit_head_guard();
ALTER TABLE {ENTRY} ENABLE TRIGGER USER;
ALTER TABLE {HEAD} ENABLE TRIGGER USER;
"""

_SQLITE = [
    f"""CREATE TRIGGER IF NOT EXISTS ostoja_audit_entry_update BEFORE UPDATE ON {ENTRY}
    WHEN NOT ({" AND ".join(f"NEW.{c} IS OLD.{c}" for c in _KEEP)}
              AND json(NEW.data) = json('{{"redacted": true}}'))
    BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END""",
    f"""CREATE TRIGGER IF NOT EXISTS ostoja_audit_entry_delete BEFORE DELETE ON {ENTRY}
    BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END""",
    f"""CREATE TRIGGER IF NOT EXISTS ostoja_audit_head_update BEFORE UPDATE ON {HEAD}
    WHEN NEW.seq IS NOT OLD.seq + 1
    BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END""",
    f"""CREATE TRIGGER IF NOT EXISTS ostoja_audit_head_delete BEFORE DELETE ON {HEAD}
    BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END""",
]
_SQLITE_TRIGGERS = (
    "ostoja_audit_entry_update",
    "ostoja_audit_entry_delete",
    "ostoja_audit_head_update",
    "ostoja_audit_head_delete",
)


def install(connection: BaseDatabaseWrapper) -> None:
    """Create (or re-enable) the guards; also make sure the head row exists."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {HEAD}")  # noqa: S608  # constant name
        if cursor.fetchone()[0] == 0:
            cursor.execute(f"INSERT INTO {HEAD} (id, seq, link) VALUES (1, 0, '')")  # noqa: S608
        if connection.vendor == "postgresql":
            cursor.execute(_POSTGRESQL)
        elif connection.vendor == "sqlite":
            for statement in _SQLITE:
                cursor.execute(statement)


def suspend(connection: BaseDatabaseWrapper) -> None:
    """Lift the guards — for the test suite's flush between tests and nothing else;
    ``install`` runs again after every flush."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending checks may remain
            cursor.execute(f"ALTER TABLE {ENTRY} DISABLE TRIGGER USER")
            cursor.execute(f"ALTER TABLE {HEAD} DISABLE TRIGGER USER")
        elif connection.vendor == "sqlite":
            for name in _SQLITE_TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
