"""The steering conversation (docs/steering.md): the region's contract manager records per
contract (one provider in one region) and period what was agreed and who does what by when;
the provider responds and marks its own actions done. Open actions are the to-dos of both
sides, and the owner side is told by e-mail when an action's due date is near or passed."""

from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, false, func, select, update
from sqlalchemy.orm import joinedload

from portal.database import rows_matched
from portal.domain import DomainError
from portal.domain.audit import record
from portal.domain.figures import Period
from portal.domain.lists import PROVIDER_ROLES, ActionStatus, Role, Side
from portal.domain.notifications import notify
from portal.domain.statements import clip_to_contract
from portal.domain.text_hygiene import check_text
from portal.extensions import db
from portal.models import Agreement, Contract, Conversation, ConversationAction, User
from portal.models.types import utcnow

MAX_TEXT = 2000  # an agreement, an action, a response: a paragraph, not a report
MAX_AGREEMENTS = 30
DUE_SOON_DAYS = 7  # the owner side is told this long before the due date (or after it)
MAX_AHEAD = timedelta(days=5 * 365)  # a due date further ahead is a typing error


@dataclass(frozen=True)
class ConversationInput:
    year: int | None
    quarter: int  # 0: the whole year
    held_on: date | None
    participants: str
    agreements: list[str]


@dataclass(frozen=True)
class ActionInput:
    owner: str
    owner_side: str
    what: str
    due_on: date | None


# Walls --------------------------------------------------------------------------------------


def side_of(user: User) -> Side | None:
    if user.role in PROVIDER_ROLES:
        return Side.PROVIDER
    return Side.REGION if user.role == Role.CONTRACT_MANAGER else None


def conversation_scope(user: User):
    """The conversations a user may see: the contract manager those of the region's
    contracts, provider staff those of its own contracts; nobody else any."""
    if user.role == Role.CONTRACT_MANAGER:
        contracts = select(Contract.id).where(Contract.region_id == user.region_id)
    elif user.role in PROVIDER_ROLES:
        contracts = select(Contract.id).where(Contract.provider_id == user.provider_id)
    else:
        return false()
    return Conversation.contract_id.in_(contracts)


# Recording ------------------------------------------------------------------------------------


def conversation_period(conversation: Conversation) -> Period:
    """The year or quarter, clipped to the contract's term."""
    period = (Period.year(conversation.year) if not conversation.quarter
              else Period.quarter(conversation.year, conversation.quarter))
    return clip_to_contract(conversation.contract, period) or period


def _period(contract: Contract, year: int | None, quarter: int, today: date) -> Period:
    if year is None or not 2000 <= year <= 2100 or quarter not in range(5):
        raise DomainError(_l("Kies een jaar en eventueel een kwartaal."), field="year")
    period = Period.year(year) if not quarter else Period.quarter(year, quarter)
    if period.start > today:
        raise DomainError(_l("De periode ligt in de toekomst: een gesprek gaat over een "
                             "periode die begonnen is."), field="year")
    if clip_to_contract(contract, period) is None:
        raise DomainError(_l("De periode valt buiten de looptijd van het contract "
                             "(%(start)s tot en met %(end)s).",
                             start=contract.starts_on.strftime("%d-%m-%Y"),
                             end=contract.ends_on.strftime("%d-%m-%Y")), field="year")
    return period


def _required(value: str, label, field: str, max_length: int | None = MAX_TEXT) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError(_l("%(label)s: dit veld is verplicht.", label=label), field=field)
    return check_text(value, label, max_length, multiline=True, field=field)


def record_conversation(contract: Contract, given: ConversationInput, actor: User,
                        today: date) -> Conversation:
    """A conversation about a contract of the actor's region and a period that has begun,
    held between the period's start and today."""
    if actor.role != Role.CONTRACT_MANAGER or contract.region_id != actor.region_id:
        raise DomainError(_l("Kies een contract van uw regio."), field="contract")
    period = _period(contract, given.year, given.quarter, today)
    if given.held_on is None:
        raise DomainError(_l("Vul de datum van het gesprek in."), field="held_on")
    if not period.start <= given.held_on <= today:
        raise DomainError(_l("Het gesprek is gehouden tussen het begin van de periode "
                             "(%(start)s) en vandaag.",
                             start=period.start.strftime("%d-%m-%Y")), field="held_on")
    participants = _required(given.participants, _l("Deelnemers"), "participants")
    agreements = [text.strip() for text in given.agreements if text.strip()]
    if len(agreements) > MAX_AGREEMENTS:
        raise DomainError(_l("Leg ten hoogste %(max)s afspraken vast.", max=MAX_AGREEMENTS),
                          field="agreements")
    for text in agreements:
        check_text(text, _l("Afspraken"), MAX_TEXT, multiline=True, field="agreements")
    conversation = Conversation(
        contract=contract, year=given.year, quarter=given.quarter, held_on=given.held_on,
        participants=participants, created_by=actor,
        agreements=[Agreement(position=n, text=text) for n, text in enumerate(agreements)])
    db.session.add(conversation)
    db.session.flush()
    record(actor, "conversation.recorded", conversation,
           after={"contract": contract.number, "year": given.year, "quarter": given.quarter,
                  "held_on": given.held_on.isoformat(), "agreements": len(agreements)})
    return conversation


def add_action(conversation: Conversation, given: ActionInput, actor: User,
               today: date) -> ConversationAction:
    """An action of the region's contract manager, due on or after the day of the
    conversation and within five years."""
    if actor.role != Role.CONTRACT_MANAGER:
        raise DomainError(_l("Alleen de contractbeheerder legt acties vast."))
    owner = _required(given.owner, _l("Wie"), "owner", max_length=120)
    if "\n" in owner or "\r" in owner:
        raise DomainError(_l("Wie: één regel, bijvoorbeeld een naam of functie."),
                          field="owner")
    try:
        side = Side(given.owner_side)
    except ValueError:
        raise DomainError(_l("Kies of de actie bij de regio of bij de aanbieder ligt."),
                          field="owner_side") from None
    what = _required(given.what, _l("Wat"), "what")
    if given.due_on is None:
        raise DomainError(_l("Vul een geldige uiterste datum in."), field="due_on")
    if not conversation.held_on <= given.due_on <= today + MAX_AHEAD:
        raise DomainError(_l("De uiterste datum ligt op of na de datum van het gesprek en "
                             "binnen vijf jaar."), field="due_on")
    action = ConversationAction(conversation=conversation, owner=owner,
                                owner_side=side, what=what, due_on=given.due_on,
                                status=ActionStatus.OPEN)
    db.session.add(action)
    db.session.flush()
    record(actor, "conversation.action_added", conversation,
           after={"action": action.id, "owner_side": action.owner_side,
                  "due_on": action.due_on.isoformat()})
    return action


def can_finish(user: User, action: ConversationAction) -> bool:
    """The contract manager may close any action; the provider its own side's."""
    return action.status == ActionStatus.OPEN and (
        user.role == Role.CONTRACT_MANAGER
        or (user.role in PROVIDER_ROLES and action.owner_side == Side.PROVIDER))


def is_overdue(action: ConversationAction, today: date) -> bool:
    return action.status == ActionStatus.OPEN and action.due_on < today


def finish_action(action: ConversationAction, actor: User) -> None:
    """Done, once: a conditional update, so two people closing it at once both see it done
    and only one is recorded."""
    if not can_finish(actor, action):
        raise DomainError(_l("Deze actie kunt u niet afronden: ze is al afgerond of ligt bij "
                             "de regio."))
    done = rows_matched(
        update(ConversationAction)
        .where(ConversationAction.id == action.id,
               ConversationAction.status == ActionStatus.OPEN)
        .values(status=ActionStatus.DONE, done_at=utcnow(), done_by_id=actor.id)
        .execution_options(synchronize_session=False))
    if not done:
        raise DomainError(_l("Deze actie is al afgerond."))
    db.session.refresh(action)
    record(actor, "conversation.action_done", action.conversation,
           after={"action": action.id})


def respond(conversation: Conversation, overall: str, per_agreement: dict[int, str],
            actor: User) -> None:
    """The provider's response, on the whole and per agreement (by agreement id); an empty
    text clears that response."""
    if actor.role not in PROVIDER_ROLES:
        raise DomainError(_l("Alleen de aanbieder reageert op het gesprek."))
    overall = check_text((overall or "").strip(), _l("Reactie op het gesprek"), MAX_TEXT,
                         multiline=True, field="response")
    texts = {}
    for agreement in conversation.agreements:
        text = (per_agreement.get(agreement.id) or "").strip()
        texts[agreement] = check_text(text, _l("Reactie op afspraak %(n)s",
                                               n=agreement.position + 1), MAX_TEXT,
                                      multiline=True)
    conversation.response = overall or None
    for agreement, text in texts.items():
        agreement.response = text or None
    conversation.responded_at = utcnow()
    record(actor, "conversation.responded", conversation,
           after={"agreements": sum(1 for text in texts.values() if text)})


def record_read(conversation: Conversation, actor: User) -> None:
    record(actor, "conversation.viewed", conversation)


# Lists and to-dos ---------------------------------------------------------------------------


def _with_provider():
    return joinedload(Conversation.contract).joinedload(Contract.provider)


def conversations_for(user: User) -> list[Conversation]:
    """Newest first, each with its contract and provider (one query)."""
    return list(db.session.scalars(
        select(Conversation).options(_with_provider()).where(conversation_scope(user))
        .order_by(Conversation.held_on.desc(), Conversation.id.desc())))


def _own_open_actions(user: User):
    return and_(ConversationAction.status == ActionStatus.OPEN,
                ConversationAction.owner_side == side_of(user),
                ConversationAction.conversation_id.in_(
                    select(Conversation.id).where(conversation_scope(user))))


def open_actions(user: User) -> list[ConversationAction]:
    """The open actions on the viewer's side, the earliest due first."""
    return list(db.session.scalars(
        select(ConversationAction).where(_own_open_actions(user))
        .options(joinedload(ConversationAction.conversation).options(_with_provider()))
        .order_by(ConversationAction.due_on, ConversationAction.id)))


def action_counts(user: User, today: date) -> dict[str, int]:
    """Open and overdue actions on the viewer's side (one query)."""
    if side_of(user) is None:
        return {}
    opened, overdue = db.session.execute(
        select(func.count(ConversationAction.id),
               func.coalesce(func.sum(case((ConversationAction.due_on < today, 1), else_=0)),
                             0))
        .where(_own_open_actions(user))).one()
    return {"open_actions": opened, "overdue_actions": int(overdue)}


def notify_due_actions(today: date) -> None:
    """The daily scan: each open action due within DUE_SOON_DAYS (or past due) is told once
    to its owner side: the provider's users, or the region's contract managers."""
    due = db.session.execute(
        select(ConversationAction.id, ConversationAction.owner_side, Contract)
        .join(Conversation, Conversation.id == ConversationAction.conversation_id)
        .join(Contract, Contract.id == Conversation.contract_id)
        .where(ConversationAction.status == ActionStatus.OPEN,
               ConversationAction.due_on <= today + timedelta(days=DUE_SOON_DAYS))).all()
    for action_id, side, contract in due:
        notify("action_due", contract.provider if side == Side.PROVIDER else contract.region,
               f"action:{action_id}")
