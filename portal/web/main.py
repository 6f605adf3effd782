"""The start page, the health check and the language switch."""

from urllib.parse import urlsplit

from flask import Blueprint, current_app, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import text
from werkzeug.exceptions import HTTPException

from portal.domain.overview import start_page_figures
from portal.extensions import db
from portal.web.errors import discard_transaction
from portal.web.safety import safe_next_url

bp = Blueprint("main", __name__)


@bp.route("/")
@login_required
def home():
    return render_template("main/home.html", figures=start_page_figures(current_user))


@bp.route("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
        database = "ok"
    except Exception:  # any failure means the database is not usable
        current_app.logger.exception("health check: database unavailable")
        database = "unavailable"
        discard_transaction()
    status = 200 if database == "ok" else 503
    return jsonify(status="ok" if status == 200 else "error", database=database), status


@bp.app_template_global()
def language_return_path() -> str:
    """Where the language switch returns to: this page, or, on the answer to a form's POST
    (an error shown at the action's URL), the page the form was on (the Referer: same site
    only, as Referrer-Policy sends it)."""
    if request.method == "GET":
        return request.full_path
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc != request.host:
        return ""
    return referrer.path + (f"?{referrer.query}" if referrer.query else "")


def _answers_get(path: str) -> bool:
    """Whether a GET of this path on this site finds a page (and not a 405 or 404)."""
    adapter = current_app.url_map.bind_to_environ(request.environ)
    try:
        adapter.match(urlsplit(path).path, method="GET")
    except HTTPException:
        return False
    return True


@bp.route("/taal/<lang>", methods=["POST"])
def set_language(lang: str):
    target = safe_next_url(request.form.get("next"))
    response = redirect(target if target and _answers_get(target) else url_for("main.home"))
    if lang in current_app.config["LANGUAGES"]:
        response.set_cookie("lang", lang, max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
    return response
