"""What each exchange type (a job's ``type``, copied onto its matches) means for a match: who
approves, which terms apply, which document results. One table, read by the operations, the
access rules, the agreement and the reports, so a type's rule holds everywhere or nowhere.

- ``klus`` and ``detachering``: one employee, three approvals (employee, lending, borrowing),
  the full secondment agreement (detacheringsovereenkomst), hours and cost as agreed.
- ``meeloopdag``: one to MAX_SHADOW_DAYS days of job shadowing. The same three approvals (the
  approving sides may be the line managers, as for any match) but no secondment agreement: a
  short *bevestiging meeloopdag* instead — a one-page PDF through the same outbox, worker,
  versions and download as the agreement, so the parties, access rules and audit trail are the
  ones they already know; an e-mail would carry personal data through a channel the privacy
  tables do not cover. A day of shadowing is not invoiced: no cost recharge.
- ``functieruil``: two people of two organisations swap roles. The match names the
  ``counterpart`` (of the job's organisation), who takes the employee's role in return. Both
  people approve first (``employee``, ``counterpart``), then both organisations (``lending``
  and ``borrowing``; each side lends and borrows). One agreement covers both directions. The
  organisations' line managers hear of it only after *both* people consented.
- ``mentoring``: no hours transfer and no cost. The hours are the mentoring time, for the
  planning only; reports count the placement but no hours, a cost recharge is refused, and
  the document (a short confirmation) says no hours are transferred and nothing is charged.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

#: A meeloopdag lasts at most this many calendar days (start and end included).
MAX_SHADOW_DAYS = 5


@dataclass(frozen=True)
class Flow:
    type: str
    #: The people who approve first, in order; the organisations decide after all of them.
    persons: tuple[str, ...] = ("employee",)
    #: The longest period in days (None: no limit beyond the job's).
    max_days: int | None = None
    #: May the lending organisation charge (cost_recharge "hourly")?
    costs: bool = True
    #: Do the hours count as lent and borrowed in the reports?
    hours_transfer: bool = True
    #: The document that results: its template under templates/agreements/ and its title.
    template: str = "agreement.html"
    title: str = "Detacheringsovereenkomst"
    #: Start of the download's file name.
    file_stem: str = "detacheringsovereenkomst"
    #: What the parties call the exchange in notices and e-mails ("De … is goedgekeurd"); every
    #: noun is a *de*-word, so one sentence serves all types.
    noun: object = _l("detachering")

    @property
    def parties(self) -> tuple[str, ...]:
        """Every party that approves, in the order of deciding."""
        return (*self.persons, "lending", "borrowing")

    @property
    def full_agreement(self) -> bool:
        """The detacheringsovereenkomst (an organisation's own template applies to it only)."""
        return self.template == "agreement.html"


FLOWS = {
    "klus": Flow("klus"),
    "detachering": Flow("detachering"),
    "meeloopdag": Flow(
        "meeloopdag",
        max_days=MAX_SHADOW_DAYS,
        costs=False,
        template="confirmation.html",
        title="Bevestiging meeloopdag",
        file_stem="bevestiging-meeloopdag",
        noun=_l("meeloopdag"),
    ),
    "functieruil": Flow(
        "functieruil",
        persons=("employee", "counterpart"),
        costs=False,
        template="functieruil.html",
        title="Functieruilovereenkomst",
        file_stem="functieruilovereenkomst",
        noun=_l("functieruil"),
    ),
    "mentoring": Flow(
        "mentoring",
        costs=False,
        hours_transfer=False,
        template="confirmation.html",
        title="Bevestiging mentoring",
        file_stem="bevestiging-mentoring",
        noun=_l("mentoring"),
    ),
}


def flow(match_or_type) -> Flow:
    """The flow of a match (or of a type name); unknown or missing is a klus."""
    kind = match_or_type if isinstance(match_or_type, str) else getattr(match_or_type, "type", None)
    return FLOWS.get(kind or "klus", FLOWS["klus"])
