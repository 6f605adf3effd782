"""Mailing the notices of portal/domain/notifications.py: the immediate ones by a task queued
after the commit that recorded them (and every minute, for notices recorded by jobs), the
rest in one daily digest per user. A mail says what happened and links to it: no BSN, name
or care detail."""

from collections import Counter, defaultdict

from flask import Flask, has_request_context, url_for
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from huey import crontab
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from portal.domain.conversations import notify_due_actions
from portal.domain.notifications import KIND_LABELS, RECORDED, notify_due
from portal.domain.working_days import today_in_amsterdam
from portal.extensions import db
from portal.models.notifications import Notice
from portal.models.types import utcnow
from portal.notices import send_notice

COMMITTED = "notices_committed"
SUBJECTS = {"new_allocation": _l("Er is een nieuwe toewijzing voor uw organisatie"),
            "request_answered": _l("Er is een antwoord op een verzoek van uw organisatie"),
            "line_rejected": _l("Een declaratieregel van uw organisatie is afgekeurd"),
            "answer_overdue": _l("Een declaratie wacht te lang op antwoord"),
            "measurement_due": _l("Er is een meting te doen"),
            "action_due": _l("Een actie uit het sturingsgesprek verloopt")}


def link(notice: Notice) -> str:
    if notice.kind == "answer_overdue":  # reviewers answer from their queue
        return url_for("review.queue", _external=True)
    if notice.kind == "action_due":  # the owner side's open actions
        return url_for("conversations.actions", _external=True)
    kind, _sep, digits = notice.object_ref.partition(":")
    number = int(digits)
    if kind == "trajectory":
        return url_for("trajectories.show", trajectory_id=number, _external=True)
    if kind == "allocation_request":
        return url_for("requests.allocation", request_id=number, _external=True)
    if kind == "change_request":
        return url_for("requests.change", request_id=number, _external=True)
    if kind == "declaration":
        return url_for("declarations.show", declaration_id=number, _external=True)
    raise ValueError(notice.object_ref)


def _waiting(digest: bool):
    """Unsent notices, locked: the task after a commit and the periodic one may overlap
    (on PostgreSQL the second skips what the first holds; SQLite has one writer anyway)."""
    return (select(Notice).where(Notice.sent_at.is_(None), Notice.digest.is_(digest))
            .order_by(Notice.id).with_for_update(skip_locked=True, of=Notice))


def send_immediate() -> int:
    """Mail each waiting immediate notice on its own; returns how many were sent."""
    notices = db.session.scalars(_waiting(digest=False)).all()
    with force_locale("nl"):
        for notice in notices:
            body = _("%(what)s. Bekijk het in het resultaatportaal: %(link)s",
                     what=SUBJECTS[notice.kind], link=link(notice))
            send_notice(notice.user.email, str(SUBJECTS[notice.kind]), body)
            notice.sent_at = utcnow()
    db.session.commit()
    return len(notices)


def send_digests() -> int:
    """Scan for what is due, then mail each user one count per kind of what waited."""
    today = today_in_amsterdam()
    notify_due(today)
    notify_due_actions(today)
    waiting = db.session.scalars(_waiting(digest=True)).all()
    per_user = defaultdict(list)
    for notice in waiting:
        per_user[notice.user].append(notice)
    with force_locale("nl"):
        for user, notices in per_user.items():
            counts = Counter(n.kind for n in notices)
            lines = [f"- {KIND_LABELS[kind]}: {count}" for kind, count in counts.items()]
            body = "\n".join([
                ngettext("Er is %(num)s melding voor u in het resultaatportaal:",
                         "Er zijn %(num)s meldingen voor u in het resultaatportaal:",
                         len(notices)), *lines, "", url_for("main.home", _external=True)])
            send_notice(user.email, _("Dagelijks overzicht van het resultaatportaal"), body)
            for notice in notices:
                notice.sent_at = utcnow()
    db.session.commit()
    return len(per_user)


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    # Only a request mails after its commit; what jobs record waits for the periodic task.
    if session.info.pop(RECORDED, False) and has_request_context():
        session.info[COMMITTED] = True


@event.listens_for(Session, "after_rollback")
def _rolled_back(session: Session) -> None:
    session.info.pop(RECORDED, None)


def init_app(app: Flask, huey, in_context) -> None:
    send_now = huey.task(name="send_notices")(lambda: in_context(send_immediate))
    huey.periodic_task(crontab(minute="*"), name="send_notices_periodic")(
        lambda: in_context(send_immediate))
    huey.periodic_task(crontab(hour="7", minute="0"), name="send_digests")(
        lambda: in_context(send_digests))

    @app.after_request
    def mail_committed_notices(response):
        if db.session.info.pop(COMMITTED, False):
            send_now()
        return response
