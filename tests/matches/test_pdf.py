"""The secondment agreement PDF: what it must hold, what it must never fetch or embed.

Real WeasyPrint renders, read back with pypdf; the "no request left the renderer" checks use a
real HTTP listener on 127.0.0.1 that counts every request it gets.
"""

from __future__ import annotations

import copy
import http.server
import io
import re
import threading
import urllib.request
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from jinja2 import TemplateNotFound
from jinja2.exceptions import SecurityError
from pypdf import PdfReader

from app.matches import pdf

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


# --- Content ------------------------------------------------------------------------------------


def test_pdf_holds_parties_terms_signatories_and_page_numbers():
    """Rule: the agreement names both parties (legal name, address, KvK), who signs on which
    mandate, the employee, job, hours, dates and rate, and numbers pages "Pagina i van n"."""
    texts = page_texts(pdf.render_agreement_pdf(sample_context()))
    text = " ".join(texts).replace("\xa0", " ")
    for expected in (
        "Detacheringsovereenkomst",
        "Gemeente Zeewolde",
        "Raadhuisplein 1, 3891 ET Zeewolde",
        "KvK-nummer 39098765",
        "OIN 00000001003214365000",
        "Openbaar lichaam Meerinzicht Bedrijfsvoering",
        "Stationsweg 12, 3853 LK Ermelo",
        "Henk Visser",
        "gemeentesecretaris",
        "Mandaatregeling Zeewolde 2025",
        "Ingrid Mulder",
        "Directiestatuut Meerinzicht, art. 7",
        "Youssef Amrani",
        "ZW-88231",
        "Adviseur informatiebeveiliging",
        "Privacy officer",
        "12 uur per week",
        "1 april 2026",
        "30 september 2026",
        "€ 72,00",
        "per kwartaal",
        "Kees Smit",
        "Artikel 20",
    ):
        assert expected in text, expected
    for number, page in enumerate(texts, 1):
        assert f"Pagina {number} van {len(texts)}" in page


def test_every_page_says_model_not_legal_advice_with_version_and_reference():
    """Rule: each page's footer says it is a model agreement, not legal advice, with the
    agreement's version and reference."""
    for page in page_texts(pdf.render_agreement_pdf(sample_context())):
        assert "Dit is een modelovereenkomst en geen juridisch advies." in page
        assert "Kenmerk DK-2026-0107 · versie 3" in page


def test_approval_trail_is_on_the_last_page():
    """Rule: the last page holds the approval trail: party, who, decision, when. The sample's
    times are naive, as the database stores them: UTC, printed in Amsterdam time (CET, +1)."""
    texts = page_texts(pdf.render_agreement_pdf(sample_context()))
    last = texts[-1]
    assert "Goedkeuringen in Deelkracht" in last
    for expected in (
        "Medewerker Youssef Amrani Akkoord 2 maart 2026, 11:00",
        "Uitlenende organisatie Anouk Peters Akkoord 3 maart 2026, 10:30",
        "Inlenende organisatie Kees Smit Nog geen besluit",
    ):
        assert expected in last
    assert all("Goedkeuringen in Deelkracht" not in page for page in texts[:-1])


def test_hr_flags_are_never_printed_in_the_agreement():
    """Rule: the flags are HR's internal signals (match page), not part of the contract the
    employee signs: not printed when they apply, nor when the caller hands them in."""
    context = sample_context(
        previous_secondments=[{"start_date": "2023-01-01", "end_date": "2025-12-31"}]
    )
    flags = pdf.agreement_flags(context)
    assert {flag["code"] for flag in flags} >= {"procurement", "vat", "long_secondment"}
    for given in (context, {**context, "flags": flags}):
        text = " ".join(page_texts(pdf.render_agreement_pdf(given)))
        assert "Aandachtspunten" not in text and "Signalen voor P&O" not in text
        for flag in flags:
            assert squash(flag["text"][:60]) not in squash(text), flag["code"]


def test_missing_required_keys_are_named():
    """Rule: a context without what the agreement needs is refused, naming the keys."""
    context = sample_context()
    del context["lending"]["kvk"]
    context["terms"]["hourly_rate"] = None
    with pytest.raises(ValueError, match=r"lending\.kvk.*terms\.hourly_rate"):
        pdf.render_agreement_pdf(context)


def test_render_does_not_change_the_callers_context():
    """Rule: rendering is read-only towards the context the domain hands in."""
    context = sample_context()
    before = copy.deepcopy(context)
    pdf.render_agreement_pdf(context)
    assert context == before


def test_logo_bytes_are_embedded_and_other_formats_skipped(listener):
    """Rule: an organisation's PNG/JPEG logo is embedded through a data: URI we create; any other
    format (e.g. SVG that could reference URLs) is left out and fetches nothing."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), (26, 77, 128)).save(buffer, format="PNG")
    with_logo = pdf.render_agreement_pdf(sample_context(logo=buffer.getvalue()))
    assert image_count(with_logo) == 1

    base, hits = listener
    svg = f'<svg xmlns="http://www.w3.org/2000/svg"><image href="{base}/svg"/></svg>'.encode()
    without = pdf.render_agreement_pdf(sample_context(logo=svg))
    assert image_count(without) == 0
    assert hits == []


# --- Hostile input --------------------------------------------------------------------------------


def test_unguarded_weasyprint_would_reach_the_listener(listener):
    """Control for the tests below: WeasyPrint's default fetcher does contact the listener, so a
    zero count there means our guard held, not that the listener was deaf."""
    import weasyprint

    base, hits = listener
    weasyprint.HTML(string=f'<img src="{base}/control">').write_pdf()
    assert hits == ["/control"]


def test_hostile_context_values_render_as_text_and_fetch_nothing(listener):
    """Rule: every context value is autoescaped: markup in a field is printed as text, never
    fetched, never attached, and no local file is read into the PDF."""
    assert Path("/etc/passwd").is_file()
    base, hits = listener
    data = pdf.render_agreement_pdf(sample_context(**hostile_values(base)))
    text = squash(" ".join(page_texts(data)))
    assert hits == []
    assert embedded_files(data) == []
    assert PASSWD_MARKER not in text
    assert squash('<img src="file:///etc/passwd">') in text
    assert squash("<link rel=attachment") in text
    assert squash(f'<img src="{base}/title">') in text


def test_sandboxed_override_cannot_fetch_attach_or_read_files(listener):
    """Rule: an organisation's own template may hold any markup, yet WeasyPrint fetches nothing
    outside our assets: no http(s), no file:, no foreign data: URI, no attachments."""
    base, hits = listener
    svg = f"<svg xmlns='http://www.w3.org/2000/svg'><image href='{base}/svg'/></svg>"
    override = f"""<!doctype html><html lang="nl"><head>
<link rel="stylesheet" href="{base}/style.css">
<link rel="attachment" href="file:///etc/passwd" title="passwd">
<link rel="attachment" href="deelkracht-asset:agreement.css">
<style>@import url("{base}/import.css"); body {{ background: url("file:///etc/passwd"); }}</style>
</head><body>
<h1>Detacheringsovereenkomst {{{{ reference }}}}</h1>
<p>{{{{ job.title }}}} — {{{{ job.tasks }}}} — {{{{ terms.notes }}}}</p>
<img src="file:///etc/passwd"><img src="{base}/img">
<a rel="attachment" href="file:///etc/passwd">bijlage</a>
<a rel="attachment" href="{base}/attachment">bijlage 2</a>
<img src="data:image/svg+xml,{svg}">
<object data="{base}/object"></object>
<iframe src="file:///etc/passwd"></iframe>
</body></html>"""
    data = pdf.render_agreement_pdf(
        sample_context(**hostile_values(base)), template_source=override
    )
    text = squash(" ".join(page_texts(data)))
    assert hits == []
    assert embedded_files(data) == []
    assert PASSWD_MARKER not in text
    assert squash('<img src="file:///etc/passwd">') in text
    assert squash(f'<img src="{base}/title">') in text
    assert squash("Detacheringsovereenkomst DK-2026-0107") in text


@pytest.mark.parametrize(
    "source",
    [
        "{{ ''.__class__.__mro__ }}",
        "{{ reference.__class__ }}",
        "{{ cycler.__init__.__globals__ }}",
        "{{ lending.signatory.__class__.__subclasses__() }}",
        "{{ ''.format.__globals__ }}",
    ],
)
def test_sandbox_refuses_unsafe_template_code(source):
    """Rule: an override cannot reach Python internals: the sandbox raises SecurityError."""
    with pytest.raises(SecurityError):
        pdf.render_agreement_pdf(sample_context(), template_source=source)


@pytest.mark.parametrize(
    "source",
    [
        "{% include '/etc/passwd' %}",
        "{% include '../../../../etc/passwd' %}",
        "{% import '/etc/passwd' as secrets %}",
        "{% extends 'agreement.html' %}",
    ],
)
def test_sandbox_override_cannot_load_templates_or_files(source):
    """Rule: an override has no template loader: include/import/extends find nothing."""
    with pytest.raises(TemplateNotFound):
        pdf.render_agreement_pdf(sample_context(), template_source=source)


def test_override_output_is_autoescaped():
    """Rule: autoescape is on in the sandbox too: a value cannot become markup."""
    html = pdf.render_agreement_html(
        sample_context(job__title="<b>baas</b>"), template_source="<p>{{ job.title }}</p>"
    )
    assert html == "<p>&lt;b&gt;baas&lt;/b&gt;</p>"


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "FILE:///etc/passwd",
        "http://127.0.0.1/x",
        "https://example.org/x.css",
        "ftp://example.org/x",
        "data:text/plain,hallo",
        "deelkracht-asset:../../pyproject.toml",
        "deelkracht-asset:%2e%2e/%2e%2e/pyproject.toml",
        "deelkracht-asset:/etc/passwd",
        "deelkracht-asset://agreement.css",
        "deelkracht-asset:agreement.html",
        "deelkracht-asset:missing.css",
        "agreement.css",
    ],
)
def test_fetcher_refuses_everything_but_our_assets(url):
    """Rule: the URL fetcher serves only the agreement's own assets: any other scheme, path
    traversal or file outside the whitelist raises, so WeasyPrint skips it."""
    with pytest.raises(pdf.ForbiddenResourceError):
        pdf.safe_url_fetcher(url)


def test_fetcher_serves_our_css_and_the_data_uris_we_made():
    """Rule: the agreement CSS comes through our scheme; a data: URI only when we created it."""
    response = pdf.safe_url_fetcher("deelkracht-asset:agreement.css")
    assert b"@page" in response.read()
    assert response.content_type == "text/css"
    uri = "data:image/png;base64,AAAA"
    served = pdf.safe_url_fetcher(uri, data_uris={uri: ("image/png", b"png-bytes")})
    assert served.read() == b"png-bytes"


# --- Flags --------------------------------------------------------------------------------------


def codes(context) -> list[str]:
    return [flag["code"] for flag in pdf.agreement_flags(context)]


def free_context(**changes) -> dict:
    calm = {
        "terms__cost_recharge": "none",
        "borrowing__kind": "municipality",
        "borrowing__cao": "Cao Gemeenten",
    }
    return sample_context(**{**calm, **changes})


def test_no_flags_for_a_free_first_secondment_under_one_cao():
    """Rule: nothing to flag for a free, first, short secondment between two municipalities."""
    assert codes(free_context()) == []


def test_earlier_secondment_to_the_same_borrower_is_flagged():
    """Rule: repeated secondments of the same person to the same borrower are flagged (chain
    rules may count them), with the number of earlier periods."""
    context = free_context(
        previous_secondments=[{"start_date": "2025-01-01", "end_date": "2025-06-30"}]
    )
    flags = pdf.agreement_flags(context)
    assert [flag["code"] for flag in flags] == ["repeated_secondment"]
    assert "1 eerdere periode," in flags[0]["text"]


def test_secondments_adding_up_beyond_24_months_are_flagged():
    """Rule: earlier and current periods together above 24 months are flagged as long; a single
    secondment of 24 months or less is not."""
    long_one = free_context(
        previous_secondments=[{"start_date": date(2024, 1, 1), "end_date": date(2025, 12, 31)}]
    )
    assert codes(long_one) == ["repeated_secondment", "long_secondment"]
    assert codes(free_context(terms__end_date="2028-03-31")) == []
    assert codes(free_context(terms__end_date="2028-06-30")) == ["long_secondment"]


def test_paid_secondment_raises_procurement_and_vat_notes():
    """Rule: an hourly rate above zero is a paid secondment: procurement and VAT notes, with
    the VAT treatment that was recorded (or a note that none was)."""
    context = free_context(terms__cost_recharge="hourly", terms__hourly_rate="55.10",
                           terms__vat_treatment="btw belast, 21%")  # fmt: skip
    flags = {flag["code"]: flag for flag in pdf.agreement_flags(context)}
    assert list(flags) == ["procurement", "vat"]
    assert "btw belast, 21%" in flags["vat"]["text"]
    context["terms"]["vat_treatment"] = None
    assert "nog geen btw-behandeling" in pdf.agreement_flags(context)[1]["text"]


def test_zero_rate_and_salary_costs():
    """Rule: a zero hourly rate is not paid; recharging salary costs is cost-sharing: a VAT note
    but no procurement note."""
    assert codes(free_context(terms__cost_recharge="hourly", terms__hourly_rate=0)) == []
    assert codes(free_context(terms__cost_recharge="salary_costs")) == ["vat"]


def test_cao_note_when_caos_differ_or_a_gr_body_is_involved():
    """Rule: a CAO note when the parties' cao differ, when the lender's is not recorded, or when
    a GR's public body (Cao SGO) takes part."""
    gr = pdf.agreement_flags(free_context(borrowing__kind="gr_body", borrowing__cao="Cao SGO"))
    assert [flag["code"] for flag in gr] == ["cao"]
    assert "Cao SGO" in gr[0]["text"] and "Cao Gemeenten" in gr[0]["text"]
    assert codes(free_context(lending__cao=None)) == ["cao"]
    wrong = pdf.agreement_flags(free_context(lending__kind="gr_body"))
    assert "de uitlener is een GR-organisatie" in wrong[0]["text"]


def test_flags_are_pure_and_well_formed():
    """Rule: flags are computed without side effects (HR sees them before approval) and each
    has a code, a Dutch title and a Dutch text."""
    context = sample_context(
        previous_secondments=[{"start_date": "2023-01-01", "end_date": "2025-12-31"}]
    )
    before = copy.deepcopy(context)
    flags = pdf.agreement_flags(context)
    assert context == before
    assert pdf.agreement_flags(context) == flags
    assert {flag["code"] for flag in flags} == {
        "repeated_secondment", "long_secondment", "procurement", "vat", "cao"
    }  # fmt: skip
    for flag in flags:
        assert set(flag) == {"code", "title", "text"}
        assert flag["title"] and flag["text"].endswith(".")


# --- Worker start-up ------------------------------------------------------------------------------


def test_warm_up_runs_and_rendering_works_after_it():
    """Rule: the worker can pay the cold start once: warm_up renders and later renders work."""
    assert pdf.warm_up() > 0
    assert pdf.render_agreement_pdf(pdf.example_context()).startswith(b"%PDF-")
