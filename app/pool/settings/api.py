"""API: an organisation's privacy settings and job defaults (CONTRACT.md)."""

from __future__ import annotations

from app import policy
from app.accounts.auth import api_auth
from app.pool.api import blp
from app.pool.settings import operations as settings
from app.pool.settings.schemas import SettingsPatchSchema, SettingsSchema
from app.transaction import commit

BEARER = [{"bearer": []}]


def _may_edit(user, slug: str) -> None:
    """Before the body is read: 404 for an organisation outside the arrangement, 403 for
    anyone but its HR."""
    policy.require(user, "organisation.settings.edit", settings.organisation_or_404(slug))


@blp.route("/organisations/<slug>/settings", methods=["GET"])
@blp.doc(security=BEARER)
@blp.response(200, SettingsSchema)
@blp.alt_response(403, description="Not a member of this organisation or a coordinator")
@blp.alt_response(404, description="No such organisation in the caller's arrangement")
@api_auth
def get_settings(user, slug):
    """The settings, readable by the organisation's own staff and the coordinators."""
    return settings.read(user, slug)


@blp.route("/organisations/<slug>/settings", methods=["PATCH"])
@blp.doc(security=BEARER)
@api_auth(before=_may_edit)
@blp.arguments(SettingsPatchSchema, error_status_code=400)
@blp.response(200, SettingsSchema)
@blp.alt_response(403, description="Only HR of this organisation changes them")
@blp.alt_response(404, description="No such organisation in the caller's arrangement")
def patch_settings(user, data, slug):
    """Change settings (HR of the organisation). Employees with an open offer are told when
    who may see it changes."""
    organisation = settings.organisation_or_404(slug)
    settings.change(user, organisation, **data)
    commit()
    return organisation


from app.pool.notifications import api as notification_api  # noqa: E402,F401  the notifications endpoint
