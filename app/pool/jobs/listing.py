"""What a job list shows per row and page, prepared in Python for the busiest pages.

One pass over the rows builds each row's line of facts ("Gemeente X · 8 uur per week · …") and
the pagination links; the template then only places them (Jinja escapes them as text).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _
from markupsafe import Markup

from app.dates import day
from app.ids import public_id
from app.pool.jobs.filters import RULES
from app.pool.jobs.types import TYPE_LABELS
from app.pool.search import JobPage


@dataclass(slots=True)
class ListRow:
    id: int
    title: str
    meta: str
    summary: str
    skills: list[str]
    #: The row's HTML around the viewer's own "Je hebt gereageerd" marker: the linked title, and
    #: the facts, summary and skills (escaped here, placed as they are by the template).
    head: Markup
    body: Markup


def _date(d) -> str:
    return day(d)


#: (items, organisations, locale, detail URL) -> the rows, for kept result pages: a page kept by
#: app.pool.search_cache hands out the same item list until a job changes, so its rows (the
#: facts' dates, names and labels, and their escaped HTML) are made once per language, not per
#: view. Nothing in a row depends on the viewer (the marker is placed by the template).
_ROWS: dict[tuple, tuple[list, dict, list[ListRow]]] = {}
_ROWS_KEPT = 600


def list_rows(result: JobPage, detail_url: str) -> list[ListRow]:
    """The rows of a result page; ``detail_url`` + ``/<id>`` is a job's page."""
    locale = str(get_locale())
    key = (id(result.items), id(result.organisations), locale, detail_url)
    hit = _ROWS.get(key)
    if hit is not None and hit[0] is result.items and hit[1] is result.organisations:
        return hit[2]
    rows = _make_rows(result, detail_url)
    if len(_ROWS) >= _ROWS_KEPT:
        _ROWS.clear()
    _ROWS[key] = (result.items, result.organisations, rows)
    return rows


_HEAD = Markup('<h2><a href="{}/{}">{}</a></h2>')
_META = Markup('<p class="meta">{}</p>')
_SUMMARY = Markup("<p>{}</p>")
_TAGS = Markup('<p class="tags">{}</p>')
_TAG = Markup('<span class="tag">{}</span>')


def _make_rows(result: JobPage, detail_url: str) -> list[ListRow]:
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
        meta = " · ".join(parts)
        skills = row.skills_text.split("\n") if row.skills_text else []
        body = _META.format(meta)
        if row.summary:
            body += _SUMMARY.format(row.summary)
        if skills:
            body += _TAGS.format(Markup("").join(_TAG.format(name) for name in skills))
        rows.append(
            ListRow(
                row.id,
                row.title,
                meta,
                row.summary,
                skills,
                _HEAD.format(detail_url, public_id("job", row.id), row.title),
                body,
            )
        )
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


#: (language, script root, the form's input, organisations) -> the search form's HTML.
_FORMS: dict[tuple, tuple[dict, Markup]] = {}
_FORMS_KEPT = 500


def search_form(query, organisations: dict) -> Markup:
    """The list's search form (templates/pool/jobs/_search_form.html) for ``query``.

    What it shows depends only on the language, the typed values, their messages and the
    organisations to choose from, so it is rendered once for each of those and then reused: the
    list page without a query always, and a search typed before. No viewer's data is in it."""
    key = (
        str(get_locale()),
        request.script_root,
        tuple(query.raw.items()),
        tuple(query.errors.items()),
        id(organisations),
    )
    hit = _FORMS.get(key)
    if hit is not None and hit[0] is organisations:
        return hit[1]
    html = render_template(
        "pool/jobs/_search_form.html",
        query=query,
        type_labels=TYPE_LABELS,
        rules=RULES,
        organisation_options=organisation_options(organisations, query.raw["organisation"]),
    )
    html = Markup(html)  # noqa: S704  an autoescaped template's output
    if len(_FORMS) >= _FORMS_KEPT:
        _FORMS.clear()
    _FORMS[key] = (organisations, html)
    return html
