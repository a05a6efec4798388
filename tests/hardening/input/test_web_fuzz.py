"""Issue 10, acceptance: fuzz the web forms. Every POST form and every URL that takes an id,
as each role (HR, line manager, employee, coordinator, and not logged in), with a NUL byte, a
lone surrogate, a number of 5,000 digits, ids beyond the columns' range and CR/LF: no answer
is 500 or more.

The requests start from what the route × other-arrangement test makes (``tests/*/route_cases*``,
which every URL rule must have) in a world with data in arrangement "meer"; the forms come from
the pages themselves (every ``<form method="post">`` each role is shown, with its fields and
values), so a new form is fuzzed without a change here.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from urllib.parse import quote, urlsplit

import pytest

from tests.route_cases import CASES, CaseContext, Req
from tests.test_routes_cross_arrangement import _load_cases

_load_cases()

#: Text payloads for a form field (sent as UTF-8, percent-encoded).
TEXT_PAYLOADS = {
    "nul": "a\x00b",
    "crlf": "Tuin\r\nBcc: iedereen@evil.example",
    "digits": "9" * 5000,
    # Beyond PostgreSQL's integer (2^31) and SQLite's (2^63) at once.
    "int64": str(2**63),
}
#: A lone surrogate cannot be written as UTF-8; browsers send it as these bytes (CESU-8).
SURROGATE_BYTES = "%ED%A0%80"
HUGE_IDS = [str(2**63), "9" * 5000]
#: JSON payloads, as raw JSON text for one field's value.
JSON_PAYLOADS = ['"a\\u0000b"', '"\\ud800"', "9" * 5000, str(2**63), '"a\\r\\nb"']


class _Forms(HTMLParser):
    """The POST forms of a page: action and fields (name → value a browser would send)."""

    def __init__(self):
        super().__init__()
        self.forms: list[tuple[str, dict[str, str]]] = []
        self._current: dict | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "get").lower() == "post":
            self._current = {"action": a.get("action") or "", "fields": {}}
        elif self._current is None:
            return
        elif tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in a:
                self._current["fields"].setdefault(a["name"], a.get("value") or "")
            elif kind not in ("submit", "button", "file"):
                self._current["fields"][a["name"]] = a.get("value") or ""
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
            self._current["fields"].setdefault(a["name"], "")
        elif tag == "option" and self._select:
            fields = self._current["fields"]
            if not fields.get(self._select) or "selected" in a:
                fields[self._select] = a.get("value") or ""
        elif tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            self._current["fields"][a["name"]] = ""

    def handle_data(self, data):
        if self._current is not None and self._textarea:
            self._current["fields"][self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form" and self._current is not None:
            self.forms.append((self._current["action"], self._current["fields"]))
            self._current = None


def _forms_on(page: str, page_url: str) -> list[tuple[str, dict[str, str]]]:
    parser = _Forms()
    parser.feed(page)
    path = urlsplit(page_url).path
    return [(action or path, fields) for action, fields in parser.forms]


def _shape(url: str) -> str:
    """A URL with its ids as ``N``: one form or request per kind of object is enough."""
    return re.sub(r"\d+", "N", url.split("?")[0])


#: A list field's further entries (``skills-1`` …) take the same path as its first.
LATER_ENTRY = re.compile(r"-[1-9]\d*$")


def _encode(fields: dict[str, str], raw: dict[str, str] | None = None) -> str:
    parts = [f"{quote(k)}={quote(v)}" for k, v in fields.items() if k not in (raw or {})]
    parts += [f"{quote(k)}={v}" for k, v in (raw or {}).items()]
    return "&".join(parts)


def _with_huge_ids(url: str) -> list[str]:
    path, _, query = url.partition("?")
    segments = path.split("/")
    out = []
    for index, segment in enumerate(segments):
        if segment.isdigit():
            for huge in HUGE_IDS:
                changed = segments.copy()
                changed[index] = huge
                out.append("/".join(changed) + (f"?{query}" if query else ""))
    for name, value in re.findall(r"([a-z_]+)=(\d+)", query):
        for huge in HUGE_IDS:
            out.append(url.replace(f"{name}={value}", f"{name}={huge}"))
    return out


class Fuzzer:
    def __init__(self, app):
        self.app = app
        self.count = 0
        self.failures: list[str] = []

    def send(self, client, method, url, who, **kwargs):
        response = client.open(url, method=method, **kwargs)
        self.count += 1
        if response.status_code >= 500:
            body = kwargs.get("data") or kwargs.get("json") or ""
            self.failures.append(
                f"{who} {method} {url[:120]} {str(body)[:160]!r} -> {response.status_code}"
            )
        return response

    def form(self, client, who, action, fields):
        """Each field in turn gets each payload; the others keep what the page filled in."""
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        for name in fields:
            if name == "csrf_token" or LATER_ENTRY.search(name):
                continue
            for payload in TEXT_PAYLOADS.values():
                body = _encode({**fields, name: payload})
                self.send(client, "POST", action, who, data=body, headers=headers)
            body = _encode(fields, raw={name: SURROGATE_BYTES})
            self.send(client, "POST", action, who, data=body, headers=headers)

    def api(self, client, who, req: Req, headers):
        body = req.json if isinstance(req.json, dict) else {}
        for name in body or {"reason": ""}:
            for payload in JSON_PAYLOADS:
                text = json.dumps({**body, name: "__FUZZ__"}).replace('"__FUZZ__"', payload)
                self.send(
                    client,
                    req.method,
                    req.url,
                    who,
                    data=text,
                    headers={**headers, "Content-Type": "application/json"},
                )


def _requests(ctx) -> list[Req]:
    """Every route case's requests, each builder called once (one builder may serve several
    endpoints, and it makes its rows, some of them unique, each time it is called)."""
    reqs: list[Req] = []
    built = set()
    for endpoint in sorted(CASES):
        if CASES[endpoint] in built:
            continue
        built.add(CASES[endpoint])
        reqs += CASES[endpoint](ctx)
    return reqs


def _pages_without_ids(app) -> list[str]:
    """GET pages with no URL arguments (the start pages, lists, forms for new things)."""
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" in rule.methods and not rule.arguments and not rule.rule.startswith("/static"):
            urls.append(rule.rule)
    return sorted(set(urls))


@pytest.mark.sqlite
def test_no_form_or_id_url_answers_500_to_odd_input(app, world, in_arrangement, login, api_token):
    """As HR, line manager, employee and coordinator of "meer" and as nobody: every POST form on
    every page they can open, every route-case request with its ids replaced by 2^31, 2^63 and
    5,000 digits, every JSON body with each field set to a NUL, a lone surrogate, 5,000 digits,
    out-of-range numbers and CR/LF. Not one answer of 500 or more."""
    meer = world.meer
    ctx = CaseContext(app=app, world=world, in_arrangement=in_arrangement)
    reqs = _requests(ctx)
    fuzzer = Fuzzer(app)
    roles = {
        "lead": meer.ermelo.lead,
        "employee": meer.harderwijk.emp,
        "coordinator": meer.coordinator,
        "hr": meer.ermelo.hr,  # late: HR's forms deactivate and erase staff
        "nobody": None,
    }
    # The API: each JSON body's fields, and every id URL, with a coordinator's and HR's token.
    for who in ("hr", "coordinator"):
        headers = api_token(roles[who])
        client = app.test_client()
        seen = set()
        for req in reqs:
            if req.auth != "api" or (req.method, _shape(req.url)) in seen:
                continue
            seen.add((req.method, _shape(req.url)))
            if req.method in ("POST", "PATCH", "PUT"):
                fuzzer.api(client, who, req, headers)
            for url in _with_huge_ids(req.url):
                fuzzer.send(client, req.method, url, who, json=req.json, headers=headers)
    shapes: dict[str, str] = {}
    for r in reqs:
        if r.method == "GET" and r.auth == "web":
            shapes.setdefault(_shape(r.url) + "?" * ("?" in r.url), r.url)
    page_urls = _pages_without_ids(app) + sorted(shapes.values())
    for who, user in roles.items():
        client = app.test_client()
        if user is not None:
            login(client, user)
        # Every POST form the role is shown, fuzzed field by field.
        seen_forms, seen_urls = set(), set()
        for url in page_urls:
            if url.startswith("/api/"):
                continue
            page = client.get(url)
            if page.status_code != 200 or page.mimetype != "text/html":
                continue
            for action, fields in _forms_on(page.get_data(as_text=True), url):
                key = (_shape(action), tuple(sorted(fields)))
                if action.endswith("/logout") or key in seen_forms:
                    continue
                seen_forms.add(key)
                fuzzer.form(client, who, action, fields)
        # The route cases' own form posts (for forms the role is not shown), and every id URL.
        for req in reqs:
            if req.auth == "web" and req.method == "POST" and req.data:
                key = (_shape(req.url), tuple(sorted(req.data)))
                if key not in seen_forms:
                    seen_forms.add(key)
                    fuzzer.form(client, who, req.url, {k: str(v) for k, v in req.data.items()})
            if req.auth == "web" and (req.method, _shape(req.url)) not in seen_urls:
                seen_urls.add((req.method, _shape(req.url)))
                for url in _with_huge_ids(req.url):
                    fuzzer.send(client, req.method, url, who, data=req.data or {})
    print(f"web fuzz: {fuzzer.count} requests, {len(fuzzer.failures)} answers >= 500")
    assert fuzzer.count >= 1500
    assert fuzzer.failures == []
