"""Every GET a user can make, and what it answers: the tools of the byte-for-byte tests.

:func:`reachable_gets` walks the app's url_map and fills each URL parameter from existing rows
(and the next few ids, those that an action about to happen will take), so a page about an offer,
a response or a match that does not exist yet is asked for before *and* after it exists.
:func:`snapshot` asks them all as one user; :func:`normalise` takes out what changes by itself
(CSRF tokens and clock times).
"""

from __future__ import annotations

import difflib
import hashlib
import io
import itertools
import re
import zipfile

from sqlalchemy import func, select

from app.accounts.models import User
from app.matches.models import Match
from app.pool.models import Application, CapacityOffer, Job, Notification
from app.workspace.models import ImportBatch
from tenants.models import Department
from tests.ids import api_id

CSRF = re.compile(r"<input[^>]*csrf_token[^>]*>|(csrf_token\W+)[\w.\-]+")
TIMES = re.compile(
    r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?"
    r"|\d{2}-\d{2}-\d{4} \d{2}:\d{2}"
    # app.dates' page style: "2 dec 2026, 18:09" / "Dec 2, 2026, 6:09\u202fPM"
    r"|\d{1,2} \w{3,4}\.? \d{4}, \d{1,2}:\d{2}"
    r"|\w{3} \d{1,2}, \d{4}, \d{1,2}:\d{2}(\s?[AP]M)?"
)
#: Words in a URL argument's name → the table whose ids to try.
ID_SOURCES = (
    ("job", Job),
    ("application", Application),
    ("offer", CapacityOffer),
    ("capacit", CapacityOffer),
    ("notification", Notification),
    ("match", Match),
    ("department", Department),
    ("batch", ImportBatch),
    ("user", User),
)
MAX_URLS_PER_RULE = 40


def normalise(body: str) -> str:
    return TIMES.sub("<time>", CSRF.sub("<csrf>", body))


def _ids(session, model, upcoming: int) -> list[int]:
    existing = list(session.scalars(select(model.id).order_by(model.id)))
    top = session.scalar(select(func.max(model.id))) or 0
    return existing + list(range(top + 1, top + 1 + upcoming))


def _values(rule, session) -> dict[str, list]:
    values = {}
    for name, converter in rule._converters.items():
        kind = type(converter).__name__
        lowered = name.lower()
        if kind in ("IntegerConverter", "IdConverter"):  # app.ids.IdConverter for <int:…>
            source = next((m for word, m in ID_SOURCES if word in lowered), None)
            values[name] = _ids(session, source, 3) if source else [1, 2, 3, 4, 5]
        elif kind == "AnyConverter":
            values[name] = sorted(converter.items)
        elif "slug" in lowered or "organisation" in lowered:
            values[name] = ["ermelo", "harderwijk", "zeewolde", "andere"]
        elif name == "name":
            values[name] = ["deelname", "matrix", "saldo", "x"]
        else:
            values[name] = ["x"]
    return values


def reachable_gets(app, in_arrangement, world, extra: tuple[str, ...] = ()) -> list[str]:
    """Every GET URL of the app, pages and API, with parameters from existing objects and the
    next ids, plus the list pages with their filters (and ``extra``)."""
    urls: list[str] = []
    adapter = app.url_map.bind("deelkracht.test")
    with app.test_request_context(), in_arrangement(world.meer.arrangement) as s:
        jobs = list(s.scalars(select(Job.id).order_by(Job.id)))
        employees = [world.meer.ermelo.emp.id, world.meer.ermelo.emp2.id]
        offers = _ids(s, CapacityOffer, 2)
        applications = _ids(s, Application, 2)
        for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
            if "GET" not in rule.methods or rule.endpoint == "static":
                continue
            values = _values(rule, s)
            names = list(values)
            combos = itertools.islice(
                itertools.product(*(values[n] for n in names)), MAX_URLS_PER_RULE
            )
            for combo in combos:
                urls.append(adapter.build(rule.endpoint, dict(zip(names, combo, strict=True))))
    secret = "geheimschrift"
    lists = [
        f"/krachten?q={secret}",
        f"/krachten?skill={secret}",
        "/krachten?organisation=ermelo",
        "/krachten?reason=development",
        "/krachten?q=emp",
        "/klussen?q=notulist",
        f"/klussen?skill={secret}",
        "/klussen?organisation=ermelo",
        "/klussen/mijn?status=open",
        "/detacheringen?scope=mine",
        "/detacheringen?scope=organisation",
        "/detacheringen?scope=organisation&status=proposed",
        "/detacheringen?scope=all",
        "/rapportages/deelname",
        f"/api/v1/capacities?skill={secret}",
        f"/api/v1/capacities?q={secret}",
        "/api/v1/capacities?organisation=ermelo",
        "/api/v1/capacities?status=withdrawn",
        "/api/v1/capacities?q=emp",
        "/api/v1/applications?status=submitted",
        "/api/v1/jobs?q=notulist",
        f"/api/v1/jobs?skill={secret}",
        "/api/v1/matches?scope=organisation",
        "/api/v1/matches?scope=mine",
        "/api/v1/matches?status=proposed",
        "/api/v1/reports/participation",
        "/api/v1/reports/placements",
    ]
    for application_id in applications:
        lists.append(f"/detacheringen/nieuw?application={api_id('application', application_id)}")
    for job_id in jobs:
        lists.append(f"/api/v1/applications?job={api_id('job', job_id)}")
        for employee_id in employees:
            lists.append(
                f"/detacheringen/nieuw?job={api_id('job', job_id)}"
                f"&employee={api_id('user', employee_id)}"
            )
        for offer_id in offers:
            lists.append(
                f"/detacheringen/nieuw?job={api_id('job', job_id)}"
                f"&capacity={api_id('offer', offer_id)}"
            )
    return urls + lists + list(extra)


def _xlsx_content(data: bytes) -> str:
    """The cells of a workbook (its sheets and strings), without the file's timestamps."""
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        names = sorted(n for n in book.namelist() if n.startswith("xl/") and n.endswith(".xml"))
        return "\n".join(f"{n}:{book.read(n).decode()}" for n in names)


def body_of(response) -> str:
    data = response.get_data()
    if response.mimetype.endswith("spreadsheetml.sheet"):
        return normalise(_xlsx_content(data))
    try:
        return normalise(data.decode())
    except UnicodeDecodeError:
        return f"<{response.mimetype}: sha256 {hashlib.sha256(data).hexdigest()}>"


def snapshot(client, headers: dict, urls: list[str]) -> dict[str, tuple[int, str]]:
    """What each URL answers this user (the web session of ``client``; the API with
    ``headers``), status and normalised body."""
    seen = {}
    for url in urls:
        response = client.get(url, headers=headers if url.startswith("/api/") else None)
        seen[url] = (response.status_code, body_of(response))
    return seen


def changed_urls(before: dict, after: dict) -> list[str]:
    return [url for url in before if before[url] != after[url]]


def differences(before: dict, after: dict, limit: int = 5) -> str:
    changed = changed_urls(before, after)
    out = []
    for url in changed[:limit]:
        (s1, b1), (s2, b2) = before[url], after[url]
        lines = difflib.unified_diff(b1.splitlines(), b2.splitlines(), lineterm="", n=0)
        out.append(f"{url} ({s1}→{s2}):\n" + "\n".join(list(lines)[2:14]))
    return f"{len(changed)} URL(s) differ:\n" + "\n".join(out) if changed else ""
