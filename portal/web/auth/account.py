"""The account page, changing the password and choosing e-mail notifications."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user
from flask_wtf import FlaskForm
from wtforms import RadioField
from wtforms.validators import InputRequired

from portal.domain import DomainError, notifications, two_factor
from portal.domain.accounts import change_password
from portal.extensions import db
from portal.web.access import show_error
from portal.web.auth import throttle
from portal.web.auth.forms import PasswordChangeForm
from portal.web.auth.views import bp
from portal.web.responses import done


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
            change_password(user, form.current_password.data or "", form.new_password.data or "")
        except DomainError as error:
            show_error(form, error)
            if error.field == "current_password":
                throttle.failed("password change", user.email)
        else:
            db.session.commit()
            login_user(user)  # this browser goes on with the new session token
            flash(_("Uw wachtwoord is gewijzigd. Op andere apparaten bent u uitgelogd."), "ok")
            return redirect(url_for("auth.account"))
    return render_template("auth/password.html", form=form)


def _preferences_form(user, data: dict[str, str]) -> FlaskForm:
    """One radio group per kind of notice this user can receive."""
    fields = {kind: RadioField(notifications.KIND_LABELS[kind],
                               choices=list(notifications.MODE_LABELS.items()),
                               validators=[InputRequired(_l("Kies hoe u deze meldingen wilt "
                                                            "ontvangen."))])
              for kind in notifications.kinds_for(user)}
    return type("NotificationsForm", (FlaskForm,), fields)(data=data)


@bp.route("/account/meldingen", methods=["GET", "POST"])
@login_required
def notices():
    user = current_user._get_current_object()
    form = _preferences_form(user, notifications.preferences(user))
    if form.validate_on_submit():
        notifications.set_preferences(user, {name: form[name].data
                                             for name in notifications.kinds_for(user)})
        return done(_("Uw keuzes voor meldingen per e-mail zijn opgeslagen."), "auth.notices")
    return render_template("auth/notices.html", form=form,
                           kinds=notifications.kinds_for(user),
                           modes=notifications.MODE_LABELS)
