"""Our side of bench/job_pages.py: Deelkracht's job list and search pages over the data of
bench/gen_ours.py (100,000 jobs in 40 organisations), logged in as an employee.

- list: ``/klussen?page=N`` (N 1-4, like the reference's pages 1-4), the employee's visible open
  jobs newest first;
- search: ``/klussen?q=<two words>`` with the reference's typical two-word queries
  (harness.search_queries: a job-title word and a description word);
- in-process search: app.pool.search.search_jobs for the same queries, as the page calls it,
  one transaction per call (as one request), on an app context like a gunicorn worker's.
"""

from __future__ import annotations

import random
import urllib.parse

from bench import gen_ours, harness
from bench.harness import OURS_CONFIG, Page, SearchBench, ServerSpec


def list_paths(n: int = 200, seed: int = 12345) -> list[str]:
    rng = random.Random(seed)
    return [f"/klussen?page={rng.randint(1, 4)}" for _ in range(n)]


def search_paths(queries: list[str]) -> list[str]:
    return ["/klussen?" + urllib.parse.urlencode({"q": q}) for q in queries]


def _login(base_url: str) -> str:
    return harness.form_login(
        base_url, "/login", {"email": gen_ours.EMPLOYEE, "password": gen_ours.PASSWORD}
    )


def search_factory(backend: str):
    """fn(query) running our search as the search page does (same user, same call)."""

    def factory():
        from app import create_app
        from app.accounts.models import User
        from app.extensions import db
        from app.pool.search import Filters, search_jobs
        from tenants.context import set_arrangement

        app = create_app()
        context = app.app_context()
        context.push()  # kept for the process, like a gunicorn worker's app
        set_arrangement(1)
        user = db.session.scalar(db.select(User).where(User.email == gen_ours.EMPLOYEE))
        db.session.expunge(user)  # a detached, loaded user, as Flask-Login keeps one
        db.session.rollback()

        def run(q: str):
            set_arrangement(1)
            try:
                return search_jobs(user, q, Filters(), 1)
            finally:
                db.session.rollback()  # one transaction per call, as per request

        return run

    return factory


def server_spec(backend: str) -> ServerSpec:
    queries = harness.search_queries()
    return ServerSpec(
        name=f"ours-{backend}",
        app="app:create_app()",
        config=OURS_CONFIG,
        chdir=harness.REPO_ROOT,
        env=gen_ours.server_env(backend),
        prepare=lambda: gen_ours.ensure(backend),
        login=_login,
        ready_path="/healthz",
        pages={"jobs": Page(paths=list_paths()), "search": Page(paths=search_paths(queries))},
        search=SearchBench(factory=search_factory(backend), queries=queries),
    )
