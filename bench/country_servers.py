"""The two servers of the country-scale benchmark: the bare reference over its twin of the
country data, and Deelkracht as production runs it (the application role), each with its
in-process search and its login."""

from __future__ import annotations

from bench import country_data, harness
from bench.harness import OURS_CONFIG, Page, SearchBench, ServerSpec


def reference_spec(database: str) -> ServerSpec:
    """jobs_app.py's /jobs page over the reference twin of the country data, driven by the
    reference's own jobs_random.lua (3 random organisations of 1-50, status open, page 1-4)."""
    url = country_data.ref_url(database)

    def factory():
        import psycopg

        con = psycopg.connect(country_data.ref_dsn(database), autocommit=True)
        sql = (
            "SELECT id, title FROM jobs, plainto_tsquery('dutch', %s) q "
            "WHERE tsv @@ q ORDER BY ts_rank(tsv, q) DESC LIMIT 25"
        )
        return lambda q: con.execute(sql, (q,), prepare=True).fetchall()

    return ServerSpec(
        name="reference-country",
        app="jobs_app:app",
        chdir=harness.REFERENCE_DIR,
        env={"DB_URL": url, "PERFBASE": str(harness.perfbase())},
        pages={
            "jobs": Page(
                paths=["/jobs?orgs=1,2,3&status=open&page=1"],
                lua=harness.REFERENCE_DIR / "jobs_random.lua",
                lua_env={"PATH_PREFIX": "/jobs", "EXTRA": ""},
            )
        },
        ready_path="/jobs?orgs=1&status=open&page=1",
        search=SearchBench(factory=factory, queries=harness.search_queries()),
    )


def _login(email: str):
    def login(base_url: str) -> str:
        return harness.form_login(
            base_url, "/login", {"email": email, "password": country_data.PASSWORD}
        )

    return login


def ours_spec(database: str, meta: dict) -> ServerSpec:
    from bench import ours_jobs

    employee = meta["accounts"]["employee"]
    queries = harness.search_queries()
    env = country_data.server_env(database)

    def factory():
        from app import create_app
        from app.accounts.models import User
        from app.extensions import db
        from app.pool.search import Filters, search_jobs
        from tenants.context import set_arrangement

        app = create_app()
        app.app_context().push()  # kept for the process, like a gunicorn worker's
        set_arrangement(1)
        user = db.session.scalar(db.select(User).where(User.email == employee))
        db.session.expunge(user)
        db.session.rollback()

        def run(q: str):
            set_arrangement(1)
            try:
                return search_jobs(user, q, Filters(), 1)
            finally:
                db.session.rollback()

        return run

    return ServerSpec(
        name="ours-country",
        app="app:create_app()",
        config=OURS_CONFIG,
        chdir=harness.REPO_ROOT,
        env=env,
        login=_login(employee),
        ready_path="/healthz",
        pages={
            "jobs": Page(paths=ours_jobs.list_paths()),
            "search": Page(paths=ours_jobs.search_paths(queries)),
        },
        search=SearchBench(factory=factory, queries=queries),
    )
