"""The agreement context: checked, completed and made ready for the Jinja templates.

`prepare(context)` validates the caller's dict (see ``app.matches.pdf`` for the keys), fills in
the defaults, renders the job description's Markdown through the project's sanitiser and turns
the logo into a data: URI; it never mutates the caller's dict. `jinja_template()` gives the
default template or an organisation's own one compiled in an immutable sandbox.
"""

from __future__ import annotations

import base64
import functools
import logging
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

from app.matches.flags import as_decimal, charges_fee
from app.matches.pdf.assets import AGREEMENT_DIR
from app.matches.pdf.formatting import DEFAULT_TIMEZONE, FILTERS
from app.pool import markdown

log = logging.getLogger(__name__)

MAX_LOGO_BYTES = 512 * 1024
PARTY_LABELS = {
    "lending": "Uitlenende organisatie",
    "borrowing": "Inlenende organisatie",
    "employee": "Medewerker",
    "counterpart": "Ruilpartner",
}
DECISION_LABELS = {"approve": "Akkoord", "decline": "Afgewezen", None: "Nog geen besluit"}
INVOICING_PERIODS = {"month": "per maand", "quarter": "per kwartaal", "year": "per jaar"}


# --- Jinja ---------------------------------------------------------------------------------------


@functools.cache
def _default_env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(AGREEMENT_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.filters.update(FILTERS)
    return env


@functools.cache
def _sandbox_env() -> ImmutableSandboxedEnvironment:
    # No loader that can find anything: `{% include %}`, `{% import %}` and `{% extends %}` fail.
    env = ImmutableSandboxedEnvironment(
        loader=jinja2.DictLoader({}), autoescape=True, undefined=jinja2.StrictUndefined
    )
    env.filters.update(FILTERS)
    return env


@functools.lru_cache(maxsize=32)
def _compile_override(source: str) -> jinja2.Template:
    return _sandbox_env().from_string(source)


def jinja_template(template_source: str | None, name: str = "agreement.html") -> jinja2.Template:
    """The default template ``name`` (the agreement, or an exchange type's document, see
    app.matches.exchange), or an organisation's own one in the sandbox."""
    if template_source is None:
        return _default_env().get_template(name)
    return _compile_override(template_source)


# --- Context -------------------------------------------------------------------------------------

_REQUIRED = {
    "": ("reference", "version", "arrangement", "lending", "borrowing", "employee", "job", "terms"),
    "arrangement": ("name",),
    "lending": ("legal_name", "address", "kvk", "signatory"),
    "borrowing": ("legal_name", "address", "kvk", "signatory"),
    "lending.signatory": ("name", "role", "mandate"),
    "borrowing.signatory": ("name", "role", "mandate"),
    "employee": ("name", "job_title", "hours_per_week"),
    "job": ("title", "tasks", "place_of_work"),
    "terms": ("start_date", "end_date", "hours_per_week", "cost_recharge"),
}


def _check_required(context: Mapping) -> None:
    missing = []
    for where, keys in _REQUIRED.items():
        node: Any = context
        for part in filter(None, where.split(".")):
            node = node.get(part) if isinstance(node, Mapping) else None
        missing += [f"{where}.{key}".lstrip(".") for key in keys if _blank(node, key)]
    terms = context.get("terms") or {}
    if terms.get("cost_recharge") == "hourly" and _blank(terms, "hourly_rate"):
        missing.append("terms.hourly_rate")
    if terms.get("cost_recharge") not in (None, "none", "hourly", "salary_costs"):
        raise ValueError(f"unknown cost_recharge: {terms.get('cost_recharge')!r}")
    if missing:
        raise ValueError("agreement context lacks: " + ", ".join(missing))


def _blank(node: Any, key: str) -> bool:
    return not isinstance(node, Mapping) or node.get(key) in (None, "", [], {})


def _organisation(org: Mapping) -> dict:
    address = org["address"]
    lines = address.splitlines() if isinstance(address, str) else list(address)
    defaults = {"oin": None, "vat_number": None, "kind": "municipality", "cao": None}
    return {**defaults, **org, "address_lines": [line for line in lines if line.strip()]}


def _sniff_image(data: bytes) -> str | None:
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    return None


def _logo(logo: Any) -> tuple[str | None, dict]:
    """Turn logo bytes into a data: URI that the fetcher will serve, and only that one."""
    if not logo:
        return None, {}
    mime_type = _sniff_image(bytes(logo)) if isinstance(logo, bytes | bytearray) else None
    if mime_type is None or len(logo) > MAX_LOGO_BYTES:
        log.warning("agreement logo skipped: not a PNG/JPEG of at most %d bytes", MAX_LOGO_BYTES)
        return None, {}
    uri = f"data:{mime_type};base64,{base64.b64encode(logo).decode('ascii')}"
    return uri, {uri: (mime_type, bytes(logo))}


def prepare(context: Mapping) -> tuple[dict, dict]:
    """Validate and complete the context; never mutates the caller's dict."""
    _check_required(context)
    terms = {
        "hourly_rate": None,
        "invoicing_period": "month",
        "payment_term_days": 30,
        "vat_code": None,
        "vat_treatment": None,
        "purpose": None,
        "working_times": None,
        "expenses": None,
        "extension_notice_weeks": 8,
        "notice_weeks": 4,
        "return_guarantee": None,
        "notes": None,
        **context["terms"],
    }
    terms["invoicing_period_text"] = INVOICING_PERIODS.get(
        terms["invoicing_period"], terms["invoicing_period"]
    )
    terms["paid"] = charges_fee(terms)
    if terms["cost_recharge"] == "hourly" or (
        terms["cost_recharge"] == "salary_costs" and terms["hourly_rate"] not in (None, "")
    ):
        terms["weekly_amount"] = as_decimal(terms["hourly_rate"]) * as_decimal(
            terms["hours_per_week"]
        )
    extra_hours = as_decimal(context["employee"]["hours_per_week"]) - as_decimal(
        terms["hours_per_week"]
    )
    job = {"department": None, "remote_work": None, "supervisor": None, **context["job"]}
    job["tasks_html"] = tasks_html(job["tasks"])
    job["supervisor"] = {"name": None, "role": None, **(job["supervisor"] or {})}
    approvals = [
        {
            "by": None,
            "at": None,
            **approval,
            "party_label": PARTY_LABELS.get(approval.get("party"), approval.get("party") or ""),
            "decision_label": DECISION_LABELS.get(approval.get("decision"), "Onbekend"),
        }
        for approval in context.get("approvals") or []
    ]
    logo_uri, data_uris = _logo(context.get("logo"))
    prepared = {
        **context,
        "arrangement": {"purpose": None, **context["arrangement"]},
        "lending": _organisation(context["lending"]),
        "borrowing": _organisation(context["borrowing"]),
        "employee": {
            "personnel_number": None,
            **context["employee"],
            "hours_remaining": max(extra_hours, Decimal(0)),
        },
        "job": job,
        "terms": terms,
        "signing": {"place": None, "date": None, **(context.get("signing") or {})},
        "approvals": approvals,
        # The flags are HR's internal signals (match page): never in the signed contract. The
        # key stays, empty, for organisation templates that test `{% if flags %}`.
        "flags": [],
        "timezone": context.get("timezone") or DEFAULT_TIMEZONE,
        "logo": None,
        "logo_uri": logo_uri,
    }
    return prepared, data_uris


_HEADING = re.compile(r"<(/?)h([3-6])>")


def tasks_html(source: str) -> Markup:
    """The job description's Markdown as sanitised HTML (``app.pool.markdown``), its headings
    one level further down: in the agreement the articles are the h3s."""
    html = markdown.render(source)
    # nh3 allows no attributes on headings, so the tags are exactly `<h3>` ... `</h6>`.
    shifted = _HEADING.sub(lambda m: f"<{m[1]}h{min(int(m[2]) + 1, 6)}>", str(html))
    return Markup(shifted)  # noqa: S704  sanitised by app.pool.markdown; only tag names changed
