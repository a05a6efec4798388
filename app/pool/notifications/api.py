"""API: the caller's own notifications (the same ones, and the same rule, as /meldingen)."""

from __future__ import annotations

from marshmallow import fields

from app.accounts.auth import api_auth
from app.api import ApiSchema, utc_text
from app.ids import PublicId
from app.pool.api import blp
from app.pool.notifications import operations as notifications
from app.pool.pool_emails import link

BEARER = [{"bearer": []}]


class NotificationSchema(ApiSchema):
    id = PublicId("notification")
    kind = fields.Function(lambda shown: shown.notification.kind)
    text = fields.String()
    url = fields.Function(lambda shown: link(shown.endpoint, **shown.values))
    unread = fields.Boolean()
    created_at = fields.Function(
        lambda shown: utc_text(shown.notification.created_at), metadata={"format": "date-time"}
    )


class NotificationListSchema(ApiSchema):
    items = fields.List(fields.Nested(NotificationSchema))
    total = fields.Integer()
    unread = fields.Integer()


@blp.route("/notifications", methods=["GET"])
@blp.doc(security=BEARER)
@blp.response(200, NotificationListSchema)
@api_auth
def list_notifications(user):
    """The caller's notifications (newest first, at most 100), only about what they may see."""
    items = notifications.shown_for(user)
    return {"items": items, "total": len(items), "unread": sum(1 for n in items if n.unread)}
