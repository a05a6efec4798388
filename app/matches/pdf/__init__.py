"""The secondment agreement (detacheringsovereenkomst) as a PDF: Jinja, then WeasyPrint.

Self-contained on purpose: it takes a plain dict, so the worker job can build the context from
the domain models and this package never touches the database. The parts:
`context` (checks and completes the dict, Jinja environments), `formatting` (Babel: Dutch
dates, Europe/Amsterdam times, euros), `assets` (the URL fetcher and the agreement fonts),
`render` (WeasyPrint: PDF/A-2b, tagged PDF/UA-1); the HR flags live in ``app.matches.flags``.

Context contract (what the matches domain fills; dates may be `date` objects or ISO strings,
times aware datetimes, naive UTC datetimes or ISO strings, amounts `Decimal`, `int`, `float`
or strings). Keys marked * are required, the rest optional:

    reference*            str    e.g. "DK-2026-0042", printed on every page
    version*              int    agreement version, printed on every page
    arrangement*          {name*, purpose}  the gemeenschappelijke regeling / shared service
    lending*, borrowing*  organisation: {legal_name*, address* (str with newlines or list of
                          lines), kvk*, oin, vat_number, kind ("municipality" | "province" |
                          "gr_body" | "other"), cao (e.g. "Cao Gemeenten", "Cao SGO"),
                          signatory* {name*, role*, mandate*}}
    employee*             {name*, personnel_number (left out of the text when empty),
                          job_title* (at the lender), hours_per_week* (at the lender)}
    job*                  {title* (at the borrower), tasks* (Markdown), department,
                          place_of_work*, remote_work (bool or text), supervisor {name, role}}
    terms*                {start_date*, end_date*, hours_per_week*, cost_recharge* ("none" |
                          "hourly" | "salary_costs"), hourly_rate (* when hourly; with
                          salary_costs: the employer costs per hour), invoicing_period
                          ("month" | "quarter" | text), payment_term_days, vat_code ("vat_21"
                          | "exempt_cost_sharing" | "no_fee"), vat_treatment (text: the reason
                          for the treatment the parties chose), purpose,
                          working_times, expenses, extension_notice_weeks, notice_weeks,
                          return_guarantee, notes}
    signing               {place, date}  pre-filled in the signature blocks when given
    approvals             [{party ("employee" | "lending" | "borrowing"), by, decision
                          (None | "approve" | "decline"), at}]  the approval trail
    timezone              IANA name the approval times are printed in (Europe/Amsterdam)
    previous_secondments  [{start_date, end_date}]  earlier secondments of the same employee to
                          the same borrower (input for `agreement_flags`)
    flags                 HR's signals (`agreement_flags`): accepted, never printed
    logo                  bytes (PNG or JPEG) shown on the first page, embedded as a data: URI

Security: every value is autoescaped, the job description's Markdown goes through the
project's sanitiser (raw HTML is text); an organisation's own template (user-editable, from its
tenant file) runs in an immutable Jinja sandbox without a loader; WeasyPrint fetches resources
only through `safe_url_fetcher`, which serves the files of `templates/agreements/` by the
`deelkracht-asset:` scheme and the data: URIs this package creates, and refuses everything else.
"""

from __future__ import annotations

import copy
import functools
import json
import time
from collections.abc import Mapping
from pathlib import Path

from app.matches.flags import agreement_flags
from app.matches.pdf.assets import ForbiddenResourceError, safe_url_fetcher
from app.matches.pdf.context import jinja_template, prepare
from app.matches.pdf.render import html_to_pdf

__all__ = [
    "ForbiddenResourceError",
    "agreement_flags",
    "example_context",
    "render_agreement_html",
    "render_agreement_pdf",
    "safe_url_fetcher",
    "warm_up",
]

EXAMPLE = Path(__file__).with_name("example.json")


def render_agreement_html(context: Mapping, *, template_source: str | None = None) -> str:
    """The agreement as HTML (the step before WeasyPrint); useful for previews and tests."""
    prepared, _ = prepare(context)
    return jinja_template(template_source).render(prepared)


def render_agreement_pdf(
    context: Mapping,
    *,
    template_source: str | None = None,
    template: str = "agreement.html",
    title: str = "Detacheringsovereenkomst",
) -> bytes:
    """Render the agreement to PDF bytes (PDF/A-2b, tagged PDF/UA-1).

    ``template`` and ``title`` name another document of ``templates/agreements/`` for the same
    context: the exchange types' confirmation and functieruil agreement (app.matches.exchange;
    they read ``context["exchange"]`` and, for a functieruil, ``context["counterpart"]``).

    The one call that turns a context into a document: time it for a render-time metric.
    `template_source` is an organisation's own template from its tenant file: it runs in the
    sandbox with autoescape on and gets the same context and the default stylesheet.
    Raises ValueError for a context that lacks required keys, jinja2 errors (SecurityError,
    TemplateNotFound, UndefinedError, ...) for a faulty override.
    """
    prepared, data_uris = prepare(context)
    html = jinja_template(template_source, template).render(prepared)
    return html_to_pdf(html, data_uris, title=f"{title} {prepared['reference']}")


def warm_up() -> float:
    """Pay the cold start once per worker process; returns the seconds it took.

    Imports WeasyPrint, builds the fonts and the parsed CSS for this thread, compiles the
    default template and renders the example agreement once: a tinier document leaves part of
    the first-render cost (code paths, Jinja, layout caches) to the first real agreement.
    """
    started = time.perf_counter()
    render_agreement_pdf(example_context())
    return time.perf_counter() - started


@functools.cache
def _example() -> dict:
    return json.loads(EXAMPLE.read_text(encoding="utf-8"))


def example_context() -> dict:
    """A realistic context (`example.json`; also the benchmark's input), a fresh copy."""
    return copy.deepcopy(_example())
