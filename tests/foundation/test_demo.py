"""`deelkracht demo`: exactly the demo of CONTRACT.md, idempotently, and every login works.

Runs the real console script twice against a fresh embedded SQLite database (DEELKRACHT_INSTANCE
in a temporary folder, no DATABASE_URL), then logs every demo user in through the login form of
an app over that database.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from html import unescape
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEELKRACHT = Path(sys.executable).with_name("deelkracht")
PASSWORD = "demo-wachtwoord"
PORT = 5123  # not the default: the demo's e-mails and banner must name the port served

ARRANGEMENTS = {
    "meerinzicht": ("ermelo", "harderwijk", "zeewolde"),
    "dewolden-hoogeveen": ("de-wolden", "hoogeveen"),
}
ORGS = [org for orgs in ARRANGEMENTS.values() for org in orgs]


def _expected_users() -> set[tuple[str, str, tuple[str, ...]]]:
    users = set()
    for arrangement, orgs in ARRANGEMENTS.items():
        for org in orgs:
            users |= {
                (f"hr@{org}.example", org, ("employee", "hr")),
                (f"teamleider@{org}.example", org, ("employee", "line_manager")),
                (f"medewerker@{org}.example", org, ("employee",)),
                (f"medewerker2@{org}.example", org, ("employee",)),
            }
        users.add((f"coordinator@{arrangement}.example", orgs[0], ("coordinator", "employee")))
    return users


def _run_demo(instance: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update({"DEELKRACHT_INSTANCE": str(instance), "PYTHONPATH": str(ROOT), "LOG_LEVEL": "INFO"})
    env.pop("MIGRATE_DATABASE_URL", None)
    # One stream, in the order written: the banner must come last.
    return subprocess.run(
        [str(DEELKRACHT), "demo", "--no-serve", "--port", str(PORT)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=300,
        cwd=instance,
    )


def _snapshot(db_path: Path) -> dict:
    """Users (email, organisation, roles), organisations and departments, read directly."""
    con = sqlite3.connect(db_path)
    try:
        managers = {row[0] for row in con.execute("SELECT user_id FROM department_managers")}
        users = set()
        ids = {}
        for uid, email, org, is_hr, is_coordinator, dept in con.execute(
            "SELECT u.id, u.email, o.slug, u.is_hr, u.is_coordinator, d.slug FROM users u "
            "JOIN organisations o ON o.id = u.organisation_id "
            "LEFT JOIN departments d ON d.id = u.department_id"
        ):
            roles = {"employee"}
            roles |= {"hr"} if is_hr else set()
            roles |= {"coordinator"} if is_coordinator else set()
            roles |= {"line_manager"} if uid in managers else set()
            users.add((email, org, tuple(sorted(roles))))
            ids[email] = (uid, dept)
        return {
            "users": users,
            "user_ids": ids,
            "organisations": {
                row
                for row in con.execute(
                    "SELECT o.id, o.slug, a.slug FROM organisations o "
                    "JOIN arrangements a ON a.id = o.arrangement_id"
                )
            },
            "arrangements": {row for row in con.execute("SELECT id, slug FROM arrangements")},
            "departments": {row for row in con.execute("SELECT id, slug FROM departments")},
            "counts": {
                table: con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                for table in ("users", "organisations", "departments", "department_managers")
            },
            "content": _content(con),
        }
    finally:
        con.close()


CONTENT_TABLES = ("jobs", "capacity_offers", "applications", "matches", "agreements")


def _content(con) -> dict:
    """(arrangement slug, status) → count, for each table of demo content."""
    return {
        table: {
            (arrangement, status): n
            for arrangement, status, n in con.execute(
                f"SELECT a.slug, t.status, count(*) FROM {table} t "
                "JOIN arrangements a ON a.id = t.arrangement_id GROUP BY a.slug, t.status"
            )
        }
        for table in CONTENT_TABLES
    }


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo set up twice in a row in one fresh instance folder."""
    instance = tmp_path_factory.mktemp("demo-instance")
    snapshots = []
    outputs = []
    for _ in range(2):
        started = time.perf_counter()
        result = _run_demo(instance)
        print(f"deelkracht demo: {time.perf_counter() - started:.1f} s")
        assert result.returncode == 0, result.stdout
        assert "demo-wachtwoord" in result.stdout
        snapshots.append(_snapshot(instance / "deelkracht.db"))
        outputs.append(result.stdout)
    DEMO_OUTPUTS[:] = outputs
    return instance, snapshots


DEMO_OUTPUTS: list[str] = []


def test_demo_twice_gives_the_same_users_and_organisations(demo):
    """Running the demo again changes nothing: same users (email, organisation, roles), same
    organisations, departments and ids, no duplicates."""
    _, (first, second) = demo
    assert first == second


def test_demo_has_exactly_the_contracts_arrangements_organisations_and_users(demo):
    """The arrangements, organisations and users (with their roles) of CONTRACT.md."""
    _, (snapshot, _) = demo
    assert {slug for _, slug in snapshot["arrangements"]} == set(ARRANGEMENTS)
    assert {(org, arr) for _, org, arr in snapshot["organisations"]} == {
        (org, arr) for arr, orgs in ARRANGEMENTS.items() for org in orgs
    }
    assert snapshot["users"] == _expected_users()


def test_the_line_manager_manages_the_department_of_the_two_employees(demo):
    """teamleider@ORG manages the department that medewerker@ORG and medewerker2@ORG are in."""
    instance, (snapshot, _) = demo
    con = sqlite3.connect(instance / "deelkracht.db")
    try:
        for org in ORGS:
            lead_id = snapshot["user_ids"][f"teamleider@{org}.example"][0]
            managed = {
                row[0]
                for row in con.execute(
                    "SELECT d.slug FROM department_managers m "
                    "JOIN departments d ON d.id = m.department_id WHERE m.user_id = ?",
                    (lead_id,),
                )
            }
            for emp in ("medewerker", "medewerker2"):
                assert snapshot["user_ids"][f"{emp}@{org}.example"][1] in managed
    finally:
        con.close()


def _role_sentence(email: str) -> str:
    if email.startswith("hr@"):
        return "Je bent P&O-adviseur van"
    if email.startswith("coordinator@"):
        return "Je bent coördinator van"
    if email.startswith("teamleider@"):
        return "Je bent leidinggevende van"
    return "Als medewerker reageer je op klussen"


def test_every_demo_login_works_and_lands_on_a_page_for_the_role(demo):
    """Every demo user logs in with the demo password through the form, lands on /start, and the
    page greets them and says what their role does there."""
    from app import create_app
    from app.extensions import db

    instance, (snapshot, _) = demo
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance / 'deelkracht.db'}",
            "WTF_CSRF_ENABLED": False,
            "REDIS_URL": None,
            "MAIL_BACKEND": "locmem",
        }
    )
    try:
        emails = sorted(email for email, _, _ in snapshot["users"])
        assert len(emails) == 5 * 4 + 2
        for email in emails:
            client = app.test_client()
            response = client.post("/login", data={"email": email, "password": PASSWORD})
            assert response.status_code == 302, (email, response.status_code)
            assert response.headers["Location"].endswith("/start"), email
            page = client.get("/start")
            assert page.status_code == 200, email
            html = unescape(page.get_data(as_text=True))
            assert "Welkom," in html
            assert _role_sentence(email) in html, email
            if email.startswith("hr@"):
                assert "Medewerker uitnodigen" in html
            else:
                assert "Medewerker uitnodigen" not in html
    finally:
        with app.app_context():
            db.engine.dispose()


def test_a_wrong_password_for_a_demo_user_is_refused(demo):
    """The demo is not open: a wrong password does not log in."""
    from app import create_app
    from app.extensions import db

    instance, _ = demo
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance / 'deelkracht.db'}",
            "WTF_CSRF_ENABLED": False,
            "REDIS_URL": None,
        }
    )
    try:
        response = app.test_client().post(
            "/login", data={"email": "hr@ermelo.example", "password": "fout"}
        )
        assert response.status_code == 401
    finally:
        with app.app_context():
            db.engine.dispose()


def test_the_demo_has_content_in_every_state_in_every_arrangement(demo):
    """Per arrangement: at least 30 jobs (open, draft, closed, expired, filled; arrangement-wide
    and organisation-only), offers open and withdrawn, responses in every state, matches in
    every state with their agreements rendered (in-process), the same after a second run."""
    instance, (snapshot, again) = demo
    assert snapshot["content"] == again["content"]
    content = snapshot["content"]
    for arrangement in ARRANGEMENTS:

        def states(table, arrangement=arrangement):
            return {s: n for (a, s), n in content[table].items() if a == arrangement}

        assert sum(states("jobs").values()) >= 30, arrangement
        assert set(states("jobs")) == {"open", "draft", "closed", "expired", "filled"}
        assert set(states("capacity_offers")) == {"open", "withdrawn"}
        assert set(states("applications")) == {
            "submitted",
            "in_conversation",
            "declined",
            "withdrawn",
            "matched",
        }
        assert set(states("matches")) == {
            "proposed",
            "agreed",
            "declined",
            "withdrawn",
            "active",
            "completed",
            "ended",
        }, arrangement
        placed = sum(states("matches")[s] for s in ("agreed", "active", "completed", "ended"))
        assert states("agreements") == {"ready": placed}
    con = sqlite3.connect(instance / "deelkracht.db")
    try:
        titles = {row[0] for row in con.execute("SELECT job_title FROM users")}
        job_titles = [row[0] for row in con.execute("SELECT title FROM jobs")]
        per_org = con.execute(
            "SELECT o.slug, j.visibility, count(*) FROM jobs j "
            "JOIN organisations o ON o.id = j.organisation_id GROUP BY o.slug, j.visibility"
        ).fetchall()
        departments = con.execute("SELECT count(DISTINCT department_id) FROM jobs").fetchone()
        types = con.execute(
            "SELECT o.slug, j.type FROM jobs j JOIN organisations o ON o.id = j.organisation_id "
            "WHERE j.status = 'open'"
        ).fetchall()
    finally:
        con.close()
    assert "Medewerker zwembad" in titles and len(titles) >= 12  # not everyone at the pool
    assert len(set(job_titles)) >= 30  # not the same few jobs everywhere
    assert {(org, vis) for org, vis, _ in per_org} == {
        (org, vis) for org in ORGS for vis in ("arrangement", "organisation")
    }
    assert departments[0] == 2 * len(ORGS)
    # Every organisation has an open job of each kind of exchange besides plain klussen.
    assert set(types) >= {
        (org, kind) for org in ORGS for kind in ("klus", "meeloopdag", "mentoring", "functieruil")
    }


def test_the_demo_log_is_short_and_ends_with_the_banner(demo):
    """No fontTools or WeasyPrint lines, no migration chatter, no e-mail bodies of the demo
    content: the log ends with the banner, which names the port given."""
    for output in DEMO_OUTPUTS:
        lines = output.strip().splitlines()
        assert not [line for line in lines if "fontTools" in line or "weasyprint" in line]
        banner = next(i for i, line in enumerate(lines) if line.startswith("Demo ready:"))
        assert lines[banner].startswith(f"Demo ready: http://127.0.0.1:{PORT} ")
        assert lines[-1].startswith("  per ORG: hr@ORG.example")
        assert all(line.startswith("  ") for line in lines[banner + 1 :])
        assert len(output) < 3000, output[:3000]
    assert "e-mails of the demo content were sent" in DEMO_OUTPUTS[0]
