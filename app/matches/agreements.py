"""The secondment agreement of a match: its versions, its context from the database, and its
PDF (``app.matches.pdf`` turns the context into the PDF; ``app.matches.rendering`` runs that
once per version in the worker).

A version is recorded in the transaction that agrees the terms (:func:`create_version`), with an
outbox row; after the commit the outbox hands it to the queue (one RQ job per agreement version,
with a deterministic job id) or, for the embedded default, renders it in-process.
"""

from __future__ import annotations

import io
import logging

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from app.errors import Conflict, NotFound
from app.extensions import db
from app.ids import public_id
from app.matches.exchange import flow
from app.matches.flags import agreement_flags
from app.matches.models import PLACED_STATUSES, Agreement, Match
from app.metrics import timed_render
from app.outbox.operations import record
from tenants.models import Arrangement, Organisation

log = logging.getLogger(__name__)

MISSING = "(niet vastgelegd)"


def reference(match: Match) -> str:
    """The agreement's reference: the match's public id (app/ids.py), not its key, which would
    tell how many matches the whole installation made before it."""
    return f"DK-{match.created_at.year}-{public_id('match', match.id)}"


# --- versions ------------------------------------------------------------------------------------


def create_version(match: Match) -> Agreement:
    """Record the next agreement version for the match's current (agreed) terms."""
    latest = match.latest_agreement()
    agreement = Agreement(
        match_id=match.id,
        version=(latest.version if latest else 0) + 1,
        terms_version=match.terms_version,
        terms=match.terms(),
        status="pending",
    )
    match.agreements.append(agreement)
    db.session.flush()
    record("matches.agreement_render", recipient_id=None, agreement_id=agreement.id)
    return agreement


def retry(agreement: Agreement) -> Agreement:
    """A failed render goes back to the queue (the HR's retry button)."""
    agreement.status = "pending"
    agreement.error = None
    agreement.claimed_at = None
    db.session.flush()
    record("matches.agreement_render", recipient_id=None, agreement_id=agreement.id)
    return agreement


# --- the context ---------------------------------------------------------------------------------


def _text(value: str | None) -> str:
    return value.strip() if value and value.strip() else MISSING


def _organisation(org: Organisation) -> dict:
    cao = org.cao or ""
    return {
        "legal_name": _text(org.legal_name or org.name),
        "address": _text(org.address),
        "kvk": _text(org.kvk_number),
        "oin": org.oin or None,
        "vat_number": org.vat_number or None,
        "kind": "gr_body" if "sgo" in cao.lower() else "municipality",
        "cao": cao or None,
        "signatory": {
            "name": _text(org.signatory_name),
            "role": _text(org.signatory_role),
            "mandate": _text(org.signatory_mandate),
        },
    }


def missing_details(match: Match) -> list[str]:
    """What the agreement needs but the tenant definition or staff record lacks (for HR)."""
    missing = []
    for label, org in (
        ("uitlener", match.lending_organisation),
        ("inlener", match.borrowing_organisation),
    ):
        for field, name in (
            ("kvk_number", "KvK-nummer"),
            ("address", "adres"),
            ("signatory_name", "ondertekenaar"),
            ("signatory_mandate", "mandaat van de ondertekenaar"),
        ):
            if not (getattr(org, field) or "").strip():
                missing.append(f"{name} van de {label} ({org.name})")
    employee = match.employee
    if not employee.personnel_number:
        missing.append("personeelsnummer van de medewerker")
    if not employee.job_title:
        missing.append("functie van de medewerker bij de uitlener")
    if not employee.contract_hours:
        missing.append("contracturen van de medewerker")
    counterpart = match.counterpart
    if counterpart is not None and not counterpart.job_title:
        missing.append("functie van de ruilpartner")
    return missing


def previous_secondments(match: Match) -> list[dict]:
    """Earlier placements of the same employee with the same borrower (for the flags)."""
    rows = db.session.execute(
        select(Match.start_date, Match.end_date, Match.ended_at).where(
            Match.employee_id == match.employee_id,
            Match.borrowing_organisation_id == match.borrowing_organisation_id,
            Match.status.in_(PLACED_STATUSES),
            Match.id != match.id,
        )
    )
    out = []
    for start, end, ended_at in rows:
        if ended_at is not None and ended_at.date() < end:
            end = max(start, ended_at.date())
        out.append({"start_date": start, "end_date": end})
    return out


def _approval_trail(match: Match, terms_version: int) -> list[dict]:
    by_party = {
        a.party: a
        for a in match.approvals
        if a.terms_version == terms_version and a.decision == "approve"
    }
    trail = []
    for party in flow(match).parties:
        approval = by_party.get(party)
        if approval is None:
            continue
        who = approval.by.name if approval.by else MISSING
        if approval.by is not None and party not in ("employee", "counterpart"):
            who = f"{who} ({approval.by.organisation.name})"
        trail.append({"party": party, "by": who, "decision": "approve", "at": approval.at})
    return trail


def build_context(match: Match, terms: dict, *, version: int, terms_version: int) -> dict:
    """The PDF context (``app.matches.pdf`` documents the keys) for these terms of the match."""

    employee, job = match.employee, match.job
    arrangement = db.session.get(Arrangement, match.arrangement_id)
    supervisor = {
        "name": terms.get("supervisor_name") or None,
        "role": terms.get("supervisor_role") or None,
    }
    context = {
        "reference": reference(match),
        "version": version,
        "arrangement": {"name": arrangement.name if arrangement else MISSING},
        "lending": _organisation(match.lending_organisation),
        "borrowing": _organisation(match.borrowing_organisation),
        "employee": {
            "name": employee.name,
            # Left out of the text when missing: HR is warned on the match page instead.
            "personnel_number": (employee.personnel_number or "").strip() or None,
            "job_title": _text(employee.job_title),
            "hours_per_week": employee.contract_hours or terms["hours_per_week"],
        },
        "job": {
            "title": job.title,
            "tasks": _text(job.description),
            "department": job.department.name if job.department else None,
            "place_of_work": _text(
                terms.get("place_of_work") or job.location or match.borrowing_organisation.address
            ),
            "remote_work": bool(job.remote),
            "supervisor": supervisor,
        },
        "terms": {
            "start_date": terms["start_date"],
            "end_date": terms["end_date"],
            "hours_per_week": terms["hours_per_week"],
            # The PDF's own name for employer costs is "salary_costs" (app.matches.pdf).
            "cost_recharge": (
                "salary_costs"
                if terms.get("cost_basis") == "employer_costs"
                else terms["cost_recharge"]
            ),
            "hourly_rate": terms.get("hourly_rate"),
            "vat_code": terms.get("vat_code") or None,
            "vat_treatment": terms.get("vat_treatment") or None,
            "notes": terms.get("notes") or None,
        },
        "signing": {"place": None, "date": None},
        "approvals": _approval_trail(match, terms_version),
        "timezone": current_app.config.get("BABEL_DEFAULT_TIMEZONE") or "Europe/Amsterdam",
        "previous_secondments": previous_secondments(match),
    }
    flags = agreement_flags(context)
    missing = missing_details(match)
    if missing:
        flags.append(
            {
                "code": "missing_details",
                "title": "Ontbrekende gegevens",
                "text": "Nog niet vastgelegd: " + "; ".join(missing) + ".",
            }
        )
    context["flags"] = flags
    kind = flow(match)
    context["exchange"] = {
        "type": kind.type,
        "title": kind.title,
        "hours_transfer": kind.hours_transfer,
        "costs": kind.costs,
        "max_days": kind.max_days,
    }
    counterpart = match.counterpart
    if counterpart is not None:
        context["counterpart"] = {
            "name": counterpart.name,
            "personnel_number": (counterpart.personnel_number or "").strip() or None,
            "job_title": _text(counterpart.job_title),
            "department": counterpart.department.name if counterpart.department else None,
            "hours_per_week": counterpart.contract_hours or terms["hours_per_week"],
        }
    lending = match.lending_organisation
    if lending.logo:
        context["logo"] = lending.logo
    return context


def current_flags(match: Match) -> list[dict]:
    """The flags for the terms on the table now (HR sees them before approving)."""
    context = build_context(match, match.terms(), version=0, terms_version=match.terms_version)
    return context["flags"]


def render_pdf(agreement: Agreement) -> bytes:
    """The PDF of one agreement version: context from the database, then the renderer. The
    one call to time for an agreement render-time metric (``render`` stores its result)."""

    with timed_render():
        match = agreement.match
        context = build_context(
            match, agreement.terms, version=agreement.version, terms_version=agreement.terms_version
        )
        kind = flow(match)
        # An organisation's own template (from its tenant file) runs in the sandbox; it is a
        # detacheringsovereenkomst, so the other exchange types keep their own document.
        own = match.lending_organisation.agreement_template if kind.full_agreement else None
        # deferred: heavy: the PDF machinery (~2.4 MB) only where an agreement is rendered (the
        # worker); a web worker never needs it (RSS goal per web worker, issue 15)
        from app.matches.pdf import render_agreement_pdf

        return render_agreement_pdf(
            context, template_source=own or None, template=kind.template, title=kind.title
        )


def file_for(match: Match, version: int | None = None):
    """(download name, file) of the newest ready version, or of ``version``; raises
    :class:`~app.errors.NotFound` when there is none, :class:`~app.errors.Conflict` when it is
    not rendered yet."""

    if version is None:
        agreement = match.ready_agreement()
        if agreement is None:
            latest = match.latest_agreement()
            if latest is None:
                raise NotFound(_("Er is (nog) geen overeenkomst."))
            raise Conflict(_("De overeenkomst wordt nog gemaakt."))
    else:
        agreement = next((a for a in match.agreements if a.version == version), None)
        if agreement is None:
            raise NotFound(_("Deze versie bestaat niet."))
        if agreement.status != "ready":
            raise Conflict(_("Deze versie wordt nog gemaakt."))
    name = f"{flow(match).file_stem}-{reference(match)}-v{agreement.version}.pdf"
    return name, io.BytesIO(agreement.pdf)
