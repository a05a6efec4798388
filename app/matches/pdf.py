"""The secondment agreement (detacheringsovereenkomst) as a PDF: Jinja, then WeasyPrint.

Self-contained on purpose: it takes a plain dict, so the worker job can build the context from
the domain models and this module never touches the database.

Context contract (what the matches domain fills; dates may be `date` objects or ISO strings,
amounts `Decimal`, `int`, `float` or strings). Keys marked * are required, the rest optional:

    reference*            str    e.g. "DK-2026-0042", printed on every page
    version*              int    agreement version, printed on every page
    arrangement*          {name*, purpose}  the gemeenschappelijke regeling / shared service
    lending*, borrowing*  organisation: {legal_name*, address* (str with newlines or list of
                          lines), kvk*, oin, vat_number, kind ("municipality" | "province" |
                          "gr_body" | "other"), cao (e.g. "Cao Gemeenten", "Cao SGO"),
                          signatory* {name*, role*, mandate*}}
    employee*             {name*, personnel_number*, job_title* (at the lender),
                          hours_per_week* (at the lender)}
    job*                  {title* (at the borrower), tasks*, department, place_of_work*,
                          remote_work (bool or text), supervisor {name, role}}
    terms*                {start_date*, end_date*, hours_per_week*, cost_recharge* ("none" |
                          "hourly" | "salary_costs"), hourly_rate (* when hourly),
                          invoicing_period ("month" | "quarter" | text), payment_term_days,
                          vat_treatment (text: the treatment the parties chose), purpose,
                          working_times, expenses, extension_notice_weeks, notice_weeks,
                          return_guarantee, notes}
    signing               {place, date}  pre-filled in the signature blocks when given
    approvals             [{party ("employee" | "lending" | "borrowing"), by, decision
                          (None | "approve" | "decline"), at}]  the approval trail
    previous_secondments  [{start_date, end_date}]  earlier secondments of the same employee to
                          the same borrower (input for the flags)
    flags                 [{code, title, text}]  when absent, computed by `agreement_flags`
    logo                  bytes (PNG or JPEG) shown on the first page, embedded as a data: URI

Security: every value is autoescaped; an organisation's own template (user-editable, from its
tenant file) runs in an immutable Jinja sandbox without a loader; WeasyPrint fetches resources
only through `safe_url_fetcher`, which serves the files of `templates/agreements/` by the
`deelkracht-asset:` scheme and the data: URIs this module creates, and refuses everything else.
"""

from __future__ import annotations

import atexit
import base64
import functools
import io
import logging
import re
import shutil
import threading
import time
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment

log = logging.getLogger(__name__)

TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "templates"
AGREEMENT_DIR = TEMPLATES_DIR / "agreements"
ASSET_SCHEME = "deelkracht-asset"
# Only flat file names with these extensions: no sub-folders, no dots beyond the extension, no
# escapes, so no traversal, and the Jinja templates themselves are never served.
_ASSET_NAME = re.compile(r"[a-z0-9][a-z0-9_-]*\.(css|woff2?|ttf|otf|png|jpe?g)")
_ASSET_TYPES = {
    "css": "text/css",
    "woff": "font/woff",
    "woff2": "font/woff2",
    "ttf": "font/ttf",
    "otf": "font/otf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
}
MAX_LOGO_BYTES = 512 * 1024

# Flag thresholds. Chain-contract rules (art. 7:668a BW: at most 3 contracts within 36 months,
# a gap of 6 months or less links them) can count secondment periods as "opvolgend
# werkgeverschap" when the borrower later hires the person. We warn at any earlier secondment to
# the same borrower, and at 24 months in total: well before the 36-month limit.
LONG_SECONDMENT_MONTHS = 24
_DAYS_PER_MONTH = 365.2425 / 12

_MONTHS_NL = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
]
PARTY_LABELS = {
    "lending": "Uitlenende organisatie",
    "borrowing": "Inlenende organisatie",
    "employee": "Medewerker",
}
DECISION_LABELS = {"approve": "Akkoord", "decline": "Afgewezen", None: "Nog geen besluit"}
INVOICING_PERIODS = {"month": "per maand", "quarter": "per kwartaal", "year": "per jaar"}


# --- Resource fetching -------------------------------------------------------------------------
# Known WeasyPrint advisories on url_fetcher bypasses, and why they do not reach us:
# - CVE-2025-68616 (GHSA-983w-rhvv-gwmv): HTTP redirects were followed past a custom fetcher's
#   checks; fixed in 68.0. Our fetcher does no network I/O at all, so there is nothing to
#   redirect.
# - CVE-2026-49452 (GHSA-jhhc-3hcp-qhm5): CSS injection through presentational hints; fixed in
#   69.0. We never enable `presentational_hints`.
# - CVE-2026-55073 (GHSA-jf6q-chmf-3h3v; the 70.0 notes also list GHSA-r543-q48m-4c9j):
#   `stylesheets=`/`xmp_metadata=` given as URLs used a fresh default URLFetcher instead of the
#   document's; also EPS images were rendered (through Ghostscript); both fixed in 70.0. We pass
#   a parsed CSS object built with our own fetcher, no XMP metadata, and accept only PNG/JPEG
#   logos - but 70.0 is the first release where the fetcher is authoritative everywhere, and
#   this module needs the `URLFetcher` class API (68.0+).


class ForbiddenResourceError(ValueError):
    """Raised for any resource the agreement may not load; WeasyPrint skips the resource."""


def safe_url_fetcher(url: str, headers: Any = None, *, data_uris: Mapping | None = None):
    """Serve the agreement's own assets and the data: URIs we created; refuse everything else.

    `data_uris` maps a data: URI this module built (the logo) to `(mime_type, bytes)`. No other
    data: URI, no `file:`, `http(s):`, `ftp:` or unknown scheme, no traversal, is ever served.
    """
    from weasyprint.urls import URLFetcherResponse

    if data_uris and url in data_uris:
        mime_type, body = data_uris[url]
        return URLFetcherResponse(url, body, {"Content-Type": mime_type})
    scheme, sep, name = url.partition(":")
    if not sep or scheme.lower() != ASSET_SCHEME:
        raise ForbiddenResourceError(f"resource not allowed in an agreement: {url[:80]!r}")
    if not _ASSET_NAME.fullmatch(name):
        raise ForbiddenResourceError(f"not an agreement asset: {name[:80]!r}")
    body = _subset_font(name) if name in _FONT_SOURCES else _read_asset(name)
    return URLFetcherResponse(url, body, {"Content-Type": _ASSET_TYPES[name.rsplit(".", 1)[1]]})


@functools.cache
def _read_asset(name: str) -> bytes:
    path = (AGREEMENT_DIR / name).resolve()
    if path.parent != AGREEMENT_DIR.resolve() or not path.is_file():
        raise ForbiddenResourceError(f"no such agreement asset: {name!r}")
    return path.read_bytes()


@functools.cache
def _fetcher_class():
    # WeasyPrint 70 requires a URLFetcher (sub)class: a bare function is no longer accepted.
    from weasyprint.urls import URLFetcher

    class AssetURLFetcher(URLFetcher):
        def __init__(self, data_uris: Mapping | None = None):
            # Defence in depth: should WeasyPrint ever reach the base class's urllib opener,
            # no protocol is allowed and redirects are not followed.
            super().__init__(allowed_protocols=(), allow_redirects=False)
            self._data_uris = dict(data_uris or {})

        def fetch(self, url, headers=None):
            return safe_url_fetcher(url, headers, data_uris=self._data_uris)

    return AssetURLFetcher


# --- Jinja ---------------------------------------------------------------------------------------


def _as_date(value: Any) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _as_decimal(value: Any) -> Decimal:
    try:
        return Decimal(str(value)) if value not in (None, "") else Decimal(0)
    except InvalidOperation as error:
        raise ValueError(f"not an amount: {value!r}") from error


def date_nl(value: Any) -> str:
    """`2026-03-01` -> `1 maart 2026`."""
    day = _as_date(value)
    return f"{day.day} {_MONTHS_NL[day.month - 1]} {day.year}" if day else ""


def datetime_nl(value: Any) -> str:
    """`2026-02-03T14:05` -> `3 februari 2026, 14:05`."""
    if value is None or value == "":
        return ""
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return f"{date_nl(moment)}, {moment:%H:%M}"


def money_nl(value: Any) -> str:
    """`1234.5` -> `€ 1.234,50`."""
    text = f"{_as_decimal(value).quantize(Decimal('0.01')):,}"
    return "€\u00a0" + text.replace(",", "_").replace(".", ",").replace("_", ".")


def number_nl(value: Any) -> str:
    """`16` -> `16`, `16.5` -> `16,5`."""
    number = _as_decimal(value).normalize()
    return f"{number:f}".replace(".", ",")


_FILTERS = {"date_nl": date_nl, "datetime_nl": datetime_nl, "money": money_nl, "num": number_nl}


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
    env.filters.update(_FILTERS)
    return env


@functools.cache
def _sandbox_env() -> ImmutableSandboxedEnvironment:
    # No loader that can find anything: `{% include %}`, `{% import %}` and `{% extends %}` fail.
    env = ImmutableSandboxedEnvironment(
        loader=jinja2.DictLoader({}), autoescape=True, undefined=jinja2.StrictUndefined
    )
    env.filters.update(_FILTERS)
    return env


@functools.lru_cache(maxsize=32)
def _compile_override(source: str) -> jinja2.Template:
    return _sandbox_env().from_string(source)


# --- Context -------------------------------------------------------------------------------------

_REQUIRED = {
    "": ("reference", "version", "arrangement", "lending", "borrowing", "employee", "job", "terms"),
    "arrangement": ("name",),
    "lending": ("legal_name", "address", "kvk", "signatory"),
    "borrowing": ("legal_name", "address", "kvk", "signatory"),
    "lending.signatory": ("name", "role", "mandate"),
    "borrowing.signatory": ("name", "role", "mandate"),
    "employee": ("name", "personnel_number", "job_title", "hours_per_week"),
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


def _template_context(context: Mapping) -> tuple[dict, dict]:
    """Validate and complete the context; never mutates the caller's dict."""
    _check_required(context)
    terms = {
        "hourly_rate": None,
        "invoicing_period": "month",
        "payment_term_days": 30,
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
    terms["paid"] = _charges_fee(terms)
    if terms["cost_recharge"] == "hourly":
        terms["weekly_amount"] = _as_decimal(terms["hourly_rate"]) * _as_decimal(
            terms["hours_per_week"]
        )
    extra_hours = _as_decimal(context["employee"]["hours_per_week"]) - _as_decimal(
        terms["hours_per_week"]
    )
    job = {"department": None, "remote_work": None, "supervisor": None, **context["job"]}
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
    flags = context.get("flags")
    logo_uri, data_uris = _logo(context.get("logo"))
    prepared = {
        **context,
        "arrangement": {"purpose": None, **context["arrangement"]},
        "lending": _organisation(context["lending"]),
        "borrowing": _organisation(context["borrowing"]),
        "employee": {**context["employee"], "hours_remaining": max(extra_hours, Decimal(0))},
        "job": job,
        "terms": terms,
        "signing": {"place": None, "date": None, **(context.get("signing") or {})},
        "approvals": approvals,
        "flags": agreement_flags(context) if flags is None else list(flags),
        "logo": None,
        "logo_uri": logo_uri,
    }
    return prepared, data_uris


# --- Flags ---------------------------------------------------------------------------------------


def _months(start: Any, end: Any) -> float:
    """Calendar months from start to end inclusive: 1 April-31 March is 12.0."""
    first, last = _as_date(start), _as_date(end)
    if not first or not last or last < first:
        return 0.0
    after = last + timedelta(days=1)
    whole = (after.year - first.year) * 12 + after.month - first.month
    return whole + (after.day - first.day) / _DAYS_PER_MONTH


def _charges_fee(terms: Mapping) -> bool:
    recharge = terms.get("cost_recharge")
    if recharge == "hourly":
        return _as_decimal(terms.get("hourly_rate")) > 0
    return recharge == "salary_costs"


def agreement_flags(context: Mapping) -> list[dict]:
    """The points AGREEMENT.md asks us to raise for HR: signals, not legal verdicts. Pure.

    - `repeated_secondment`: any earlier secondment of the employee to the same borrower.
    - `long_secondment`: earlier and current periods together exceed LONG_SECONDMENT_MONTHS.
    - `procurement`: a paid secondment (`cost_recharge == "hourly"`, rate > 0); cost-sharing
      at salary cost or free of charge inside the arrangement is left out.
    - `vat`: whenever money is charged (hourly rate > 0, or salary costs).
    - `cao`: the parties' cao differ, one is missing, or a GR body (Cao SGO) is involved.
    """
    terms = context.get("terms") or {}
    previous = context.get("previous_secondments") or []
    flags = []
    earlier = sum(_months(p.get("start_date"), p.get("end_date")) for p in previous)
    total = earlier + _months(terms.get("start_date"), terms.get("end_date"))
    if previous:
        flags.append(
            _flag(
                "repeated_secondment",
                "Herhaalde detachering",
                f"De medewerker is eerder bij dezelfde inlener gedetacheerd geweest "
                f"({len(previous)} eerdere {'periode' if len(previous) == 1 else 'periodes'}, "
                f"samen ongeveer {round(earlier)} maanden). "
                "Neemt de inlener de medewerker later in dienst, dan kunnen deze periodes "
                "meetellen voor de ketenregeling (opvolgend werkgeverschap).",
            )
        )
    if total > LONG_SECONDMENT_MONTHS:
        flags.append(
            _flag(
                "long_secondment",
                "Langdurige detachering",
                f"Met deze detachering is de medewerker in totaal ongeveer {round(total)} "
                f"maanden bij dezelfde inlener gedetacheerd (signaalgrens "
                f"{LONG_SECONDMENT_MONTHS} maanden). Overweeg of een structurele oplossing, "
                "zoals overplaatsing, beter past.",
            )
        )
    if terms.get("cost_recharge") == "hourly" and _charges_fee(terms):
        flags.append(
            _flag(
                "procurement",
                "Aanbesteding",
                "Betaalde detachering tegen een uurtarief: een betaalde opdracht tussen "
                "overheden kan onder de aanbestedingsregels vallen, kosteloos uitlenen of "
                "kostendeling binnen de regeling meestal niet. Laat nagaan of een uitzondering "
                "geldt.",
            )
        )
    if _charges_fee(terms):
        chosen = terms.get("vat_treatment")
        flags.append(
            _flag(
                "vat",
                "Btw",
                "Een vergoeding boven kostprijs is in beginsel btw-belast; "
                "mobiliteitsdetacheringen en kostendeling tussen overheden zijn onder "
                "voorwaarden vrijgesteld, anders is de btw vaak te compenseren via het "
                "BTW-compensatiefonds. "
                + (
                    f"Vastgelegde btw-behandeling: {chosen}."
                    if chosen
                    else "Er is nog geen btw-behandeling vastgelegd."
                ),
            )
        )
    cao_text = _cao_text(context.get("lending") or {}, context.get("borrowing") or {})
    if cao_text:
        flags.append(_flag("cao", "Cao", cao_text))
    return flags


def _cao_text(lending: Mapping, borrowing: Mapping) -> str:
    lender_cao, borrower_cao = lending.get("cao"), borrowing.get("cao")
    parts = []
    if not lender_cao:
        parts.append("Leg vast welke cao voor de medewerker geldt (de cao van de uitlener).")
    elif borrower_cao and lender_cao.strip().lower() != borrower_cao.strip().lower():
        parts.append(
            f"De uitlener valt onder de {lender_cao}, de inlener onder de {borrower_cao}. De "
            f"medewerker houdt de arbeidsvoorwaarden van de uitlener ({lender_cao})."
        )
    if "gr_body" in (lending.get("kind"), borrowing.get("kind")):
        parts.append(
            "Er is een openbaar lichaam van een gemeenschappelijke regeling bij betrokken: "
            "medewerkers daarvan vallen onder de Cao SGO, gemeentelijke medewerkers onder de "
            "Cao Gemeenten. Controleer dat de juiste cao is vastgelegd."
        )
    if lending.get("kind") == "gr_body" and lender_cao and "sgo" not in lender_cao.lower():
        parts.append(f"Let op: de uitlener is een GR-organisatie, maar vastgelegd is {lender_cao}.")
    return " ".join(parts)


def _flag(code: str, title: str, text: str) -> dict:
    return {"code": code, "title": title, "text": text}


# --- Rendering -----------------------------------------------------------------------------------

_local = threading.local()

# WeasyPrint subsets every embedded font on every render. Without HarfBuzz-subset (Debian's
# libharfbuzz-subset0; .ci/run installs it, not every host has it) it falls back to fontTools,
# which needs ~200 ms per face of the 750 KB DejaVu Sans: more than the whole layout of the
# agreement; with it, the full font still costs ~5% of a render. So once per process we cut
# DejaVu Sans down to the Latin ranges (kerning kept, hinting dropped, ~50 KB) and serve that as
# an @font-face asset; characters outside it fall back to the system fonts.
_FONT_SOURCES = {
    "agreement-sans.ttf": "DejaVuSans.ttf",
    "agreement-sans-bold.ttf": "DejaVuSans-Bold.ttf",
}
_FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts")
_FONT_UNICODES = [
    *range(0x20, 0x7F),  # Basic Latin
    *range(0xA0, 0x250),  # Latin-1 Supplement, Latin Extended-A and -B
    *range(0x2010, 0x2028),  # dashes, quotes, bullet, ellipsis
    *(0x2030, 0x2039, 0x203A, 0x20AC, 0x2122, 0x2212),  # per mille, angle quotes, €, ™, minus
]


@functools.cache
def _subset_font(name: str) -> bytes:
    """One of the generated agreement fonts, built from the system's DejaVu Sans."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    source = next(
        (path for folder in _FONT_DIRS for path in Path(folder).rglob(_FONT_SOURCES[name])),
        None,
    )
    if source is None:
        raise ForbiddenResourceError(f"system font {_FONT_SOURCES[name]} not found")
    options = subset.Options(
        hinting=False, desubroutinize=True, notdef_outline=True, layout_features=["kern"]
    )
    options.name_IDs = ["*"]
    options.drop_tables += ["FFTM"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=_FONT_UNICODES)
    font = TTFont(source)
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


_font_configs: list = []


@atexit.register
def _remove_font_folders() -> None:
    # A FontConfiguration kept for the life of the process would be collected during interpreter
    # shut-down, when its __del__ finds `rmtree` already gone ("Exception ignored in ...
    # FontConfiguration.__del__"). Remove its temporary font folder while that still works.
    for font_config in _font_configs:
        folder, font_config._folder = font_config._folder, None
        if folder:
            shutil.rmtree(folder, ignore_errors=True)


def _render_setup():
    """Per thread: a FontConfiguration holding our @font-face fonts and the parsed CSS.

    Both are reused across renders (parsing the CSS and setting up fonts once); one per thread
    because Pango/Fontconfig objects are not meant to be shared across threads.
    """
    setup = getattr(_local, "setup", None)
    if setup is None:
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        font_config = FontConfiguration()
        _font_configs.append(font_config)
        stylesheet = CSS(
            url=f"{ASSET_SCHEME}:agreement.css",
            url_fetcher=_fetcher_class()(),
            font_config=font_config,
        )
        setup = _local.setup = (font_config, [stylesheet])
    return setup


def _strip_attachment_links(root) -> None:
    """Drop `rel=attachment` so no <link>/<a> can ask WeasyPrint to embed a file (the fetcher
    would refuse it anyway, see GHSA-35jj-wx47-4w8r)."""
    for element in root.iter():
        rel = element.get("rel") if isinstance(element.tag, str) else None
        if rel and "attachment" in rel.lower():
            tokens = [t for t in rel.split() if t.lower() != "attachment"]
            if tokens:
                element.set("rel", " ".join(tokens))
            else:
                del element.attrib["rel"]


def _html_to_pdf(html_source: str, data_uris: Mapping | None = None) -> bytes:
    from weasyprint import HTML

    font_config, stylesheets = _render_setup()
    html = HTML(string=html_source, url_fetcher=_fetcher_class()(data_uris))
    _strip_attachment_links(html.etree_element)
    return html.write_pdf(
        stylesheets=stylesheets,
        font_config=font_config,
        attachments=None,
        pdf_forms=False,
        presentational_hints=False,
        custom_metadata=False,
    )


def render_agreement_html(context: Mapping, *, template_source: str | None = None) -> str:
    """The agreement as HTML (the step before WeasyPrint); useful for previews and tests."""
    prepared, _ = _template_context(context)
    return _render_html(prepared, template_source)


def _render_html(prepared: dict, template_source: str | None) -> str:
    if template_source is None:
        return _default_env().get_template("agreement.html").render(prepared)
    return _compile_override(template_source).render(prepared)


def render_agreement_pdf(context: Mapping, *, template_source: str | None = None) -> bytes:
    """Render the agreement to PDF bytes.

    `template_source` is an organisation's own template from its tenant file: it runs in the
    sandbox with autoescape on and gets the same context and the default stylesheet.
    Raises ValueError for a context that lacks required keys, jinja2 errors (SecurityError,
    TemplateNotFound, UndefinedError, ...) for a faulty override.
    """
    prepared, data_uris = _template_context(context)
    return _html_to_pdf(_render_html(prepared, template_source), data_uris)


def warm_up() -> float:
    """Pay the cold start once per worker process; returns the seconds it took.

    Imports WeasyPrint, builds the fonts and the parsed CSS for this thread, compiles the
    default template and renders the example agreement once: a tinier document leaves part of
    the first-render cost (code paths, Jinja, layout caches) to the first real agreement.
    """
    started = time.perf_counter()
    render_agreement_pdf(example_context())
    return time.perf_counter() - started


def example_context() -> dict:
    """A realistic context (also the benchmark's input)."""
    return {
        "reference": "DK-2026-0042",
        "version": 2,
        "arrangement": {
            "name": "Gemeenschappelijke regeling Meerinzicht",
            "purpose": None,
        },
        "lending": {
            "legal_name": "Gemeente Harderwijk",
            "address": "Stadhuisplein 1\n3841 CW Harderwijk",
            "kvk": "08212345",
            "oin": "00000001001234567000",
            "vat_number": "NL001234567B01",
            "kind": "municipality",
            "cao": "Cao Gemeenten",
            "signatory": {
                "name": "mr. J.W. (Jan-Willem) Hoekstra",
                "role": "concerncontroller",
                "mandate": "Mandaatbesluit Harderwijk 2025, art. 4.2",
            },
        },
        "borrowing": {
            "legal_name": "Gemeente Ermelo",
            "address": ["Raadhuisplein 1", "3851 NV Ermelo"],
            "kvk": "08254321",
            "oin": "00000001007654321000",
            "vat_number": "NL007654321B01",
            "kind": "municipality",
            "cao": "Cao Gemeenten",
            "signatory": {
                "name": "drs. A.M. (Annemarie) van Dijk",
                "role": "afdelingshoofd Ruimte",
                "mandate": "Mandaat-, volmacht- en machtigingsbesluit Ermelo 2024, bijlage 1",
            },
        },
        "employee": {
            "name": "Sanne de Vries",
            "personnel_number": "HW-004512",
            "job_title": "Beleidsmedewerker ruimtelijke ordening",
            "hours_per_week": 36,
        },
        "job": {
            "title": "Projectleider implementatie Omgevingswet",
            "tasks": (
                "Opstellen van het omgevingsprogramma voor het centrumgebied.\n"
                "Begeleiden van participatietrajecten met inwoners en ondernemers.\n"
                "Adviseren van het college over vergunningaanvragen buiten het omgevingsplan."
            ),
            "department": "afdeling Ruimte, team Omgevingsbeleid",
            "place_of_work": "Gemeentehuis Ermelo, Raadhuisplein 1, Ermelo",
            "remote_work": True,
            "supervisor": {"name": "Pieter Bos", "role": "teamleider Omgevingsbeleid"},
        },
        "terms": {
            "start_date": date(2026, 3, 1),
            "end_date": date(2026, 12, 31),
            "hours_per_week": 16,
            "working_times": "Op dinsdag en donderdag, in overleg met de leidinggevende.",
            "cost_recharge": "hourly",
            "hourly_rate": Decimal("68.50"),
            "invoicing_period": "month",
            "payment_term_days": 30,
            "vat_treatment": "geen btw: kostendeling binnen de gemeenschappelijke regeling "
            "(vastgelegd na advies van de fiscalisten van beide gemeenten)",
            "notes": "De medewerker rondt bij de uitlener het lopende dossier Stationsgebied af.",
        },
        "signing": {"place": None, "date": None},
        "approvals": [
            {
                "party": "employee",
                "by": "Sanne de Vries",
                "decision": "approve",
                "at": datetime(2026, 2, 2, 9, 14),
            },
            {
                "party": "lending",
                "by": "Marieke Jansen (P&O Harderwijk)",
                "decision": "approve",
                "at": datetime(2026, 2, 4, 11, 2),
            },
            {
                "party": "borrowing",
                "by": "Pieter Bos (teamleider Ermelo)",
                "decision": "approve",
                "at": datetime(2026, 2, 5, 16, 40),
            },
        ],
        "previous_secondments": [
            {"start_date": date(2024, 9, 1), "end_date": date(2025, 6, 30)},
        ],
        "logo": None,
    }
