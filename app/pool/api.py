"""JSON API of the pool (CONTRACT.md): one smorest blueprint, one module per resource."""

from flask_smorest import Blueprint

blp = Blueprint(
    "pool_api", __name__, url_prefix="/api/v1", description="Jobs, offers, applications"
)

from app.pool.applications import api as application_api  # noqa: E402,F401
from app.pool.jobs import api as job_api  # noqa: E402,F401
from app.pool.offers import api as offer_api  # noqa: E402,F401
from app.pool.settings import api as settings_api  # noqa: E402,F401
