"""Charts as server-rendered SVG: no script, no inline style (the CSP forbids both), readable
without colour (every bar and cell carries its number as text).

Each chart is an ``<svg role="img" aria-labelledby="…">`` with a ``<title>`` and a ``<desc>``;
the page puts the table with the same figures right under it (app.reports.tables), and the
description says so, so a screen reader user reads the table instead of guessing at shapes.
"""

from __future__ import annotations

from decimal import Decimal

from flask_babel import gettext as _
from markupsafe import Markup, escape

from app.numbers import format_number
from app.reports.figures import rounded

BRAND = "#1f5f8b"
NEGATIVE = "#a14d00"
TEXT = "#1b1b1b"
GRID = "#6b7280"
FONT = 'font-family="system-ui, sans-serif" font-size="13"'


def _number(value) -> str:
    return format_number(value)


def _open(chart_id: str, width: int, height: int, title: str, desc: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{chart_id}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" viewBox="0 0 {width} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" {FONT}>',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
    ]


def _two_lines(text: str, width: int = 16) -> list[str]:
    """A column head on at most two lines (split at the space nearest the middle)."""
    if len(text) <= width or " " not in text:
        return [text]
    middle = len(text) // 2
    cut = min((i for i, ch in enumerate(text) if ch == " "), key=lambda i: abs(i - middle))
    return [text[:cut], text[cut + 1 :]]


def bar_chart(chart_id: str, title: str, desc: str, items: list[tuple[str, object]]) -> Markup:
    """Horizontal bars, one per (label, value); negative values go left of a zero line."""
    label_width, bar_width, row, pad = 220, 360, 30, 10
    values = [float(v or 0) for _label, v in items]
    high = max([v for v in values if v > 0], default=0.0)
    low = -min([v for v in values if v < 0], default=0.0)
    span = (high + low) or 1.0
    # Room for a negative bar's number between the labels and the bars.
    gap = 70 if low else 0
    zero = label_width + gap + bar_width * (low / span)
    width = label_width + gap + bar_width + 90
    height = pad * 2 + row * max(1, len(items))
    parts = _open(chart_id, width, height, title, desc)
    for index, ((label, value), number) in enumerate(zip(items, values, strict=True)):
        y = pad + index * row
        length = bar_width * abs(number) / span
        x = zero - length if number < 0 else zero
        colour = NEGATIVE if number < 0 else BRAND
        parts.append(
            f'<text x="{label_width - 8}" y="{y + row * 0.65:.1f}" text-anchor="end" '
            f'fill="{TEXT}">{escape(label)}</text>'
        )
        parts.append(
            f'<rect x="{x:.1f}" y="{y + 5}" width="{max(length, 0.5):.1f}" height="{row - 10}" '
            f'fill="{colour}"/>'
        )
        text_x = (x - 6) if number < 0 else (x + length + 6)
        anchor = "end" if number < 0 else "start"
        parts.append(
            f'<text x="{text_x:.1f}" y="{y + row * 0.65:.1f}" text-anchor="{anchor}" '
            f'fill="{TEXT}">{escape(_number(value))}</text>'
        )
    parts.append(
        f'<line x1="{zero:.1f}" y1="{pad - 4}" x2="{zero:.1f}" y2="{height - pad + 4}" '
        f'stroke="{GRID}" stroke-width="1"/>'
    )
    parts.append("</svg>")
    return Markup("\n".join(parts))  # noqa: S704  every text above went through escape()


def heat_grid(
    chart_id: str,
    title: str,
    desc: str,
    labels: list[tuple[int, str]],
    cells: dict[tuple[int, int], tuple[int, Decimal]],
    scope: int | None = None,
) -> Markup:
    """A from (rows) → to (columns) grid; the darker a cell, the more hours; each cell shows
    "placements · hours" as text. With ``scope`` (an organisation id), pairs not involving it
    are left blank: they are not part of that organisation's report."""
    head, top, size_w, size_h = 200, 56, 140, 44
    width = head + size_w * max(1, len(labels))
    height = top + size_h * max(1, len(labels))
    most = max((float(h) for _n, h in cells.values()), default=0.0) or 1.0
    parts = _open(chart_id, width, height, title, desc)
    for column, (_org_id, name) in enumerate(labels):
        x = head + column * size_w + size_w / 2
        lines = _two_lines(name)
        spans = "".join(
            f'<tspan x="{x:.1f}" dy="{0 if i == 0 else 16}">{escape(line)}</tspan>'
            for i, line in enumerate(lines)
        )
        y = top - 10 - 16 * (len(lines) - 1)
        parts.append(f'<text y="{y}" text-anchor="middle" fill="{TEXT}">{spans}</text>')
    for row, (from_id, from_name) in enumerate(labels):
        y = top + row * size_h
        parts.append(
            f'<text x="{head - 8}" y="{y + size_h * 0.6:.1f}" text-anchor="end" '
            f'fill="{TEXT}">{escape(from_name)}</text>'
        )
        for column, (to_id, _to_name) in enumerate(labels):
            x = head + column * size_w
            if scope is not None and scope not in (from_id, to_id):
                continue
            placements, hours = cells.get((from_id, to_id), (0, Decimal(0)))
            share = float(hours) / most if placements else 0.0
            opacity = 0.08 + 0.92 * share
            ink = "#ffffff" if share > 0.5 else TEXT
            parts.append(
                f'<rect x="{x + 2}" y="{y + 2}" width="{size_w - 4}" height="{size_h - 4}" '
                f'fill="{BRAND}" fill-opacity="{opacity:.2f}" stroke="{GRID}" stroke-width="0.5"/>'
            )
            text = f"{placements} · {_number(hours)} u" if placements else "–"
            parts.append(
                f'<text x="{x + size_w / 2:.1f}" y="{y + size_h * 0.6:.1f}" '
                f'text-anchor="middle" fill="{ink}">{escape(text)}</text>'
            )
    parts.append("</svg>")
    return Markup("\n".join(parts))  # noqa: S704  every text above went through escape()


def for_placements(report, tables: dict, rows_per_page: int | None = None) -> dict[str, Markup]:
    """The charts of the placements page, with the figures of its tables (the grid's table
    shown ``rows_per_page`` rows a page, where it has more)."""

    below = _("De tabel onder deze grafiek geeft dezelfde cijfers.")
    grid_below = below
    if rows_per_page and len(tables["detacheringen"].rows) > rows_per_page:
        grid_below = _(
            "De tabel onder deze grafiek geeft dezelfde cijfers, %(n)d rijen per pagina; de "
            "export bevat ze allemaal.",
            n=rows_per_page,
        )
    cells = {
        (c.lending_id, c.borrowing_id): (c.placements, rounded(c.hours)) for c in report.matrix
    }
    if report.organisation is None:
        labels = [(o.id, report.names[o.id].name) for o in report.organisations]
    else:  # one organisation: it and its partners; pairs without it are not part of the report
        own = report.organisation.id
        ids = {own} | {i for pair in cells for i in pair}
        labels = [(i, o.name) for i, o in sorted(report.names.items(), key=lambda x: x[1].name)]
        labels = [(i, name) for i, name in labels if i in ids]
    return {
        "detacheringen": heat_grid(
            "chart-detacheringen",
            tables["detacheringen"].title,
            _(
                "Raster met per rij de uitlenende en per kolom de inlenende organisatie; in elk "
                "vak het aantal detacheringen en de uren. Hoe donkerder, hoe meer uren."
            )
            + " "
            + grid_below,
            labels,
            cells,
            scope=None if report.organisation is None else report.organisation.id,
        ),
        "saldo": bar_chart(
            "chart-saldo",
            tables["saldo"].title,
            _("Staafdiagram van het saldo in uren per organisatie; links van de lijn is negatief.")
            + " "
            + below,
            [(row[0], row[3]) for row in tables["saldo"].rows],
        ),
        "open-klussen": bar_chart(
            "chart-open-klussen",
            tables["open-klussen"].title,
            _("Staafdiagram van het aantal open klussen per leeftijdsgroep.") + " " + below,
            [(row[0], row[1]) for row in tables["open-klussen"].rows],
        ),
    }


def for_trends(table) -> Markup:
    """The trends page's chart: hours per month (a withheld month has no bar, its number reads
    "afgeschermd" in the table under it)."""

    return bar_chart(
        "chart-trends",
        _("Uren per maand"),
        _(
            "Staafdiagram van de uren per maand; een maand zonder staaf is leeg of afgeschermd. "
            "De tabel onder deze grafiek geeft dezelfde cijfers."
        ),
        [(row[0], row[2]) for row in table.rows],
    )
