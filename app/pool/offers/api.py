"""API: capacity offers (CONTRACT.md). Thin: parse, call one operation, serialise."""

from __future__ import annotations

from flask_babel import gettext as _

from app import policy
from app.accounts.auth import api_auth
from app.errors import FieldErrors
from app.pagination import api_page
from app.pool.api import blp
from app.pool.offers import operations as offers
from app.pool.offers.schemas import (
    OfferCreateSchema,
    OfferDetailSchema,
    OfferListArgs,
    OfferPageSchema,
    OfferSchema,
    OfferUpdateSchema,
)
from app.transaction import commit

BEARER = [{"bearer": []}]


def _may_edit(user, offer_id: int) -> None:
    """Before the body is read: 404 for an offer the caller cannot see, 403 for one they may
    see but not change."""
    policy.require(user, "offer.edit", offers.visible_offer_or_404(user, offer_id))


@blp.route("/capacities", methods=["POST"])
@blp.doc(security=BEARER)
@api_auth
@blp.arguments(OfferCreateSchema, error_status_code=400)
@blp.response(201, OfferSchema)
@blp.alt_response(403, description="employee_id of someone the caller may not register for")
def create_capacity(user, data):
    """Offer hours and skills for a period. A line manager may name ``employee_id`` of their
    own staff where their organisation routes registration through line managers."""
    offer = offers.create(user, **data)
    commit()
    return policy.disclose_offer(user, offer)


@blp.route("/capacities", methods=["GET"])
@blp.doc(security=BEARER)
@api_auth
@blp.arguments(OfferListArgs, location="query", error_status_code=400)
@blp.response(200, OfferPageSchema)
def list_capacities(user, args):
    """The offers the caller may see under the privacy settings of each employee's home
    organisation (and their own). Filtering by ``reason=reintegration`` is for HR only (400
    for anyone else), and finds their own organisation's offers with the employee's consent."""
    if args["reason"] == policy.SENSITIVE_REASON and not policy.allowed(
        user, "offer.filter_sensitive_reason"
    ):
        raise FieldErrors({"reason": [_("Op deze reden kan alleen P&O zoeken.")]})
    stmt = offers.visible_offers(
        user,
        q=args["q"],
        skill=args["skill"],
        organisation=args["organisation"],
        reason=args["reason"],
        status=args["status"],
    )
    page = api_page(stmt, args["page"], args["per_page"])
    policy.disclose_offers(user, page["items"])
    return page


@blp.route("/capacities/<int:offer_id>", methods=["GET"])
@blp.doc(security=BEARER)
@blp.response(200, OfferDetailSchema)
@blp.alt_response(404, description="No such offer, or not visible to the caller")
@api_auth
def get_capacity(user, offer_id):
    """One offer. Viewing someone else's offer is logged for that employee to see."""
    offer = offers.view(user, offer_id)
    if offer.user_id == user.id:
        offer.view_log = offers.views_of(user, offer)
    commit()
    return policy.disclose_offer(user, offer)


@blp.route("/capacities/<int:offer_id>", methods=["PATCH"])
@blp.doc(security=BEARER)
@api_auth(before=_may_edit)
@blp.arguments(OfferUpdateSchema, error_status_code=400)
@blp.response(200, OfferSchema)
@blp.alt_response(403, description="Only the employee (or who registered it) changes it")
@blp.alt_response(404, description="No such offer, or not visible to the caller")
@blp.alt_response(409, description="The offer was withdrawn")
def update_capacity(user, data, offer_id):
    """Change an open offer."""
    offer = offers.update(user, offer_id, **data)
    commit()
    return policy.disclose_offer(user, offer)


@blp.route("/capacities/<int:offer_id>/withdraw", methods=["POST"])
@blp.doc(security=BEARER)
@blp.response(200, OfferSchema)
@blp.alt_response(404, description="No such offer, or not visible to the caller")
@blp.alt_response(409, description="Already withdrawn")
@api_auth
def withdraw_capacity(user, offer_id):
    """Withdraw an offer: from then on only the employee sees it."""
    offer = offers.withdraw(user, offer_id)
    commit()
    return policy.disclose_offer(user, offer)
