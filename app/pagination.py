"""Paged lists: one way to cut a select into pages, for the pages and for the JSON API.

Both run Flask-SQLAlchemy's ``db.paginate`` (two statements a page, whatever the data size: the
page's rows and the count), so the query-count tests hold for every list. The pages render the
result with the one macro in ``templates/_pagination.html``; the API answers CONTRACT.md's list
document (``items``, ``total``, ``page``, ``per_page``).
"""

from flask import request
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
