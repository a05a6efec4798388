"""Browser pages of the pool. One blueprint; the pages live in one module per resource."""

from flask import Blueprint

bp = Blueprint("pool", __name__)

# Imported for their routes on `bp` (each module: `from app.pool.views import bp`).
from app.pool import (  # noqa: E402,F401
    application_views,
    job_views,
    offer_views,
    saved_search_views,
    settings_views,
    skill_views,
)
