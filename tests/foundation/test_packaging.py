"""Packaging and deployment files: the Dockerfile, compose.yaml, the database roles, CI, README.

These read the files rather than build images (no Docker engine in CI); `make lint` also runs
hadolint over the Dockerfile.
"""

from __future__ import annotations

import os
import re
import shlex
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined, comments dropped."""
    text = (ROOT / "Dockerfile").read_text()
    logical, current = [], ""
    for line in text.splitlines():
        stripped = line.strip()
        if not current and (not stripped or stripped.startswith("#")):
            continue
        if stripped.startswith("#"):
            continue
        if stripped.endswith("\\"):
            current += stripped[:-1] + " "
            continue
        logical.append(current + stripped)
        current = ""
    pairs = []
    for entry in logical:
        instruction, _, args = entry.partition(" ")
        pairs.append((instruction.upper(), args.strip()))
    return pairs


def stages() -> list[list[tuple[str, str]]]:
    result: list[list[tuple[str, str]]] = []
    for instruction, args in dockerfile_instructions():
        if instruction == "FROM":
            result.append([])
        if result:
            result[-1].append((instruction, args))
    return result


def test_dockerfile_is_multi_stage_with_pinned_base_images():
    """The image is built in stages, and every base image names a tag other than latest."""
    all_stages = stages()
    assert len(all_stages) >= 2, "a builder stage and a runtime stage"
    names = set()
    for stage in all_stages:
        words = stage[0][1].split()
        image = words[0]
        if image not in names:
            assert ":" in image, f"base image {image} has no tag"
            assert not image.endswith(":latest"), f"base image {image} is not pinned"
        if len(words) == 3 and words[1].upper() == "AS":
            names.add(words[2])
    runtime = all_stages[-1]
    copied = [args for instruction, args in runtime if instruction == "COPY"]
    assert any("--from=" in args for args in copied), "the runtime copies what the builder made"


def test_dockerfile_runtime_runs_as_non_root_user():
    """The runtime stage ends with a USER that is not root."""
    runtime = stages()[-1]
    users = [args for instruction, args in runtime if instruction == "USER"]
    assert users, "the runtime stage sets a USER"
    user = users[-1].split(":")[0]
    assert user not in {"root", "0"}


def test_dockerfile_has_health_check_port_and_gunicorn():
    """A HEALTHCHECK on /healthz (with python, no curl), port 8000, gunicorn serving the factory."""
    runtime = dict(stages()[-1])
    assert "/healthz" in runtime["HEALTHCHECK"]
    assert "python" in runtime["HEALTHCHECK"]
    assert runtime["EXPOSE"].split() == ["8000"]
    assert "gunicorn" in runtime["CMD"] and "app:create_app()" in runtime["CMD"]
    # the deployed settings (app/gunicorn_conf.py), as on Kubernetes
    assert '"--config", "python:app.gunicorn_conf"' in runtime["CMD"]
    assert "--access-logfile" not in runtime["CMD"]  # no URLs with ids in a log


def test_a_gunicorn_worker_freezes_what_its_start_made():
    """app/gunicorn_conf.py: after the app is loaded, the objects of the start are out of the
    cyclic collector's sight, so no request pays a full collection over them (issue 15)."""
    import gc

    from app import gunicorn_conf

    before = gc.get_freeze_count()
    try:
        gunicorn_conf.post_worker_init(worker=None)
        assert gc.get_freeze_count() > max(before, 10_000)
    finally:
        gc.unfreeze()


def test_dockerfile_installs_the_locked_runtime_dependencies():
    """The builder installs requirements/runtime.txt with --require-hashes and --no-deps (the
    versions the tests ran with, nothing resolved anew), then the project without dependencies."""
    builder = stages()[0]
    runs = [args for instruction, args in builder if instruction == "RUN"]
    copies = [args for instruction, args in builder if instruction == "COPY"]
    assert any("requirements/runtime.txt" in args for args in copies)
    installs = [args for args in runs if "pip install" in args]
    locked = [args for args in installs if "-r requirements/runtime.txt" in args]
    assert locked and "--require-hashes" in locked[0] and "--no-deps" in locked[0]
    for args in installs:
        assert "-r requirements/runtime.txt" in args or "--no-deps" in args, args


def test_make_installs_the_dev_lock_with_hashes():
    """make venv installs requirements/dev.txt with --require-hashes, and `make lock` updates
    both lock files with pip-compile --generate-hashes."""
    makefile = (ROOT / "Makefile").read_text()
    assert "--require-hashes --no-deps -r $(LOCK_DEV)" in makefile
    assert re.search(r"^lock:", makefile, re.MULTILINE)
    assert "--generate-hashes" in makefile


def test_dockerfile_fetches_nothing_with_add():
    """No ADD of a URL (unverified downloads): files come in with COPY."""
    for instruction, args in dockerfile_instructions():
        if instruction == "ADD":
            assert not re.search(r"https?://", args), args


def test_dockerignore_keeps_secrets_and_local_state_out():
    """The build context leaves out the venv, the instance folder (demo DB, secret key) and .env."""
    ignored = set((ROOT / ".dockerignore").read_text().split())
    assert {".venv", "instance", ".env", ".git"} <= ignored


# --- compose.yaml ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def compose():
    yaml = pytest.importorskip("yaml", reason="PyYAML not installed: `make test` installs it")
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


def test_compose_has_web_worker_postgres_redis_with_health_checks(compose):
    """compose.yaml parses and runs web, worker, PostgreSQL and Redis, each with a health check."""
    services = compose["services"]
    assert {"web", "worker", "postgres", "redis", "migrate"} <= set(services)
    for name in ("web", "worker", "postgres", "redis"):
        check = services[name].get("healthcheck")
        assert check and check.get("test") and not check.get("disable"), name
    assert "gunicorn" in services["web"]["command"]
    assert services["worker"]["command"] == ["deelkracht", "worker"]
    assert "deelkracht db upgrade" in " ".join(services["migrate"]["command"])


def test_compose_redis_persists_queue_with_append_only_file(compose):
    """Redis keeps its queue on a volume with appendonly yes: a restart loses no queued job."""
    redis = compose["services"]["redis"]
    command = redis["command"]
    words = command if isinstance(command, list) else shlex.split(command)
    assert words[words.index("--appendonly") + 1] == "yes"
    assert any(volume.endswith(":/data") for volume in redis["volumes"])


def test_compose_gives_owner_credentials_to_migrations_only(compose):
    """web and worker connect as the RLS-bound app role; only migrate has the owner's URL."""
    services = compose["services"]
    for name in ("web", "worker"):
        env = services[name]["environment"]
        assert "//deelkracht_app:" in env["DATABASE_URL"], name
        assert "MIGRATE_DATABASE_URL" not in env, name
    migrate = services["migrate"]["environment"]
    assert "//deelkracht_owner:" in migrate["MIGRATE_DATABASE_URL"]
    assert migrate["DEELKRACHT_APP_ROLE"] == "deelkracht_app"
    init = services["postgres"]["volumes"]
    assert any(
        v.startswith("./deploy/postgres-init.sql:/docker-entrypoint-initdb.d/") for v in init
    )


def test_postgres_init_creates_app_role_without_bypassrls_or_ownership():
    """The app role is neither superuser nor BYPASSRLS, and the database belongs to the owner."""
    sql = (ROOT / "deploy" / "postgres-init.sql").read_text()
    app_role = re.search(r"CREATE ROLE deelkracht_app\b([^;]*);", sql)
    assert app_role
    assert "NOBYPASSRLS" in app_role.group(1) and "NOSUPERUSER" in app_role.group(1)
    assert "CREATE DATABASE deelkracht OWNER deelkracht_owner" in sql
    assert "PASSWORD '" not in sql, "passwords come from the environment"


# --- CI and README --------------------------------------------------------------------------


def test_ci_runs_the_readme_test_command():
    """.ci/run is an executable strict bash script running `make test`, the README's command."""
    ci = ROOT / ".ci" / "run"
    assert os.access(ci, os.X_OK)
    text = ci.read_text()
    assert "set -euo pipefail" in text
    assert re.search(r"^make test\b", text, re.MULTILINE)
    readme = (ROOT / "README.md").read_text()
    assert "make test" in readme and "make demo" in readme
    makefile = (ROOT / "Makefile").read_text()
    for target in ("demo", "test", "test-sqlite", "test-postgres", "lint", "bench", "translations"):
        assert re.search(rf"^{re.escape(target)}:", makefile, re.MULTILINE), target


def test_readme_documents_every_environment_variable():
    """Every variable the app, worker or migrations read from the environment is in the README."""
    readme = (ROOT / "README.md").read_text()
    # os.environ.get("X") / os.environ["X"], and app/config.py's _int("X") / _bool("X") helpers.
    pattern = re.compile(
        r"""(?:environ(?:\.get\(|\[)|\b_(?:int|bool)\()\s*["']([A-Z][A-Z0-9_]+)["']"""
    )
    read = set()
    for folder in ("app", "tenants", "worker", "migrations"):
        for path in (ROOT / folder).rglob("*.py"):
            read.update(pattern.findall(path.read_text()))
    assert read, "the scan found the configuration"
    missing = sorted(name for name in read if f"`{name}`" not in readme)
    assert not missing, f"not documented in README.md: {missing}"
