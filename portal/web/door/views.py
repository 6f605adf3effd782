"""The machine door (POST /api/ijw/berichten) and the administrators' pages for its tokens."""

import hashlib

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.sessions import SecureCookieSessionInterface
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user
from sqlalchemy import select

from portal.domain import DomainError
from portal.domain.api_tokens import (
    authenticate,
    create_token,
    revoke_token,
    token_organisations,
    token_scope,
)
from portal.domain.audit import event_values, record
from portal.domain.lists import Role
from portal.extensions import csrf, db, limiter
from portal.ijw.door import receive as receive_message
from portal.ijw.parsing import MAX_BYTES
from portal.models import ApiToken, AuditEvent
from portal.web.access import apply_domain, load_scoped, roles_required
from portal.web.door.forms import TokenForm

bp = Blueprint("door", __name__)
TOKEN_ADMINS = (Role.PROVIDER_ADMIN, Role.ADMINISTRATOR)
XML_TYPES = ("application/xml", "text/xml")


def _presented_token() -> str | None:
    scheme, _sep, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def _limit_key() -> str:
    """Per token (by its hash: the token itself is kept nowhere), else per address."""
    token = _presented_token()
    if token:
        return "door-token:" + hashlib.sha256(token.encode()).hexdigest()
    return "door-address:" + (get_remote_address() or "")


def _error(status: int, error: str, message: str, **extra) -> Response:
    response = jsonify({"error": error, "message": message, **extra})
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="ijw"'
    return response


def _audit(token: ApiToken | None, status: int, **details) -> None:
    after = {"status": status, **details}
    if token is None:
        db.session.add(AuditEvent(**event_values(None, "ijw.door_refused", "api_token", None,
                                                 after=after)))
    else:
        record(None, "ijw.door", token, after={"token": token.name, **after})


@bp.route("/api/ijw/berichten", methods=["POST"])
@csrf.exempt
@limiter.limit(lambda: current_app.config["DOOR_RATE_LIMIT"], key_func=_limit_key)
# Guessed tokens each have a count of their own; the address caps them all together.
@limiter.limit(lambda: current_app.config["DOOR_ADDRESS_RATE_LIMIT"],
               key_func=lambda: "door-address:" + (get_remote_address() or ""))
def receive():
    token = authenticate(_presented_token())
    if token is None:
        _audit(None, 401)
        db.session.commit()
        return _error(401, "unauthorised", _("Geen geldige API-sleutel (Authorization: Bearer "
                                             "...)."))
    refusal = _check_request()
    if refusal is not None:
        _audit(token, refusal.status_code)
    response = refusal or _answer(token)
    db.session.commit()
    return response


def _check_request() -> Response | None:
    if request.mimetype not in XML_TYPES:
        return _error(415, "content_type", _("Stuur het bericht als application/xml."))
    if request.content_length is None:
        return _error(411, "length", _("De lengte van het bericht (Content-Length) ontbreekt."))
    if request.content_length > MAX_BYTES:
        return _too_large()
    return None


def _answer(token: ApiToken) -> Response:
    reply = receive_message(request.get_data(cache=False), token)
    received = reply.received
    report = received.report if received else None
    answer = received.answer if received else None
    _audit(token, reply.status, kind=report.kind if report else None,
           identification=report.identification if report else None,
           findings=len(report.findings) if report else None,
           answer=answer.identification if answer else None)
    if reply.content is None or answer is None:  # only an answer message gives content
        response = jsonify(reply.error)
        response.status_code = reply.status
        return response
    response = Response(reply.content, status=reply.status, mimetype="application/xml")
    response.headers["Content-Disposition"] = f'inline; filename="{answer.filename}"'
    return response


def _too_large() -> Response:
    return _error(413, "too_large", _("Het bericht is groter dan 8 MB."))


def _refused_early(response: Response):
    """A refusal of the door before its view ran is audited too, under the token presented;
    the token pages keep the portal's error page."""
    if request.endpoint != "door.receive":
        return render_template("errors/error.html", status=response.status_code), (
            response.status_code)
    _audit(authenticate(_presented_token()), response.status_code)
    db.session.commit()
    return response


@bp.errorhandler(429)
def _too_many(_error_):
    return _refused_early(_error(429, "rate_limited",
                                 _("Te veel berichten; probeer het later opnieuw.")))


@bp.errorhandler(413)  # raised before the view by the app's MAX_CONTENT_LENGTH
def _too_large_early(_error_):
    return _refused_early(_too_large())


class _NoDoorSessions(SecureCookieSessionInterface):
    """Flask's own cookie sessions, except on the door."""

    def save_session(self, app, session, response):
        if request.endpoint == "door.receive":
            return
        super().save_session(app, session, response)


def install_session_interface(app) -> None:
    """The door never sets a session cookie, whatever cookie a caller sends along."""
    app.session_interface = _NoDoorSessions()


def _organisation_choices() -> list[tuple[str, str]]:
    return [(f"{type(o).__name__.lower()}-{o.id}", o.name)
            for o in token_organisations(current_user)]


def _organisation(key: str):
    return next(o for o in token_organisations(current_user)
                if f"{type(o).__name__.lower()}-{o.id}" == key)


@bp.route("/beheer/api-sleutels", methods=["GET", "POST"])
@roles_required(*TOKEN_ADMINS)
def tokens():
    form = TokenForm()
    form.organisation.choices = _organisation_choices()
    created = None
    if form.validate_on_submit():
        result, ok = apply_domain(form, create_token, _organisation(form.organisation.data),
                                  form.name.data, current_user)
        if ok:
            db.session.commit()
            created = result[1]
            form = TokenForm(formdata=None)
            form.organisation.choices = _organisation_choices()
    listed = db.session.scalars(select(ApiToken).where(token_scope(current_user))
                                .order_by(ApiToken.revoked_at.isnot(None),
                                          ApiToken.id.desc())).all()
    return render_template("door/tokens.html", form=form, tokens=listed, created=created)


@bp.route("/beheer/api-sleutels/<int:token_id>/intrekken", methods=["POST"])
@roles_required(*TOKEN_ADMINS)
def revoke(token_id: int):
    token = load_scoped(ApiToken, token_id, token_scope(current_user))
    try:
        revoke_token(token, current_user)
    except DomainError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(_("De sleutel %(name)s is ingetrokken.", name=token.name), "ok")
    return redirect(url_for("door.tokens"))
