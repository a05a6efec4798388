"""The agreement as an archival, accessible record (PDF/A-2b, tagged PDF/UA-1), and its text as
people read it: Amsterdam times, Dutch amounts through Babel, the job description's Markdown
rendered, no internal notes, no placeholder for a missing personnel number.

Real WeasyPrint renders, read back with pikepdf (structure, metadata) and pypdf (text).
"""

from __future__ import annotations

import io
import logging
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pikepdf

from app.matches import pdf
from app.matches.pdf import formatting
from tests.matches.pdf_helpers import hostile_values, listener, page_texts, sample_context, squash

__all__ = ["listener"]  # the fixture, imported for the hostile test below


def open_pdf(data: bytes) -> pikepdf.Pdf:
    return pikepdf.Pdf.open(io.BytesIO(data))


def structure_types(document: pikepdf.Pdf) -> set[str]:
    """Every structure element type (/S) in the tag tree."""
    found, todo = set(), [document.Root.StructTreeRoot]
    while todo:
        node = todo.pop()
        if isinstance(node, pikepdf.Dictionary):
            if "/S" in node:
                found.add(str(node.S))
            kids = node.get("/K")
            if kids is not None:
                todo.extend(kids if isinstance(kids, pikepdf.Array) else [kids])
        elif isinstance(node, pikepdf.Array):
            todo.extend(node)
    return found


# --- PDF/A and PDF/UA ---------------------------------------------------------------------------


def test_agreement_declares_pdfa_2b_and_pdfua_1_with_tags_language_and_title():
    """Rule (issue 15): the agreement is PDF/A-2b and tagged PDF/UA-1: XMP pdfaid part 2 / B and
    pdfuaid part 1 (with the extension schema PDF/A needs for it), MarkInfo Marked, a structure
    tree with headings, paragraphs and tables, /Lang nl, the title in the info dictionary and
    XMP, shown as the window title, an sRGB output intent and a file identifier."""
    data = pdf.render_agreement_pdf(sample_context())
    assert data.startswith(b"%PDF-1.7")
    with open_pdf(data) as document:
        assert document.check_pdf_syntax() == []
        root = document.Root
        meta = document.open_metadata()
        assert meta["pdfaid:part"] == "2" and meta["pdfaid:conformance"] == "B"
        assert meta["pdfuaid:part"] == "1"
        assert meta["dc:title"] == "Detacheringsovereenkomst DK-2026-0107"
        assert "Youssef Amrani" in meta["dc:description"]
        assert meta["pdf:Producer"].startswith("WeasyPrint")
        assert str(document.docinfo.Title) == "Detacheringsovereenkomst DK-2026-0107"
        assert str(root.Lang) == "nl"
        assert bool(root.MarkInfo.Marked) is True
        assert bool(root.ViewerPreferences.DisplayDocTitle) is True
        assert {"/Document", "/H1", "/H2", "/H3", "/P", "/Table", "/TR", "/TH", "/TD"} <= (
            structure_types(document)
        )
        assert str(root.OutputIntents[0].S) == "/GTS_PDFA1"
        assert len(document.trailer.ID) == 2
        packet = root.Metadata.read_bytes()
        assert "/EmbeddedFiles" not in (root.get("/Names") or {})
    # One rdf:RDF, as XMP asks, holding the pdfuaid schema description for PDF/A.
    assert packet.count(b"<rdf:RDF") == 1 and packet.count(b"</rdf:RDF>") == 1
    assert b"<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>" in packet


def test_every_page_stream_decodes_and_the_output_is_deterministic():
    """Rule: our finisher (streams compressed once) leaves a sound PDF: every page's content
    decodes, and the same context gives the same bytes (the stored SHA-256 stays meaningful)."""
    first = pdf.render_agreement_pdf(sample_context())
    assert pdf.render_agreement_pdf(sample_context()) == first
    with open_pdf(first) as document:
        for page in document.pages:
            assert b"BT" in page.Contents.read_bytes()


def test_organisation_template_without_title_or_language_still_gets_both():
    """Rule: PDF/UA needs a title and a language; an organisation's own template that has
    neither gets the agreement's title and Dutch."""
    data = pdf.render_agreement_pdf(sample_context(), template_source="<p>{{ reference }}</p>")
    with open_pdf(data) as document:
        assert str(document.Root.Lang) == "nl"
        assert document.open_metadata()["dc:title"] == "Detacheringsovereenkomst DK-2026-0107"
        assert document.open_metadata()["pdfuaid:part"] == "1"


def test_hostile_values_stay_text_in_the_metadata_and_nothing_is_fetched(listener):
    """Rule: values that reach the title, description and author (XMP and info dictionary)
    are text there too: the XMP stays well-formed and nothing is fetched or attached."""
    base, hits = listener
    values = hostile_values(base)
    data = pdf.render_agreement_pdf(sample_context(**values))
    assert hits == []
    with open_pdf(data) as document:
        meta = document.open_metadata()
        assert values["employee__name"] in meta["dc:description"]
        assert values["arrangement__name"] in meta["dc:creator"]
        assert document.attachments.keys() == set()


# --- Times, amounts, numbers --------------------------------------------------------------------


def trail(approvals) -> str:
    return page_texts(pdf.render_agreement_pdf(sample_context(approvals=approvals)))[-1]


def test_approval_times_are_printed_in_amsterdam_time():
    """Rule (issue 13 #2): the approval trail shows Amsterdam time, as the match page does:
    12:00 UTC is 13:00 in winter (CET) and 14:00 in summer (CEST); a naive time is UTC (as the
    database stores it); an aware time in another zone is converted."""
    last = trail(
        [
            {"party": "employee", "by": "Youssef Amrani", "decision": "approve",
             "at": datetime(2026, 1, 15, 12, 0, tzinfo=UTC)},
            {"party": "lending", "by": "Anouk Peters", "decision": "approve",
             "at": datetime(2026, 7, 15, 12, 0)},
            {"party": "borrowing", "by": "Kees Smit", "decision": "approve",
             "at": datetime(2026, 7, 16, 8, 30, tzinfo=timezone(timedelta(hours=-4)))},
        ]
    )  # fmt: skip
    assert "Medewerker Youssef Amrani Akkoord 15 januari 2026, 13:00" in last
    assert "Uitlenende organisatie Anouk Peters Akkoord 15 juli 2026, 14:00" in last
    assert "Inlenende organisatie Kees Smit Akkoord 16 juli 2026, 14:30" in last
    assert "12:00" not in last


def test_the_context_may_name_another_time_zone():
    """Rule: the zone comes with the context (the app's BABEL_DEFAULT_TIMEZONE)."""
    context = sample_context(timezone="Europe/London")
    context["approvals"][0]["at"] = datetime(2026, 7, 15, 12, 0)
    last = page_texts(pdf.render_agreement_pdf(context))[-1]
    assert "15 juli 2026, 13:00" in last


def test_babel_formats_dutch_dates_amounts_and_numbers():
    """Rule: one Babel-based formatter for the agreement (nl_NL, Europe/Amsterdam)."""
    assert formatting.date_nl("2026-03-01") == "1 maart 2026"
    assert formatting.money_nl(Decimal("1234.5")) == "€\xa01.234,50"
    assert formatting.money_nl("72") == "€\xa072,00"
    assert formatting.number_nl("16.50") == "16,5" and formatting.number_nl(36) == "36"
    assert formatting.datetime_nl("2026-12-02T17:09:17.372608") == "2 december 2026, 18:09"
    assert formatting.datetime_nl(None) == "" and formatting.date_nl("") == ""


# --- Content ------------------------------------------------------------------------------------


def test_job_description_markdown_is_rendered_not_printed_raw():
    """Rule (issue 13 #5): the job description's Markdown becomes formatting in the PDF: no
    raw "- " bullets or "**"; raw HTML in it stays text, through the project's sanitiser."""
    tasks = (
        "# Opdracht\n\nJe zorgt voor **privacy by design**.\n\n"
        "- Opzetten van het verwerkingsregister\n- Advies over DPIA's\n\n<b>geen html</b>"
    )
    html = pdf.render_agreement_html(sample_context(job__tasks=tasks))
    assert "<strong>privacy by design</strong>" in html
    assert "<li>Opzetten van het verwerkingsregister</li>" in html
    assert "<h4>Opdracht</h4>" in html  # below the articles' h3
    assert "&lt;b&gt;geen html&lt;/b&gt;" in html
    text = " ".join(page_texts(pdf.render_agreement_pdf(sample_context(job__tasks=tasks))))
    assert "privacy by design" in text and "Advies over DPIA's" in text
    assert "**" not in text and "- Opzetten" not in text and "# Opdracht" not in text
    assert "<b>geen html</b>" in text


def test_missing_personnel_number_is_left_out_not_printed_as_missing():
    """Rule (issue 13 #5): without a personnel number the agreement leaves it out (HR is
    warned on the match page); with one it is printed."""
    without = " ".join(page_texts(pdf.render_agreement_pdf(
        sample_context(employee__personnel_number=None)
    )))  # fmt: skip
    assert "Youssef Amrani, bij de uitlener werkzaam als Adviseur" in without
    assert "personeelsnummer" not in without.split("Artikel 1")[0]
    assert "niet vastgelegd" not in without
    with_number = " ".join(page_texts(pdf.render_agreement_pdf(sample_context())))
    assert "Youssef Amrani, personeelsnummer ZW-88231, bij de uitlener" in with_number


def test_example_context_renders_two_identical_copies():
    """Rule: the example (a data file, the benchmark's input) is handed out as a fresh copy."""
    first = pdf.example_context()
    first["employee"]["name"] = "Changed"
    assert pdf.example_context()["employee"]["name"] == "Sanne de Vries"
    assert squash("Sanne de Vries") in squash(
        " ".join(page_texts(pdf.render_agreement_pdf(pdf.example_context())))
    )


# --- Logging ------------------------------------------------------------------------------------


def test_fonttools_info_lines_are_silenced(app, caplog):
    """Rule (issue 13 #11): the app keeps fontTools at WARNING: subsetting a font (as the
    agreement fonts do) logs nothing at INFO, while the app's own INFO lines still show."""
    from app.matches.pdf import assets

    caplog.set_level(logging.INFO)
    assets._subset_font.__wrapped__("agreement-sans.ttf")
    logging.getLogger("app.matches").info("still shown")
    assert [r for r in caplog.records if r.name.startswith("fontTools")] == []
    assert "still shown" in caplog.text


def test_logo_is_a_figure_with_alternative_text():
    """Rule (PDF/UA): the lender's logo is tagged as a figure with alternative text naming the
    organisation (an image without one is a PDF/UA failure)."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), (26, 77, 128)).save(buffer, format="PNG")
    data = pdf.render_agreement_pdf(sample_context(logo=buffer.getvalue()))
    with open_pdf(data) as document:
        figures, todo = [], [document.Root.StructTreeRoot]
        while todo:
            node = todo.pop()
            if isinstance(node, pikepdf.Array):
                todo.extend(node)
            elif isinstance(node, pikepdf.Dictionary):
                if node.get("/S") == "/Figure":
                    figures.append(str(node.get("/Alt")))
                if "/K" in node:
                    todo.append(node.K)
    assert figures == ["Logo Gemeente Zeewolde"]
