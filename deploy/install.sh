#!/bin/sh
# Sets up Ostoja on a fresh Debian 12 or 13 server, as root, from this checkout:
#
#   sudo deploy/install.sh --host ostoja.example.org --portal-host pomoc.example.org \
#        --admin-email admin@example.org --smtp-host smtp.example.org
#
# Installs Debian's PostgreSQL, Redis and Caddy, the code in /opt/ostoja with its locked
# dependencies, the configuration in /etc/ostoja (secrets and keys generated once, never
# overwritten), the database, the static files, Caddy's site and the systemd units
# (deploy/systemd), and starts everything. Run again after `git pull` to upgrade: the code
# is replaced, migrations run, the services restart; configuration and keys are kept.
# README "Deployment" says what to do next (the first administrator, the key escrow).
set -eu

usage() {
  echo "usage: $0 --host NAME --portal-host NAME --admin-email ADDRESS --smtp-host NAME" >&2
  exit 2
}

HOST="" PORTAL_HOST="" ADMIN_EMAIL="" SMTP_HOST=""
while [ $# -gt 0 ]; do
  case "$1" in
    --host) HOST=${2:-}; shift 2 ;;
    --portal-host) PORTAL_HOST=${2:-}; shift 2 ;;
    --admin-email) ADMIN_EMAIL=${2:-}; shift 2 ;;
    --smtp-host) SMTP_HOST=${2:-}; shift 2 ;;
    *) usage ;;
  esac
done
if [ -z "$HOST" ] || [ -z "$PORTAL_HOST" ] || [ -z "$ADMIN_EMAIL" ] || [ -z "$SMTP_HOST" ]; then
  usage
fi
[ "$(id -u)" = 0 ] || { echo "$0: run as root" >&2; exit 1; }

SRC=$(cd "$(dirname "$0")/.." && pwd)
APP=/opt/ostoja
ETC=/etc/ostoja
DATA=/var/lib/ostoja
STATIC=/var/lib/ostoja-static
BACKUPS=/var/backups/ostoja

echo "== Debian packages"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# WeasyPrint's libraries and fonts (PDFs); PostgreSQL, Redis, Caddy.
apt-get install -y -qq postgresql redis-server caddy python3 python3-venv curl \
  libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core >/dev/null

echo "== Python 3.12"
# Ostoja runs on Python 3.12, which Debian 12 and 13 do not ship: a python3.12 already on
# the PATH, else uv (from PyPI) installs a build of it under /opt/ostoja-python.
PYTHON=$(command -v python3.12 || true)
if [ -z "$PYTHON" ]; then
  if [ ! -x /opt/ostoja-python/uv/bin/uv ]; then
    python3 -m venv /opt/ostoja-python/uv
    /opt/ostoja-python/uv/bin/pip install --quiet "uv==$(sed -n 's/^uv==\([^ ]*\).*/\1/p' "$SRC/requirements-dev.lock")"
  fi
  UV_PYTHON_INSTALL_DIR=/opt/ostoja-python /opt/ostoja-python/uv/bin/uv python install 3.12
  PYTHON=$(UV_PYTHON_INSTALL_DIR=/opt/ostoja-python /opt/ostoja-python/uv/bin/uv python find 3.12)
fi

echo "== user, folders"
id ostoja >/dev/null 2>&1 ||
  adduser --system --group --home "$DATA" --no-create-home --shell /usr/sbin/nologin ostoja
install -d -o ostoja -g ostoja -m 0700 "$DATA" "$DATA/files" "$DATA/audit-checkpoints"
install -d -o ostoja -g ostoja -m 0755 "$STATIC"
install -d -o postgres -g postgres -m 0711 "$BACKUPS"
install -d -o root -g ostoja -m 0750 "$ETC" "$ETC/keys"

echo "== code in $APP"
install -d -m 0755 "$APP"
# The checkout's files, without its venv, its var/ and its history.
tar -C "$SRC" --exclude=./.venv --exclude=./var --exclude=./.git -cf - . | tar -C "$APP" -xf -
chown -R root:root "$APP"
[ -x "$APP/.venv/bin/python" ] || "$PYTHON" -m venv "$APP/.venv"
"$APP/.venv/bin/pip" install --quiet --upgrade pip
"$APP/.venv/bin/pip" install --quiet --require-hashes -r "$APP/requirements.lock"

echo "== secrets and keys in $ETC (generated once)"
key() {
  # $1: file; $2: the command printing the value. Never overwritten.
  if [ ! -s "$1" ]; then
    (umask 027 && sh -c "$2" >"$1")
    chgrp ostoja "$1"
  fi
}
PY="$APP/.venv/bin/python"
KEYGEN="cd $APP && $PY -c 'from ostoja.lib.crypto.keys import generate_key; print(generate_key())'"
key "$ETC/keys/secret_key" "$PY -c 'import secrets; print(secrets.token_urlsafe(64))'"
key "$ETC/keys/field_keys" "printf 1: && $KEYGEN"
key "$ETC/keys/index_key" "$KEYGEN"
key "$ETC/keys/audit_key" "$KEYGEN"
if [ ! -s "$ETC/ostoja.env" ]; then
  (umask 027 && cat >"$ETC/ostoja.env" <<ENV
# Ostoja's settings (README "Production"). The keys are files in $ETC/keys: escrow a copy
# away from the backups (README "Deployment").
OSTOJA_ENV=production
OSTOJA_ALLOWED_HOSTS=$HOST,$PORTAL_HOST,127.0.0.1
OSTOJA_BASE_URL=https://$HOST
OSTOJA_CSRF_TRUSTED_ORIGINS=https://$HOST,https://$PORTAL_HOST
OSTOJA_SECRET_KEY_FILE=$ETC/keys/secret_key
OSTOJA_FIELD_KEYS_FILE=$ETC/keys/field_keys
OSTOJA_INDEX_KEY_FILE=$ETC/keys/index_key
OSTOJA_AUDIT_KEY_FILE=$ETC/keys/audit_key
DATABASE_URL=postgres://%2Fvar%2Frun%2Fpostgresql/ostoja
REDIS_URL=redis://127.0.0.1:6379/0
OSTOJA_VAR_DIR=$DATA
OSTOJA_FILES_DIR=$DATA/files
OSTOJA_STATIC_DIR=$STATIC
OSTOJA_AUDIT_CHECKPOINT_DIR=$DATA/audit-checkpoints
OSTOJA_BACKUP_DIR=$BACKUPS
OSTOJA_EMAIL_HOST=$SMTP_HOST
OSTOJA_FROM_EMAIL=ostoja@$HOST
OSTOJA_LOG_FORMAT=json
ENV
  )
  chgrp ostoja "$ETC/ostoja.env"
fi

echo "== PostgreSQL and Redis"
install -d -o postgres -g postgres -m 0700 "$BACKUPS/wal"
# WAL archiving: every segment stored (deploy/archive-wal.sh) within a minute of its first
# write, so a restore loses at most a minute (RPO); base backups nightly (ostoja-backup).
for conf in /etc/postgresql/*/main/conf.d; do
  cat >"$conf/ostoja.conf" <<PG
wal_level = replica
archive_mode = on
archive_command = '$APP/deploy/archive-wal.sh %p %f $BACKUPS/wal'
archive_timeout = 60
PG
done
install -d /etc/systemd/system/postgresql@.service.d
install -m 0644 "$APP/deploy/postgresql-archive-timeout.conf" \
  /etc/systemd/system/postgresql@.service.d/ostoja-archive-timeout.conf
systemctl daemon-reload
systemctl enable redis-server postgresql
systemctl restart postgresql
systemctl start redis-server
# The ostoja user reaches its database over the local socket (peer authentication).
runuser -u postgres -- psql -qtAc "SELECT 1 FROM pg_roles WHERE rolname = 'ostoja'" | grep -q 1 ||
  runuser -u postgres -- createuser ostoja
runuser -u postgres -- psql -qtAc "SELECT 1 FROM pg_database WHERE datname = 'ostoja'" | grep -q 1 ||
  runuser -u postgres -- createdb --owner ostoja ostoja

echo "== database, translations, static files"
as_ostoja() {
  # shellcheck disable=SC2016  # expanded by the inner shell, after the env file is read
  runuser -u ostoja -- sh -c 'set -a && . "$0" && set +a && cd /opt/ostoja && exec "$@"' \
    "$ETC/ostoja.env" "$@"
}
systemctl stop ostoja-web ostoja-scheduler 'ostoja-worker@*' 2>/dev/null || true
# The compiled catalogues go with the code (root's); compiled as root, then read-only.
# shellcheck source=/dev/null
(set -a && . "$ETC/ostoja.env" && set +a && cd "$APP" && "$PY" manage.py translations compile)
as_ostoja "$PY" manage.py check --deploy --fail-level WARNING
as_ostoja "$PY" manage.py migrate --no-input
as_ostoja "$PY" manage.py collectstatic --no-input --verbosity 0

echo "== Caddy and systemd"
sed -e "s/ostoja\.example\.org/$HOST/g" -e "s/portal\.example\.org/$PORTAL_HOST/g" \
  -e "s/admin@example\.org/$ADMIN_EMAIL/g" "$APP/deploy/Caddyfile" >/etc/caddy/Caddyfile
caddy validate --config /etc/caddy/Caddyfile --adapter caddyfile >/dev/null
install -m 0644 "$APP"/deploy/systemd/* /etc/systemd/system/
systemctl daemon-reload
systemctl enable --now ostoja-web ostoja-scheduler ostoja-worker@1 ostoja-backup.timer \
  ostoja-restore-drill.timer
systemctl reload-or-restart caddy

echo "== is it up?"
for _ in $(seq 30); do
  curl -fsS http://127.0.0.1:8000/ready/ >/dev/null 2>&1 && break
  sleep 1
done
curl -fsS http://127.0.0.1:8000/ready/ && echo
echo "Ostoja runs at https://$HOST/ and its portal at https://$PORTAL_HOST/."
echo "Next: create the first administrator (README \"Deployment\"), and escrow $ETC/keys"
echo "somewhere else than the backups in $BACKUPS."
