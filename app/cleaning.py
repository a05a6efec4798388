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
from datetime import date

import wtforms
from flask import request
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError, fields
from werkzeug.exceptions import BadRequest
from wtforms.fields.core import UnboundField
from wtforms.validators import DataRequired, InputRequired, StopValidation

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
    direction override. Anything but text (a form filled from an object) passes as it is."""
    if not isinstance(value, str):
        return value
    if any(is_control(ch) or is_surrogate(ch) for ch in value):
        return _refuse(_l("Gebruik één regel tekst, zonder regeleinden of stuurtekens."))
    if any(ch in BIDI_CONTROLS for ch in value):
        return _refuse(_l("Tekens die de schrijfrichting omdraaien zijn niet toegestaan."))
    return "" if is_blank(value) else value.strip()


def clean_text(value: str | None) -> str | None:
    """A multi-line field's value, with LF line ends, trimmed; "" when nothing visible remains.
    Raises :class:`TextError` for other controls than tab and line ends, or a direction
    override. Anything but text passes as it is."""
    if not isinstance(value, str):
        return value
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    if any((is_control(ch) and ch not in LINE_CONTROLS) or is_surrogate(ch) for ch in value):
        return _refuse(_l("Deze tekst bevat stuurtekens die niet zijn toegestaan."))
    if any(ch in BIDI_CONTROLS for ch in value):
        return _refuse(_l("Tekens die de schrijfrichting omdraaien zijn niet toegestaan."))
    return "" if is_blank(value) else value.strip()


def _refuse(message):
    raise TextError(message)


# --- dates ---------------------------------------------------------------------------------------

#: Jobs, offers and placements are planned in this century: beyond it a date is a typo, and
#: ``0001-01-01`` made date arithmetic (a week before the start, a period's length) overflow.
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2099, 12, 31)
DAY_OUT_OF_RANGE = _l("Kies een datum tussen 2000 en 2099.")


def check_day(value: date | None) -> date | None:
    """``value`` when it lies in :data:`FIRST_DAY` … :data:`LAST_DAY`, else :class:`TextError`."""
    if value is not None and not (FIRST_DAY <= value <= LAST_DAY):
        raise TextError(DAY_OUT_OF_RANGE)
    return value


# --- marshmallow: the API schemas ----------------------------------------------------------------


class CleanString(fields.String):
    """A marshmallow string cleaned by :func:`clean_line` (``one_line=True``) or
    :func:`clean_text`; a refusal is a validation error on the field."""

    def __init__(self, *, one_line: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.one_line = one_line

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs)
        try:
            return clean_line(value) if self.one_line else clean_text(value)
        except TextError as exc:
            raise ValidationError(str(exc.message)) from None


class CleanDay(fields.Date):
    """A marshmallow date within :data:`FIRST_DAY` … :data:`LAST_DAY`."""

    def _deserialize(self, value, attr, data, **kwargs):
        day = super()._deserialize(value, attr, data, **kwargs)
        try:
            return check_day(day)
        except TextError as exc:
            raise ValidationError(str(exc.message)) from None


# --- WTForms: the web forms ----------------------------------------------------------------------


class _NotBlank:
    """After cleaning, a required text field must still hold something visible (zero-width
    characters pass WTForms' ``InputRequired``, which looks at the raw input)."""

    def __init__(self, message):
        self.message = message

    def __call__(self, form, field):
        if field.data is not None and field.data == "" and not field.errors:
            raise StopValidation(str(self.message))


def _day_in_range(form, field):
    if not field.errors:
        try:
            check_day(field.data)
        except TextError as exc:
            raise StopValidation(str(exc.message)) from None


def add_cleaning(field) -> None:
    """Add this module's rules to one bound form field: text fields get :func:`clean_line` or
    :func:`clean_text` as their first filter (a refusal is a form error on the field), required
    ones a check that something visible is left, and date fields the date range. Used by
    :class:`app.web.forms.Form` for every field of every form."""
    if isinstance(field, wtforms.PasswordField | wtforms.HiddenField):
        return
    if isinstance(field, wtforms.StringField):
        cleaner = clean_text if isinstance(field, wtforms.TextAreaField) else clean_line
        field.filters = (cleaner, *field.filters)
        required = next(
            (v for v in field.validators if isinstance(v, InputRequired | DataRequired)), None
        )
        if required is not None:
            message = required.message or _l("Dit veld is verplicht.")
            field.validators = [*field.validators, _NotBlank(message)]
    elif isinstance(field, wtforms.DateField):
        field.validators = [*field.validators, _day_in_range]
    elif isinstance(field, wtforms.FieldList):
        # Its entries are bound later, from this unbound field: give that the cleaner.
        inner = field.unbound_field
        if issubclass(inner.field_class, wtforms.StringField) and not issubclass(
            inner.field_class, wtforms.PasswordField | wtforms.HiddenField
        ):
            one_line = not issubclass(inner.field_class, wtforms.TextAreaField)
            kwargs = dict(inner.kwargs)
            kwargs["filters"] = (clean_line if one_line else clean_text, *kwargs.get("filters", ()))
            field.unbound_field = UnboundField(inner.field_class, *inner.args, **kwargs)


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
    # deferred: import cycle: app.jsonbody uses app.cleaning.unusable
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
