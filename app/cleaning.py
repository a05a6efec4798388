"""Text from outside: what no field may hold, and what a one-line field may not hold.

Three rules, shared by the web forms (WTForms) and the API schemas (marshmallow):

1. **No field anywhere** holds a NUL, another control character than tab, newline and carriage
   return, or a lone surrogate. :func:`register` refuses such a request at the edge (400), before
   any view: PostgreSQL cannot store a NUL and a lone surrogate cannot be encoded as UTF-8, so
   both ended in a 500 (issue 10, finding 4); nobody types them.
2. **A one-line field** (a title, a name, a place) holds no control character at all, no
   direction override (U+202A–U+202E, U+2066–U+2069) and at least one visible character
   (:func:`clean_line`). A line break in a job title became fake header lines at the top of the
   notification e-mail, an override turns the text around for the reader ("Trojan Source"), and
   a title of zero-width spaces looks empty everywhere it is shown (finding 10).
3. **A multi-line field** (a description, a motivation) holds lines: CR/LF and CR become LF,
   tabs stay; other controls and direction overrides are refused (:func:`clean_text`).

Refused, not silently removed: the person sees what was wrong and decides what to type.
"""

from __future__ import annotations

import unicodedata

from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import BadRequest

#: Controls that change the direction of the text after them (embeddings, overrides, isolates).
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")

#: Characters that take no room: a text of only these (and spaces) shows as empty.
INVISIBLE = frozenset("\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff\u00ad")

#: Controls that a multi-line text may hold.
LINE_CONTROLS = frozenset("\t\n\r")


class TextError(ValueError):
    """Text a field cannot take; ``message`` says why, in the reader's language."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def is_control(char: str) -> bool:
    """C0 and C1 control characters and DEL (Unicode category Cc)."""
    return unicodedata.category(char) == "Cc"


def is_surrogate(char: str) -> bool:
    return "\ud800" <= char <= "\udfff"


def unusable(text: str) -> bool:
    """True when ``text`` holds what no field may hold (rule 1)."""
    return any((is_control(ch) and ch not in LINE_CONTROLS) or is_surrogate(ch) for ch in text)


def is_blank(text: str) -> bool:
    """True when nothing of ``text`` would be visible: only spaces and zero-width characters."""
    return all(ch.isspace() or ch in INVISIBLE for ch in text)


def clean_line(value: str | None) -> str | None:
    """A one-line field's value, trimmed; "" when nothing visible remains (so "required"
    validators say it is empty). Raises :class:`TextError` for a control character or a
    direction override."""
    if value is None:
        return None
    if any(is_control(ch) or is_surrogate(ch) for ch in value):
        return _refuse(_l("Gebruik één regel tekst, zonder regeleinden of stuurtekens."))
    if any(ch in BIDI_CONTROLS for ch in value):
        return _refuse(_l("Tekens die de schrijfrichting omdraaien zijn niet toegestaan."))
    return "" if is_blank(value) else value.strip()


def clean_text(value: str | None) -> str | None:
    """A multi-line field's value, with LF line ends, trimmed; "" when nothing visible remains.
    Raises :class:`TextError` for other controls than tab and line ends, or a direction
    override."""
    if value is None:
        return None
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    if any((is_control(ch) and ch not in LINE_CONTROLS) or is_surrogate(ch) for ch in value):
        return _refuse(_l("Deze tekst bevat stuurtekens die niet zijn toegestaan."))
    if any(ch in BIDI_CONTROLS for ch in value):
        return _refuse(_l("Tekens die de schrijfrichting omdraaien zijn niet toegestaan."))
    return "" if is_blank(value) else value.strip()


def _refuse(message):
    raise TextError(message)


# --- the edge: rule 1 for every request ----------------------------------------------------------


class UnusableInput(BadRequest):
    """A 400 whose page says which part of the request held what no field may hold."""

    def __init__(self, message):
        super().__init__(str(message))
        self.page_message = message


def _unusable_in(multidict) -> bool:
    return any(unusable(key) or unusable(value) for key, value in multidict.items(multi=True))


def register(app) -> None:
    """Refuse a request whose query string, form fields or JSON body hold what no field may
    hold (400), and a JSON body that is not strict JSON (see :mod:`app.jsonbody`)."""
    from flask import request

    from app import jsonbody

    @app.before_request
    def _refuse_unusable_input():
        if _unusable_in(request.args) or unusable(request.path):
            raise UnusableInput(_l("Het adres bevat tekens die niet zijn toegestaan."))
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return
        if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
            if _unusable_in(request.form):
                raise UnusableInput(_l("Het formulier bevat tekens die niet zijn toegestaan."))
        elif request.is_json:
            jsonbody.check(request)
