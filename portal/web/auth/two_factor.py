"""The second login step, and setting up two factors (at first login, or from the account)."""

import segno
from flask import current_app, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from portal.domain import DomainError, two_factor
from portal.domain.accounts import confirm_password, normalise_email
from portal.extensions import db, login_manager
from portal.models import User
from portal.models.types import utcnow
from portal.notices import send_notice
from portal.web.access import show_error
from portal.web.auth import throttle
from portal.web.auth.forms import AccountEnrolForm, EnrolForm, SecondFactorForm
from portal.web.auth.sessions import TWO_FACTOR, complete_login, pending_user
from portal.web.auth.views import bp


def _account_being_secured() -> str:
    """The throttling key: the logged-in account, or the one halfway through its login."""
    user = current_user if current_user.is_authenticated else pending_user()
    return normalise_email(user.email) if user else "-"


@bp.route("/inloggen/code", methods=["GET", "POST"])
@throttle.guard(account_key=_account_being_secured)
def second_factor():
    user = pending_user()
    if user is None:
        return redirect(url_for("auth.login"))
    if user.totp_secret is None:
        return redirect(url_for("auth.enrol"))
    form = SecondFactorForm()
    was_locked = two_factor.is_locked(user)
    if form.validate_on_submit():
        try:
            factor = two_factor.verify(user, form.code.data or "", utcnow())
        except DomainError as error:
            form.code.errors = [*form.code.errors, error.message]
            if not was_locked:
                throttle.failed("second factor", user.email)
                _count_failure(user, form)
        else:
            db.session.commit()
            next_url = complete_login(user, two_factor=True)
            if factor == "recovery_code":
                flash(_("U heeft een herstelcode gebruikt. Er zijn nog %(count)s over.",
                        count=two_factor.unused_recovery_codes(user)), "warning")
            return redirect(next_url)
    return render_template("auth/second_factor.html", form=form,
                           locked=two_factor.is_locked(user))


def _count_failure(user: User, form: SecondFactorForm) -> None:
    """Count the wrong code for the lockout; the request that locks it tells the user."""
    locked = two_factor.record_failure(user, utcnow(),
                                       current_app.config["SECOND_FACTOR_MAX_FAILURES"])
    db.session.commit()
    if locked:
        form.code.errors = [*form.code.errors[:-1], two_factor.LOCKED]
        send_notice(user.email, _("Tweede stap geblokkeerd"), _(
            "Bij het inloggen op het Resultaatportaal jeugdhulp is te vaak een onjuiste code "
            "ingevuld voor uw account. Uw tweede stap is daarom geblokkeerd.\n\n"
            "De beheerder van uw organisatie kan de blokkade opheffen. Was u dit niet zelf? "
            "Meld het dan ook bij die beheerder: iemand kent mogelijk uw wachtwoord. Wijzig uw "
            "wachtwoord zodra u weer bent ingelogd."))


@bp.route("/tweestapsverificatie", methods=["GET", "POST"])
@throttle.guard(account_key=_account_being_secured)
def enrol():
    logged_in = current_user.is_authenticated
    user = current_user._get_current_object() if logged_in else pending_user()
    if user is None:
        return login_manager.unauthorized()
    if user.totp_secret is not None:
        return redirect(url_for("auth.account" if logged_in else "auth.second_factor"))
    secret = two_factor.pending_secret(user)
    db.session.commit()
    # Right after the password step it was just typed; from the account page it is asked again.
    form = AccountEnrolForm() if logged_in else EnrolForm()
    if form.validate_on_submit():
        try:
            if logged_in:
                confirm_password(user, form.current_password.data)
            codes = two_factor.enrol(user, secret, form.code.data or "", utcnow())
        except DomainError as error:
            show_error(form, error)
            if error.field == "current_password":
                throttle.failed("password", user.email)
        else:
            db.session.commit()
            if logged_in:
                session[TWO_FACTOR] = True
                next_url = url_for("auth.account")
            else:
                next_url = complete_login(user, two_factor=True)
            return render_template("auth/recovery_codes.html", codes=codes, next_url=next_url)
    return render_template("auth/enrol.html", form=form, secret=secret,
                           qr=_qr_svg(two_factor.provisioning_uri(user, secret)),
                           required=user.role.needs_two_factors)


def _qr_svg(uri: str) -> Markup:
    """The QR code as inline SVG, made on the server: no script, no style attribute."""
    svg = segno.make(uri, error="m").svg_inline(
        scale=5, dark="#000", light="#fff", svgclass="portal-qr",
        title=_("QR-code om uw app te koppelen"))
    return Markup(svg)  # noqa: S704 - segno's SVG; the URI is only in its modules  # nosec B704
