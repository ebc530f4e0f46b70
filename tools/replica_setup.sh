#!/usr/bin/env bash
# A streaming read replica of the local PostgreSQL server, for the replica tests (docs/scaling.md,
# "Read replicas"; tests/core/test_replicas.py). It makes a second cluster that follows the primary
# on 127.0.0.1:5432 through streaming replication, listening on 127.0.0.1:5433, and prints the
# URL to test with:
#
#   tools/replica_setup.sh            # then: TEST_REPLICA_URL=postgres://postgres@127.0.0.1:5433/postgres
#   tools/replica_setup.sh --stop     # stop the replica (its directory stays for the next start)
#   tools/replica_setup.sh --remove   # stop it and delete its directory
#
# Run as root (it works as the postgres user through runuser) or as the postgres user. What it
# changes on the primary, only when missing: a `host replication all 127.0.0.1/32 trust` line in
# pg_hba.conf (then a reload, which disturbs no connection), and — only if `wal_level` is
# `minimal` or `max_wal_senders` is 0 — those settings, which need a restart of the primary.
# Idempotent: a replica that is already streaming is left alone. Exits non-zero with a message
# when it cannot make one.
#
# Environment: REPLICA_PORT (5433), REPLICA_DIR (/var/lib/postgresql/<version>/replica<port>),
# PRIMARY_HOST (127.0.0.1), PRIMARY_PORT (5432).
set -euo pipefail

PRIMARY_HOST=${PRIMARY_HOST:-127.0.0.1}
PRIMARY_PORT=${PRIMARY_PORT:-5432}
REPLICA_PORT=${REPLICA_PORT:-5433}

fail() {
  echo "replica_setup: $*" >&2
  exit 1
}

as_postgres() {
  if [[ $(id -un) == postgres ]]; then
    "$@"
  elif [[ $(id -u) == 0 ]]; then
    runuser -u postgres -- "$@"
  else
    fail "run me as root or as the postgres user (I am $(id -un))"
  fi
}

psql_primary() {
  as_postgres psql -X -q -At -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -U postgres -d postgres "$@"
}

pg_isready -q -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" ||
  fail "no PostgreSQL server answers on $PRIMARY_HOST:$PRIMARY_PORT"

version=$(psql_primary -c "SELECT current_setting('server_version_num')::int / 10000") ||
  fail "cannot query the primary as the postgres user"
BIN=/usr/lib/postgresql/$version/bin
[[ -x $BIN/pg_basebackup ]] || fail "$BIN/pg_basebackup is missing (the PostgreSQL $version server package)"
REPLICA_DIR=${REPLICA_DIR:-/var/lib/postgresql/$version/replica$REPLICA_PORT}
LOG=$REPLICA_DIR/replica.log  # inside: the parent may be root's

case "${1:-}" in
  --stop | --remove)
    if [[ -f $REPLICA_DIR/postmaster.pid ]]; then
      as_postgres "$BIN/pg_ctl" -D "$REPLICA_DIR" -m fast -w stop
    fi
    if [[ $1 == --remove ]]; then
      rm -rf -- "$REPLICA_DIR"
      echo "replica_setup: removed $REPLICA_DIR"
    fi
    exit 0
    ;;
  "") ;;
  *) fail "unknown argument $1 (none, --stop or --remove)" ;;
esac

replica_url="postgres://postgres@127.0.0.1:$REPLICA_PORT/postgres"

streaming() {
  [[ $(as_postgres psql -X -q -At -h 127.0.0.1 -p "$REPLICA_PORT" -U postgres -d postgres \
    -c "SELECT pg_is_in_recovery() AND EXISTS (SELECT FROM pg_stat_wal_receiver WHERE status = 'streaming')" \
    2>/dev/null) == t ]]
}

# 1. The primary must allow streaming replication from the loopback.
wal_level=$(psql_primary -c "SHOW wal_level")
senders=$(psql_primary -c "SHOW max_wal_senders")
if [[ $wal_level == minimal || $senders == 0 ]]; then
  echo "replica_setup: the primary has wal_level=$wal_level, max_wal_senders=$senders; setting replica/10 and restarting it"
  psql_primary -c "ALTER SYSTEM SET wal_level = replica" -c "ALTER SYSTEM SET max_wal_senders = 10"
  datadir=$(psql_primary -c "SHOW data_directory")
  if command -v pg_ctlcluster >/dev/null && [[ -d /etc/postgresql/$version/main ]]; then
    pg_ctlcluster --skip-systemctl-redirect "$version" main restart || fail "cannot restart the primary"
  else
    as_postgres "$BIN/pg_ctl" -D "$datadir" -m fast -w restart || fail "cannot restart the primary"
  fi
  for _ in $(seq 30); do pg_isready -q -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" && break; sleep 1; done
fi
hba=$(psql_primary -c "SHOW hba_file")
if ! psql_primary -c "SELECT count(*) FROM pg_hba_file_rules WHERE 'replication' = ANY(database) AND error IS NULL AND auth_method = 'trust' AND (type = 'local' OR address IN ('127.0.0.1', 'all'))" | grep -qv '^0$'; then
  echo "replica_setup: adding a replication line for 127.0.0.1 to $hba and reloading the primary"
  [[ -w $hba || $(id -u) == 0 ]] || fail "cannot write $hba"
  printf '%s\n' "# Added by Liaison's tools/replica_setup.sh: the local streaming replica for tests." \
    "host    replication     all             127.0.0.1/32            trust" >>"$hba"
  psql_primary -c "SELECT pg_reload_conf()" >/dev/null
  sleep 1
fi

# 2. Already there? Start it if it is stopped; rebuild it if it does not stream.
if [[ -f $REPLICA_DIR/standby.signal ]]; then
  if ! pg_isready -q -h 127.0.0.1 -p "$REPLICA_PORT"; then
    as_postgres "$BIN/pg_ctl" -D "$REPLICA_DIR" -l "$LOG" -w -t 60 start >/dev/null ||
      echo "replica_setup: the existing replica did not start (see $LOG); rebuilding it"
  fi
  for _ in $(seq 10); do streaming && break; sleep 1; done
  if streaming; then
    echo "replica_setup: the replica on port $REPLICA_PORT is streaming from $PRIMARY_HOST:$PRIMARY_PORT"
    echo "TEST_REPLICA_URL=$replica_url"
    exit 0
  fi
  echo "replica_setup: the replica in $REPLICA_DIR does not stream; rebuilding it"
  [[ -f $REPLICA_DIR/postmaster.pid ]] && as_postgres "$BIN/pg_ctl" -D "$REPLICA_DIR" -m fast -w stop || true
  rm -rf -- "$REPLICA_DIR"
elif pg_isready -q -h 127.0.0.1 -p "$REPLICA_PORT"; then
  fail "port $REPLICA_PORT is taken by a server that is not this script's replica ($REPLICA_DIR)"
elif [[ -e $REPLICA_DIR ]]; then
  rm -rf -- "$REPLICA_DIR"
fi

# 3. A base backup with the standby settings (-R writes primary_conninfo and standby.signal).
if [[ $(id -u) == 0 ]]; then
  install -d -o postgres -g postgres -m 700 "$REPLICA_DIR"
else
  mkdir -p -m 700 "$REPLICA_DIR" || fail "cannot create $REPLICA_DIR"
fi
as_postgres "$BIN/pg_basebackup" -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -U postgres \
  -D "$REPLICA_DIR" -R -X stream -c fast ||
  fail "pg_basebackup from $PRIMARY_HOST:$PRIMARY_PORT failed"
# Debian keeps the configuration outside the data directory: the replica gets its own.
as_postgres tee "$REPLICA_DIR/postgresql.conf" >/dev/null <<EOF
# The test replica of tools/replica_setup.sh.
port = $REPLICA_PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '/tmp'
hba_file = '$REPLICA_DIR/pg_hba.conf'
ident_file = '$REPLICA_DIR/pg_ident.conf'
hot_standby = on
hot_standby_feedback = on
wal_receiver_status_interval = 1s
max_connections = 100
shared_buffers = 32MB
EOF
as_postgres tee "$REPLICA_DIR/pg_hba.conf" >/dev/null <<EOF
local   all   all                 trust
host    all   all   127.0.0.1/32  trust
EOF
as_postgres touch "$REPLICA_DIR/pg_ident.conf"
as_postgres "$BIN/pg_ctl" -D "$REPLICA_DIR" -l "$LOG" -w -t 60 start >/dev/null ||
  fail "the replica did not start; its log: $LOG"
for _ in $(seq 30); do streaming && break; sleep 1; done
streaming || fail "the replica started but does not stream from the primary; its log: $LOG"
echo "replica_setup: the replica on port $REPLICA_PORT is streaming from $PRIMARY_HOST:$PRIMARY_PORT"
echo "TEST_REPLICA_URL=$replica_url"
