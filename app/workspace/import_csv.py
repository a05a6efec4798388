"""Reading a CSV export of an HR system: encoding, delimiter, header row, and a first guess of
which column holds which field (HR confirms or corrects the guess on screen).

HR systems (AFAS, Youforce, Visma) and Excel write UTF-8 (often with a byte order mark) or
Windows-1252, separated by commas or semicolons (the Dutch Excel default) or tabs.
"""

from __future__ import annotations

import csv
import io
import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.errors import InvalidInput

#: The fields an import can fill, in the order of the mapping screen.
FIELDS = ("email", "name", "department", "personnel_number", "job_title", "contract_hours")
FIELD_LABELS = {
    "email": _l("E-mailadres"),
    "name": _l("Naam"),
    "department": _l("Afdeling"),
    "personnel_number": _l("Personeelsnummer"),
    "job_title": _l("Functie"),
    "contract_hours": _l("Contracturen per week"),
}
MAX_BYTES = 1_000_000
MAX_ROWS = 5000
MAX_COLUMNS = 60
MAX_CELL = 400

#: Header spellings (lower case, letters and digits only) recognised for each field.
SYNONYMS = {
    "email": {"email", "emailadres", "mail", "mailadres", "werkmail", "emailzakelijk", "eadres"},
    "name": {"name", "naam", "volledigenaam", "medewerker", "naammedewerker", "fullname"},
    "department": {"department", "afdeling", "team", "organisatieonderdeel", "afdelingsnaam"},
    "personnel_number": {
        "personnelnumber",
        "personeelsnummer",
        "personeelsnr",
        "pnr",
        "medewerkernummer",
        "employeeid",
        "employeenumber",
        "registratienummer",
    },
    "job_title": {"jobtitle", "functie", "functienaam", "functietitel", "title"},
    "contract_hours": {
        "contracthours",
        "contracturen",
        "urenperweek",
        "uren",
        "contracturenperweek",
        "arbeidsduur",
    },
}


class CsvError(InvalidInput, ValueError):
    """The file cannot be read as a CSV export; the message says why, in Dutch."""


def _decode(data: bytes) -> str:
    if b"\x00" in data:
        raise CsvError(_("Dit is geen CSV-bestand (tekst met kolommen)."))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _dialect(sample: str) -> type[csv.Dialect] | csv.Dialect:
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        first = sample.splitlines()[0] if sample else ""
        best = max(",;\t", key=first.count)

        class Simple(csv.excel):
            delimiter = best

        return Simple


def parse(data: bytes) -> tuple[list[str], list[list[str]]]:
    """(headers, data rows) of the file; fully empty rows are left out."""
    if not data or not data.strip():
        raise CsvError(_("Het bestand is leeg."))
    if len(data) > MAX_BYTES:
        raise CsvError(_("Het bestand is te groot (hoogstens 1 MB)."))
    text = _decode(data)
    try:
        reader = csv.reader(io.StringIO(text, newline=""), _dialect(text[:4096]))
        rows = [[cell.strip() for cell in row] for row in reader]
    except csv.Error:
        raise CsvError(_("Het bestand kan niet als CSV gelezen worden.")) from None
    rows = [row for row in rows if any(row)]
    if not rows:
        raise CsvError(_("Het bestand is leeg."))
    headers, body = rows[0], rows[1:]
    if len(headers) > MAX_COLUMNS:
        raise CsvError(_("Het bestand heeft te veel kolommen (hoogstens %(n)s).", n=MAX_COLUMNS))
    if len(body) > MAX_ROWS:
        raise CsvError(_("Het bestand heeft te veel regels (hoogstens %(n)s).", n=MAX_ROWS))
    if not body:
        raise CsvError(_("Het bestand heeft een kopregel maar geen medewerkers."))
    headers = [h[:MAX_CELL] or _("kolom %(n)s", n=i + 1) for i, h in enumerate(headers)]
    if len(set(headers)) != len(headers):
        raise CsvError(_("Twee kolommen in de kopregel hebben dezelfde naam."))
    return headers, [[cell[: MAX_CELL + 1] for cell in row] for row in body]


def _key(header: str) -> str:
    return re.sub(r"[^a-z0-9]", "", header.lower())


def guess_mapping(headers: list[str]) -> dict[str, str]:
    """field → header, for the headers whose name is a known spelling of the field."""
    mapping: dict[str, str] = {}
    for field in FIELDS:
        for header in headers:
            if _key(header) in SYNONYMS[field] and header not in mapping.values():
                mapping[field] = header
                break
    return mapping
