#!/usr/bin/env bash
# Starts a throw-away PostgreSQL for the JDBC store tests and prints, on its last line,
#   MAILCORE_TEST_POSTGRES_URL=jdbc:postgresql://127.0.0.1:55432/mailcore?user=mailcore&password=...
# Installs PostgreSQL with apt-get when it is missing (Debian 12: postgresql 15). Runs the server as the postgres
# user when started as root (CI has no systemd), as the calling user otherwise. Idempotent: a second run finds the
# cluster running (or starts it again) and prints the same line.
#
# Settings (environment): MAILCORE_PG_DIR (cluster directory, default /tmp/mailcore-pg), MAILCORE_PG_PORT (55432).
set -euo pipefail

PGDIR="${MAILCORE_PG_DIR:-/tmp/mailcore-pg}"
PORT="${MAILCORE_PG_PORT:-55432}"
DB=mailcore
ROLE=mailcore

log() { echo "postgres.sh: $*" >&2; }

find_bin() {
    local d
    for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then
            echo "$d"
            return 0
        fi
    done
    if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
        dirname "$(command -v initdb)"
        return 0
    fi
    return 1
}

BIN="$(find_bin || true)"
if [ -z "$BIN" ]; then
    if [ "$(id -u)" -ne 0 ]; then
        log "PostgreSQL is not installed and this is not root: install postgresql first"
        exit 1
    fi
    log "installing PostgreSQL with apt-get"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq postgresql >&2
    BIN="$(find_bin)"
fi

# who runs the server: postgres when we are root (initdb refuses root), else ourselves
if [ "$(id -u)" -eq 0 ]; then
    if ! id postgres >/dev/null 2>&1; then
        useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
    fi
    as_pg() { runuser -u postgres -- "$@"; }
    OWNER=postgres
else
    as_pg() { "$@"; }
    OWNER="$(id -un)"
fi

mkdir -p "$PGDIR"
chown "$OWNER" "$PGDIR"
chmod 700 "$PGDIR"
DATA="$PGDIR/data"
SOCK="$PGDIR/sock"
as_pg mkdir -p "$SOCK"

if [ ! -s "$PGDIR/password" ]; then
    # a random password, kept so that later runs print the same URL
    head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' > "$PGDIR/password"
fi
chmod 600 "$PGDIR/password"
PASSWORD="$(cat "$PGDIR/password")"

if [ ! -f "$DATA/PG_VERSION" ]; then
    log "creating a cluster in $DATA"
    as_pg "$BIN/initdb" -D "$DATA" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
        --encoding=UTF8 --no-locale >&2
fi

# a throw-away cluster for tests: no fsync (the store's own durability comes from the commit, not from here)
SPEED="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"

if ! as_pg "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
    log "starting PostgreSQL on 127.0.0.1:$PORT"
    as_pg "$BIN/pg_ctl" -D "$DATA" -l "$PGDIR/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $PORT -k $SOCK -c max_connections=300 $SPEED" start >&2
fi

psql_pg() { as_pg "$BIN/psql" -h "$SOCK" -p "$PORT" -U postgres -v ON_ERROR_STOP=1 -qAt "$@"; }

for _ in $(seq 1 60); do
    if psql_pg -d postgres -c 'select 1' >/dev/null 2>&1; then
        break
    fi
    sleep 0.5
done

if [ "$(psql_pg -d postgres -c "select count(*) from pg_roles where rolname = '$ROLE'")" = 0 ]; then
    # CREATEDB lets the tests make a fresh database per test class
    psql_pg -d postgres -c "create role $ROLE login createdb password '$PASSWORD'" >/dev/null
else
    psql_pg -d postgres -c "alter role $ROLE login createdb password '$PASSWORD'" >/dev/null
fi
if [ "$(psql_pg -d postgres -c "select count(*) from pg_database where datname = '$DB'")" = 0 ]; then
    psql_pg -d postgres -c "create database $DB owner $ROLE" >/dev/null
fi

echo "MAILCORE_TEST_POSTGRES_URL=jdbc:postgresql://127.0.0.1:$PORT/$DB?user=$ROLE&password=$PASSWORD"
