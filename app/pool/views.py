"""Browser pages of the pool. One blueprint; the pages live in one module per resource."""

from flask import Blueprint

bp = Blueprint("pool", __name__)

# Imported for their routes on `bp` (each module: `from app.pool.views import bp`).
from app.pool import (  # noqa: E402,F401
    saved_search_views,
    skill_views,
)
from app.pool.applications import views as application_views  # noqa: E402,F401
from app.pool.jobs import views as job_views  # noqa: E402,F401
from app.pool.offers import views as offer_views  # noqa: E402,F401
from app.pool.settings import views as settings_views  # noqa: E402,F401
