"""Notices by e-mail: kept in the outbox in tests; a mail server that fails is only logged."""

import logging

from portal import create_app
from portal.extensions import db, limiter
from portal.notices import send_notice
from tests.conftest import config_for


def test_a_notice_goes_to_the_outbox(app):
    app.extensions["mailman"].outbox = []
    assert send_notice("iemand@example.test", "Onderwerp", "Tekst.")
    [mail] = app.extensions["mailman"].outbox
    assert (mail.to, mail.subject, mail.body) == (["iemand@example.test"], "Onderwerp", "Tekst.")
    assert mail.from_email == app.config["MAIL_DEFAULT_SENDER"]


def test_an_unreachable_mail_server_is_logged_not_raised(app, caplog):
    smtp = create_app({**config_for(app.config["SQLALCHEMY_DATABASE_URI"]),
                       "MAIL_BACKEND": "smtp", "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": 1})
    try:
        with smtp.app_context(), caplog.at_level(logging.ERROR, logger="portal.notices"):
            assert send_notice("iemand@example.test", "Onderwerp", "Tekst.") is False
    finally:
        limiter.init_app(app)  # the limiter is one object: back to the suite's app
        with smtp.app_context():
            db.engine.dispose()
    assert "notice could not be sent" in caplog.text
    assert "iemand@example.test" not in caplog.text
