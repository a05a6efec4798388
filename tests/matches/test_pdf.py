"""The secondment agreement PDF: what it must hold, what it must never fetch or embed.

Real WeasyPrint renders, read back with pypdf; the "no request left the renderer" checks use a
real HTTP listener on 127.0.0.1 that counts every request it gets.

(Hostile input and the sandbox: test_pdf_hostile.py; the legal flags: test_pdf_flags.py; the
helpers and the listener: pdf_helpers.py.)
"""

from __future__ import annotations

import copy
import io

import pytest

from app.matches import pdf
from tests.matches.pdf_helpers import (
    image_count,
    listener,
    page_texts,
    sample_context,
    squash,
)

__all__ = ["listener"]  # the fixture, imported for the tests below


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


# --- Worker start-up ------------------------------------------------------------------------------


def test_warm_up_runs_and_rendering_works_after_it():
    """Rule: the worker can pay the cold start once: warm_up renders and later renders work."""
    assert pdf.warm_up() > 0
    assert pdf.render_agreement_pdf(pdf.example_context()).startswith(b"%PDF-")
