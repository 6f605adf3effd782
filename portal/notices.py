"""Short notices by e-mail (Flask-Mailman).

Development prints them on the console, tests keep them in
`current_app.extensions["mailman"].outbox`, production sends them with the PORTAL_MAIL_*
settings (docs/deployment.md). A notice never carries personal data: who it is for is in the
address, what happened is in the portal.
"""

import logging

from flask_mailman import EmailMessage

log = logging.getLogger(__name__)


def send_notice(to: str, subject: str, body: str) -> bool:
    """Send one plain-text notice; a mail server that fails is logged, never the user's problem."""
    try:
        EmailMessage(subject=subject, body=body, to=[to]).send()
    except OSError:
        log.exception("notice could not be sent")
        return False
    return True
