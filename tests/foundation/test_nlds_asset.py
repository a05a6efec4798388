"""The committed NL Design System asset (app/static/vendor/nlds/nlds.css) is what
tools/nlds/build.mjs makes from the packages its package-lock.json pins: the header names the
locked versions, and where npm's packages are installed (``make node-tools``) a fresh build is
byte for byte the committed file."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
ASSET = ROOT / "app/static/vendor/nlds/nlds.css"
TOOLS = ROOT / "tools/nlds"


def test_the_asset_names_the_locked_versions_and_its_licence():
    lock = json.loads((TOOLS / "package-lock.json").read_text())["packages"]
    header = ASSET.read_text(encoding="utf-8")[:3000]
    for name in (
        "@utrecht/component-library-css",
        "@nl-design-system-unstable/voorbeeld-design-tokens",
    ):
        assert f"{name} {lock[f'node_modules/{name}']['version']}" in header
    assert "EUPL-1.2" in header
    assert "@utrecht/design-tokens" not in json.dumps(lock)  # Utrecht's own look is not ours


def test_a_fresh_build_is_the_committed_asset():
    if shutil.which("node") is None or not (TOOLS / "node_modules/.installed").exists():
        pytest.skip("node or tools/nlds/node_modules absent (make node-tools)")
    result = subprocess.run(
        ["node", str(TOOLS / "build.mjs"), "--check"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stdout + result.stderr
