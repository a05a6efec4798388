"""Strict marshmallow fields and list paging shared by the offer, application and settings APIs.

JSON input is taken at its word: ``true`` is a boolean and ``5`` a number; ``"5"``, ``1`` for
``true`` or ``true`` for ``1`` are refused with a message naming the field. Messages are Dutch
(the users' language) and lazy, so the request's language applies.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError, fields, validate

from app.accounts.schemas import SlugNameSchema
from app.api import ApiSchema
from app.cleaning import CleanDay, CleanString, TextError, clean_line
from app.errors import FieldErrors
from app.ids import PublicId
from app.pool import skills as skill_list

MAX_PER_PAGE = 100


class FieldError(FieldErrors):
    """Input that only the operation can judge (e.g. a period against stored dates)."""


def messages(**extra) -> dict:
    base = {
        "required": _l("Dit veld is verplicht."),
        "null": _l("Dit veld mag niet leeg zijn."),
        "invalid": _l("Ongeldige waarde."),
    }
    base.update(extra)
    return base


class InputSchema(ApiSchema):
    """Input of the pool's API: unknown fields are refused (marshmallow's default), in Dutch."""

    error_messages = {
        "unknown": _l("Onbekend veld: dit veld bestaat niet of mag je niet meesturen."),
        "type": _l("Stuur een JSON-object."),
    }


class StrictInteger(fields.Integer):
    """A whole number, not a string, float or boolean."""

    def __init__(self, **kwargs):
        kwargs.setdefault("error_messages", messages(invalid=_l("Vul een heel getal in.")))
        super().__init__(strict=True, **kwargs)

    def _validated(self, value):
        if isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        return super()._validated(value)


class Id(PublicId):
    """The public id of a row of ``kind`` in a JSON body (app/ids.py): a JSON integer, not a
    string or boolean; out of range is a 400 naming the field, one that names no row loads as
    ``app.ids.NO_ROW`` (the operation's "not found")."""

    def __init__(self, kind: str, **kwargs):
        kwargs.setdefault("error_messages", messages(invalid=_l("Vul een heel getal in.")))
        super().__init__(kind, **kwargs)


class StrictBoolean(fields.Boolean):
    """Only JSON ``true`` or ``false``."""

    def __init__(self, **kwargs):
        kwargs.setdefault("error_messages", messages(invalid=_l("Kies true of false.")))
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        return value


class Text(CleanString):
    """Free text: a string, outer whitespace trimmed, at most ``max_length`` characters, cleaned
    by :mod:`app.cleaning` (``one_line=True`` for a name, a place: no line breaks)."""

    def __init__(self, max_length: int, *, required_text: bool = False, **kwargs):
        kwargs.setdefault("error_messages", messages(invalid=_l("Vul tekst in.")))
        validators = [
            validate.Length(
                max=max_length,
                error=_l("Gebruik hoogstens {max} tekens."),
            )
        ]
        if required_text:
            validators.append(validate.Length(min=1, error=_l("Dit veld is verplicht.")))
        super().__init__(validate=validators, **kwargs)


class Day(CleanDay):
    def __init__(self, **kwargs):
        kwargs.setdefault(
            "error_messages", messages(invalid=_l("Gebruik een datum als 2025-03-31."))
        )
        super().__init__(**kwargs)


class Hours(StrictInteger):
    """Hours per week: 1 to 40."""

    def __init__(self, **kwargs):
        super().__init__(
            validate=validate.Range(min=1, max=40, error=_l("Kies 1 tot en met 40 uur per week.")),
            **kwargs,
        )


class SkillNames(fields.List):
    """A list of skill names; spellings of one skill fold together."""

    def __init__(self, **kwargs):
        kwargs.setdefault("error_messages", messages(invalid=_l("Geef een lijst met namen.")))
        super().__init__(fields.String(), **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, list | tuple):
            raise self.make_error("invalid")
        if not all(isinstance(item, str) for item in value):
            raise ValidationError(str(_l("Elke vaardigheid is tekst.")))
        try:
            value = [clean_line(item) for item in value]
        except TextError as exc:
            raise ValidationError(str(exc.message)) from None
        try:
            return skill_list.normalise(value)
        except skill_list.SkillError as exc:
            raise ValidationError(str(exc)) from None


class PageArgs(ApiSchema):
    """``?page=&per_page=`` (CONTRACT.md lists)."""

    page = fields.Integer(
        load_default=1,
        validate=validate.Range(min=1, max=100_000, error=_l("Kies een pagina vanaf 1.")),
        error_messages=messages(invalid=_l("Vul een heel getal in.")),
    )
    per_page = fields.Integer(
        load_default=20,
        validate=validate.Range(
            min=1, max=MAX_PER_PAGE, error=_l("Kies 1 tot en met {max} per pagina.")
        ),
        error_messages=messages(invalid=_l("Vul een heel getal in.")),
    )


class PersonRefSchema(ApiSchema):
    """A person as shown next to an offer or a response."""

    id = PublicId("user")
    name = fields.String()
    organisation = fields.Nested(SlugNameSchema)
