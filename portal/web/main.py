"""The start page, the health check and the language switch."""

from flask import Blueprint, current_app, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import text

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


@bp.route("/taal/<lang>", methods=["POST"])
def set_language(lang: str):
    response = redirect(safe_next_url(request.form.get("next")) or url_for("main.home"))
    if lang in current_app.config["LANGUAGES"]:
        response.set_cookie("lang", lang, max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
    return response
