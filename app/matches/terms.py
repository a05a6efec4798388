"""A match's terms: the fields, their checks and how they are stored on the match.

One place checks terms, for a proposal, a change of the terms and a declined amendment alike
(:func:`clean_terms`), so the API and the form refuse the same input with the same messages.
The rules of the terms themselves (the hours, the period, the rate, the lengths) are
:func:`check_terms`: the operation applies it to the complete terms, and the API schema
(:class:`app.matches.schemas.MatchTermsSchema`) and the form (:class:`app.matches.forms.TermsForm`)
apply it to what they read, so their messages are these, on the same fields. Reading a field's
type (a number, a date, an amount) stays with the schema and the form.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.errors import InvalidInput
from app.matches.exchange import Flow
from app.matches.models import (
    COST_BASES,
    COST_RECHARGES,
    VAT_CODES,
    Match,
)

TERM_FIELDS = (
    "hours_per_week",
    "start_date",
    "end_date",
    "place_of_work",
    "supervisor_name",
    "supervisor_role",
    "cost_recharge",
    "cost_basis",
    "hourly_rate",
    "vat_code",
    "vat_treatment",
    "notes",
)


TEXT_LIMITS = {
    "place_of_work": 200,
    "supervisor_name": 200,
    "supervisor_role": 200,
    "vat_treatment": 300,
    "notes": 5000,
}


HOURS_MIN, HOURS_MAX = 1, 40
MAX_RATE = Decimal("999999.99")

HOURS_RANGE = _l("Kies 1 tot en met 40 uur per week.")
PERIOD_ORDER = _l("De einddatum ligt voor de begindatum.")
RATE_RANGE = _l("Het uurtarief moet tussen 0 en 999.999,99 liggen.")


def check_terms(values: dict) -> dict[str, str]:
    """The rules of the terms in ``values``, each read to its type already (hours an int, dates
    dates, the rate a Decimal, texts str): ``{field: message}``. A term that is absent (or None)
    is not checked here; whether it is needed is the operation's to say."""
    errors: dict[str, str] = {}
    hours = values.get("hours_per_week")
    if hours is not None and not HOURS_MIN <= hours <= HOURS_MAX:
        errors["hours_per_week"] = str(HOURS_RANGE)
    start, end = values.get("start_date"), values.get("end_date")
    if isinstance(start, date) and isinstance(end, date) and end < start:
        errors["end_date"] = str(PERIOD_ORDER)
    rate = values.get("hourly_rate")
    # A form's DecimalField reads "NaN" and "Infinity" too: not a rate (and NaN compares with
    # nothing: it would raise).
    if rate is not None and (not rate.is_finite() or not Decimal(0) <= rate <= MAX_RATE):
        errors["hourly_rate"] = str(RATE_RANGE)
    for field, limit in TEXT_LIMITS.items():
        text = values.get(field)
        if text is not None and len(str(text).strip()) > limit:
            errors[field] = _("Gebruik hoogstens %(max)d tekens.", max=limit)
    return errors


def _as_date(value) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except (TypeError, ValueError):
        return None


def clean_terms(data: dict, base: dict, kind: Flow | None = None) -> dict:
    """The terms from ``base`` updated with ``data``, checked; InvalidInput names the fields.

    ``kind`` adds the exchange type's rules (app.matches.exchange): a meeloopdag lasts at most
    a few days; meeloopdag, functieruil and mentoring charge nothing (an asked-for hourly rate
    is refused, a rate sent with "none" is ignored, as for any match)."""
    terms = dict(base)
    terms.update({key: data[key] for key in TERM_FIELDS if key in data})
    errors: dict[str, list[str]] = {}

    def error(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    hours = terms.get("hours_per_week")
    if isinstance(hours, bool) or not isinstance(hours, int):
        error("hours_per_week", _("Vul een aantal uren per week in van 1 tot en met 40."))
        terms["hours_per_week"] = hours = None
    start, end = _as_date(terms.get("start_date")), _as_date(terms.get("end_date"))
    if start is None:
        error("start_date", _("Vul een geldige begindatum in."))
    if end is None:
        error("end_date", _("Vul een geldige einddatum in."))
    terms["start_date"], terms["end_date"] = start, end
    basis = _cost_basis(data, base, error)
    if kind and not kind.costs and basis != "none":
        field = "cost_basis" if data.get("cost_basis") is not None else "cost_recharge"
        error(field, _("Bij deze soort uitwisseling worden geen kosten doorbelast."))
        basis = "none"
    terms["cost_basis"] = basis
    terms["cost_recharge"] = "none" if basis == "none" else "hourly"
    rate = terms.get("hourly_rate")
    if basis != "none":
        try:
            rate = Decimal(str(rate)).quantize(Decimal("0.01")) if rate not in (None, "") else None
        except (InvalidOperation, ValueError):
            rate = None
            error("hourly_rate", _("Vul een bedrag in, bijvoorbeeld 62,50."))
        else:
            if rate is None and basis == "employer_costs":
                error("hourly_rate", _("Vul de werkgeverslasten per uur in."))
            elif rate is None:
                error("hourly_rate", _("Vul het uurtarief in."))
        terms["hourly_rate"] = rate
    else:
        terms["hourly_rate"] = None
    for field in TEXT_LIMITS:
        value = terms.get(field)
        terms[field] = "" if value is None else str(value).strip()
    for field, message in check_terms(terms).items():
        error(field, message)
    if (
        kind
        and kind.max_days
        and start
        and end
        and "end_date" not in errors
        and (end - start).days + 1 > kind.max_days
    ):
        error("end_date", _("Een meeloopdag duurt hoogstens %(n)d dagen.", n=kind.max_days))
    terms["vat_code"] = _vat_code(data, base, basis, terms["hourly_rate"], error)
    if errors:
        raise InvalidInput(_("Controleer de voorwaarden."), errors)
    return terms


def _cost_basis(data: dict, base: dict, error) -> str:
    """The cost basis from ``cost_basis``, or mapped from the older ``cost_recharge`` (API
    clients of CONTRACT.md): ``none`` → ``none``; ``hourly`` → ``hourly_rate``, or the
    ``employer_costs`` already agreed (both charge an amount per hour)."""
    recharge = data.get("cost_recharge")
    if recharge is not None and recharge not in COST_RECHARGES:
        error("cost_recharge", _("Kies geen doorbelasting of een uurtarief."))
        recharge = None
    basis = data.get("cost_basis")
    if basis is not None:
        if basis not in COST_BASES:
            error("cost_basis", _("Kies werkgeverslasten, een vast uurtarief of geen vergoeding."))
            return "none"
        if recharge is not None and (recharge == "none") != (basis == "none"):
            error("cost_recharge", _("Past niet bij de gekozen kostenbasis."))
        return basis
    previous = base.get("cost_basis")
    if previous not in COST_BASES:
        previous = "hourly_rate" if base.get("cost_recharge") == "hourly" else "none"
    if recharge == "none":
        return "none"
    if recharge == "hourly":
        return previous if previous != "none" else "hourly_rate"
    return previous


def _vat_code(data: dict, base: dict, basis: str, rate, error) -> str:
    """The VAT treatment: the one chosen, else 21 % when a fee is charged (secondment between
    public bodies is in principle taxed) and ``no_fee`` when nothing is charged. ``no_fee`` with
    a fee, or VAT without one, is refused."""
    chosen = data.get("vat_code") or None
    if chosen is not None and chosen not in VAT_CODES:
        error("vat_code", _("Kies btw 21 procent, vrijgesteld (kostendeling) of geen vergoeding."))
        chosen = None
    fee = basis != "none" and (rate is None or rate > 0)
    if not fee:
        if chosen not in (None, "no_fee"):
            if basis == "none":
                error("vat_code", _("Zonder vergoeding wordt geen btw berekend."))
            else:
                return chosen  # a rate of 0 with a treatment chosen: kept (no VAT to pay)
        return "no_fee"
    if chosen == "no_fee":
        error(
            "vat_code", _("Er wordt een vergoeding berekend: kies btw 21 procent of vrijgesteld.")
        )
    if chosen is None:
        previous = base.get("vat_code")
        chosen = previous if previous in ("vat_21", "exempt_cost_sharing") else "vat_21"
    return chosen


def _apply_terms(match: Match, terms: dict) -> None:
    for key in TERM_FIELDS:
        setattr(match, key, terms[key])
