#!/usr/bin/env bash
# The README's test command (`make test` calls this): on SQLite the tests whose behaviour depends
# on the dialect (tests/conftest.py, SQLITE_TOO), then the whole suite on PostgreSQL when it
# answers. Both runs spread the tests over TEST_WORKERS processes (pytest-xdist; `auto`: one per
# core, at most 4; `0`: one process), each with its own database.
#
#   scripts/run_tests.sh [all|sqlite|postgresql] [pytest arguments...]
#
# Without PostgreSQL or Redis (a newcomer's laptop) the suite still runs: the PostgreSQL run is
# skipped with the reason, and pytest -ra lists every skipped test with its reason. Under CI
# (CI=1/true/yes) a missing PostgreSQL fails this script, and tests/conftest.py turns the skips of
# tests that need PostgreSQL or Redis into failures. pytest's exit status 5 (no tests collected)
# counts as a failure: a run that tests nothing must not pass.
set -uo pipefail

cd "$(dirname "$0")/.." || exit 2
PY=${PY:-.venv/bin/python}
which=${1:-all}
[ $# -gt 0 ] && shift
case "$which" in
  all | sqlite | postgresql) ;;
  *)
    echo "usage: $0 [all|sqlite|postgresql] [pytest arguments...]" >&2
    exit 2
    ;;
esac

in_ci=false
case "${CI:-}" in 1 | true | TRUE | True | yes) in_ci=true ;; esac

declare -a summary=()
failed=0

workers=${TEST_WORKERS:-auto}
if [ "$workers" = auto ]; then
  workers=$(nproc 2>/dev/null || echo 1)
  [ "$workers" -gt 4 ] && workers=4
fi
xdist=()
# One process needs no xdist; --dist loadfile keeps a module's tests (and the world snapshots
# they share) in one process; --no-loadscope-reorder hands the modules out in the order of
# tests/conftest.py (the slowest first, SLOW_FIRST) instead of by number of tests, which left
# long one-test modules (the browser crawls) for the end.
[ "$workers" -gt 1 ] && xdist=(-n "$workers" --dist loadfile --no-loadscope-reorder)

run_pytest() {
  local backend=$1
  shift
  echo
  echo "=== pytest on ${backend} (${workers} process(es)) ==="
  local begun=$SECONDS
  DEELKRACHT_TEST_BACKEND=$backend "$PY" -m pytest "${xdist[@]}" "$@"
  local rc=$?
  local took="$((SECONDS - begun)) s"
  case $rc in
    0) summary+=("${backend}: passed in ${took}") ;;
    5)
      echo "pytest collected no tests on ${backend}: that is a failure, not a pass." >&2
      summary+=("${backend}: FAILED (no tests collected)")
      failed=1
      ;;
    *)
      summary+=("${backend}: FAILED (pytest exit status ${rc})")
      failed=1
      ;;
  esac
}

# The same reachability check as the test fixtures (tests/support/environment.py), so both agree.
pg_missing() {
  "$PY" -c 'from tests.support.environment import PG_MISSING; print(PG_MISSING or "")' 2>&1 | tail -n 1
}

if [ "$which" = all ] || [ "$which" = sqlite ]; then
  run_pytest sqlite "$@"
fi

if [ "$which" = all ] || [ "$which" = postgresql ]; then
  reason=$(pg_missing)
  if [ -z "$reason" ]; then
    run_pytest postgresql "$@"
  elif $in_ci; then
    echo "CI: ${reason}. The PostgreSQL run is required under CI." >&2
    summary+=("postgresql: FAILED (${reason})")
    failed=1
  else
    echo
    echo "=== pytest on postgresql: SKIPPED ==="
    echo "${reason}."
    echo "Start PostgreSQL (see README.md, 'Running the tests') to run the suite on it too."
    summary+=("postgresql: skipped (${reason})")
  fi
fi

echo
echo "=== test summary ==="
printf '  %s\n' "${summary[@]}"
exit $failed
