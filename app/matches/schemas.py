"""API schemas of matches (CONTRACT.md "Matches and secondment agreements"). Unknown fields
raise; numbers and booleans are taken strictly (``app.pool.schema_fields``)."""

from __future__ import annotations

from flask import url_for
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError, fields, post_dump, validate, validates_schema

from app.api import ApiSchema, Timestamp, utc_text
from app.cleaning import CleanString
from app.ids import PublicId, public_id
from app.matches.exchange import flow
from app.matches.models import (
    ALL_PARTIES,
    COST_BASES,
    COST_RECHARGES,
    DECISIONS,
    MATCH_STATUSES,
    VAT_CODES,
)
from app.matches.terms import HOURS_MAX, HOURS_MIN, TEXT_LIMITS, check_terms
from app.pool.models import JOB_TYPES
from app.pool.schema_fields import (
    Day,
    Id,
    PageArgs,
    StrictBoolean,
    StrictInteger,
    Text,
    messages,
)


class Rate(fields.Decimal):
    """An amount in euros: a JSON number or a string like "62.50"; never a boolean."""

    def __init__(self, **kwargs):
        kwargs.setdefault("error_messages", messages(invalid=_l("Vul een bedrag in.")))
        super().__init__(places=2, as_string=True, allow_nan=False, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool):
            raise self.make_error("invalid")
        return super()._deserialize(value, attr, data, **kwargs)


def _choice(options, error):
    return fields.String(validate=validate.OneOf(options, error=error), error_messages=messages())


def _term_text(name: str, one_line: bool = False) -> CleanString:
    """A text term; its length is checked by the terms' rules (documented as ``maxLength``)."""
    return CleanString(
        one_line=one_line,
        error_messages=messages(invalid=_l("Vul tekst in.")),
        metadata={"maxLength": TEXT_LIMITS[name]},
    )


class MatchTermsSchema(ApiSchema):
    """The terms of a placement; on create the job's and offer's values fill what is left out.
    The fields read the types; the rules of the terms are the operation's own
    (:func:`app.matches.terms.check_terms`), applied here to what was read."""

    hours_per_week = StrictInteger(metadata={"minimum": HOURS_MIN, "maximum": HOURS_MAX})
    start_date = Day()
    end_date = Day()
    place_of_work = _term_text("place_of_work", one_line=True)
    supervisor_name = _term_text("supervisor_name", one_line=True)
    supervisor_role = _term_text("supervisor_role", one_line=True)
    cost_recharge = _choice(COST_RECHARGES, _l("Kies none (geen) of hourly (uurtarief)."))
    cost_basis = _choice(
        COST_BASES, _l("Kies employer_costs, hourly_rate of none (geen vergoeding).")
    )
    cost_basis.metadata["description"] = (
        "employer_costs (actual employer costs, werkgeverslasten, as an amount per hour in "
        "hourlyRate), hourly_rate (a fixed hourly rate) or none. Left out: follows costRecharge "
        "(none → none, hourly → hourly_rate or the employer_costs already agreed)."
    )
    hourly_rate = Rate(allow_none=True)
    vat_code = _choice(VAT_CODES, _l("Kies vat_21, exempt_cost_sharing of no_fee."))
    vat_code.metadata["description"] = (
        "vat_21 (21 % VAT on the fee), exempt_cost_sharing (no VAT: cost-sharing at actual cost "
        "by a key agreed beforehand) or no_fee (no VAT: nothing is charged). Left out: vat_21 "
        "with a fee, no_fee without one."
    )
    vat_treatment = _term_text("vat_treatment", one_line=True)
    vat_treatment.metadata["description"] = "The reason for the VAT treatment, in words."
    notes = _term_text("notes")

    @validates_schema(skip_on_field_errors=False)
    def _rules(self, data, **kwargs):
        errors = check_terms(data)
        if errors:
            raise ValidationError(
                {self.fields[name].data_key: [message] for name, message in errors.items()}
            )


class MatchCreateSchema(MatchTermsSchema):
    """``{"application_id"}``, ``{"capacity_id", "job_id"}`` or ``{"job_id", "employee_id"}``."""

    application_id = Id("application")
    capacity_id = Id("offer")
    job_id = Id("job")
    employee_id = Id("user")
    counterpart_id = Id(
        "user",
        metadata={
            "description": "functieruil only (required there): the employee of the job's "
            "organisation who takes the employee's role in return"
        },
    )
    #: true: the period lies outside the job's own on purpose (else refused with 400)
    confirm_outside_job_period = StrictBoolean(load_default=False)


class MatchDecisionSchema(ApiSchema):
    decision = fields.String(
        required=True,
        validate=validate.OneOf(DECISIONS, error=_l("Kies approve of decline.")),
        error_messages=messages(),
    )
    reason = Text(2000, load_default="")
    party = _choice(ALL_PARTIES, _l("Kies employee, counterpart, lending of borrowing."))


class MatchReasonSchema(ApiSchema):
    reason = Text(2000, load_default="")


class MatchEvaluationInputSchema(ApiSchema):
    rating = StrictInteger(
        required=True,
        validate=validate.Range(min=1, max=5, error=_l("Kies een cijfer van 1 tot en met 5.")),
    )
    went_well = Text(2000, load_default="")
    could_improve = Text(2000, load_default="")
    again = StrictBoolean(load_default=None, allow_none=True)


class MatchListArgs(PageArgs):
    scope = fields.String(
        load_default="all",
        validate=validate.OneOf(("all", "mine", "organisation"), error=_l("Onbekende keuze.")),
    )
    status = fields.String(
        load_default=None,
        validate=validate.OneOf(MATCH_STATUSES, error=_l("Onbekende status.")),
    )


class SuggestionArgs(ApiSchema):
    limit = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))


# --- output --------------------------------------------------------------------------------------


class MatchOrgSchema(ApiSchema):
    slug = fields.String()
    name = fields.String()


class MatchJobRefSchema(ApiSchema):
    id = PublicId("job")
    title = fields.String()
    organisation = fields.Nested(MatchOrgSchema)


class MatchEmployeeSchema(ApiSchema):
    id = PublicId("user")
    name = fields.String()
    organisation = fields.Nested(MatchOrgSchema)


class MatchTermsOutSchema(ApiSchema):
    hours_per_week = fields.Integer()
    start_date = fields.Date()
    end_date = fields.Date()
    place_of_work = fields.String()
    supervisor_name = fields.String()
    supervisor_role = fields.String()
    cost_recharge = fields.String(metadata={"description": "none or hourly (follows costBasis)"})
    cost_basis = fields.String(metadata={"description": "employer_costs, hourly_rate or none"})
    hourly_rate = fields.Decimal(
        places=2,
        as_string=True,
        allow_none=True,
        metadata={"description": "euros per hour: the rate, or the employer costs per hour"},
    )
    vat_code = fields.String(metadata={"description": "vat_21, exempt_cost_sharing or no_fee"})
    vat_treatment = fields.String(metadata={"description": "the reason, in words"})
    notes = fields.String()


#: How a match came about: only for those who may know it (app.policy, "match.origin").
ORIGIN_FIELDS = ("source", "created_at")


class MatchSchema(ApiSchema):
    """A match as each party sees it (CONTRACT.md fields, plus a few of our own).

    ``source`` and ``createdAt`` are left out for a viewer who may not know how the match came
    about (``match.origin`` of :mod:`app.policy`): the lending side that hears of the match at
    the employee's consent. The policy decides it for the API caller and hands it in on the match
    (``match.origin_disclosed``, :func:`app.policy.disclose_matches`); without it they are left
    out too.
    """

    id = PublicId("match")
    status = fields.String()
    type = fields.String(
        metadata={
            "description": "The exchange type (the job's when proposed): it decides the "
            "approving parties, the terms and the document",
            "enum": list(JOB_TYPES),
        }
    )
    source = fields.String(
        metadata={
            "description": "application, capacity or direct. Only for the employee, the proposer "
            "and whoever may see the source itself; left out for the others."
        }
    )
    job = fields.Nested(MatchJobRefSchema)
    employee = fields.Nested(MatchEmployeeSchema)
    counterpart = fields.Nested(
        MatchEmployeeSchema,
        allow_none=True,
        metadata={"description": "functieruil: who takes the employee's role; else null"},
    )
    lending_organisation = fields.Nested(MatchOrgSchema)
    borrowing_organisation = fields.Nested(MatchOrgSchema)
    terms = fields.Method("get_terms")
    terms_version = fields.Integer()
    amendment_pending = fields.Boolean()
    approvals = fields.Method("get_approvals")
    agreement = fields.Method("get_agreement")
    decline_reason = fields.String()
    end_reason = fields.String()
    created_at = Timestamp(
        metadata={"description": "When it was proposed; left out as ``source`` is."}
    )

    @post_dump(pass_original=True)
    def _only_whats_theirs(self, data, match, **kwargs):
        if not getattr(match, "origin_disclosed", False):
            for name in ORIGIN_FIELDS:
                data.pop(self.fields[name].data_key or name, None)
        return data

    def get_terms(self, match):
        return MatchTermsOutSchema().dump(match)

    def get_approvals(self, match):
        current = match.current_approvals()
        out = []
        for party in flow(match).parties:
            approval = current.get(party)
            out.append(
                {
                    "party": party,
                    "decision": approval.decision if approval else None,
                    "by": approval.by.name if approval and approval.by else None,
                    "at": utc_text(approval.at) if approval else None,
                    "reason": approval.reason if approval and approval.reason else None,
                }
            )
        return out

    def get_agreement(self, match):
        agreement = match.latest_agreement()
        if agreement is None:
            return None
        ready = match.ready_agreement()
        return {
            "status": agreement.public_status,
            "document": flow(match).file_stem,
            "version": agreement.version,
            "sha256": agreement.sha256,
            "url": url_for("matches_api.agreement_pdf", match_id=match.id) if ready else None,
        }


class MatchEvaluationSchema(ApiSchema):
    id = PublicId("evaluation")
    role = fields.String()
    rating = fields.Integer()
    went_well = fields.String()
    could_improve = fields.String()
    again = fields.Boolean(allow_none=True)
    created_at = Timestamp()


class MatchPageSchema(ApiSchema):
    items = fields.List(fields.Nested(MatchSchema))
    total = fields.Integer()
    page = fields.Integer()
    per_page = fields.Integer()


class SuggestionSchema(ApiSchema):
    """One suggestion with its reasons."""

    kind = fields.String()  # "application" | "capacity" | "job"
    id = fields.Method(
        "get_id",
        metadata={"type": "integer", "description": "public id of the application, offer or job"},
    )
    job_id = PublicId("job")
    employee = fields.Nested(MatchEmployeeSchema, allow_none=True)
    job = fields.Nested(MatchJobRefSchema, allow_none=True)
    score = fields.Float()
    reasons = fields.List(fields.String())
    proposed = fields.Boolean()

    def get_id(self, row):
        """The id of what ``kind`` names: each kind of resource has its own public ids."""
        return public_id(SUGGESTION_KINDS[row["kind"]], row["id"])


#: A suggestion's ``kind`` and the kind of its public id (app/ids.py).
SUGGESTION_KINDS = {"application": "application", "capacity": "offer", "job": "job"}


class CandidatesSchema(ApiSchema):
    responses = fields.List(fields.Nested(SuggestionSchema))
    offers = fields.List(fields.Nested(SuggestionSchema))


class SuggestedJobsSchema(ApiSchema):
    items = fields.List(fields.Nested(SuggestionSchema))
