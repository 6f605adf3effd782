"""The start page, the health check and the language switch."""

from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, current_app, jsonify, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import text
from werkzeug.exceptions import HTTPException

from portal.domain.lists import PROVIDER_ROLES
from portal.domain.overview import start_page_figures
from portal.domain.todos import months_to_declare, previous_month, todo_counts
from portal.domain.working_days import today_in_amsterdam
from portal.extensions import db
from portal.web.errors import discard_transaction
from portal.web.safety import safe_next_url

bp = Blueprint("main", __name__)


# Each to-do: its label and the filtered list it links to (endpoint and query parameters).
# url_for types its keywords as Any (a few are flags): so are the arguments here.
TODO_LINKS: dict[str, tuple[Any, str, dict[str, Any]]] = {
    "inbox": (_l("nieuwe toewijzingen, start te melden"), "trajectories.inbox", {}),
    "start_measurements": (_l("gestarte trajecten zonder beginmeting"),
                           "trajectories.index", {"status": "started"}),
    "explanations": (_l("metingen met een gevraagde toelichting"),
                     "measurements.index", {"status": "explanation_requested"}),
    "concepts": (_l("declaraties in concept, in te dienen"),
                 "declarations.index", {"status": "concept"}),
    "rejected_lines": (_l("afgekeurde declaratieregels"),
                       "declarations.index", {"status": "answered"}),
    "allocation_requests": (_l("toewijzingsverzoeken in behandeling"),
                            "requests.index", {"status": "open"}),
    "change_requests": (_l("wijzigingsverzoeken in behandeling"),
                        "requests.index", {"status": "open"}),
    "lines_to_review": (_l("declaratieregels te beoordelen"), "review.queue", {}),
    "overdue_lines": (_l("declaratieregels te laat (na 10 werkdagen)"),
                      "review.queue", {"overdue": "y"}),
    "measurements_to_review": (_l("metingen te beoordelen"),
                               "measurements.index", {"status": "submitted"}),
    "contracts_ending": (_l("contracten die binnen 60 dagen aflopen"), "contracts.index", {}),
    "open_actions": (_l("open acties uit het sturingsgesprek"), "conversations.actions", {}),
    "overdue_actions": (_l("acties uit het sturingsgesprek verlopen"),
                        "conversations.actions", {}),
}
# To-dos past their date: highlighted on the start page while there are any.
OVERDUE_TODOS = {"overdue_lines", "overdue_actions"}


def _todos() -> list[tuple[int, str, str, bool]]:
    """(count, label, url, overdue) of the viewer's to-dos, in the order of TODO_LINKS."""
    counts = todo_counts(current_user, today_in_amsterdam())
    return [(counts[key], label, url_for(endpoint, **args),
             key in OVERDUE_TODOS and counts[key] > 0)
            for key, (label, endpoint, args) in TODO_LINKS.items() if key in counts]


@bp.route("/")
@login_required
def home():
    declare = None
    if current_user.role in PROVIDER_ROLES:
        period = previous_month(today_in_amsterdam())
        declare = {"period": period, "rows": months_to_declare(current_user, period)}
    return render_template("main/home.html", figures=start_page_figures(current_user),
                           todos=_todos(), declare=declare)


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
