"""Downloading an answer message the portal wrote for a message read (after an upload)."""

from flask import Response
from flask_login import current_user
from sqlalchemy import or_

from portal.domain.lists import MUNICIPAL_ROLES, PROVIDER_ROLES, MessageDirection
from portal.ijw.answers import ANSWER_KINDS
from portal.models import IjwMessage, User
from portal.web.access import load_scoped, roles_required
from portal.web.door.views import bp


def answer_scope(user: User):
    """Answers to the user's organisation (the Ontvanger) or to a message the user read."""
    organisation = user.provider.agb_code if user.provider else user.own_municipality.cbs_code
    return (IjwMessage.direction == MessageDirection.OUT) & IjwMessage.kind.in_(
        ANSWER_KINDS) & IjwMessage.content.isnot(None) & or_(
        IjwMessage.receiver == organisation, IjwMessage.actor_id == user.id)


@bp.route("/ijw/antwoorden/<int:message_id>")
@roles_required(*PROVIDER_ROLES, *MUNICIPAL_ROLES)
def answer(message_id: int):
    message = load_scoped(IjwMessage, message_id, answer_scope(current_user))
    response = Response(message.content, mimetype="application/xml")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{message.kind}_{message.identification}.xml"')
    response.headers["Cache-Control"] = "no-store"
    return response
