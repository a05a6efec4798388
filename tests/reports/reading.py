"""Reading what a report shows: the tables of a page (by caption), CSV and XLSX exports, and
Dutch-formatted numbers, so tests compare figures rather than markup."""

from __future__ import annotations

import csv
import io
from decimal import Decimal, InvalidOperation
from html.parser import HTMLParser

from openpyxl import load_workbook


class _Tables(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._caption = None
        self._rows = None
        self._cell = None
        self._in_caption = False
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        hidden = "visually-hidden" in (dict(attrs).get("class") or "")
        if tag == "span" and (self._hidden or hidden):
            self._hidden += 1  # text for screen readers only: not what the page shows
            return
        if self._hidden:
            return
        if tag == "table":
            self._rows, self._caption = [], ""
        elif tag == "caption":
            self._in_caption = True
        elif tag == "tr" and self._rows is not None:
            self._rows.append([])
        elif tag in ("td", "th") and self._rows is not None:
            self._cell = ""

    def handle_endtag(self, tag):
        if self._hidden:
            if tag == "span":
                self._hidden -= 1
            return
        if tag == "caption":
            self._in_caption = False
        elif tag in ("td", "th") and self._cell is not None:
            self._rows[-1].append(" ".join(self._cell.split()))
            self._cell = None
        elif tag == "table" and self._rows is not None:
            self.tables[self._caption.strip()] = self._rows
            self._rows = None

    def handle_data(self, data):
        if self._hidden:
            return
        if self._in_caption:
            self._caption += data
        elif self._cell is not None:
            self._cell += data


def page_tables(html: str) -> dict[str, list[list[str]]]:
    """caption → rows (header row first) of cell texts, as a sighted reader sees them."""
    parser = _Tables()
    parser.feed(html)
    return parser.tables


def csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 with a byte order mark, for Excel"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


def xlsx_rows(data: bytes) -> list[list]:
    book = load_workbook(io.BytesIO(data))
    return [[cell.value for cell in row] for row in book.active.iter_rows()]


def number(text) -> Decimal | None:
    """A figure as written in Dutch ("€ 30.295,50", "80 %", "129,1") or a plain number."""
    if text is None:
        return None
    if isinstance(text, int | float | Decimal):
        return Decimal(str(text))
    cleaned = text.replace("€", "").replace("%", "").replace("\xa0", "").replace(" ", "")
    cleaned = cleaned.replace(".", "").replace(",", ".")
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        return None
