"""What a job list shows per row and page, prepared in Python for the busiest pages.

One pass over the rows builds each row's line of facts ("Gemeente X · 8 uur per week · …") and
the pagination links; the template then only places them (Jinja escapes them as text).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from flask_babel import gettext as _
from markupsafe import Markup

from app.dates import day
from app.pool.job_types import TYPE_LABELS
from app.pool.search import JobPage

WINDOW = 3  # page links either side of the current page


@dataclass(slots=True)
class ListRow:
    id: int
    title: str
    meta: str
    summary: str
    skills: list[str]


def _date(d) -> str:
    return day(d)


def list_rows(result: JobPage) -> list[ListRow]:
    hours = _("uur per week")
    remote = _("op afstand mogelijk")
    organisations = result.organisations
    types = {value: str(label) for value, label in TYPE_LABELS.items()}
    rows = []
    for row in result.items:
        organisation = organisations.get(row.organisation_id)
        parts = [
            types.get(row.type, row.type),
            organisation.name if organisation else "",
            f"{row.hours_per_week} {hours}",
            f"{_date(row.start_date)} – {_date(row.end_date)}",
        ]
        if row.location:
            parts.append(row.location)
        if row.remote:
            parts.append(remote)
        skills = row.skills_text.split("\n") if row.skills_text else []
        rows.append(ListRow(row.id, row.title, " · ".join(parts), row.summary, skills))
    return rows


_OPTIONS: dict[int, tuple[dict, Markup]] = {}


def organisation_options(organisations: dict, selected: str) -> Markup:
    """The <option>s of the organisation filter. Rendered once per organisation list (the
    list object is cached, app.pool.search.organisation_map), then only marked selected."""
    hit = _OPTIONS.get(id(organisations))
    if hit is None or hit[0] is not organisations:
        html = Markup("").join(
            Markup('<option value="{}">{}</option>').format(o.slug, o.name)
            for o in organisations.values()
        )
        if len(_OPTIONS) > 100:
            _OPTIONS.clear()
        hit = _OPTIONS[id(organisations)] = (organisations, html)
    html = hit[1]
    if selected:
        value = Markup(' value="{}"').format(selected)
        html = html.replace(value, value + Markup(" selected"), 1)
    return html


@dataclass(slots=True)
class PageLink:
    number: int
    url: str
    current: bool


@dataclass(slots=True)
class Pagination:
    previous: str | None
    next: str | None
    links: list[PageLink]


def pagination(base_url: str, params: dict[str, str], result: JobPage) -> Pagination | None:
    """Links to the pages around the current one, keeping the filters; None for one page."""
    if result.pages <= 1:
        return None
    query = urlencode(params)
    prefix = f"{base_url}?{query}&page=" if query else f"{base_url}?page="

    def url(number: int) -> str:
        return f"{prefix}{number}"

    first = max(1, result.page - WINDOW)
    last = min(result.pages, result.page + WINDOW)
    return Pagination(
        previous=url(result.page - 1) if result.page > 1 else None,
        next=url(result.page + 1) if result.has_next else None,
        links=[PageLink(n, url(n), n == result.page) for n in range(first, last + 1)],
    )
