"""API schemas for jobs (CONTRACT.md). Unknown fields raise: ``organisation_id`` or ``status``
on create is a 400 that names the field."""

from __future__ import annotations

from marshmallow import EXCLUDE, ValidationError, fields, validate, validates_schema

from app.api import ApiSchema, Timestamp
from app.cleaning import CleanDay, CleanString
from app.ids import PublicId
from app.pool.jobs.filters import api_field, check_ranges
from app.pool.jobs.operations import effective_status
from app.pool.models import JOB_STATUSES, JOB_TYPES
from app.pool.skills import MAX_SKILL_LENGTH, MAX_SKILLS

TITLE_MAX = 200
DESCRIPTION_MAX = 20_000
LOCATION_MAX = 200
PLACES_MAX = 100

REQUIRED_ON_CREATE = ("title", "description", "hours_per_week", "start_date", "end_date")
HOURS = validate.Range(min=1, max=40, error="Tussen 1 en 40 uur per week.")
NOT_BLANK = validate.Regexp(r"\S", error="Mag niet leeg zijn.")


def _text(max_length: int, **kwargs) -> CleanString:
    return CleanString(
        validate=validate.Length(max=max_length, error=f"Hoogstens {max_length} tekens."),
        **kwargs,
    )


class _JobInput(ApiSchema):
    type = fields.String(
        validate=validate.OneOf(JOB_TYPES, error="Kies uit {choices}."),
        metadata={
            "description": "The kind of exchange: klus (default), detachering, meeloopdag "
            "(one to five days, a short confirmation), functieruil (two people of two "
            "organisations swap roles) or mentoring (no hours transfer, no cost)",
            "enum": list(JOB_TYPES),
        },
    )
    title = CleanString(
        one_line=True,
        validate=[
            validate.Length(min=1, max=TITLE_MAX, error=f"1 tot {TITLE_MAX} tekens."),
            NOT_BLANK,
        ],
    )
    description = _text(DESCRIPTION_MAX)
    hours_per_week = fields.Integer(strict=True, validate=HOURS)
    start_date = CleanDay()
    end_date = CleanDay()
    department = fields.String(
        allow_none=True, metadata={"description": "Slug of a department of the own organisation"}
    )
    skills = fields.List(
        CleanString(one_line=True, validate=validate.Length(max=MAX_SKILL_LENGTH)),
        validate=validate.Length(max=MAX_SKILLS, error=f"Hoogstens {MAX_SKILLS} vaardigheden."),
    )
    location = _text(LOCATION_MAX, one_line=True)
    remote = fields.Boolean()
    visibility = fields.String(
        validate=validate.OneOf(("organisation", "arrangement"), error="Kies uit {choices}.")
    )
    places = fields.Integer(
        strict=True,
        validate=validate.Range(min=1, max=PLACES_MAX, error=f"Tussen 1 en {PLACES_MAX}."),
    )

    @validates_schema
    def _period(self, data, **kwargs):
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            raise ValidationError("De einddatum ligt vóór de startdatum.", "endDate")


class JobCreateSchema(_JobInput):
    """POST /jobs: title, description, hours_per_week, start_date and end_date are required."""

    def on_bind_field(self, field_name, field_obj):
        super().on_bind_field(field_name, field_obj)
        if field_name in REQUIRED_ON_CREATE:
            field_obj.required = True
            field_obj.error_messages["required"] = "Verplicht veld."
        field_obj.error_messages.setdefault("null", "Mag niet leeg zijn.")


class JobPatchSchema(_JobInput):
    """PATCH /jobs/{id}: any of the fields, and ``status`` to publish, close or reopen."""

    status = fields.String(validate=validate.OneOf(JOB_STATUSES, error="Kies uit {choices}."))


class OrganisationRefSchema(ApiSchema):
    slug = fields.String()
    name = fields.String()


class JobSchema(ApiSchema):
    id = PublicId("job")
    type = fields.String(metadata={"enum": list(JOB_TYPES)})
    title = fields.String()
    description = fields.String()
    organisation = fields.Nested(OrganisationRefSchema)
    department = fields.Method("get_department", metadata={"description": "department slug"})
    skills = fields.Method("get_skills")
    hours_per_week = fields.Integer()
    start_date = fields.Date()
    end_date = fields.Date()
    location = fields.String()
    remote = fields.Boolean()
    visibility = fields.String()
    status = fields.Method("get_status")
    places = fields.Integer()
    expires_on = fields.Date(allow_none=True)
    created_at = Timestamp()

    def get_department(self, job):
        return job.department.slug if job.department else None

    def get_skills(self, job):
        return job.skill_names

    def get_status(self, job):

        return effective_status(job)


class JobListSchema(ApiSchema):
    items = fields.List(fields.Nested(JobSchema))
    total = fields.Integer()
    page = fields.Integer()
    per_page = fields.Integer()


class JobListQuerySchema(ApiSchema):
    """GET /jobs: text search, filters and paging; unknown query parameters are ignored. The
    filters and the page are read by the list page's own rules (:mod:`app.pool.jobs.filters`):
    the same limits, choices and messages; here a bad value is a 400 naming the field."""

    class Meta:
        unknown = EXCLUDE

    q = api_field("q", load_default="")
    organisation = api_field(
        "organisation", load_default=None, metadata={"description": "organisation slug"}
    )
    # No load_default: a null default would not be one of the enum's values (OpenAPI).
    type = api_field("type", metadata={"description": "only jobs of this exchange type"})
    skill = api_field("skill", load_default=None)
    status = fields.String(
        load_default="open", validate=validate.OneOf(JOB_STATUSES, error="Kies uit {choices}.")
    )
    hours_min = api_field("hours_min", load_default=None)
    hours_max = api_field("hours_max", load_default=None)
    available_from = api_field("available_from", load_default=None)
    available_until = api_field("available_until", load_default=None)
    remote = api_field("remote", load_default=False)
    page = api_field("page", load_default=1)
    per_page = fields.Integer(load_default=25, validate=validate.Range(min=1, max=100))

    @validates_schema(skip_on_field_errors=False)
    def _ranges(self, data, **kwargs):
        errors = check_ranges(data)
        if errors:
            raise ValidationError(
                {self.fields[name].data_key: [str(message)] for name, message in errors.items()}
            )
