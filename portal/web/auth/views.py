"""Login (the password step) and logout."""

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from portal.domain.accounts import authenticate, end_sessions, normalise_email
from portal.extensions import db, login_manager
from portal.web.auth import throttle
from portal.web.auth.forms import LoginForm
from portal.web.auth.sessions import after_password, enforce_session_rules, to_login
from portal.web.safety import safe_next_url

bp = Blueprint("auth", __name__)
bp.before_app_request(enforce_session_rules)


@bp.after_request
def _no_store(response):
    # Login steps, secrets, recovery codes and account pages never go into a cache.
    response.headers["Cache-Control"] = "no-store"
    return response


@login_manager.unauthorized_handler
def unauthorized():
    return to_login(_("Log in om deze pagina te bekijken."))


def _account_in_form() -> str:
    return normalise_email(request.form.get("email", ""))[:254] or "-"


@bp.route("/inloggen", methods=["GET", "POST"])
@throttle.guard(account_key=_account_in_form)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        email = form.email.data or ""
        user = authenticate(email, form.password.data or "")
        if user is None:
            error = _("Onjuist e-mailadres of wachtwoord.")
            throttle.failed("password", email)
        else:
            return after_password(user, safe_next_url(request.args.get("next")))
    return render_template("auth/login.html", form=form, error=error)


@bp.route("/uitloggen", methods=["POST"])
def logout():
    """Ends the session everywhere; also cancels a login that is halfway."""
    if current_user.is_authenticated:
        end_sessions(current_user)
        db.session.commit()
        logout_user()
    session.clear()
    flash(_("U bent uitgelogd."), "ok")
    return redirect(url_for("auth.login"))
