"""Paged lists: one way to cut a select into pages, for the pages and for the JSON API.

Both run Flask-SQLAlchemy's ``db.paginate`` (two statements a page, whatever the data size: the
page's rows and the count), so the query-count tests hold for every list. The pages render the
result with the one macro in ``templates/_pagination.html`` (its links from
:func:`page_links`); the API answers CONTRACT.md's list
document (``items``, ``total``, ``page``, ``per_page``).
"""

from dataclasses import dataclass
from urllib.parse import quote

from flask import request, url_for
from flask_sqlalchemy.pagination import Pagination

from app.extensions import db
from app.ids import page_number


def page_of(stmt, per_page: int) -> Pagination:
    """The page ``?page=`` asks for (app.ids.page_number: a bad value is page 1, a page past the
    end is empty rather than a 404, as before)."""
    return db.paginate(
        stmt, page=page_number(request.args.get("page")), per_page=per_page, error_out=False
    )


def api_page(stmt, page: int, per_page: int) -> dict:
    """A list response: ``{"items", "total", "page", "per_page"}`` over a select of objects."""
    result = db.paginate(stmt, page=page, per_page=per_page, error_out=False)
    return {"items": list(result.items), "total": result.total, "page": page, "per_page": per_page}


@dataclass(frozen=True, slots=True)
class PageLink:
    number: int
    url: str


def page_links(page: int, pages: int, endpoint: str, args, window: int = 3, anchor=None) -> dict:
    """What templates/_pagination.html shows for ``page`` of ``pages``: ``prev`` and ``next``
    (a URL or None), and ``links``: the first page, the pages within ``window`` of the current
    one and the last page, with None for a skipped range.

    One url_for for the list (``args`` without ``page``; None values left out, as url_for
    does), then each page's number appended: building a URL per page link cost more than the
    rest of the pagination (bench/job_pages.py)."""
    # Names url_for takes as its own ("endpoint", "_anchor", "_method", ...) never come from a
    # list's filters: a query string that held them made the call fail (a 500) or the links wrong.
    kept = {k: v for k, v in args.items() if k != "page" and k != "endpoint" and k[:1] != "_"}
    base = url_for(endpoint, **kept)
    prefix = f"{base}{'&' if '?' in base else '?'}page="
    tail = "" if anchor is None else "#" + quote(anchor, safe="%!#$&'()*+,/:;=?@")

    def url(number: int) -> str:
        return f"{prefix}{number}{tail}"

    first, last = max(2, page - window), min(pages - 1, page + window)
    links: list[PageLink | None] = [PageLink(1, url(1))]
    if first > 2 and first <= last:
        links.append(None)
    links.extend(PageLink(n, url(n)) for n in range(first, last + 1))
    if last < pages - 1:
        links.append(None)
    links.append(PageLink(pages, url(pages)))
    return {
        "prev": url(min(page - 1, pages)) if page > 1 else None,
        "next": url(page + 1) if page < pages else None,
        "links": links,
    }
