"""The suite's root: which tests run on which backend, in which order under pytest-xdist, and
the skips for missing servers. The fixtures are plugins in tests/fixtures/ (below); the plain
helpers they use are in tests/support/.

Backend: ``DEELKRACHT_TEST_BACKEND=sqlite`` (default) or ``postgresql``. On PostgreSQL the app
connects as ``deelkracht_app`` (no owner, no BYPASSRLS) so row-level security applies, while the
schema is created and cleaned with the owner's connection. Tests marked ``postgres`` or ``redis``
skip, saying why, when those servers are absent, and tests marked ``browser`` when Debian's
Chromium is absent, except under CI, where they fail.
"""

from __future__ import annotations

import os

import pytest

# Test modules import the helpers from tests.support; those marked "re-exported" stay
# importable from here, for code written against the one conftest.py of before.
from tests.support.databases import (  # noqa: F401  re-exported
    create_pg_database,
    drop_pg_database,
    pg_url,
)
from tests.support.environment import (  # noqa: F401  (some only re-exported)
    APP_ROLE,
    BACKEND,
    CHROMIUM_MISSING,
    CHROMIUM_PATH,
    FAST_HASH,
    IN_CI,
    PG_ADMIN_URL,
    PG_MISSING,
    REDIS_MISSING,
    REDIS_TEST_URL,
    REQUIREMENTS,
    SUFFIX,
)
from tests.support.world import PASSWORD  # noqa: F401  re-exported

# The fixtures: the app over a test database (tests/fixtures/app.py) and the arrangement world
# (tests/fixtures/world.py), with the same names and scopes as when they were defined here.
pytest_plugins = ("tests.fixtures.app", "tests.fixtures.world")


# --- which tests run on which backend -------------------------------------------------------
# PostgreSQL is production (row-level security, the `dutch` search configuration): every test
# runs there. On SQLite, the embedded default of the demo and a small pilot, the tests of what
# depends on the dialect run as well: full-text search (FTS5), the schema and its migrations, the
# demo, the arrangement scoping (on SQLite it is the only wall, there is no RLS behind it), the
# route x other-arrangement test, the privacy rule tables, locking under concurrency and the
# in-process outbox. DEELKRACHT_TEST_ALL=1 runs the whole suite on SQLite too.
SQLITE_TOO = (
    "tests/test_routes_cross_arrangement.py",
    "tests/test_smoke.py",
    "tests/foundation/test_demo.py",
    "tests/foundation/test_demo_serves.py",
    "tests/foundation/test_migrations.py",
    "tests/foundation/test_tenancy_scoping.py",
    "tests/foundation/test_outbox.py",
    "tests/pool/test_search.py",
    "tests/pool/test_jobs_pages.py",
    "tests/pool/test_jobs_for_you.py",
    "tests/pool/test_skills.py",
    "tests/pool/test_privacy_rules.py",
    "tests/pool/test_privacy_rules_reintegration.py",
    "tests/pool/test_privacy_rules_situations.py",
    "tests/matches/test_concurrency.py",
    "tests/matches/test_suggestions.py",
)
RUN_ALL_ON_SQLITE = os.environ.get("DEELKRACHT_TEST_ALL", "").lower() in {"1", "true", "yes"}
# Tests that never touch the test database: they run `deelkracht demo` in a subprocess over an
# embedded SQLite database of their own, whatever the backend. They run in the SQLite run only
# (`make test` runs both; DEELKRACHT_TEST_ALL=1 runs them on PostgreSQL too): the PostgreSQL run
# would repeat exactly the same thing.
SQLITE_ONLY = (
    "tests/foundation/test_demo.py",
    "tests/foundation/test_demo_serves.py",
)
# The modules that take longest (seconds of one process on PostgreSQL, roughly in this order).
# pytest-xdist's --dist loadfile hands out whole modules in collection order
# (--no-loadscope-reorder, scripts/run_tests.sh): the longest first, so that no process starts
# a long module when the other is almost done; then the rest, most tests first (xdist's own
# order).
SLOW_FIRST = (
    # measured on PostgreSQL under load, one process's seconds: 617, 393, 379, 294, 215, 206
    "tests/privacy_audit/test_line_manager_snapshot.py",
    "tests/browser/test_crawl.py",
    "tests/browser/test_crawl_dewolden_hoogeveen.py",
    "tests/deploy/test_processes.py",
    "tests/privacy_audit/test_others_snapshot.py",
    "tests/privacy_audit/test_readable_pages.py",
    # 196, 149, 139, 116, 112, then 40-85 (the privacy rule and policy tables: 149, 84 and 72 s
    # in a run of their own; the privacy rules were one module of 246 s before issue 9's split)
    "tests/foundation/test_migrations.py",
    "tests/pool/test_privacy_rules.py",
    "tests/api/test_schemathesis.py",
    "tests/deploy/test_metrics.py",
    "tests/hardening/accounts/test_proposal_migration.py",
    "tests/policy/test_policy_table.py",
    "tests/pool/test_privacy_rules_reintegration.py",
    "tests/scim/test_privacy_provisioned.py",
    "tests/test_routes_cross_arrangement.py",
    "tests/foundation/test_rls.py",
    "tests/reports/test_browser.py",
    "tests/privacy_audit/test_match_leaks.py",
    "tests/deploy/test_scale_out.py",
    "tests/matches/test_flow_api.py",
    "tests/browser/test_journey.py",
)


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "sqlite: also runs on SQLite (the dialect matters); see SQLITE_TOO"
    )


def pytest_collection_modifyitems(config, items):
    """On SQLite keep the tests in SQLITE_TOO and those marked ``sqlite``; the rest run on
    PostgreSQL only (listed as deselected in pytest's summary)."""
    if BACKEND == "sqlite" and not RUN_ALL_ON_SQLITE:
        kept, dropped = [], []
        for item in items:
            path = item.nodeid.split("::", 1)[0]
            if item.get_closest_marker("sqlite") or path.startswith(SQLITE_TOO):
                kept.append(item)
            else:
                dropped.append(item)
        if dropped:
            config.hook.pytest_deselected(items=dropped)
            items[:] = kept
    elif BACKEND != "sqlite" and not RUN_ALL_ON_SQLITE:
        dropped = [item for item in items if item.nodeid.startswith(SQLITE_ONLY)]
        if dropped:
            config.hook.pytest_deselected(items=dropped)
            items[:] = [item for item in items if not item.nodeid.startswith(SQLITE_ONLY)]
    if os.environ.get("PYTEST_XDIST_WORKER"):
        _slowest_modules_first(items)


def _slowest_modules_first(items) -> None:
    """The modules of SLOW_FIRST first, in that order, then the others by number of tests
    (most first); a module's tests stay together and in their order (a stable sort)."""
    from collections import Counter

    def module(item) -> str:
        return item.nodeid.split("::", 1)[0]

    sizes = Counter(module(item) for item in items)
    rank = {path: i for i, path in enumerate(SLOW_FIRST)}
    items.sort(key=lambda item: (rank.get(module(item), len(rank)), -sizes[module(item)]))


def pytest_runtest_setup(item):
    """A test marked with a missing server skips, saying why; under CI it fails instead.
    (Checked at setup: a ``usefixtures`` mark added after collection would never run, and an
    xfail that does not run passes the run.)"""
    for marker, missing in REQUIREMENTS:
        if item.get_closest_marker(marker) and missing:
            if IN_CI:
                pytest.fail(f"required under CI: {missing}", pytrace=False)
            pytest.skip(missing)


def pytest_report_header(config):
    return [
        f"deelkracht backend: {BACKEND}",
        f"postgresql: {PG_MISSING if PG_MISSING else 'available'}",
        f"redis: {REDIS_MISSING if REDIS_MISSING else 'available'}",
        f"chromium: {CHROMIUM_MISSING if CHROMIUM_MISSING else CHROMIUM_PATH}",
    ]
