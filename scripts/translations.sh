#!/usr/bin/env bash
# Extract the Dutch source messages, update the English catalog, compile it.
#
#   scripts/translations.sh          extract + update app/translations/en/LC_MESSAGES/messages.po
#                                    + compile messages.mo (commit both)
#
# Dutch is the source language (the msgids); English is a translation. New or changed strings
# arrive in the .po with an empty (or "fuzzy") msgstr: translate them there and run this again.
# tests/foundation/test_i18n.py fails while a msgid is missing, untranslated or fuzzy, or while
# the .mo is older than the .po.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.venv/bin}
DIR=app/translations
PO=$DIR/en/LC_MESSAGES/messages.po

pot=$(mktemp --suffix=.pot)
trap 'rm -f "$pot"' EXIT

log=$(mktemp)
trap 'rm -f "$pot" "$log"' EXIT
"$BIN/pybabel" extract -F babel.cfg -k _l -k lazy_gettext -k lazy_ngettext:1,2 \
    --project=Deelkracht --copyright-holder="Deelkracht contributors" \
    --no-wrap --sort-by-file -o "$pot" . >"$log" 2>&1 || { cat "$log" >&2; exit 1; }
if [ -f "$PO" ]; then
    "$BIN/pybabel" update -i "$pot" -d "$DIR" -l en --no-wrap --ignore-obsolete --no-fuzzy-matching
else
    "$BIN/pybabel" init -i "$pot" -d "$DIR" -l en --no-wrap
fi
"$BIN/pybabel" compile -d "$DIR" --statistics

untranslated=$(
    "$BIN/python" - "$PO" <<'PY'
import sys
from babel.messages.pofile import read_po
with open(sys.argv[1], "rb") as f:
    catalog = read_po(f)
todo = [m for m in catalog if m.id and (not m.string or m.fuzzy)]
for m in todo:
    print(f"  {m.id!r}  ({m.locations[0][0] if m.locations else '?'})", file=sys.stderr)
print(len(todo))
PY
)
if [ "$untranslated" != "0" ]; then
    echo "$untranslated message(s) above still need an English translation in $PO" >&2
fi
