"""The end of a request that changed something: one commit, a notice, back to the page."""

from flask import flash, redirect, url_for
from werkzeug.wrappers import Response

from portal.extensions import db


def done(message: str, endpoint: str, category: str = "ok", **values) -> Response:
    """Commit once, tell the user what happened, and go to `endpoint` (post/redirect/get)."""
    db.session.commit()
    flash(message, category)
    return redirect(url_for(endpoint, **values))
