"""API schemas of reports (CONTRACT.md "Reports"). Unknown query parameters are refused."""

from __future__ import annotations

from marshmallow import ValidationError, fields, validates_schema

from app.api import ApiSchema
from app.pool.schema_fields import Day, InputSchema, Text
from app.reports.forms import FIRST_DAY, FROM_AFTER_TO, LAST_DAY, OUT_OF_RANGE
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
