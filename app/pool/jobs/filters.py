"""The job list's filters, written once: one table of rules read by the list page (and the saved
searches, which keep the page's query string) and by the API's ``GET /jobs``.

Each rule reads one filter from the text of a query parameter and, when that text is wrong,
raises :class:`BadFilter` with the one message the user sees; :func:`check_ranges` holds the
rules between two filters. The two readers differ only in what they do with a message:

- the list page (:func:`app.pool.jobs.forms.parse_filters`) is forgiving: a message per field
  under its input, the bad value dropped (or cut, for text), the page still rendered;
- the API (:class:`app.pool.jobs.schemas.JobListQuerySchema`, fields made by
  :func:`api_field`) is strict: a 400 problem naming the field, with the same message.

The keys stay as they were: the page's GET keys (``from``, ``hours_min``; also the stored
saved searches) are :attr:`Rule.key`, the API's are the camelCase of :attr:`Rule.name`
(``availableFrom``, ``hoursMin``), which is also the attribute of
:class:`app.pool.search.Filters`. The list page is the busiest page, so a rule is a plain
object with a ``parse`` method: no schema machinery per request.
"""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError, fields, missing

from app.cleaning import DAY_OUT_OF_RANGE, FIRST_DAY, LAST_DAY
from app.pool.models import JOB_TYPES
from app.pool.search_terms import MAX_QUERY_LENGTH
from app.pool.skills import MAX_SKILL_LENGTH

HOURS_MIN, HOURS_MAX = 1, 40
MAX_PAGE = 100_000
#: An organisation's slug is at most this long; a longer value is cut (it matches nothing).
MAX_SLUG = 63
#: How ``remote`` is written: the page's checkbox sends "1"; the API takes marshmallow's words
#: for a boolean (as it always did), and both the Dutch ja and nee.
TRUE_WORDS = frozenset({w for w in fields.Boolean.truthy if isinstance(w, str)} | {"ja"})
FALSE_WORDS = frozenset({w for w in fields.Boolean.falsy if isinstance(w, str)} | {"nee"})

HOURS_ORDER = _l("Het maximum ligt onder het minimum.")
PERIOD_ORDER = _l("De einddatum ligt vóór de begindatum.")


class BadFilter(ValueError):
    """A filter's text that cannot be used. ``message`` is what the user sees; ``fallback`` is
    what the forgiving list page searches with instead (None: the filter is dropped)."""

    def __init__(self, message, fallback=None):
        super().__init__(str(message))
        self.message = message
        self.fallback = fallback


class Rule:
    """One filter: ``name`` (Python, Filters, the API's args; camelCase in the API's query),
    ``key`` (the page's GET key). ``parse`` takes stripped, non-empty text."""

    __slots__ = ("key", "name")
    #: The marshmallow field the API's query parameter is documented as (OpenAPI type).
    api_type: type[fields.Field] = fields.String

    def __init__(self, name: str, key: str | None = None):
        self.name = name
        self.key = key or name

    def parse(self, text: str):
        return text

    def openapi(self) -> dict:
        """What the OpenAPI document states of the parameter (apispec reads field metadata)."""
        return {}


class Text(Rule):
    """Text of at most ``max_length`` characters. Longer: ``message`` (the page searches with
    the text cut); without a message it is cut silently."""

    __slots__ = ("max_length", "message")

    def __init__(self, name, max_length: int, message=None, key=None):
        super().__init__(name, key)
        self.max_length = max_length
        self.message = message

    def parse(self, text: str) -> str:
        if len(text) > self.max_length:
            if self.message is None:
                return text[: self.max_length]
            raise BadFilter(self.message, fallback=text[: self.max_length])
        return text

    def openapi(self) -> dict:
        return {"maxLength": self.max_length} if self.message is not None else {}


class Choice(Rule):
    __slots__ = ("choices", "message")

    def __init__(self, name, choices: tuple[str, ...], message, key=None):
        super().__init__(name, key)
        self.choices = choices
        self.message = message

    def parse(self, text: str) -> str:
        if text not in self.choices:
            raise BadFilter(self.message)
        return text

    def openapi(self) -> dict:
        return {"enum": list(self.choices)}


class Number(Rule):
    """A whole number from ``low`` to ``high``."""

    __slots__ = ("high", "low", "out_of_range")
    api_type = fields.Integer
    NOT_A_NUMBER = _l("Vul een heel getal in.")

    def __init__(self, name, low: int, high: int, key=None):
        super().__init__(name, key)
        self.low, self.high = low, high
        self.out_of_range = _l(
            "Kies een getal van %(low)d tot en met %(high)d.", low=low, high=high
        )

    def parse(self, text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise BadFilter(self.NOT_A_NUMBER) from None
        if not self.low <= value <= self.high:
            raise BadFilter(self.out_of_range)
        return value

    def openapi(self) -> dict:
        return {"minimum": self.low, "maximum": self.high}


class Day(Rule):
    """An ISO date (``jjjj-mm-dd``), in the years the app plans for (app.cleaning)."""

    __slots__ = ()
    api_type = fields.Date
    NOT_A_DATE = _l("Vul een datum in als jjjj-mm-dd.")

    def parse(self, text: str) -> date:
        try:
            value = date.fromisoformat(text)
        except ValueError:
            raise BadFilter(self.NOT_A_DATE) from None
        if not FIRST_DAY <= value <= LAST_DAY:
            raise BadFilter(DAY_OUT_OF_RANGE)
        return value


class Flag(Rule):
    """Yes or no: the page's checkbox ("1"), or true/false, ja/nee, … in the API."""

    __slots__ = ()
    api_type = fields.Boolean
    NOT_A_FLAG = _l("Kies ja of nee (true of false).")

    def parse(self, text: str) -> bool:
        if text in TRUE_WORDS:
            return True
        if text in FALSE_WORDS:
            return False
        raise BadFilter(self.NOT_A_FLAG)


#: The filters, in the order of the page's form. The one place their limits, choices and
#: messages are written.
FILTERS: tuple[Rule, ...] = (
    Text("q", MAX_QUERY_LENGTH, _l("Zoek met hoogstens %(n)d tekens.", n=MAX_QUERY_LENGTH)),
    Text("organisation", MAX_SLUG),
    Choice("type", JOB_TYPES, _l("Kies een soort uitwisseling uit de lijst.")),
    Text("skill", MAX_SKILL_LENGTH, _l("Hoogstens %(n)d tekens.", n=MAX_SKILL_LENGTH)),
    Number("hours_min", HOURS_MIN, HOURS_MAX),
    Number("hours_max", HOURS_MIN, HOURS_MAX),
    Day("available_from", key="from"),
    Day("available_until", key="until"),
    Flag("remote"),
)
#: The page number (the page's and the API's ``page``).
PAGE = Number("page", 1, MAX_PAGE)
RULES = {rule.name: rule for rule in (*FILTERS, PAGE)}
#: The page's GET key of each filter's name.
PAGE_KEYS = {rule.name: rule.key for rule in RULES.values()}


def check_ranges(values: dict) -> dict[str, str]:
    """The rules between two filters, over the values read: ``{name: message}``."""
    errors = {}
    low, high = values.get("hours_min"), values.get("hours_max")
    if low is not None and high is not None and high < low:
        errors["hours_max"] = HOURS_ORDER
    start, end = values.get("available_from"), values.get("available_until")
    if start is not None and end is not None and end < start:
        errors["available_until"] = PERIOD_ORDER
    return errors


# --- the API: marshmallow fields that read with the same rules ---------------------------------


class _RuleField:
    """A query parameter read by its :class:`Rule`: text trimmed, empty is left out (its
    default), a :class:`BadFilter` is a validation error with the rule's message."""

    def __init__(self, rule: Rule, **kwargs):
        self.rule = rule
        kwargs["metadata"] = {**rule.openapi(), **kwargs.get("metadata", {})}
        super().__init__(**kwargs)

    def deserialize(self, value, attr=None, data=None, **kwargs):
        if isinstance(value, str):
            value = value.strip() or missing
        return super().deserialize(value, attr, data, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str):
            raise self.make_error("invalid")
        try:
            return self.rule.parse(value)
        except BadFilter as exc:
            raise ValidationError(str(exc.message)) from None


_API_FIELDS: dict[type, type] = {}


def api_field(name: str, **kwargs) -> fields.Field:
    """The API's query field for the filter ``name``: documented as its type (integer, date,
    boolean, string with its bounds or choices), read by its rule."""
    rule = RULES[name]
    base = rule.api_type
    cls = _API_FIELDS.get(base)
    if cls is None:
        cls = _API_FIELDS[base] = type(f"Filter{base.__name__}", (_RuleField, base), {})
    return cls(rule, **kwargs)
