"""Pages for notifications: the list, opening one, marking all read, the weekly digest choice.

The unread figure in the menu counts only what the user may still see
(app.pool.notifications.operations).
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app.accounts.auth import web_user
from app.pool.notifications import digest
from app.pool.notifications import operations as notifications
from app.pool.pool_forms import ActionForm, DigestForm
from app.pool.views import bp
from app.transaction import commit
from app.web.navigation import HomeLink, NavItem


class UnreadLabel:
    """The menu label "Meldingen", with the number of unread notifications when there are."""

    def __str__(self) -> str:
        if not current_user.is_authenticated:
            return _("Meldingen")
        count = notifications.unread_count(current_user._get_current_object())
        if not count:
            return _("Meldingen")
        return _("Meldingen (%(n)d nieuw)", n=count)


@bp.route("/meldingen")
@login_required
def notifications_list():
    user = web_user()
    return render_template(
        "pool/notifications/list.html",
        items=notifications.shown_for(user),
        form=ActionForm(),
    )


@bp.route("/meldingen/<int:notification_id>")
@login_required
def open_notification(notification_id: int):
    """Mark a notification read and go to what it is about."""
    user = web_user()
    shown = notifications.open_notification(user, notification_id)
    if shown is None:
        abort(404)
    commit()
    return redirect(url_for(shown.endpoint, **shown.values))


@bp.route("/meldingen/gelezen", methods=["POST"])
@login_required
def mark_notifications_read():
    form = ActionForm()
    if not form.validate():
        abort(400)
    notifications.mark_all_read(web_user())
    commit()
    flash(_("Alle meldingen zijn gelezen."), "success")
    return redirect(url_for("pool.notifications_list"))


@bp.route("/meldingen/instellingen", methods=["GET", "POST"])
@login_required
def notification_settings():
    """The employee chooses the weekly e-mail with new jobs that match their skills."""
    user = web_user()
    form = DigestForm(obj=user) if request.method == "GET" else DigestForm()
    if form.validate_on_submit():
        digest.choose(user, bool(form.weekly_digest.data))
        commit()
        flash(_("Je keuze is opgeslagen."), "success")
        return redirect(url_for("pool.notification_settings"))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "pool/notifications/settings.html", form=form, skills=digest.skills_of(user)
    ), status


#: This module's menu items, registered by the domain's ``init_app``.
MENU = (NavItem("pool.notifications_list", UnreadLabel(), order=85),)
#: This module's start-page entry points, registered by the domain's ``init_app``.
HOME_LINKS = (
    HomeLink(
        _l("Je gegevens"),
        "pool.notification_settings",
        _l("Wekelijkse e-mail met klussen"),
        _l("Elke week de nieuwe klussen die bij jouw vaardigheden passen."),
        order=25,
    ),
)
