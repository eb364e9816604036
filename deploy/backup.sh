#!/bin/sh
# Ostoja's nightly backup (systemd: ostoja-backup.timer), as root:
#   /var/backups/ostoja/<UTC time>/base.tar.gz, pg_wal.tar.gz  — pg_basebackup, WAL included
#   /var/backups/ostoja/<UTC time>/files.tar.gz                — the sealed documents
# (owned by postgres, 0700). LATEST (readable by all, in a folder no one else can list) names
# the last complete one: /ready/ checks its age.
# A backup is complete once its folder holds DONE; the last KEEP (7) complete ones are kept.
# The keys are NOT in it: without /etc/ostoja/keys the backup is unreadable, and the keys
# must never be stored beside it (README "Deployment").
set -eu
umask 077
DEST=${OSTOJA_BACKUP_DIR:-/var/backups/ostoja}
FILES=${OSTOJA_FILES_DIR:-/var/lib/ostoja/files}
KEEP=${OSTOJA_BACKUP_KEEP:-7}

stamp=$(date -u +%Y%m%dT%H%M%SZ)
work="$DEST/.$stamp"
install -d -o postgres -g postgres -m 0711 "$DEST"
install -d -o postgres -g postgres -m 0700 "$work"
runuser -u postgres -- pg_basebackup --pgdata="$work" --format=tar --gzip \
  --wal-method=stream --checkpoint=fast --label="ostoja $stamp"
tar -C "$(dirname "$FILES")" -czf "$work/files.tar.gz" "$(basename "$FILES")"
chown -R postgres:postgres "$work"
touch "$work/DONE"
mv "$work" "$DEST/$stamp"
echo "$stamp" >"$DEST/.LATEST"
chmod 0644 "$DEST/.LATEST"
mv "$DEST/.LATEST" "$DEST/LATEST"

# Older complete backups beyond KEEP, oldest first.
find "$DEST" -mindepth 2 -maxdepth 2 -name DONE -printf '%h\n' | sort | head -n "-$KEEP" |
  while read -r old; do rm -rf -- "$old"; done
echo "backup $DEST/$stamp complete"
