"""Ids from outside (URL paths, query strings, JSON bodies): in range, or absent.

Rule: an id is a plain decimal number from 1 to :data:`MAX_ID`, the largest value of the
``integer`` primary keys on PostgreSQL. Anything else names no row: in a URL path or query
string it is answered as absent (404, like any unknown id: existence is not revealed), in a JSON
body it is a 400 that names the field.

Why: an id beyond the column's range made the database raise (PostgreSQL: "integer out of
range", SQLite: "Python int too large to convert to SQLite INTEGER") and the page a 500, and a
number of thousands of digits made ``int()`` raise before any query (issue 10, finding 4). The
check costs nothing, so it is done once, here, before the database sees the value.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from marshmallow import validate
from werkzeug.exceptions import NotFound
from werkzeug.routing import BaseConverter

#: PostgreSQL ``integer`` (the type of every primary key): 2^31 - 1.
MAX_ID = 2**31 - 1
_MAX_DIGITS = len(str(MAX_ID))


def parse_id(value) -> int | None:
    """``value`` (text from a URL or form) as an id, or None when it cannot name a row."""
    if value is None:
        return None
    text = str(value)
    if not (0 < len(text) <= _MAX_DIGITS) or not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if 1 <= number <= MAX_ID else None


def coerce_id(value) -> int:
    """A form's ``SelectField`` coerce for ids that are not checked against its choices: an
    id, or ValueError (a form error), never a number the database cannot take."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    number = parse_id(value)
    if number is None:
        raise ValueError("not an id")
    return number


def in_range(number) -> bool:
    """True for an int that can be an id (for numbers that arrive as JSON numbers)."""
    return isinstance(number, int) and not isinstance(number, bool) and 1 <= number <= MAX_ID


#: The last page a list offers: further is a typo or a probe (and an offset the database refuses).
MAX_PAGE = 10_000


def page_number(value) -> int:
    """``?page=`` as a page from 1 to :data:`MAX_PAGE`: text that is no whole number is page 1,
    a larger number the last page (an empty list, not a 500 for an offset beyond 2^63)."""
    text = str(value or "")
    if not (text.isascii() and text.isdigit()):
        return 1
    if len(text) > len(str(MAX_PAGE)):
        return MAX_PAGE
    return max(1, min(int(text), MAX_PAGE))


class IdConverter(BaseConverter):
    """``<int:…>`` in our routes: ASCII digits within the id range, else 404. Replaces
    Werkzeug's converter, whose ``int()`` of 5,000 digits raised a ValueError (a 500) and whose
    range is unbounded.

    A 404 is raised, not Werkzeug's ``ValidationError`` ("this rule does not match"): with that,
    a PATCH to an out-of-range id matched the GET rule's path first and became a 405."""

    regex = r"\d+"
    weight = 50
    part_isolating = True

    def to_python(self, value: str) -> int:
        number = parse_id(value)
        if number is None:
            raise NotFound()
        return number


#: For marshmallow id fields: a 400 naming the field instead of a database error.
ID_RANGE = validate.Range(min=1, max=MAX_ID, error=_l("Onbekend nummer."))


def register(app) -> None:
    """Use :class:`IdConverter` for every ``<int:…>`` rule (call before the blueprints)."""
    app.url_map.converters["int"] = IdConverter
