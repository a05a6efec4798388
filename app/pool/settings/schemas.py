"""API schemas for organisation settings (CONTRACT.md). Unknown fields raise."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from marshmallow import fields, validate

from app.api import ApiSchema
from app.pool.schema_fields import InputSchema, StrictBoolean, StrictInteger, messages
from tenants.models import CAPACITY_VISIBILITY, JOB_VISIBILITY


class SettingsPatchSchema(InputSchema):
    capacity_visibility = fields.String(
        validate=validate.OneOf(
            CAPACITY_VISIBILITY, error=_l("Kies hr, hr_coordinators of arrangement.")
        ),
        error_messages=messages(),
    )
    line_manager_sees_own_staff = StrictBoolean()
    registration_via_line_manager = StrictBoolean()
    report_min_group_size = StrictInteger(
        validate=validate.Range(min=3, max=1000, error=_l("Kies een getal van 3 tot 1000."))
    )
    retention_days = StrictInteger(
        validate=validate.Range(min=1, max=3650, error=_l("Kies 1 tot 3650 dagen."))
    )
    job_expiry_days = StrictInteger(
        validate=validate.Range(min=1, max=365, error=_l("Kies 1 tot 365 dagen."))
    )
    default_job_visibility = fields.String(
        validate=validate.OneOf(JOB_VISIBILITY, error=_l("Kies organisation of arrangement.")),
        error_messages=messages(),
    )


class SettingsSchema(ApiSchema):
    organisation = fields.Function(lambda org: {"slug": org.slug, "name": org.name})
    capacity_visibility = fields.String()
    line_manager_sees_own_staff = fields.Boolean()
    registration_via_line_manager = fields.Boolean()
    report_min_group_size = fields.Integer()
    retention_days = fields.Integer()
    job_expiry_days = fields.Integer()
    default_job_visibility = fields.String()
