"""Every table of the report pages, defined once: the page shows it, the exports write it and
the charts draw it, so an export holds exactly the figures on the page.

A table has columns (a label and a kind that says how to show the value) and rows of plain
values; ``None`` in a number column means "withheld" (participation) or "not known".
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from fractions import Fraction

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.reports import figures
from app.reports.figures import AGE_BUCKETS, rounded
from app.reports.participation import NO_DEPARTMENT

KINDS = ("text", "count", "hours", "days", "percent", "money", "date")

PARTY_LABELS = {
    "employee": _l("Medewerker"),
    "lending": _l("Uitlenende organisatie"),
    "borrowing": _l("Inlenende organisatie"),
}
AGE_LABELS = {
    "0-7": _l("0 tot en met 7 dagen"),
    "8-30": _l("8 tot en met 30 dagen"),
    "31-90": _l("31 tot en met 90 dagen"),
    "91+": _l("Meer dan 90 dagen"),
}


@dataclass
class Column:
    label: str
    kind: str = "text"
    row_header: bool = False


@dataclass
class Table:
    key: str  # the export's name in the URL: /rapportages/<key>/export.csv
    title: str
    columns: list[Column]
    rows: list[list] = field(default_factory=list)
    empty: str = ""  # shown instead of an empty table
    # Per-row kinds for the value column of a two-column table of mixed figures.
    row_kinds: list[str] | None = None
    # Per-row link for the row header (pages only; exports write the text).
    links: list[str] | None = None
    # Which page of the rows a page shows (see :func:`paged`); exports write every row.
    page: int = 1
    pages: int = 1

    def kind(self, row: int, column: int) -> str:
        if self.row_kinds is not None and column == len(self.columns) - 1:
            return self.row_kinds[row]
        return self.columns[column].kind


def paged(table: Table, page: int, size: int) -> Table:
    """The table with one page of its rows (``page`` from 1; beyond the last: the last), for a
    page that would otherwise show thousands: a five-year matrix of a 40-organisation
    arrangement has ~1,600 pairs, and writing them cost more than the rest of the report. The
    exports and the charts keep every row."""
    pages = max(1, -(-len(table.rows) // size))
    page = min(max(1, page), pages)
    if pages == 1:
        return table
    first = (page - 1) * size
    return replace(
        table,
        rows=table.rows[first : first + size],
        links=table.links[first : first + size] if table.links is not None else None,
        row_kinds=table.row_kinds[first : first + size] if table.row_kinds is not None else None,
        page=page,
        pages=pages,
    )


# --- the placements page -------------------------------------------------------------------------


def placements_tables(report: figures.Report) -> dict[str, Table]:
    names = {org_id: org.name for org_id, org in report.names.items()}
    tables = [
        _matrix(report, names),
        _balance(report, names),
        _open_jobs(report),
        _waiting_counts(report),
        _waiting_list(report, names),
        _key_figures(report),
    ]
    return {table.key: table for table in tables}


def _matrix(report, names) -> Table:
    return Table(
        "detacheringen",
        _("Detacheringen van organisatie naar organisatie"),
        [
            Column(_("Uitlenende organisatie"), row_header=True),
            Column(_("Inlenende organisatie")),
            Column(_("Detacheringen"), "count"),
            Column(_("Uren in de periode"), "hours"),
        ],
        [
            [names[c.lending_id], names[c.borrowing_id], c.placements, rounded(c.hours)]
            for c in report.matrix
        ],
        empty=_("Geen detacheringen in deze periode."),
    )


def _balance(report, names) -> Table:
    return Table(
        "saldo",
        _("Saldo per organisatie: uren uitgeleend min uren ingeleend"),
        [
            Column(_("Organisatie"), row_header=True),
            Column(_("Uren uitgeleend"), "hours"),
            Column(_("Uren ingeleend"), "hours"),
            Column(_("Saldo (uren)"), "hours"),
        ],
        [[names[row.organisation_id], *_lent_borrowed_balance(row)] for row in report.balance],
    )


def _lent_borrowed_balance(row) -> list[Decimal]:
    lent, borrowed = rounded(row.lent), rounded(row.borrowed)
    return [lent, borrowed, lent - borrowed]


def _open_jobs(report) -> Table:
    return Table(
        "open-klussen",
        _("Open klussen naar leeftijd (dagen sinds plaatsing, vandaag)"),
        [Column(_("Leeftijd"), row_header=True), Column(_("Open klussen"), "count")],
        [[str(AGE_LABELS[key]), report.open_jobs[key]] for _first, _last, key in AGE_BUCKETS],
    )


def _waiting_counts(report) -> Table:
    counts = report.waiting_counts
    rows = [[str(PARTY_LABELS[party]), count] for party, count in counts.items()]
    rows.append([_("Voorstellen die op iemand wachten (totaal)"), len(report.waiting)])
    return Table(
        "wachtende-voorstellen",
        _("Voorstellen die wachten op een besluit, naar wie ze wachten"),
        [Column(_("Wacht op"), row_header=True), Column(_("Voorstellen"), "count")],
        rows,
    )


def _waiting_list(report, names) -> Table:
    return Table(
        "voorstellen",
        _("Wachtende voorstellen"),
        [
            Column(_("Klus"), row_header=True),
            Column(_("Uitlenende organisatie")),
            Column(_("Inlenende organisatie")),
            Column(_("Wacht op")),
            Column(_("Wacht sinds"), "date"),
        ],
        [
            [
                item.job_title,
                names[item.lending_id],
                names[item.borrowing_id],
                ", ".join(str(PARTY_LABELS[p]) for p in item.parties),
                item.since,
            ]
            for item in report.waiting
        ],
        empty=_("Er wachten geen voorstellen."),
        links=[url_for("matches.detail", match_id=item.match_id) for item in report.waiting],
    )


def _hour_figures(report) -> list[tuple]:
    """The hours next to the balance table, with the same words. For the arrangement: all
    placement hours. For one organisation a single "hours seconded" figure was its hours
    *borrowed* (the base of the avoided-hiring estimate), which read as 0 next to a balance
    showing hours lent: so both, the lent ones as in the balance table, and the ones worked at
    the organisation (borrowed and internal), on which the estimate rests."""
    if report.organisation is None:
        return [(_("Uren gedetacheerd in de periode"), report.hours_total, "hours")]
    row = next((r for r in report.balance if r.organisation_id == report.organisation.id), None)
    lent = rounded(row.lent) if row is not None else rounded(0)
    return [
        (_("Uren uitgeleend aan andere organisaties in de periode"), lent, "hours"),
        (
            _("Uren gewerkt bij deze organisatie in de periode (ingeleend en intern)"),
            report.hours_total,
            "hours",
        ),
    ]


def _key_figures(report) -> Table:
    d, fill = report.durations, report.fill
    rate = fill.rate
    rows = [
        (_("Detacheringen overeengekomen in de periode"), d.count, "count"),
        (_("Dagen van plaatsing klus tot overeenkomst: mediaan"), d.median, "days"),
        (_("Dagen van plaatsing klus tot overeenkomst: 75e percentiel"), d.p75, "days"),
        (_("Plaatsen in klussen geplaatst in de periode"), fill.offered, "count"),
        (_("Waarvan gevuld"), fill.filled, "count"),
        (_("Vulgraad"), None if rate is None else rounded(rate * 100), "percent"),
        *_hour_figures(report),
        (_("Extern uurtarief"), report.external_rate, "money"),
        (_("Geschatte vermeden externe inhuur"), report.avoided, "money"),
    ]
    return Table(
        "kengetallen",
        _("Kengetallen"),
        [Column(_("Kengetal"), row_header=True), Column(_("Waarde"), "count")],
        [[str(label), value] for label, value, _kind in rows],
        row_kinds=[kind for _label, _value, kind in rows],
    )


# --- the participation page ----------------------------------------------------------------------


def participation_table(report) -> Table:
    names = {o.id: o.name for o in report.organisations}
    rows = []
    for row in report.rows:
        if row.whole:
            department = _("Hele organisatie")
        elif row.department_id is None:
            department = _("Zonder afdeling")
        else:
            department = report.departments[row.department_id].name
        rows.append([names[row.organisation_id], department, row.offers, row.applications])
    return Table(
        "deelname",
        _("Deelname: mensen met aanbod en mensen met een reactie"),
        [
            Column(_("Organisatie"), row_header=True),
            Column(_("Afdeling")),
            Column(_("Mensen met aanbod"), "count"),
            Column(_("Mensen met een reactie"), "count"),
        ],
        rows,
    )


def department_key(report, row) -> str | None:
    """The API's department: its slug, NO_DEPARTMENT, or None for the whole organisation."""
    if row.whole:
        return None
    if row.department_id is None:
        return NO_DEPARTMENT
    return report.departments[row.department_id].slug


def as_number(value) -> float | int | None:
    """A figure for JSON: whole numbers stay whole."""
    if value is None:
        return None
    if isinstance(value, Fraction):
        value = rounded(value)
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


# --- the finance statement and the trends (issue 14) ---------------------------------------------

COST_BASIS_LABELS = {
    "employer_costs": _l("Werkgeverslasten"),
    "hourly_rate": _l("Vast uurtarief"),
    "none": _l("Geen vergoeding"),
}
VAT_LABELS = {
    "vat_21": _l("21 procent btw"),
    "exempt_cost_sharing": _l("Geen btw: kostendeling tegen werkelijke kosten"),
    "no_fee": _l("Geen btw: geen vergoeding"),
}


def finance_tables(statement) -> dict[str, Table]:
    names = statement.names
    lines = Table(
        "financieel-regels",
        _("Regels per detachering"),
        [
            Column(_("Uitlenende organisatie (ontvangt)"), row_header=True),
            Column(_("Inlenende organisatie (betaalt)")),
            Column(_("Klus")),
            Column(_("Medewerker")),
            Column(_("Kostenbasis")),
            Column(_("Uren"), "hours"),
            Column(_("Uren volgens")),
            Column(_("Bedrag per uur"), "money"),
            Column(_("Bedrag excl. btw"), "money"),
            Column(_("Btw-behandeling")),
            Column(_("Reden btw")),
            Column(_("Btw"), "money"),
            Column(_("Totaal incl. btw"), "money"),
        ],
        [
            [
                names.get(pair.lending_id, ""),
                names.get(pair.borrowing_id, ""),
                line.placement.job_title,
                line.placement.employee_name,
                str(COST_BASIS_LABELS[line.placement.cost_basis]),
                line.hours,
                _("bevestigd") if line.realised else _("afgesproken"),
                line.rate,
                line.amount,
                str(VAT_LABELS[line.placement.vat_code]),
                line.placement.vat_reason,
                line.vat,
                line.total,
            ]
            for pair in statement.pairs
            for line in pair.lines
        ],
        empty=_("Geen detacheringen tussen organisaties in deze maand."),
    )
    pairs = Table(
        "financieel-per-paar",
        _("Totalen per organisatiepaar"),
        [
            Column(_("Uitlenende organisatie (ontvangt)"), row_header=True),
            Column(_("Inlenende organisatie (betaalt)")),
            Column(_("Detacheringen"), "count"),
            Column(_("Uren"), "hours"),
            Column(_("Bedrag excl. btw"), "money"),
            Column(_("Btw"), "money"),
            Column(_("Totaal incl. btw"), "money"),
        ],
        [
            [
                names.get(pair.lending_id, ""),
                names.get(pair.borrowing_id, ""),
                len(pair.lines),
                pair.hours,
                pair.amount,
                pair.vat,
                pair.total,
            ]
            for pair in statement.pairs
        ],
        empty=_("Geen detacheringen tussen organisaties in deze maand."),
    )
    return {table.key: table for table in (pairs, lines)}


def trends_table(months) -> Table:
    return Table(
        "trends",
        _("Trends per maand"),
        [
            Column(_("Maand"), row_header=True),
            Column(_("Detacheringen"), "count"),
            Column(_("Uren"), "count"),
            Column(_("Vulgraad (%)"), "percent"),
            Column(_("Dagen van plaatsing klus tot overeenkomst: mediaan"), "days"),
        ],
        [
            [m.month.strftime("%Y-%m"), m.placements, m.hours, m.fill_rate, m.median_days]
            for m in months
        ],
    )
