"""JSON API of the pool (CONTRACT.md): one smorest blueprint, one module per resource."""

from flask_smorest import Blueprint

blp = Blueprint(
    "pool_api", __name__, url_prefix="/api/v1", description="Jobs, offers, applications"
)

from app.pool import (  # noqa: E402,F401
    application_api,
    job_api,
    offer_api,
    settings_api,
)
