#!/usr/bin/env bash
# Regenerate the single initial migration from the models.
#
# Deletes migrations/versions/*.py, autogenerates one "initial schema" migration against an empty
# SQLite database, then checks it: upgrade that database from empty to head and ask Alembic
# whether anything is still pending (`deelkracht db check`). tests/foundation/test_migrations.py
# checks the same on SQLite and PostgreSQL.
#
# Usage: scripts/regenerate_migration.sh        (BIN=path/to/venv/bin to use another venv)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.venv/bin}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export DEELKRACHT_INSTANCE="$work"
export DATABASE_URL="sqlite:///$work/empty.db"
unset MIGRATE_DATABASE_URL REDIS_URL DEELKRACHT_APP_ROLE
export LOG_LEVEL=WARNING

rm -f migrations/versions/*.py
rm -rf migrations/versions/__pycache__
"$BIN/deelkracht" db migrate -m "initial schema"
"$BIN/deelkracht" db upgrade
"$BIN/deelkracht" db check
ls migrations/versions/*.py
