"""API schemas of reports (CONTRACT.md "Reports"). Unknown query parameters are refused."""

from __future__ import annotations

from datetime import date

from marshmallow import ValidationError, fields, validate, validates_schema

from app.api import ApiSchema
from app.ids import PublicId
from app.pool.schema_fields import Day, InputSchema, Text
from app.reports.forms import A_MONTH, FIRST_DAY, FROM_AFTER_TO, LAST_DAY, OUT_OF_RANGE
from app.reports.period import Period


def _in_range(value) -> None:
    if not (FIRST_DAY <= value <= LAST_DAY):
        raise ValidationError(str(OUT_OF_RANGE))


class PeriodArgs(InputSchema):
    """``?from=&to=`` (dates, both included; default: this year) and, for coordinators,
    ``&organisation=`` (a slug: the rows involving that organisation)."""

    from_ = Day(data_key="from", validate=_in_range)
    to = Day(validate=_in_range)
    organisation = Text(63, load_default=None)

    @validates_schema
    def _order(self, data, **kwargs) -> None:
        start, end = data.get("from_"), data.get("to")
        if start and end and start > end:
            raise ValidationError({"from": [str(FROM_AFTER_TO)]})

    @staticmethod
    def period(args: dict) -> Period:
        return Period.around(args.get("from_"), args.get("to"))


class PlacementCellSchema(ApiSchema):
    from_ = fields.String(data_key="from", metadata={"description": "lending organisation slug"})
    to = fields.String(metadata={"description": "borrowing organisation slug"})
    placements = fields.Integer()
    hours = fields.Float()


class BalanceSchema(ApiSchema):
    organisation = fields.String()
    hours_lent = fields.Float()
    hours_borrowed = fields.Float()


class PlacementsReportSchema(ApiSchema):
    period_from = fields.Date(data_key="from")
    period_to = fields.Date(data_key="to")
    items = fields.List(fields.Nested(PlacementCellSchema))
    balance = fields.List(fields.Nested(BalanceSchema))


class ParticipationRowSchema(ApiSchema):
    organisation = fields.String()
    department = fields.String(
        allow_none=True,
        metadata={
            "description": "department slug; null for the whole organisation; "
            '"_zonder_afdeling" for its staff without a department (never a slug)'
        },
    )
    offers = fields.Integer(allow_none=True, metadata={"description": "null where withheld"})
    applications = fields.Integer(allow_none=True)


class ParticipationReportSchema(ApiSchema):
    period_from = fields.Date(data_key="from")
    period_to = fields.Date(data_key="to")
    items = fields.List(fields.Nested(ParticipationRowSchema))


# --- finance statement and trends (issue 14) -----------------------------------------------------


class MonthArgs(InputSchema):
    """``?month=YYYY-MM`` (default: last month) and, for coordinators, ``&organisation=``."""

    month = fields.String(
        load_default=None,
        validate=validate.Regexp(r"^\d{4}-(0[1-9]|1[0-2])$", error=str(A_MONTH)),
        metadata={"description": "the calendar month, YYYY-MM; default: the previous month"},
    )
    organisation = Text(63, load_default=None)

    @validates_schema
    def _range(self, data, **kwargs) -> None:
        value = data.get("month")
        if not value:
            return
        try:
            first = date(int(value[:4]), int(value[5:]), 1)
        except ValueError:  # year 0000
            first = None
        if first is None or not (FIRST_DAY <= first <= LAST_DAY):
            raise ValidationError({"month": [str(OUT_OF_RANGE)]})


class DecimalText(fields.Decimal):
    """A decimal with two places as a JSON string ("1203.13"): money is never a float."""

    def __init__(self, description: str, **kwargs):
        super().__init__(
            places=2,
            as_string=True,
            metadata={
                "type": "string",
                "pattern": r"^-?\d+\.\d{2}$",
                "example": "1203.13",
                "description": description,
            },
            **kwargs,
        )


MONEY = "euros, two decimals, as a string (rounded half up per line)"
HOURS = "hours, two decimals, as a string"


class FinanceLineSchema(ApiSchema):
    match_id = PublicId("match")
    job_title = fields.String()
    employee_name = fields.String()
    cost_basis = fields.String(metadata={"description": "employer_costs, hourly_rate or none"})
    hours = DecimalText(HOURS)
    hours_source = fields.String(metadata={"description": "realised (confirmed) or agreed"})
    rate = DecimalText(MONEY)
    amount = DecimalText(MONEY)
    vat_code = fields.String(metadata={"description": "vat_21, exempt_cost_sharing or no_fee"})
    vat_reason = fields.String()
    vat = DecimalText(MONEY)
    total = DecimalText(MONEY)


class FinancePairSchema(ApiSchema):
    lending = fields.String(metadata={"description": "slug of the lending organisation (owed)"})
    borrowing = fields.String(metadata={"description": "slug of the borrowing one (owes)"})
    hours = DecimalText(HOURS)
    amount = DecimalText(MONEY)
    vat = DecimalText(MONEY)
    total = DecimalText(MONEY)
    lines = fields.List(fields.Nested(FinanceLineSchema))


class FinanceStatementSchema(ApiSchema):
    month = fields.String(metadata={"description": "YYYY-MM"})
    amount = DecimalText(MONEY)
    vat = DecimalText(MONEY)
    total = DecimalText(MONEY)
    pairs = fields.List(fields.Nested(FinancePairSchema))


class TrendMonthSchema(ApiSchema):
    month = fields.String(metadata={"description": "YYYY-MM"})
    placements = fields.Integer(allow_none=True, metadata={"description": "null where withheld"})
    hours = fields.Float(allow_none=True, metadata={"description": "null where withheld"})
    fill_rate = fields.Float(allow_none=True, metadata={"description": "percent; null: no jobs"})
    median_days_to_agreement = fields.Float(
        allow_none=True, metadata={"description": "null: withheld or no agreements"}
    )


class TrendsSchema(ApiSchema):
    period_from = fields.Date(data_key="from")
    period_to = fields.Date(data_key="to")
    min_group_size = fields.Integer()
    items = fields.List(fields.Nested(TrendMonthSchema))
