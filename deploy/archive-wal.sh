#!/bin/sh
# PostgreSQL's archive_command (README "Deployment"), as the postgres user:
#   archive_command = '/opt/ostoja/deploy/archive-wal.sh %p %f /var/backups/ostoja/wal'
# Exits 0 only once the segment is stored and flushed to disk: PostgreSQL keeps the segment
# and tries again on anything else. A segment already stored with the same content (a retry
# after a crash) is success; a different file under the same name is never overwritten.
set -eu
src=$1
name=$2
dest=$3
if [ -e "$dest/$name" ]; then
  cmp -s "$src" "$dest/$name"
  exit $?
fi
tmp="$dest/.$name.partial"
cp "$src" "$tmp"
sync "$tmp"
mv "$tmp" "$dest/$name"
sync "$dest"
