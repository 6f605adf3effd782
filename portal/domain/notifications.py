"""E-mail notifications (docs/notifications.md): what happened is recorded as a notice for
each user who wants to hear of it, in the same transaction as the action, so a rolled-back
action tells nobody. The jobs in portal/jobs/notices.py mail them."""

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, select

from portal.domain.lists import (
    PROVIDER_ROLES,
    DeclarationStatus,
    LineStatus,
    MeasurementMoment,
    Role,
    TrajectoryStatus,
)
from portal.extensions import db
from portal.models import (
    Declaration,
    DeclarationLine,
    Measurement,
    Municipality,
    Provider,
    Region,
    Trajectory,
    User,
)
from portal.models.notifications import Notice, NotificationPreference

RECORDED = "notices_recorded"  # session flag, read by portal/jobs/notices.py
# Who hears of each kind, and how unless they chose otherwise.
DEFAULTS = {"new_allocation": "immediate", "request_answered": "immediate",
            "line_rejected": "immediate", "answer_overdue": "digest",
            "measurement_due": "digest", "action_due": "digest"}
KIND_LABELS = {"new_allocation": _l("Nieuwe toewijzing"),
               "request_answered": _l("Verzoek beantwoord"),
               "line_rejected": _l("Declaratieregel afgekeurd"),
               "answer_overdue": _l("Antwoord te laat"),
               "measurement_due": _l("Meting te doen"),
               "action_due": _l("Actie uit sturingsgesprek verloopt")}
MODE_LABELS = {"immediate": _l("Direct"), "digest": _l("Dagelijks overzicht"),
               "off": _l("Uit")}
PROVIDER_KINDS = ("new_allocation", "request_answered", "line_rejected", "measurement_due",
                  "action_due")
REVIEWER_KINDS = ("answer_overdue",)
CONTRACT_MANAGER_KINDS = ("action_due",)


def kinds_for(user: User) -> tuple[str, ...]:
    if user.role in PROVIDER_ROLES:
        return PROVIDER_KINDS
    if user.role == Role.CONTRACT_MANAGER:
        return CONTRACT_MANAGER_KINDS
    return REVIEWER_KINDS if user.role == Role.REVIEWER else ()


def preferences(user: User) -> dict[str, str]:
    """The mode of every kind this user can receive: the stored choice or the default."""
    chosen: dict[str, str] = dict(db.session.execute(
        select(NotificationPreference.kind, NotificationPreference.mode)
        .where(NotificationPreference.user_id == user.id)).tuples().all())
    return {kind: chosen.get(kind, DEFAULTS[kind]) for kind in kinds_for(user)}


def set_preferences(user: User, modes: dict[str, str]) -> None:
    stored = {p.kind: p for p in db.session.scalars(
        select(NotificationPreference).where(NotificationPreference.user_id == user.id))}
    for kind in kinds_for(user):
        mode = modes[kind]
        if kind in stored:
            stored[kind].mode = mode
        else:
            db.session.add(NotificationPreference(user_id=user.id, kind=kind, mode=mode))


def _recipients(organisation: Provider | Municipality | Region) -> list[User]:
    where: tuple[ColumnElement[bool], ...]
    if isinstance(organisation, Provider):
        where = (User.provider_id == organisation.id, User.role.in_(PROVIDER_ROLES))
    elif isinstance(organisation, Region):
        where = (User.region_id == organisation.id, User.role == Role.CONTRACT_MANAGER)
    else:
        where = (User.municipality_id == organisation.id, User.role == Role.REVIEWER)
    return list(db.session.scalars(select(User).where(User.active.is_(True), *where)))


def notify(kind: str, organisation: Provider | Municipality | Region, object_ref: str) -> None:
    """Record `kind` about `object_ref` ("trajectory:12") for the organisation's users who
    want it; a user already told of this object is not told again."""
    for user in _recipients(organisation):
        mode = preferences(user)[kind]
        told = db.session.scalar(select(Notice.id).where(
            Notice.user_id == user.id, Notice.kind == kind, Notice.object_ref == object_ref))
        if mode != "off" and told is None:
            db.session.add(Notice(user=user, kind=kind, object_ref=object_ref,
                                  digest=mode == "digest"))
            db.session.info[RECORDED] = True  # mailed once the transaction commits


def notify_due(today: date) -> None:
    """The daily scan for what is not an action: lines whose answer is overdue (due_on is
    set at submission, 10 working days on) and started trajectories without a start
    measurement."""
    overdue = db.session.execute(
        select(Declaration.id, Declaration.municipality_id).join(DeclarationLine)
        .where(Declaration.status != DeclarationStatus.CONCEPT,
               DeclarationLine.status == LineStatus.SUBMITTED, DeclarationLine.due_on < today)
        .distinct()).all()
    for declaration_id, municipality_id in overdue:
        notify("answer_overdue", db.session.get_one(Municipality, municipality_id),
               f"declaration:{declaration_id}")
    unmeasured = db.session.execute(select(Trajectory.id, Trajectory.provider_id).where(
        Trajectory.status == TrajectoryStatus.STARTED,
        ~select(Measurement.id).where(Measurement.trajectory_id == Trajectory.id,
                                      Measurement.moment == MeasurementMoment.START).exists()
    )).all()
    for trajectory_id, provider_id in unmeasured:
        notify("measurement_due", db.session.get_one(Provider, provider_id),
               f"trajectory:{trajectory_id}")
