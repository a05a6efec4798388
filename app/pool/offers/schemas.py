"""API schemas for capacity offers (krachten). Unknown fields raise (marshmallow's default)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError, fields, missing, validate, validates_schema

from app.api import ApiSchema, Timestamp
from app.ids import PublicId, public_id
from app.policy.clauses import SENSITIVE_REASON
from app.pool.models import OFFER_REASONS, OFFER_STATUSES
from app.pool.offers import operations as offers
from app.pool.schema_fields import (
    Day,
    Hours,
    Id,
    InputSchema,
    PageArgs,
    PersonRefSchema,
    SkillNames,
    StrictBoolean,
    Text,
    messages,
)

NOTE_MAX = 2000

REASON = validate.OneOf(OFFER_REASONS, error=_l("Kies peak, development, reintegration of other."))


def check_period(data: dict) -> None:
    start, until = data.get("available_from"), data.get("available_until")
    if start is not None and until is not None and until < start:
        raise ValidationError(
            {"availableUntil": [str(_l("De einddatum ligt vóór de begindatum."))]}
        )


class OfferCreateSchema(InputSchema):
    skills = SkillNames(load_default=list)
    hours_per_week = Hours(required=True)
    available_from = Day(required=True)
    available_until = Day(load_default=None, allow_none=True)
    reason = fields.String(load_default="other", validate=REASON, error_messages=messages())
    #: the employee's consent that HR of their own organisation reads a re-integration reason
    reason_shared_with_hr = StrictBoolean(load_default=False)
    note = Text(NOTE_MAX, load_default="")
    # Only for a line manager registering for their staff, where the organisation routes
    # registration through line managers.
    employee_id = Id("user", load_default=None, allow_none=True)

    @validates_schema
    def _period(self, data, **kwargs):
        check_period(data)


class OfferUpdateSchema(InputSchema):
    skills = SkillNames()
    hours_per_week = Hours()
    available_from = Day()
    available_until = Day(allow_none=True)
    reason = fields.String(validate=REASON, error_messages=messages())
    reason_shared_with_hr = StrictBoolean()
    note = Text(NOTE_MAX)

    @validates_schema
    def _period(self, data, **kwargs):
        check_period(data)


class OfferListArgs(PageArgs):
    q = fields.String(load_default=None, validate=validate.Length(max=200))
    skill = fields.String(load_default=None, validate=validate.Length(max=80))
    organisation = fields.String(load_default=None, validate=validate.Length(max=63))
    reason = fields.String(load_default=None, validate=REASON)
    status = fields.String(
        load_default="open",
        validate=validate.OneOf(OFFER_STATUSES, error=_l("Onbekende status.")),
    )


class OfferSchema(ApiSchema):
    """An offer as everyone who may see it sees it. What the viewer may read is decided by the
    policy and handed in on the offer (``offer.disclosure``, :func:`app.policy.disclose_offer`);
    an offer without it shows nothing that needs a permission."""

    id = PublicId("offer")
    employee = fields.Nested(PersonRefSchema, attribute="user")
    skills = fields.List(fields.String())
    hours_per_week = fields.Integer()
    available_from = fields.Date()
    available_until = fields.Date(allow_none=True)
    reason = fields.Method("get_reason")
    reason_shared_with_hr = fields.Method("get_reason_shared_with_hr")
    note = fields.String()
    status = fields.String()
    registered_by = fields.Function(lambda offer: _registrar(offer))
    created_at = Timestamp()
    updated_at = Timestamp()

    def get_reason(self, offer):
        """Re-integration only for who may read it (app.policy), else "other"."""
        disclosure = _disclosure(offer)
        if disclosure is None:
            return "other" if offer.reason == SENSITIVE_REASON else offer.reason
        return disclosure.reason

    def get_reason_shared_with_hr(self, offer):
        """The consent: for the employee (and who registered the offer) only."""
        if not _own(offer):
            return missing
        return offer.reason_shared_with_hr


def _disclosure(offer):
    return getattr(offer, "disclosure", None)


def _own(offer) -> bool:
    """The viewer is the employee or the line manager who registered the offer (decided by
    :func:`app.policy.disclose_offers`)."""
    disclosure = _disclosure(offer)
    return disclosure is not None and disclosure.own


def _registrar(offer) -> dict | None:
    """Who registered the offer for the employee (a line manager), if anyone."""
    registrar = offers.registrar_of(offer)
    return {"id": public_id("user", registrar.id), "name": registrar.name} if registrar else None


class OfferViewSchema(ApiSchema):
    viewer = fields.Method("get_viewer")
    viewed_at = Timestamp()

    def get_viewer(self, row):
        user = row["viewer"]
        if user is None:
            return None
        return {"name": user.name, "organisation": user.organisation.name}


class OfferDetailSchema(OfferSchema):
    """One offer. For the employee it holds ``views``: who viewed it (a view log of their own
    data); for anyone else the field is absent. The API sets ``view_log`` (from
    :func:`app.pool.offers.operations.views_of`) on the employee's own offer before dumping."""

    views = fields.Method("get_views")

    def get_views(self, offer):
        rows = getattr(offer, "view_log", None)
        if rows is None:
            return missing
        return [
            OfferViewSchema().dump({"viewer": user, "viewed_at": view.viewed_at})
            for view, user in rows
        ]


class OfferListItemSchema(OfferSchema):
    """An offer in a list. The note and the reason (re-integration is sensitive) are read on the
    offer itself, where the view is logged for the employee; a list shows them only on the
    caller's own offers and those they registered."""

    reason = fields.Method("get_reason")
    note = fields.Method("get_note")

    def get_reason(self, offer):
        return offer.reason if _own(offer) else missing

    def get_note(self, offer):
        return offer.note if _own(offer) else missing


class OfferPageSchema(ApiSchema):
    items = fields.List(fields.Nested(OfferListItemSchema))
    total = fields.Integer()
    page = fields.Integer()
    per_page = fields.Integer()
