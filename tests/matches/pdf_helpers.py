"""Helpers for the agreement PDF tests (tests/matches/test_pdf*.py): a realistic agreement
context, reading a rendered PDF back with pypdf, hostile context values, and a real HTTP listener
on 127.0.0.1 that counts every request it gets (the "no request left the renderer" checks).
"""

from __future__ import annotations

import http.server
import io
import re
import threading
import urllib.request
from datetime import date, datetime
from decimal import Decimal

import pytest
from pypdf import PdfReader

PASSWD_MARKER = "root:x:0:0"


def sample_context(**changes) -> dict:
    """A realistic agreement between a municipality and the GR's own public body."""
    context = {
        "reference": "DK-2026-0107",
        "version": 3,
        "arrangement": {"name": "Gemeenschappelijke regeling Meerinzicht"},
        "lending": {
            "legal_name": "Gemeente Zeewolde",
            "address": "Raadhuisplein 1\n3891 ET Zeewolde",
            "kvk": "39098765",
            "oin": "00000001003214365000",
            "vat_number": "NL003214365B01",
            "kind": "municipality",
            "cao": "Cao Gemeenten",
            "signatory": {
                "name": "Henk Visser",
                "role": "gemeentesecretaris",
                "mandate": "Mandaatregeling Zeewolde 2025",
            },
        },
        "borrowing": {
            "legal_name": "Openbaar lichaam Meerinzicht Bedrijfsvoering",
            "address": ["Stationsweg 12", "3853 LK Ermelo"],
            "kvk": "72011223",
            "kind": "gr_body",
            "cao": "Cao SGO",
            "signatory": {
                "name": "Ingrid Mulder",
                "role": "directeur bedrijfsvoering",
                "mandate": "Directiestatuut Meerinzicht, art. 7",
            },
        },
        "employee": {
            "name": "Youssef Amrani",
            "personnel_number": "ZW-88231",
            "job_title": "Adviseur informatiebeveiliging",
            "hours_per_week": 32,
        },
        "job": {
            "title": "Privacy officer",
            "tasks": "Opzetten van het verwerkingsregister.\nAdvies over DPIA's.",
            "department": "team Informatievoorziening",
            "place_of_work": "Stationsweg 12, Ermelo",
            "remote_work": "Maximaal twee dagen per week thuis.",
            "supervisor": {"name": "Kees Smit", "role": "teamleider Informatievoorziening"},
        },
        "terms": {
            "start_date": date(2026, 4, 1),
            "end_date": "2026-09-30",
            "hours_per_week": 12,
            "cost_recharge": "hourly",
            "hourly_rate": Decimal("72.00"),
            "invoicing_period": "quarter",
            "payment_term_days": 30,
            "vat_treatment": "vrijgesteld (kostendeling binnen de regeling)",
        },
        "approvals": [
            {"party": "employee", "by": "Youssef Amrani", "decision": "approve",
             "at": datetime(2026, 3, 2, 10, 0)},
            {"party": "lending", "by": "Anouk Peters", "decision": "approve",
             "at": "2026-03-03T09:30:00"},
            {"party": "borrowing", "by": "Kees Smit", "decision": None, "at": None},
        ],
        "previous_secondments": [],
    }  # fmt: skip
    for dotted, value in changes.items():
        node = context
        *parents, last = dotted.split("__")
        for part in parents:
            node = node[part]
        node[last] = value
    return context


def page_texts(data: bytes) -> list[str]:
    """Text per page, whitespace collapsed (so wrapped lines read as one)."""
    reader = PdfReader(io.BytesIO(data))
    return [re.sub(r"\s+", " ", page.extract_text()) for page in reader.pages]


def squash(text: str) -> str:
    """Without any whitespace: a long token may wrap anywhere in the PDF."""
    return re.sub(r"\s+", "", text)


def image_count(data: bytes) -> int:
    reader = PdfReader(io.BytesIO(data))
    images = set()
    for page in reader.pages:
        xobjects = page["/Resources"].get("/XObject") or {}
        for reference in xobjects.values():
            if reference.get_object().get("/Subtype") == "/Image":
                images.add(reference.idnum)
    return len(images)


def embedded_files(data: bytes) -> list[str]:
    """Everything that could carry a file inside the PDF: /EmbeddedFiles, file annotations."""
    reader = PdfReader(io.BytesIO(data))
    found = []
    names = reader.trailer["/Root"].get("/Names")
    if names is not None and "/EmbeddedFiles" in names.get_object():
        found.append("/EmbeddedFiles")
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            if annot.get_object().get("/Subtype") == "/FileAttachment":
                found.append("/FileAttachment")
    found += list(reader.attachments)
    return found


@pytest.fixture
def listener():
    """A real HTTP server on an ephemeral 127.0.0.1 port that counts the requests it gets."""
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            self.wfile.write(b"listener")

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    # Prove the listener counts before relying on a zero.
    urllib.request.urlopen(f"{base}/probe", timeout=5).read()
    assert hits == ["/probe"]
    hits.clear()
    yield base, hits
    server.shutdown()
    server.server_close()


def hostile_values(base: str) -> dict:
    return {
        "job__tasks": '<img src="file:///etc/passwd">',
        "terms__notes": '<link rel=attachment href="file:///etc/passwd">',
        "job__title": f'<img src="{base}/title">',
        "employee__name": f'"><a rel="attachment" href="{base}/name">x</a>',
        "arrangement__name": f"<style>@import url({base}/import.css);</style>",
    }
