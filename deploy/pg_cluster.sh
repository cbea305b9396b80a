#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for the test suite (a ctest fixture) and
# for deploy/landscape.sh --store postgresql:
#   pg_cluster.sh start STATE_DIR   initdb in a temp folder, start it on a free
#                                   loopback port, write its URL to STATE_DIR/url
#   pg_cluster.sh stop STATE_DIR    stop it and remove every file it made
# The server refuses to run as root, so as root it runs as the unprivileged
# user hub-pgtest (created here when missing). Without Debian's server binaries
# it says so and exits 0: the PostgreSQL tests then skip with that message.
# fsync is off (a killed server loses nothing the OS has; tests never crash
# the OS), synchronous_commit stays on, so an acknowledged commit survives a
# SIGKILL of the server.
set -euo pipefail
action=${1:?start|stop}
state=${2:?state dir}
mkdir -p "$state"

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)

as_owner() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u hub-pgtest -- "$@"; else "$@"; fi
}

case "$action" in
start)
  rm -f "$state/url"
  if [[ -z "$bindir" || ! -x "$bindir/initdb" ]]; then
    echo "pg_cluster: no PostgreSQL server binaries (Debian package postgresql); PostgreSQL tests will skip" |
      tee "$state/skipped"
    exit 0
  fi
  rm -f "$state/skipped"
  if [[ -f "$state/data_dir" ]]; then "$0" stop "$state" || true; fi
  user=$(id -un)
  if [[ $(id -u) -eq 0 ]]; then
    id hub-pgtest >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin hub-pgtest
    user=hub-pgtest
  fi
  dir=$(mktemp -d /tmp/hub-pg.XXXXXX)
  chown "$user" "$dir"
  chmod 700 "$dir"
  echo "$dir" >"$state/data_dir"
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  as_owner "$bindir/initdb" -D "$dir/data" -U "$user" --auth=trust --no-sync -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; exit 1; }
  cat >>"$dir/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
fsync = off
full_page_writes = off
max_connections = 300
shared_buffers = 128MB
log_min_messages = warning
CONF
  as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null ||
    { cat "$dir/server.log" >&2; exit 1; }
  echo "$bindir" >"$state/bin_dir"
  echo "postgresql://$user@127.0.0.1:$port/postgres" >"$state/url"
  echo "pg_cluster: started on 127.0.0.1:$port ($dir)"
  ;;
stop)
  [[ -f "$state/data_dir" ]] || exit 0
  dir=$(cat "$state/data_dir")
  if [[ -n "$bindir" && -d "$dir/data" ]]; then
    as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
  rm -f "$state/url" "$state/data_dir" "$state/bin_dir"
  echo "pg_cluster: stopped"
  ;;
*)
  echo "usage: $0 start|stop STATE_DIR" >&2
  exit 2
  ;;
esac
