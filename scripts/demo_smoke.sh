#!/usr/bin/env bash
# Proves the README's demo command: `make demo` on a free port, with a fresh instance folder, must
# serve the login page (200) within a minute; then the server is stopped.
set -euo pipefail

cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
port=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
instance=$(mktemp -d)
log="$instance/demo.log"

# Its own process group, so that make and the server it started stop together.
DEELKRACHT_INSTANCE="$instance" setsid make demo PORT="$port" >"$log" 2>&1 </dev/null &
pgid=$!
stop() {
  kill -TERM -- "-$pgid" 2>/dev/null || true
  wait "$pgid" 2>/dev/null || true
  rm -rf "$instance"
}
trap stop EXIT

url="http://127.0.0.1:$port/login"
for _ in $(seq 1 60); do
  status=$("$PY" -c 'import sys, urllib.request
try:
    print(urllib.request.urlopen(sys.argv[1], timeout=5).status)
except Exception as exc:
    print(getattr(exc, "code", "down"))' "$url")
  if [ "$status" = 200 ]; then
    echo "make demo PORT=$port: GET /login -> 200"
    grep -m1 "Demo ready" "$log" || true
    exit 0
  fi
  if [ "$status" != down ] || ! kill -0 "$pgid" 2>/dev/null; then
    break # it answered, but not with 200; or it stopped
  fi
  sleep 1
done
echo "make demo PORT=$port: /login did not answer 200 (last: $status). Its output:" >&2
tail -n 60 "$log" >&2
exit 1
