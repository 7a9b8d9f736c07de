#!/usr/bin/env bash
# A private, throw-away PostgreSQL for the test run: sourced by test.sh (or run alone: `tools/test-postgres.sh start`
# prints the export line, `tools/test-postgres.sh stop <dir>` stops it).
#
# It uses Debian's postgresql package (installed with apt when missing), whose initdb/pg_ctl/postgres live under
# /usr/lib/postgresql/<version>/bin, not on PATH. initdb refuses root, so as root the server runs as the `postgres`
# user, with a data directory it owns in a temp dir. It listens on a free loopback port and on a unix socket in that
# temp dir, trusts loopback connections only, and is stopped by its PID (helix_pg_stop, which test.sh traps).
#
# On success it exports HELIX_TEST_POSTGRES, the Npgsql connection string of the superuser database `postgres`;
# the tests create one database per test class from it.

helix_pg_bin() {
  local bin
  for bin in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$bin/initdb" ] && [ -x "$bin/pg_ctl" ]; then
      echo "$bin"
      return 0
    fi
  done
  return 1
}

helix_pg_as_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

helix_pg_free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

helix_pg_start() {
  local bin
  if ! bin=$(helix_pg_bin); then
    echo "Installing postgresql (Debian package) for the PostgreSQL store tests"
    if [ "$(id -u)" = 0 ]; then
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    else
      sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    fi
    bin=$(helix_pg_bin) || { echo "PostgreSQL is not available: the PostgreSQL tests will be skipped." >&2; return 1; }
  fi

  HELIX_PG_DIR=$(mktemp -d /tmp/helix-pg.XXXXXX)
  chmod 755 "$HELIX_PG_DIR"
  mkdir -p "$HELIX_PG_DIR/data" "$HELIX_PG_DIR/socket"
  if [ "$(id -u)" = 0 ]; then
    chown -R postgres:postgres "$HELIX_PG_DIR"
  fi

  if ! helix_pg_as_owner "$bin/initdb" -D "$HELIX_PG_DIR/data" -U postgres --auth=trust --encoding=UTF8 --no-locale \
      >"$HELIX_PG_DIR/initdb.log" 2>&1; then
    echo "initdb failed:" >&2
    cat "$HELIX_PG_DIR/initdb.log" >&2
    return 1
  fi

  # Loopback and the private socket only; trust is safe because nothing else can reach it.
  cat >"$HELIX_PG_DIR/data/pg_hba.conf" <<'EOF'
local all all              trust
host  all all 127.0.0.1/32 trust
host  all all ::1/128      trust
EOF

  local port attempt
  for attempt in 1 2 3; do
    port=$(helix_pg_free_port)
    # fsync off: a test database need not survive a power cut, and the run is faster.
    if helix_pg_as_owner "$bin/pg_ctl" -D "$HELIX_PG_DIR/data" -l "$HELIX_PG_DIR/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $HELIX_PG_DIR/socket -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300 -c shared_buffers=128MB" \
        start >/dev/null; then
      HELIX_PG_PID=$(head -1 "$HELIX_PG_DIR/data/postmaster.pid")
      export HELIX_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
      export HELIX_PG_DIR HELIX_PG_PID
      echo "PostgreSQL $(basename "$(dirname "$bin")") on 127.0.0.1:$port (pid $HELIX_PG_PID, data in $HELIX_PG_DIR)"
      return 0
    fi
  done

  echo "PostgreSQL did not start:" >&2
  cat "$HELIX_PG_DIR/server.log" >&2
  return 1
}

helix_pg_stop() {
  local dir=${1:-${HELIX_PG_DIR:-}}
  [ -n "$dir" ] && [ -d "$dir" ] || return 0
  local pid
  pid=$(head -1 "$dir/data/postmaster.pid" 2>/dev/null || true)
  if [ -n "$pid" ]; then
    # SIGINT is PostgreSQL's "fast" shutdown: it ends the sessions and exits at once.
    kill -INT "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -rf "$dir"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -uo pipefail
  case "${1:-}" in
    start)
      helix_pg_start >&2 || exit 1
      echo "export HELIX_TEST_POSTGRES='$HELIX_TEST_POSTGRES' HELIX_PG_DIR='$HELIX_PG_DIR'"
      ;;
    stop)
      helix_pg_stop "${2:-}"
      ;;
    *)
      echo "usage: $0 start | stop <dir>" >&2
      exit 2
      ;;
  esac
fi
