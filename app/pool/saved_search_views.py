"""Pages for saved searches: save one from the job list, see and change one's own, and the
signed unsubscribe link from an alert (no login: RFC 8058 one-click POST, or a confirm page)."""

from __future__ import annotations

from urllib.parse import parse_qsl

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required

from app.accounts.auth import web_user
from app.extensions import csrf
from app.pool import saved_searches
from app.pool.jobs.forms import ActionForm
from app.pool.views import bp
from app.transaction import commit
from app.web.navigation import HomeLink


@bp.route("/zoekopdrachten", methods=["GET", "POST"], endpoint="saved_searches")
@login_required
def saved_searches_page():
    """The employee's own saved searches; a POST saves the job list's current search."""
    user = web_user()
    form = ActionForm()
    error = None
    status = 200
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        query = saved_searches.clean_query(parse_qsl(request.form.get("query", "")[:2000]))
        try:
            saved_searches.save(
                user,
                name=request.form.get("name", ""),
                query=query,
                frequency=request.form.get("frequency", ""),
            )
        except saved_searches.SavedSearchError as exc:
            error, status = str(exc), 400
        else:
            commit()
            flash(_("Je zoekopdracht is bewaard."), "success")
            return redirect(url_for("pool.saved_searches"))
    searches = saved_searches.of(user)
    return render_template(
        "pool/saved_searches.html",
        searches=searches,
        problems={s.id: saved_searches.query_problem(s.query) for s in searches},
        frequencies=saved_searches.FREQUENCIES,
        form=form,
        error=error,
    ), status


@bp.route("/zoekopdrachten/<int:search_id>", methods=["POST"])
@login_required
def saved_search_change(search_id: int):
    """Change how often the alert comes, or delete the search (own searches only: else 404)."""
    user = web_user()
    search = saved_searches.get_own(user, search_id)
    if search is None:
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    if "delete" in request.form:
        saved_searches.delete(search)
        commit()
        flash(_("De zoekopdracht is verwijderd."), "success")
        return redirect(url_for("pool.saved_searches"))
    try:
        saved_searches.set_frequency(search, request.form.get("frequency", ""))
    except saved_searches.SavedSearchError:
        abort(400)
    commit()
    flash(_("Je keuze is opgeslagen."), "success")
    return redirect(url_for("pool.saved_searches"))


@bp.route("/zoekopdrachten/afmelden/<token>", methods=["GET", "POST"])
@csrf.exempt  # the signed link is the authorisation; mail clients POST without a session
def saved_search_unsubscribe(token: str):
    """GET: a page with one button. POST (the button, or a mail client's RFC 8058 one-click
    with ``List-Unsubscribe=One-Click``): no more e-mail for this search."""
    search = saved_searches.from_unsubscribe_token(token)
    if search is None:
        return render_template("pool/saved_search_unsubscribed.html", search=None), 404
    if request.method == "POST":
        saved_searches.unsubscribe(search)
        commit()
        return render_template("pool/saved_search_unsubscribed.html", search=search, done=True)
    return render_template("pool/saved_search_unsubscribed.html", search=search, done=False)


#: This module's start-page entry points, registered by the domain's ``init_app``.
HOME_LINKS = (
    HomeLink(
        _l("Werk vinden"),
        "pool.saved_searches",
        _l("Bewaarde zoekopdrachten"),
        _l("Krijg een e-mail als er nieuwe klussen zijn voor jouw zoekopdracht."),
        order=13,
    ),
)
