"""The schema of an arrangement definition (``tenants.definitions``): what a TOML file may say,
with the Dutch message a coordinator reads next to the line. Unknown keys are refused (marshmallow's
default): a typo must not silently fall back to a default.
"""

from __future__ import annotations

import re
from decimal import Decimal

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from app.contrast import AA_NORMAL_TEXT, WHITE, contrast_ratio
from tenants.models import (
    CAPACITY_VISIBILITY,
    JOB_VISIBILITY,
)

SLUG = validate.Regexp(
    r"^[a-z0-9]+(?:-[a-z0-9]+)*$", error="Alleen kleine letters, cijfers en '-'."
)


def _refuse_duplicates(items: list[dict], field: str, what: str) -> None:
    """A slug used twice: the error names the second one (its own line in the file)."""
    seen: set[str] = set()
    errors: dict[int, dict[str, list[str]]] = {}
    for index, item in enumerate(items):
        if item["slug"] in seen:
            errors[index] = {"slug": [f"{what} staat al eerder in het bestand (dubbele slug)."]}
        seen.add(item["slug"])
    if errors:
        raise ValidationError({field: errors})


class SignatorySchema(Schema):
    name = fields.String(load_default="", validate=validate.Length(max=200))
    role = fields.String(load_default="", validate=validate.Length(max=200))
    mandate = fields.String(load_default="", validate=validate.Length(max=300))


class PrivacySchema(Schema):
    capacity_visibility = fields.String(
        load_default="hr_coordinators", validate=validate.OneOf(CAPACITY_VISIBILITY)
    )
    line_manager_sees_own_staff = fields.Boolean(load_default=False)
    registration_via_line_manager = fields.Boolean(load_default=False)
    report_min_group_size = fields.Integer(load_default=5, validate=validate.Range(min=3, max=1000))
    retention_days = fields.Integer(load_default=365, validate=validate.Range(min=1, max=3650))


class DefaultsSchema(Schema):
    job_visibility = fields.String(
        load_default="arrangement", validate=validate.OneOf(JOB_VISIBILITY)
    )
    job_expiry_days = fields.Integer(load_default=42, validate=validate.Range(min=1, max=365))
    hourly_rate = fields.Decimal(
        places=2, load_default=None, allow_none=True, validate=validate.Range(min=0)
    )


def _readable_on_white(colour: str) -> None:
    """The theme colour is a background under white text and the colour of links on white:
    refused below WCAG AA (4.5:1), so no organisation's theme makes the pages unreadable."""

    if not re.fullmatch(r"#[0-9a-fA-F]{6}", colour):
        return  # the format check reports it
    ratio = contrast_ratio(colour.lower(), WHITE)
    if ratio < AA_NORMAL_TEXT:
        shown = f"{int(ratio * 100) / 100:.2f}".replace(".", ",")
        raise ValidationError(
            f"{colour} heeft te weinig contrast met wit ({shown}:1); WCAG AA vraagt minstens "
            "4,5:1 (witte tekst op deze kleur, links in deze kleur). Kies een donkerdere kleur."
        )


class BrandingSchema(Schema):
    """``[organisations.branding]``: the organisation's theme on the pages (colour of the header,
    buttons and links; logo in the header) and the logo on its agreements."""

    colour = fields.String(
        load_default="#1f5f8b",
        validate=[validate.Regexp(r"^#[0-9a-fA-F]{6}$"), _readable_on_white],
    )
    logo = fields.String(load_default=None, allow_none=True)  # path relative to the file


class SignInSchema(Schema):
    """``[organisations.sign_in]``: the organisation's OpenID provider (issue 12)."""

    issuer = fields.Url(
        required=True,
        schemes={"https", "http"},
        require_tld=False,
        validate=validate.Length(max=300),
    )
    client_id = fields.String(required=True, validate=validate.Length(min=1, max=300))
    # The secret itself never sits in the file: the name of the variable that holds it.
    client_secret_env = fields.String(
        required=True,
        validate=validate.Regexp(
            r"^[A-Z_][A-Z0-9_]{0,99}$", error="Een naam zoals ORG_OIDC_SECRET."
        ),
    )
    email_domains = fields.List(
        fields.String(
            validate=validate.Regexp(
                r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$",
                error="Een domein zoals ermelo.nl (kleine letters).",
            )
        ),
        load_default=list,
    )
    password_login = fields.Boolean(load_default=True)


def _group_name(value: str) -> None:
    if not value.strip() or value != value.strip() or "\n" in value or "\r" in value:
        raise ValidationError(
            "Een groepsnaam zoals in de identity provider, zonder witruimte eromheen."
        )


class ScimSchema(Schema):
    """``[organisations.scim]``: what the organisation's SCIM groups mean here (issue 12).

    ``hr_groups``: display names of the groups whose members are HR of the organisation. The
    coordinator role belongs to the arrangement, so no organisation's groups can grant it (an
    unknown key such as ``coordinator_groups`` is refused like any other)."""

    hr_groups = fields.List(
        fields.String(validate=[validate.Length(min=1, max=255), _group_name]),
        load_default=list,
    )

    @validates_schema
    def unique_groups(self, data, **kwargs):
        names = [name.casefold() for name in data.get("hr_groups", [])]
        if len(names) != len(set(names)):
            raise ValidationError({"hr_groups": ["Een groep staat er twee keer in."]})


class DepartmentSchema(Schema):
    slug = fields.String(required=True, validate=[SLUG, validate.Length(max=63)])
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))


class OrganisationSchema(Schema):
    slug = fields.String(required=True, validate=[SLUG, validate.Length(max=63)])
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    legal_name = fields.String(load_default="", validate=validate.Length(max=200))
    address = fields.String(load_default="", validate=validate.Length(max=400))
    kvk_number = fields.String(load_default="", validate=validate.Regexp(r"^(\d{8})?$"))
    oin = fields.String(load_default="", validate=validate.Regexp(r"^(\d{20})?$"))
    vat_number = fields.String(load_default="", validate=validate.Length(max=30))
    cao = fields.String(
        load_default="Cao Gemeenten",
        validate=validate.OneOf(["Cao Gemeenten", "Cao SGO", "Cao Provincies", "anders"]),
    )
    agreement_template = fields.String(load_default=None, allow_none=True)  # path, sandboxed
    signatory = fields.Nested(SignatorySchema, load_default=lambda: SignatorySchema().load({}))
    privacy = fields.Nested(PrivacySchema, load_default=lambda: PrivacySchema().load({}))
    defaults = fields.Nested(DefaultsSchema, load_default=lambda: DefaultsSchema().load({}))
    branding = fields.Nested(BrandingSchema, load_default=lambda: BrandingSchema().load({}))
    departments = fields.List(fields.Nested(DepartmentSchema), load_default=list)
    sign_in = fields.Nested(SignInSchema, load_default=None)
    scim = fields.Nested(ScimSchema, load_default=lambda: ScimSchema().load({}))

    @validates_schema
    def unique_departments(self, data, **kwargs):
        _refuse_duplicates(data.get("departments", []), "departments", "Deze afdeling")


class ArrangementSchema(Schema):
    slug = fields.String(required=True, validate=[SLUG, validate.Length(max=63)])
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    external_hourly_rate = fields.Decimal(
        places=2, load_default=Decimal("95.00"), validate=validate.Range(min=0)
    )


class DefinitionSchema(Schema):
    arrangement = fields.Nested(ArrangementSchema, required=True)
    organisations = fields.List(
        fields.Nested(OrganisationSchema), required=True, validate=validate.Length(min=1)
    )

    @validates_schema
    def unique_organisations(self, data, **kwargs):
        _refuse_duplicates(data.get("organisations", []), "organisations", "Deze organisatie")

    @validates_schema
    def unique_email_domains(self, data, **kwargs):
        """An e-mail domain leads to one organisation's provider (within the file; across files
        :func:`apply` checks it)."""
        seen: set[str] = set()
        errors: dict[int, dict] = {}
        for index, org in enumerate(data.get("organisations", [])):
            for domain in (org.get("sign_in") or {}).get("email_domains", []):
                if domain in seen:
                    errors[index] = {
                        "sign_in": {
                            "email_domains": [f"{domain} staat al bij een andere organisatie."]
                        }
                    }
                seen.add(domain)
        if errors:
            raise ValidationError({"organisations": errors})
