"""The agreement's flags (app.matches.pdf.agreement_flags): earlier secondments, the 24-month
limit, procurement and VAT, salary costs and the CAO note; pure and well formed."""

from __future__ import annotations

import copy
from datetime import date

from app.matches import pdf
from tests.matches.pdf_helpers import (
    sample_context,
)


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
