"""Resultaatportaal jeugdhulp: the application factory."""

import os

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from portal.config import load_config
from portal.extensions import csrf, db, htmx, limiter, login_manager, mail, migrate
from portal.models.types import render_migration_item

MIGRATIONS_DIR = os.path.join(os.path.dirname(os.path.dirname(__file__)), "migrations")


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    load_config(app, test_config)
    if app.config["PROXY_COUNT"]:
        # Behind a reverse proxy the client address (login throttling) comes from its headers.
        count = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]  # Flask's documented way
            app.wsgi_app, x_for=count, x_proto=count)

    db.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS_DIR, render_as_batch=True,
                     compare_type=True, render_item=render_migration_item)
    csrf.init_app(app)
    htmx.init_app(app)
    login_manager.init_app(app)
    limiter.init_app(app)
    mail.init_app(app)

    from portal import models  # noqa: F401 - registers every table with the metadata
    from portal.database import configure_engine, remove_session_safely
    from portal.web import register_web

    with app.app_context():
        configure_engine(db.engine)
    remove_session_safely(app)
    register_web(app)

    from portal.jobs.queue import init_app as init_jobs

    init_jobs(app)

    from portal.cli import register_cli

    register_cli(app)
    return app
