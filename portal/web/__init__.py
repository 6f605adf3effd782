"""The HTTP layer: blueprints, template helpers, headers and error pages."""

from datetime import date

from flask import Flask, abort, current_app, g, has_request_context, request, session
from flask_babel import force_locale, get_locale, get_translations
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.routing import IntegerConverter

from portal.domain.audit import current_origin
from portal.domain.codes import COD043
from portal.domain.identifiers import MAX_INTEGER
from portal.domain.lists import ActionStatus, DeclarationStatus, LineStatus, RequestStatus, Role
from portal.extensions import babel, login_manager
from portal.formatting import format_cents, format_date, format_datetime, format_month
from portal.models.jobs import JobStatus
from portal.web.access import may_open
from portal.web.errors import register_error_pages
from portal.web.navigation import navigation_for
from portal.web.tables import number_cell, numeric_columns


class IdConverter(IntegerConverter):
    """<int:...> in a URL: an id beyond the integer keys is no page (404), not a query."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", MAX_INTEGER)
        super().__init__(url_map, *args, **kwargs)


def select_locale() -> str:
    if not has_request_context():
        return "nl"
    chosen = request.cookies.get("lang")
    if chosen is not None and chosen in current_app.config["LANGUAGES"]:
        return chosen
    return "nl"


def _translations():
    """The request's catalogue, looked up once per request and language: Flask-Babel looks
    it up anew (context, domain, locale, cache key) for every `_()` in a template, a few
    hundred per list page. force_locale() makes a new locale object, so it is seen."""
    locale = get_locale()
    cached = g.get("_portal_translations")
    if cached is None or cached[0] is not locale:
        cached = g._portal_translations = (locale, get_translations())
    return cached[1]


def load_ahead(app: Flask) -> None:
    """What each worker's first request would do otherwise, done once in gunicorn's master
    before it forks (preload_app, wsgi.py): compile every template and load each language's
    catalogue and date formats. Never in the tests, which render few templates each."""
    for name in app.jinja_env.list_templates(filter_func=lambda name: name.endswith(".html")):
        app.jinja_env.get_template(name)
    with app.test_request_context():
        for language in app.config["LANGUAGES"]:
            with force_locale(language):
                get_translations()
                format_date(date(2026, 1, 1))


def _install_template_gettext(app: Flask) -> None:
    # Jinja's i18n extension adds this method at runtime; its stubs do not know it.
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: _translations().ugettext(s),
        ngettext=lambda s, p, n: _translations().ungettext(s, p, n),
        pgettext=lambda c, s: _translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _translations().unpgettext(c, s, p, n),
        newstyle=True)


def register_web(app: Flask) -> None:
    from portal.web import (
        admin,
        allocations,
        auth,
        catalogue,
        contracts,
        conversations,
        dashboard,
        declarations,
        door,
        ijw,
        jobs,
        main,
        measurements,
        requests,
        review,
        statements,
        steering,
        subcontractors,
        trajectories,
    )

    babel.init_app(app, locale_selector=select_locale)
    _install_template_gettext(app)
    app.url_map.converters["int"] = IdConverter  # before the first route is added

    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Log in om deze pagina te bekijken.")
    login_manager.login_message_category = "info"

    for blueprint in (auth.bp, main.bp, trajectories.bp, allocations.bp, requests.bp, admin.bp,
                      ijw.bp, measurements.bp, dashboard.bp):
        app.register_blueprint(blueprint)
    for blueprint in (declarations.bp, review.bp, contracts.bp, statements.bp, door.bp):
        app.register_blueprint(blueprint)
    app.register_blueprint(catalogue.bp)
    app.register_blueprint(subcontractors.bp)
    app.register_blueprint(steering.bp)
    app.register_blueprint(conversations.bp)
    door.install_session_interface(app)
    app.register_blueprint(jobs.bp)

    app.jinja_env.filters.update(money=format_cents, date=format_date, datetime=format_datetime,
                                 month=lambda value: format_month(value, str(get_locale())),
                                 numeric_columns=numeric_columns)
    # The code lists templates compare with (`line.status == LineStatus.SUBMITTED`).
    app.jinja_env.globals.update(Role=Role, RequestStatus=RequestStatus, LineStatus=LineStatus,
                                 DeclarationStatus=DeclarationStatus, JobStatus=JobStatus,
                                 ActionStatus=ActionStatus,
                                 COD043=COD043, get_locale=get_locale,
                                 may_open=may_open, number_cell=number_cell)

    @app.context_processor
    def _navigation():
        return {"navigation": navigation_for(current_user)}

    @app.before_request
    def _origin():
        current_origin.set(request.remote_addr)

    @app.before_request
    def _refuse_nul_bytes():
        # No text a person types holds NUL; PostgreSQL refuses it in text columns.
        form = request.form.values() if request.method == "POST" else ()
        if any("\x00" in value for value in (*request.args.values(), *form)):
            abort(400)

    @app.after_request
    def _headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
        )
        response.headers.setdefault("X-Frame-Options", "DENY")
        if current_app.config["ENV"] not in ("development", "test"):
            response.headers.setdefault("Strict-Transport-Security",
                                        "max-age=31536000; includeSubDomains")
        response.vary.add("HX-Request")
        # From the session cookie, not current_user: loading the user would need the database.
        if "_user_id" in session:
            response.headers["Cache-Control"] = "no-store"
        return response

    register_error_pages(app)
