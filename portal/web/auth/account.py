"""The account page and changing the password."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user

from portal.domain import DomainError, two_factor
from portal.domain.accounts import change_password
from portal.extensions import db
from portal.web.auth import throttle
from portal.web.auth.forms import PasswordChangeForm
from portal.web.auth.views import bp


@bp.route("/account")
@login_required
def account():
    enrolled = current_user.totp_secret is not None
    return render_template(
        "auth/account.html", enrolled=enrolled,
        recovery_codes_left=two_factor.unused_recovery_codes(current_user) if enrolled else None)


@bp.route("/account/wachtwoord", methods=["GET", "POST"])
@login_required
@throttle.guard(account_key=lambda: current_user.email)
def password():
    form = PasswordChangeForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            change_password(user, form.current_password.data, form.new_password.data)
        except DomainError as error:
            getattr(form, error.field).errors.append(error.message)
            if error.field == "current_password":
                throttle.failed("password change", user.email)
        else:
            db.session.commit()
            login_user(user)  # this browser goes on with the new session token
            flash(_("Uw wachtwoord is gewijzigd. Op andere apparaten bent u uitgelogd."), "ok")
            return redirect(url_for("auth.account"))
    return render_template("auth/password.html", form=form)
