"""The points AGREEMENT.md asks us to raise for HR about a secondment: signals, not legal verdicts.

Computed from the agreement context (see ``app.matches.pdf``), pure and without side effects;
the texts in the reader's language (Dutch outside a request). HR
and coordinators read them on the match page before they approve; they are never printed in the
agreement itself (the employee signs that document, the signals are internal).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

# Chain-contract rules (art. 7:668a BW: at most 3 contracts within 36 months, a gap of 6 months
# or less links them) can count secondment periods as "opvolgend werkgeverschap" when the
# borrower later hires the person. We warn at any earlier secondment to the same borrower, and
# at 24 months in total: well before the 36-month limit.
LONG_SECONDMENT_MONTHS = 24
_DAYS_PER_MONTH = 365.2425 / 12
# Two messages rather than ngettext: the catalog tests compare singular entries only.
ONE_EARLIER = _l(
    "De medewerker is eerder bij dezelfde inlener gedetacheerd geweest ({num} eerdere periode, "
    "samen ongeveer {months} maanden). Neemt de inlener de medewerker later in dienst, dan "
    "kunnen deze periodes meetellen voor de ketenregeling (opvolgend werkgeverschap)."
)
SEVERAL_EARLIER = _l(
    "De medewerker is eerder bij dezelfde inlener gedetacheerd geweest ({num} eerdere "
    "periodes, samen ongeveer {months} maanden). Neemt de inlener de medewerker later in "
    "dienst, dan kunnen deze periodes meetellen voor de ketenregeling (opvolgend "
    "werkgeverschap)."
)


def as_date(value: Any) -> date | None:
    """A date from a `date`, a `datetime` or an ISO string; None for empty."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def as_decimal(value: Any) -> Decimal:
    """An amount from a Decimal, int, float or string; 0 for empty."""
    try:
        return Decimal(str(value)) if value not in (None, "") else Decimal(0)
    except InvalidOperation as error:
        raise ValueError(f"not an amount: {value!r}") from error


def _months(start: Any, end: Any) -> float:
    """Calendar months from start to end inclusive: 1 April-31 March is 12.0."""
    first, last = as_date(start), as_date(end)
    if not first or not last or last < first:
        return 0.0
    after = last + timedelta(days=1)
    whole = (after.year - first.year) * 12 + after.month - first.month
    return whole + (after.day - first.day) / _DAYS_PER_MONTH


def charges_fee(terms: Mapping) -> bool:
    recharge = terms.get("cost_recharge")
    if recharge == "hourly":
        return as_decimal(terms.get("hourly_rate")) > 0
    return recharge == "salary_costs"


def agreement_flags(context: Mapping) -> list[dict]:
    """The points AGREEMENT.md asks us to raise for HR: signals, not legal verdicts. Pure.

    - `repeated_secondment`: any earlier secondment of the employee to the same borrower.
    - `long_secondment`: earlier and current periods together exceed LONG_SECONDMENT_MONTHS.
    - `procurement`: a paid secondment (`cost_recharge == "hourly"`, rate > 0); cost-sharing
      at salary cost or free of charge inside the arrangement is left out.
    - `vat`: whenever money is charged (hourly rate > 0, or salary costs).
    - `cao`: the parties' cao differ, one is missing, or a GR body (Cao SGO) is involved.
    """
    terms = context.get("terms") or {}
    previous = context.get("previous_secondments") or []
    flags = []
    earlier = sum(_months(p.get("start_date"), p.get("end_date")) for p in previous)
    total = earlier + _months(terms.get("start_date"), terms.get("end_date"))
    if previous:
        flags.append(
            _flag(
                "repeated_secondment",
                _("Herhaalde detachering"),
                str(ONE_EARLIER if len(previous) == 1 else SEVERAL_EARLIER).format(
                    num=len(previous), months=round(earlier)
                ),
            )
        )
    if total > LONG_SECONDMENT_MONTHS:
        flags.append(
            _flag(
                "long_secondment",
                _("Langdurige detachering"),
                _(
                    "Met deze detachering is de medewerker in totaal ongeveer %(months)d "
                    "maanden bij dezelfde inlener gedetacheerd (signaalgrens %(limit)d "
                    "maanden). Overweeg of een structurele oplossing, zoals overplaatsing, "
                    "beter past.",
                    months=round(total),
                    limit=LONG_SECONDMENT_MONTHS,
                ),
            )
        )
    if terms.get("cost_recharge") == "hourly" and charges_fee(terms):
        flags.append(
            _flag(
                "procurement",
                _("Aanbesteding"),
                _(
                    "Betaalde detachering tegen een uurtarief: een betaalde opdracht tussen "
                    "overheden kan onder de aanbestedingsregels vallen, kosteloos uitlenen of "
                    "kostendeling binnen de regeling meestal niet. Laat nagaan of een "
                    "uitzondering geldt."
                ),
            )
        )
    if charges_fee(terms):
        chosen = terms.get("vat_treatment")
        flags.append(
            _flag(
                "vat",
                _("Btw"),
                _(
                    "Een vergoeding boven kostprijs is in beginsel btw-belast; "
                    "mobiliteitsdetacheringen en kostendeling tussen overheden zijn onder "
                    "voorwaarden vrijgesteld, anders is de btw vaak te compenseren via het "
                    "BTW-compensatiefonds."
                )
                + " "
                + (
                    _("Vastgelegde btw-behandeling: %(chosen)s.", chosen=chosen)
                    if chosen
                    else _("Er is nog geen btw-behandeling vastgelegd.")
                ),
            )
        )
    cao_text = _cao_text(context.get("lending") or {}, context.get("borrowing") or {})
    if cao_text:
        flags.append(_flag("cao", _("Cao"), cao_text))
    return flags


def _cao_text(lending: Mapping, borrowing: Mapping) -> str:
    lender_cao, borrower_cao = lending.get("cao"), borrowing.get("cao")
    parts = []
    if not lender_cao:
        parts.append(_("Leg vast welke cao voor de medewerker geldt (de cao van de uitlener)."))
    elif borrower_cao and lender_cao.strip().lower() != borrower_cao.strip().lower():
        parts.append(
            _(
                "De uitlener valt onder de %(lender)s, de inlener onder de %(borrower)s. De "
                "medewerker houdt de arbeidsvoorwaarden van de uitlener (%(lender)s).",
                lender=lender_cao,
                borrower=borrower_cao,
            )
        )
    if "gr_body" in (lending.get("kind"), borrowing.get("kind")):
        parts.append(
            _(
                "Er is een openbaar lichaam van een gemeenschappelijke regeling bij betrokken: "
                "medewerkers daarvan vallen onder de Cao SGO, gemeentelijke medewerkers onder "
                "de Cao Gemeenten. Controleer dat de juiste cao is vastgelegd."
            )
        )
    if lending.get("kind") == "gr_body" and lender_cao and "sgo" not in lender_cao.lower():
        parts.append(
            _(
                "Let op: de uitlener is een GR-organisatie, maar vastgelegd is %(cao)s.",
                cao=lender_cao,
            )
        )
    return " ".join(parts)


def _flag(code: str, title: str, text: str) -> dict:
    return {"code": code, "title": title, "text": text}
