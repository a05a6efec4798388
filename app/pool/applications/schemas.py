"""API schemas for responses (reacties). Unknown fields raise (marshmallow's default)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from marshmallow import fields, validate

from app.accounts.schemas import SlugNameSchema
from app.api import ApiSchema, Timestamp
from app.ids import PublicId
from app.pool.applications.operations import DECISIONS
from app.pool.models import APPLICATION_STATUSES
from app.pool.schema_fields import Hours, InputSchema, PageArgs, PersonRefSchema, Text, messages

MOTIVATION_MAX = 5000
MESSAGE_MAX = 2000


class ApplicationCreateSchema(InputSchema):
    motivation = Text(MOTIVATION_MAX, required=True, required_text=True)
    hours_per_week = Hours(load_default=None, allow_none=True)


class ApplicationDecisionSchema(InputSchema):
    status = fields.String(
        required=True,
        validate=validate.OneOf(
            DECISIONS, error=_l("Kies in_conversation (in gesprek) of declined (afgewezen).")
        ),
        error_messages=messages(),
    )
    message = Text(MESSAGE_MAX, load_default="")


class ApplicationListArgs(PageArgs):
    job = PublicId(
        "job",
        strict=False,
        load_default=None,
        error_messages=messages(invalid=_l("Vul een heel getal in.")),
    )
    status = fields.String(
        load_default=None,
        validate=validate.OneOf(APPLICATION_STATUSES, error=_l("Onbekende status.")),
    )


class ApplicationJobSchema(ApiSchema):
    id = PublicId("job")
    title = fields.String()
    organisation = fields.Nested(SlugNameSchema)


class ApplicationSchema(ApiSchema):
    """A response as everyone who may see it sees it."""

    id = PublicId("application")
    job_id = PublicId("job")
    job = fields.Nested(ApplicationJobSchema)
    applicant = fields.Nested(PersonRefSchema, attribute="user")
    motivation = fields.String()
    hours_per_week = fields.Integer(allow_none=True)
    status = fields.String()
    decision_message = fields.String()
    created_at = Timestamp()
    updated_at = Timestamp()


class ApplicationPageSchema(ApiSchema):
    items = fields.List(fields.Nested(ApplicationSchema))
    total = fields.Integer()
    page = fields.Integer()
    per_page = fields.Integer()
