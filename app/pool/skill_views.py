"""The skill picker's suggestions: one server-side list for the job form, the offer form and the
job list's filter (app.pool.skills.suggestions: skills of jobs the caller may see, never of
offers)."""

from __future__ import annotations

from flask import jsonify, request
from flask_login import login_required

from app.accounts.auth import web_user
from app.pool.skills import MAX_SKILL_LENGTH, suggestions
from app.pool.views import bp

LIMIT = 20


@bp.route("/vaardigheden/suggesties")
@login_required
def skill_suggestions():
    """``?q=exc`` → ``{"items": ["Excel", …]}``: skills starting with the typed letters."""
    prefix = (request.args.get("q") or "")[:MAX_SKILL_LENGTH]
    response = jsonify({"items": suggestions(web_user(), limit=LIMIT, prefix=prefix)})
    response.headers["Cache-Control"] = "private, max-age=60"
    return response
