"""Reproducible installs: every third-party package the code imports is declared in
pyproject.toml, and the environment holds exactly the versions of the lock file.

A package that is only there because another one pulls it in (Werkzeug through Flask, fontTools
through WeasyPrint) can change or disappear with that other package's next release; so whatever
our code imports by name must be declared by name.
"""

from __future__ import annotations

import ast
import importlib.metadata as metadata
import re
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
RUNTIME_CODE = ("app", "tenants", "worker", "migrations")
TEST_CODE = ("tests", "bench")
FIRST_PARTY = {"app", "tenants", "worker", "tests", "bench", "migrations"}
LOCK_DEV = ROOT / "requirements" / "dev.txt"
LOCK_RUNTIME = ROOT / "requirements" / "runtime.txt"
# Installed in every virtual environment, not part of the lock.
ENVIRONMENT_TOOLS = {"pip", "setuptools", "wheel"}


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirement_name(requirement: str) -> str:
    return _normalise(re.split(r"[\s<>=!~;\[(]", requirement.strip(), maxsplit=1)[0])


def _declared(*groups: str) -> set[str]:
    names = {_requirement_name(r) for r in PYPROJECT["project"]["dependencies"]}
    for group in groups:
        names |= {
            _requirement_name(r) for r in PYPROJECT["project"]["optional-dependencies"][group]
        }
    return names


def _imported_top_level_modules(folders: tuple[str, ...]) -> dict[str, set[str]]:
    """Top-level module name -> files that import it, over every import statement (also those
    inside functions)."""
    found: dict[str, set[str]] = {}
    for folder in folders:
        for path in (ROOT / folder).rglob("*.py"):
            if ".venv" in path.parts or "node_modules" in path.parts:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    modules = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    modules = [node.module]
                else:
                    continue
                for module in modules:
                    top = module.split(".")[0]
                    found.setdefault(top, set()).add(str(path.relative_to(ROOT)))
    return found


def _undeclared(folders: tuple[str, ...], declared: set[str]) -> dict[str, list[str]]:
    distributions = metadata.packages_distributions()
    problems = {}
    for module, files in sorted(_imported_top_level_modules(folders).items()):
        if module in FIRST_PARTY or module in sys.stdlib_module_names:
            continue
        providers = {_normalise(d) for d in distributions.get(module, [])}
        if not providers:
            problems[module] = ["not installed", *sorted(files)[:3]]
        elif not providers & declared:
            problems[module] = [f"provided by {sorted(providers)}", *sorted(files)[:3]]
    return problems


def test_the_application_declares_every_package_it_imports():
    """app/, tenants/, worker/ and migrations/ import only packages in [project] dependencies."""
    assert _undeclared(RUNTIME_CODE, _declared()) == {}


def test_the_tests_and_benchmarks_declare_every_package_they_import():
    """tests/ and bench/ import only packages in the dependencies or the dev extra."""
    assert _undeclared(TEST_CODE, _declared("dev")) == {}


def test_the_import_check_sees_an_undeclared_package():
    """Control: with Werkzeug left out of the declared names, its imports are reported."""
    problems = _undeclared(RUNTIME_CODE, _declared() - {"werkzeug"})
    assert "werkzeug" in problems


def _lock(path: Path) -> dict[str, str]:
    """name -> exact version of a pip-compile lock file (every entry pinned with ==, hashed)."""
    pins = {}
    text = path.read_text(encoding="utf-8")
    for line in text.splitlines():
        match = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?==([^\s;\\]+)", line)
        if match:
            pins[_normalise(match.group(1))] = match.group(3)
    entries = [
        line
        for line in text.splitlines()
        if line and not line.startswith((" ", "#", "-")) and not line.startswith("\t")
    ]
    assert len(entries) == len(pins), "every entry of the lock is pinned with =="
    assert text.count("--hash=sha256:") >= len(pins), "every entry carries its hashes"
    return pins


def test_the_lock_files_pin_every_declared_package_with_hashes():
    """The runtime lock holds every runtime dependency; the dev lock those and the dev extra,
    at the same versions (the Docker image and the test environment run the same code)."""
    runtime, dev = _lock(LOCK_RUNTIME), _lock(LOCK_DEV)
    assert _declared() <= set(runtime), sorted(_declared() - set(runtime))
    assert _declared("dev") <= set(dev), sorted(_declared("dev") - set(dev))
    assert {name: dev[name] for name in runtime} == runtime


def test_the_environment_is_exactly_the_lock():
    """`pip freeze` of this environment equals the dev lock: nothing more, nothing less, no
    other version (make venv installs with --require-hashes from requirements/dev.txt)."""
    installed = {
        _normalise(d.metadata["Name"]): d.version
        for d in metadata.distributions()
        if d.metadata["Name"] and _normalise(d.metadata["Name"]) not in ENVIRONMENT_TOOLS
    }
    installed.pop("deelkracht", None)
    if not (Path(sys.prefix) / ".installed").exists() and sys.prefix == sys.base_prefix:
        pytest.skip("not running in the project's virtual environment")
    assert installed == _lock(LOCK_DEV)
