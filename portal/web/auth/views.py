"""Login and logout."""

import hmac

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from portal.domain.accounts import authenticate, end_sessions
from portal.extensions import db, htmx, login_manager
from portal.models import User
from portal.web.auth.forms import LoginForm
from portal.web.safety import safe_next_url

bp = Blueprint("auth", __name__)


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    user_id, _sep, token = session_id.partition(":")
    if not user_id.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not hmac.compare_digest(user.session_token, token):
        return None
    return user


@login_manager.unauthorized_handler
def unauthorized():
    login_url = url_for("auth.login", next=request.full_path if request.method == "GET" else None)
    if htmx:
        # A fragment request must not swap the login page into a table cell.
        return "", 401, {"HX-Redirect": login_url}
    flash(_("Log in om deze pagina te bekijken."), "info")
    return redirect(login_url)


@bp.route("/inloggen", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user is None:
            error = _("Onjuist e-mailadres of wachtwoord.")
        else:
            session.clear()  # a fresh session: nothing from before the login survives
            login_user(user)
            return redirect(safe_next_url(request.args.get("next")) or url_for("main.home"))
    return render_template("auth/login.html", form=form, error=error)


@bp.route("/uitloggen", methods=["POST"])
@login_required
def logout():
    end_sessions(current_user)
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("U bent uitgelogd."), "ok")
    return redirect(url_for("auth.login"))
