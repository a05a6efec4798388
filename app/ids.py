"""Ids from and to the outside: opaque public ids over the integer keys inside.

Rule: rows keep their integer primary keys inside (foreign keys, queries, logs). Every id that
leaves the application (URL paths, query strings, form values, JSON, SCIM, e-mail links) is the
row's *public id*: a keyed permutation of the key, per kind of resource. Every id that comes in is
turned back with :func:`internal_id`; one that names nothing is answered as absent (404, like a
row of another arrangement: existence is not revealed), in a JSON body as a row that does not
exist (:data:`NO_ROW`), and a malformed one in a JSON body is a 400 that names the field.

Why: the keys are one sequence shared by all arrangements, so their gaps told how much other
arrangements create, and the next row's id could be guessed (issue 10, finding 11). Public ids
are a bijection of the keys, so nothing is stored, no migration is needed and a lookup stays a
primary-key lookup.

How: a Feistel network of :data:`ROUNDS` rounds over :data:`PUBLIC_BITS` = 52 bits, two halves of
26 bits; the round function is keyed BLAKE2b (a PRF) under round keys derived from ``ID_KEY`` and
the *kind* of resource. So

- public ids are integers below 2^52: JSON numbers that JavaScript holds exactly (< 2^53), so
  the API keeps integer ids (CONTRACT.md);
- a guessed or sequential public id is a row with a chance of about rows / 2^52, and consecutive
  keys give unrelated public ids: neither counts nor order can be read from them;
- each kind has its own permutation (the kind is the tweak): a job's public id used as a match's
  names no match (except by the same 2^-52-ish chance), so ids of different resource types are
  not interchangeable;
- public ids lie from 2^31 to 2^52-1, above every key (cycle-walking keeps them there): an id
  stored from before names nothing, and 0 is free for "none" in forms.

Key: ``ID_KEY`` from the configuration; without it (the embedded demo, tests) a key derived from
``SECRET_KEY`` under its own label. Production sets ``ID_KEY`` (compose and the deployment docs
require it): the same in every process, and never changed, since every link and every id a
client stored would then name nothing (or another row). Rotating ``SECRET_KEY`` leaves it alone.

Kinds in URLs: a rule's ``<int:NAME_id>`` is the public id of kind ``NAME`` (``<int:job_id>`` is a
job's, ``<int:match_id>`` a match's): :class:`IdRule` hands the variable's name to the converter,
so ``url_for("…", job_id=job.id)`` takes the internal key and writes the public id, and the view
receives the internal key. A rule whose variable names no known kind fails at start-up.
"""

from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache

from flask import current_app
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError, fields
from werkzeug.exceptions import NotFound
from werkzeug.routing import BaseConverter, Rule
from wtforms import SelectField

#: PostgreSQL ``integer`` (the type of every primary key): 2^31 - 1.
MAX_ID = 2**31 - 1
_MAX_DIGITS = len(str(MAX_ID))

#: Public ids are integers from 2^31 to 2^52 - 1 (JSON numbers JavaScript holds exactly), never
#: a number that could be a key.
PUBLIC_BITS = 52
MAX_PUBLIC_ID = 2**PUBLIC_BITS - 1
_PUBLIC_DIGITS = len(str(MAX_PUBLIC_ID))
#: Public ids start above every key (see :meth:`Permutation.encode`).
_OFFSET = 2**31
_SPAN = MAX_PUBLIC_ID + 1 - _OFFSET
_HALF = PUBLIC_BITS // 2
_MASK = (1 << _HALF) - 1
#: Four rounds make a strong pseudo-random permutation (Luby-Rackoff); eight leave a margin.
ROUNDS = 8

#: What a well-formed public id that names no row becomes in a JSON body: no row has key 0 (the
#: sequences start at 1), every database takes it, so the operation answers "not found" exactly
#: as for a row of another arrangement.
NO_ROW = 0

#: The kinds of resource with public ids (each its own permutation). In a URL rule the variable
#: ``<int:KIND_id>`` names the kind.
KINDS = frozenset(
    {
        "job",
        "match",
        "offer",  # a capacity offer (the API's "capacities")
        "application",
        "user",  # also the API's employee and counterpart, and SCIM's Users
        "department",
        "batch",  # a staff import
        "notification",
        "search",  # a saved search
        "scim_group",
        "evaluation",
    }
)

#: The kind of public id of each table's rows (for code that holds a row, not a kind).
TABLE_KINDS = {
    "jobs": "job",
    "matches": "match",
    "capacity_offers": "offer",
    "applications": "application",
    "users": "user",
    "departments": "department",
    "import_batches": "batch",
    "notifications": "notification",
    "saved_searches": "search",
    "scim_groups": "scim_group",
    "match_evaluations": "evaluation",
}
assert set(TABLE_KINDS.values()) == KINDS

#: Label of the key derived from ``SECRET_KEY`` when ``ID_KEY`` is not set (demo, tests).
_FALLBACK_LABEL = b"deelkracht-public-ids-v1"


def id_key(config=None) -> bytes:
    """The key of the public ids in ``config`` (the app's by default): ``ID_KEY``, else one
    derived from ``SECRET_KEY`` (the documented fallback for the embedded demo: a key of its own
    under a label, not the secret itself)."""
    if config is None:
        config = current_app.config
    key = config.get("ID_KEY")
    if key:
        return key.encode() if isinstance(key, str) else bytes(key)
    secret = config["SECRET_KEY"]
    secret = secret.encode() if isinstance(secret, str) else bytes(secret)
    return hmac.digest(secret, _FALLBACK_LABEL, "sha256")


class Permutation:
    """The keyed permutation of one kind: a Feistel network over 52 bits, 0 skipped."""

    def __init__(self, key: bytes, kind: str):
        if kind not in KINDS:
            raise LookupError(f"no public ids for kind {kind!r}")
        self._rounds = [
            hashlib.blake2b(
                key=hmac.digest(key, f"{kind}/{round_}".encode(), "sha256"), digest_size=4
            )
            for round_ in range(ROUNDS)
        ]

    def _f(self, round_: int, half: int) -> int:
        hasher = self._rounds[round_].copy()
        hasher.update(half.to_bytes(4, "big"))
        return int.from_bytes(hasher.digest(), "big") & _MASK

    def _forward(self, x: int) -> int:
        left, right = x >> _HALF, x & _MASK
        for round_ in range(ROUNDS):
            left, right = right, left ^ self._f(round_, right)
        return (left << _HALF) | right

    def _backward(self, y: int) -> int:
        left, right = y >> _HALF, y & _MASK
        for round_ in reversed(range(ROUNDS)):
            left, right = right ^ self._f(round_, left), left
        return (left << _HALF) | right

    def encode(self, number: int) -> int:
        """A key (below :data:`_SPAN`) as a public id from 2^31 to 2^52-1.

        The network permutes 0 … 2^52-1; cycle-walking (where it gives a value of :data:`_SPAN`
        or more, apply it again) makes it a permutation of 0 … _SPAN-1, shifted up by 2^31. So
        no public id is ever a number that could be a key: an id stored before public ids names
        nothing, and a test helper can tell the two apart."""
        out = self._forward(number)
        while out >= _SPAN:
            out = self._forward(out)
        return out + _OFFSET

    def decode(self, number: int) -> int | None:
        """The key of a public id, or None when it lies outside the public ids' range."""
        out = number - _OFFSET
        if not 0 <= out < _SPAN:
            return None
        out = self._backward(out)
        while out >= _SPAN:
            out = self._backward(out)
        return out


@lru_cache(maxsize=64)
def _permutation(key: bytes, kind: str) -> Permutation:
    return Permutation(key, kind)


@lru_cache(maxsize=65536)
def _encode(key: bytes, kind: str, number: int) -> int:
    return _permutation(key, kind).encode(number)


@lru_cache(maxsize=65536)
def _decode(key: bytes, kind: str, number: int) -> int:
    return _permutation(key, kind).decode(number)


def public_id(kind: str, number: int, *, key: bytes | None = None) -> int:
    """The public id of the row of ``kind`` with key ``number`` (1 … :data:`MAX_ID`), under the
    app's key (or ``key``)."""
    if not in_range(number):
        raise ValueError(f"not a key: {number!r}")
    return _encode(key or id_key(), kind, number)


def public_id_of(row) -> int:
    """The public id of a model instance (its table names the kind)."""
    return public_id(TABLE_KINDS[row.__tablename__], row.id)


def internal_id(kind: str, value, *, key: bytes | None = None) -> int | None:
    """The key that the public id ``value`` (an int, or text from a URL or form) names, or None
    when it can name no row (not a number, out of range, or a key beyond :data:`MAX_ID`)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        number = value
    else:
        text = str(value)
        if not (0 < len(text) <= _PUBLIC_DIGITS) or not (text.isascii() and text.isdigit()):
            return None
        number = int(text)
    if not 1 <= number <= MAX_PUBLIC_ID:
        return None
    found = _decode(key or id_key(), kind, number)
    return found if found is not None and 1 <= found <= MAX_ID else None


def parse_id(value) -> int | None:
    """``value`` (text from a URL or form) as a small number (an agreement's version), or None
    when it is none. Row ids from outside are public ids: :func:`internal_id`."""
    if value is None:
        return None
    text = str(value)
    if not (0 < len(text) <= _MAX_DIGITS) or not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if 1 <= number <= MAX_ID else None


def in_range(number) -> bool:
    """True for an int that can be a key (for numbers that arrive as JSON numbers)."""
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


def kind_of_variable(name: str) -> str:
    """The kind a URL variable ``KIND_id`` names; LookupError for any other name."""
    kind = name.removesuffix("_id")
    if kind == name or kind not in KINDS:
        raise LookupError(f"<int:{name}> names no kind of public id ({sorted(KINDS)})")
    return kind


class IdConverter(BaseConverter):
    """``<int:KIND_id>`` in our routes: the public id of a row of KIND in the URL, its key in the
    view; anything that names no row is a 404 (also numbers of thousands of digits, which made
    Werkzeug's ``int()`` raise a 500).

    A 404 is raised, not Werkzeug's ``ValidationError`` ("this rule does not match"): with that,
    a PATCH to an unknown id matched the GET rule's path first and became a 405."""

    regex = r"\d+"
    weight = 50
    part_isolating = True
    #: Set by :class:`IdRule` from the variable's name.
    kind: str | None = None

    def _key(self) -> bytes:
        """The key of the app whose URL map this is (URLs are built without an app context
        too: ``url_map.bind(…).build(…)``)."""
        config = getattr(self.map, "public_ids_config", None)
        return id_key(config) if config is not None else id_key()

    def to_python(self, value: str) -> int:
        number = internal_id(self.kind, value, key=self._key())
        if number is None:
            raise NotFound()
        return number

    def to_url(self, value) -> str:
        """A key is written as its public id. Anything else is written as given (tests build
        URLs with odd values to see them refused)."""
        if in_range(value):
            return str(public_id(self.kind, value, key=self._key()))
        return str(value)


class IdRule(Rule):
    """A rule that tells each :class:`IdConverter` the kind its variable names."""

    def get_converter(self, variable_name, converter_name, args, kwargs):
        converter = super().get_converter(variable_name, converter_name, args, kwargs)
        if isinstance(converter, IdConverter):
            converter.kind = kind_of_variable(variable_name)
        return converter


class PublicId(fields.Integer):
    """An id in the API: the public id of a row of ``kind`` in JSON, its key in Python.

    Input: a JSON integer (or, with ``strict=False``, query-string digits) from 1 to
    :data:`MAX_PUBLIC_ID`; anything else is a 400 naming the field; a well-formed id that names
    no row loads as :data:`NO_ROW`, which the operation answers as "not found"."""

    def __init__(self, kind: str, *, strict: bool = True, **kwargs):
        if kind not in KINDS:
            raise LookupError(kind)
        self.kind = kind
        kwargs.setdefault("error_messages", {"invalid": _l("Vul een heel getal in.")})
        metadata = {"minimum": 1, "maximum": MAX_PUBLIC_ID, "description": f"public id ({kind})"}
        metadata.update(kwargs.pop("metadata", {}))
        super().__init__(strict=strict, metadata=metadata, **kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else public_id(self.kind, value)

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        number = super()._deserialize(value, attr, data, **kwargs)
        if not 1 <= number <= MAX_PUBLIC_ID:
            raise ValidationError(str(_l("Onbekend nummer.")))
        key = internal_id(self.kind, number)
        return NO_ROW if key is None else key


class IdSelectField(SelectField):
    """A choice of rows of ``kind``: choices and ``data`` hold keys (0 or "" for "none"/"all"),
    the options in the page carry public ids.

    Coercion: an int is a key already (the choices, a default); text is a public id from the
    browser ("" is None; "0" is 0). Text that names no row cannot be coerced: a form error, as
    for any value outside the choices."""

    def __init__(self, label=None, validators=None, *, kind: str, **kwargs):
        if kind not in KINDS:
            raise LookupError(kind)
        self.kind = kind
        super().__init__(label, validators, coerce=self._coerce, **kwargs)

    def _coerce(self, value):
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        text = str(value)
        if text == "":
            return None
        if text == "0":
            return 0
        number = internal_id(self.kind, text)
        if number is None:
            raise ValueError("not an id")
        return number

    def _public(self, value):
        return public_id(self.kind, value) if in_range(value) else value

    def iter_choices(self):
        return [
            choice._replace(value=self._public(choice.value)) for choice in super().iter_choices()
        ]


def register(app) -> None:
    """Public ids in every ``<int:KIND_id>`` rule (call before the blueprints)."""
    app.url_rule_class = IdRule
    app.url_map.converters["int"] = IdConverter
    app.url_map.public_ids_config = app.config  # the converters' key (IdConverter._key)
    app.jinja_env.globals["public_id"] = public_id  # ids in query strings and hidden fields
