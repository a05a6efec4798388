#!/usr/bin/env bash
# Make sure the PostgreSQL and Redis servers that the tests use answer on 127.0.0.1 (CI, or a
# Debian machine where you are root). Starts them when they are installed but not running, and
# waits until they are ready. The tests connect as postgres@127.0.0.1:5432 without a password
# (TEST_PG_ADMIN_URL) and to redis://127.0.0.1:6379/15 (TEST_REDIS_URL).
set -euo pipefail

wait_for() {
  local what=$1 check=$2
  for _ in $(seq 1 60); do
    if "$check" >/dev/null 2>&1; then
      echo "$what: ready"
      return 0
    fi
    sleep 1
  done
  echo "$what: not ready after 60 s" >&2
  return 1
}

pg_ready() { pg_isready -q -h 127.0.0.1 -p 5432; }
pg_login() { psql -w -h 127.0.0.1 -p 5432 -U postgres -d postgres -Atc "SELECT 1" "$@"; }
redis_ready() { [ "$(redis-cli -h 127.0.0.1 -p 6379 ping)" = PONG ]; }

# --- PostgreSQL -------------------------------------------------------------------------------
if ! pg_ready >/dev/null 2>&1; then
  version=$(find /etc/postgresql -mindepth 1 -maxdepth 1 -printf '%f\n' 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$version" ]; then
    echo "PostgreSQL: no cluster in /etc/postgresql (apt-get install postgresql)" >&2
    exit 1
  fi
  echo "PostgreSQL: starting cluster $version/main"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
fi
wait_for PostgreSQL pg_ready

if ! pg_login >/dev/null 2>&1; then
  # A freshly installed Debian cluster asks TCP clients for a password; the test fixtures connect
  # as postgres without one. Trust loopback, on a CI machine only.
  case "${CI:-}" in
    1 | true | TRUE | True | yes) ;;
    *)
      echo "PostgreSQL: cannot log in as postgres@127.0.0.1 without a password." >&2
      echo "Allow it in pg_hba.conf or set TEST_PG_ADMIN_URL (see README.md)." >&2
      exit 1
      ;;
  esac
  hba=$(su postgres -c "psql -Atc 'SHOW hba_file'")
  echo "PostgreSQL: trusting loopback connections in $hba (CI only)"
  sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$hba"
  su postgres -c "psql -Atc 'SELECT pg_reload_conf()'" >/dev/null
  wait_for "PostgreSQL login as postgres@127.0.0.1" pg_login
fi
echo "PostgreSQL: $(pg_login -c 'SHOW server_version' | tail -n 1)"

# --- Redis ------------------------------------------------------------------------------------
if ! redis_ready >/dev/null 2>&1; then
  echo "Redis: starting redis-server on 127.0.0.1:6379 (nothing kept on disk)"
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
fi
wait_for Redis redis_ready
echo "Redis: $(redis-cli -h 127.0.0.1 -p 6379 info server | grep -m1 redis_version | tr -d '\r')"
