"""Strict JSON request bodies: what the API accepts before any schema looks at it.

Rule: a JSON body is one object, at most :data:`MAX_DEPTH` levels deep, with unique keys, whole
numbers of at most :data:`MAX_DIGITS` digits, no ``NaN``/``Infinity``, and strings without NUL,
other control characters than tab and line ends, or lone surrogates. Anything else is a 400
that says what is wrong.

Why: the standard library's parser recursed until a ``RecursionError`` on a body nested 100,000
deep, raised a ``ValueError`` (not a JSON error) for a number of 5,000 digits, and let ``"\\ud800"``
and ``"\\u0000"`` through to the database: each a 500 (issue 10, finding 4). With duplicate keys
the last one silently won, so a proxy and we could read one body differently. The checks run on
the raw body once, in a ``before_request`` hook (:func:`app.cleaning.register`), so every
endpoint, whichever parser it uses later, sees only strict JSON.
"""

from __future__ import annotations

import json

from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import BadRequest

from app.cleaning import unusable

#: Our bodies are two or three levels deep; 32 leaves room and stays far from Python's limit.
MAX_DEPTH = 32
#: Hours, places and ids fit in 10 digits; 100 is generous and cheap to convert.
MAX_DIGITS = 100


class InvalidJson(BadRequest):
    """A body that is not strict JSON; the description names the problem."""

    def __init__(self, message):
        super().__init__(message)
        self.page_message = message


def _depth_exceeds(text: str, limit: int) -> bool:
    """True when brackets outside strings nest deeper than ``limit`` (a scan, no recursion)."""
    depth = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > limit:
                return True
        elif ch in "]}":
            depth -= 1
    return False


def _unique_object(pairs):
    keys = [key for key, _ in pairs]
    if len(set(keys)) != len(keys):
        raise InvalidJson(str(_l("Een veld komt twee keer voor in de JSON.")))
    return dict(pairs)


def _whole_number(text: str) -> int:
    if len(text.lstrip("-")) > MAX_DIGITS:
        raise InvalidJson(str(_l("Een getal in de JSON is te lang.")))
    return int(text)


def _no_constant(name: str):
    raise InvalidJson(str(_l("NaN en Infinity zijn geen JSON.")))


def _strings_usable(value) -> bool:
    if isinstance(value, str):
        return not unusable(value)
    if isinstance(value, dict):
        return all(_strings_usable(k) and _strings_usable(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_strings_usable(item) for item in value)
    return True


def loads(raw: bytes | str):
    """Parse a body strictly; :class:`InvalidJson` (a 400) for anything this module refuses."""
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    except UnicodeDecodeError:
        raise InvalidJson(str(_l("De JSON is geen geldige UTF-8."))) from None
    if _depth_exceeds(text, MAX_DEPTH):
        raise InvalidJson(str(_l("De JSON is te diep genest.")))
    try:
        value = json.loads(
            text,
            object_pairs_hook=_unique_object,
            parse_int=_whole_number,
            parse_constant=_no_constant,
        )
    except InvalidJson:
        raise
    except (ValueError, RecursionError):
        raise InvalidJson(str(_l("Dit is geen geldige JSON."))) from None
    if not _strings_usable(value):
        raise InvalidJson(str(_l("De JSON bevat tekens die niet zijn toegestaan.")))
    return value


def check(request) -> None:
    """A JSON request's body, if any, is one strict JSON object (else :class:`InvalidJson`)."""
    raw = request.get_data(cache=True)
    if not raw.strip():
        return
    if not isinstance(loads(raw), dict):
        raise InvalidJson(str(_l("Stuur een JSON-object.")))
