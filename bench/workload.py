"""The reference search workload (BASELINE.md section 3) and logging in through an HTML form."""

from __future__ import annotations

import http.client
import http.cookiejar
import random
import re
import sqlite3
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable

from bench.base import BenchError, reference_sqlite_path
from bench.prepare import _pg_connect_perf, load_reference_common
from bench.server import _NoRedirect

# --------------------------------------------------------------------------------------------
# Reference search (BASELINE.md section 3) and login helper
# --------------------------------------------------------------------------------------------


def search_queries(n: int = 100, seed: int = 7) -> list[str]:
    """Typical 2-word job searches: a job-title word plus a description word (deterministic)."""
    common = load_reference_common()
    titles = [w for w in common.TITLE_WORDS if w.isalpha()]
    # skip the ~30 function words at the head of the Zipf list; keep content words
    words = [w for w in common.DESC_WORDS[30:] if w.isalpha()]
    rng = random.Random(seed)
    return [f"{rng.choice(titles)} {rng.choice(words)}" for _ in range(n)]


def reference_search_factory(backend: str) -> Callable[[], Callable[[str], object]]:
    """The bare full-text query of BASELINE.md section 3, top-25 by rank, raw driver.

    SQLite: FTS5 MATCH, ORDER BY bm25. PostgreSQL: plainto_tsquery('dutch') on the stored
    tsvector with its GIN index, ORDER BY ts_rank. Both return (id, title) of 25 jobs.
    """

    def sqlite_factory():
        con = sqlite3.connect(f"file:{reference_sqlite_path()}?mode=ro", uri=True)
        sql = (
            "SELECT j.id, j.title FROM jobs_fts JOIN jobs j ON j.id = jobs_fts.rowid "
            "WHERE jobs_fts MATCH ? ORDER BY bm25(jobs_fts) LIMIT 25"
        )

        def search(q: str):
            match = " ".join('"' + w.replace('"', '""') + '"' for w in q.split())
            return con.execute(sql, (match,)).fetchall()

        return search

    def pg_factory():
        con = _pg_connect_perf()
        sql = (
            "SELECT id, title FROM jobs, plainto_tsquery('dutch', %s) q "
            "WHERE tsv @@ q ORDER BY ts_rank(tsv, q) DESC LIMIT 25"
        )

        def search(q: str):
            return con.execute(sql, (q,), prepare=True).fetchall()

        return search

    return {"sqlite": sqlite_factory, "postgresql": pg_factory}[backend]


def form_login(
    base_url: str,
    login_path: str,
    fields: dict[str, str],
    *,
    csrf_field: str | None = "csrf_token",
    expect_redirect: bool = True,
) -> str:
    """Log in through an HTML form and return the Cookie header value for wrk.

    GETs login_path, copies a hidden CSRF field (Flask-WTF's csrf_token) if present, POSTs
    `fields`, and returns all cookies set as "name=value; name2=value2". Raises BenchError if
    the POST does not redirect (the usual sign of a failed login) when expect_redirect is set.
    """
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect)
    url = base_url + login_path
    try:
        with opener.open(url, timeout=10) as resp:
            html = resp.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        raise BenchError(f"GET {login_path}: HTTP {exc.code}") from exc
    data = dict(fields)
    if csrf_field:
        m = re.search(
            rf'name="{re.escape(csrf_field)}"[^>]*value="([^"]*)"'
            rf'|value="([^"]*)"[^>]*name="{re.escape(csrf_field)}"',
            html,
        )
        if m:
            data[csrf_field] = m.group(1) or m.group(2)
    req = urllib.request.Request(url, data=urllib.parse.urlencode(data).encode(), method="POST")
    req.add_header("Content-Type", "application/x-www-form-urlencoded")
    try:
        with opener.open(req, timeout=10) as resp:
            status = resp.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    if expect_redirect and status not in (301, 302, 303, 307, 308):
        raise BenchError(f"login at {login_path} failed: HTTP {status} (expected a redirect)")
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    if not cookie:
        raise BenchError(f"login at {login_path} set no cookie")
    return cookie
