"""The steering conversation: the region records it, the provider reads and responds, both
close actions; the report as a verifiable PDF with the figures of that moment."""

from datetime import datetime

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from portal.domain import permissions as can
from portal.domain.conversations import (
    ActionInput,
    ConversationInput,
    add_action,
    can_finish,
    conversation_period,
    conversation_scope,
    conversations_for,
    finish_action,
    is_overdue,
    open_actions,
    record_conversation,
    record_read,
    respond,
    side_of,
)
from portal.domain.indicators import SPECS
from portal.domain.lists import PROVIDER_ROLES, Role, StatementKind
from portal.domain.statements import contract_money
from portal.domain.working_days import today_in_amsterdam
from portal.extensions import db
from portal.jobs.statements import contract_figures
from portal.models import Contract, Conversation, ConversationAction, Provider
from portal.web.access import apply_domain, load_scoped, roles_required
from portal.web.conversations.forms import ActionForm, ConversationForm, ResponseForm
from portal.web.declarations.forms import ActionForm as ButtonForm  # only the CSRF token
from portal.web.fields import CHOOSE
from portal.web.statements.views import deliver_pdf
from portal.web.targets import period_label

bp = Blueprint("conversations", __name__, url_prefix="/sturingsgesprekken")
PARTIES = (Role.CONTRACT_MANAGER, *PROVIDER_ROLES)


def _load(conversation_id: int) -> Conversation:
    return load_scoped(Conversation, conversation_id, conversation_scope(current_user))


@bp.route("")
@roles_required(*PARTIES)
def index():
    return render_template("conversations/index.html",
                           conversations=conversations_for(current_user),
                           period_label=period_label)


@bp.route("/acties")
@roles_required(*PARTIES)
def actions():
    """The open actions on the viewer's side: the start page's to-do."""
    side = side_of(current_user)
    if side is None:  # PARTIES all have a side
        abort(404)
    return render_template("conversations/actions.html", actions=open_actions(current_user),
                           today=today_in_amsterdam(), is_overdue=is_overdue, side=side.label)


@bp.route("/nieuw", methods=["GET", "POST"])
@roles_required(Role.CONTRACT_MANAGER)
def new():
    form = ConversationForm()
    contracts = db.session.scalars(
        select(Contract).join(Contract.provider).where(can.contract_scope(current_user))
        .order_by(Provider.name, Contract.starts_on)).all()
    form.contract.choices = [("", CHOOSE), *((c.id, f"{c.provider.name} – {c.number}")
                                             for c in contracts)]
    today = today_in_amsterdam()
    if request.method == "GET":
        form.year.data, form.held_on.data = today.year, today
    if form.validate_on_submit():
        # Another region's contract is not among the choices: no such contract here.
        contract = next((c for c in contracts if c.id == form.contract.data), None)
        if contract is None:
            form.contract.errors = [_("Kies een contract van uw regio.")]
        else:
            quarter = form.quarter.data or ""
            given = ConversationInput(form.year.data, int(quarter) if quarter.isdigit() else -1,
                                      form.held_on.data, form.participants.data or "",
                                      (form.agreements.data or "").splitlines())
            conversation, ok = apply_domain(form, record_conversation, contract, given,
                                            current_user, today)
            if ok:
                db.session.commit()
                flash(_("Het sturingsgesprek is vastgelegd. Leg hieronder de acties vast."),
                      "ok")
                return redirect(url_for("conversations.show",
                                        conversation_id=conversation.id))
    return render_template("conversations/new.html", form=form)


def _page(conversation: Conversation, action_form: ActionForm | None = None,
          response_form: ResponseForm | None = None):
    responding = current_user.role in PROVIDER_ROLES
    if response_form is None and responding:
        response_form = ResponseForm(response=conversation.response)
    if action_form is None and current_user.role == Role.CONTRACT_MANAGER:
        action_form = ActionForm()
    return render_template(
        "conversations/show.html", conversation=conversation,
        period=conversation_period(conversation),
        period_name=period_label(conversation.year, conversation.quarter),
        action_form=action_form, response_form=response_form,
        finishable={a.id for a in conversation.actions if can_finish(current_user, a)},
        today=today_in_amsterdam(), is_overdue=is_overdue)


@bp.route("/<int:conversation_id>")
@roles_required(*PARTIES)
def show(conversation_id: int):
    conversation = _load(conversation_id)
    record_read(conversation, current_user)
    db.session.commit()
    return _page(conversation)


@bp.route("/<int:conversation_id>/acties", methods=["POST"])
@roles_required(Role.CONTRACT_MANAGER)
def new_action(conversation_id: int):
    conversation = _load(conversation_id)
    form = ActionForm()
    if form.validate_on_submit():
        given = ActionInput(form.owner.data or "", form.owner_side.data or "",
                            form.what.data or "", form.due_on.data)
        _action, ok = apply_domain(form, add_action, conversation, given, current_user,
                                   today_in_amsterdam())
        if ok:
            db.session.commit()
            flash(_("De actie is vastgelegd."), "ok")
            return redirect(url_for("conversations.show", conversation_id=conversation.id,
                                    _anchor="acties"))
    return _page(conversation, action_form=form)


@bp.route("/acties/<int:action_id>/afronden", methods=["POST"])
@roles_required(*PARTIES)
def finish(action_id: int):
    action = load_scoped(ConversationAction, action_id, ConversationAction.conversation_id.in_(
        select(Conversation.id).where(conversation_scope(current_user))))
    form = ButtonForm()
    if form.validate_on_submit():
        _none, ok = apply_domain(form, finish_action, action, current_user)
        if ok:
            db.session.commit()
            flash(_("De actie is afgerond."), "ok")
        else:
            flash(" ".join(form.form_errors), "error")
    if request.form.get("next") == "acties":  # closed from the list of open actions
        return redirect(url_for("conversations.actions"))
    return redirect(url_for("conversations.show", conversation_id=action.conversation_id,
                            _anchor="acties"))


@bp.route("/<int:conversation_id>/reactie", methods=["POST"])
@roles_required(*PROVIDER_ROLES)
def response(conversation_id: int):
    conversation = _load(conversation_id)
    form = ResponseForm()
    if form.validate_on_submit():
        per_agreement = {a.id: request.form.get(f"agreement-{a.id}", "")
                         for a in conversation.agreements}
        _none, ok = apply_domain(form, respond, conversation, form.response.data or "",
                                 per_agreement, current_user)
        if ok:
            db.session.commit()
            flash(_("Uw reactie is opgeslagen."), "ok")
            return redirect(url_for("conversations.show", conversation_id=conversation.id))
    return _page(conversation, response_form=form)


@bp.route("/<int:conversation_id>.pdf")
@roles_required(*PARTIES)
def report(conversation_id: int):
    """A fresh report each time, with the figures of this moment kept beside its code."""
    conversation = _load(conversation_id)
    contract, period = conversation.contract, conversation_period(conversation)
    figures = contract_figures(contract, period, today_in_amsterdam())
    money = contract_money(contract, period)
    content = {
        "kind": "conversation", "conversation": conversation.id, "contract": contract.number,
        "provider": contract.provider.name, "municipality": None,
        "period": [period.start.isoformat(), period.end.isoformat()],
        "held_on": conversation.held_on.isoformat(), "participants": conversation.participants,
        "agreements": [[a.text, a.response] for a in conversation.agreements],
        "response": conversation.response,
        "actions": [[a.owner, a.owner_side, a.what, a.due_on.isoformat(), a.status]
                    for a in conversation.actions],
        "totals": money.as_dict(), **figures.content()}

    def render(code: str, generated_at: datetime) -> str:
        return render_template(
            "conversations/report_pdf.html", conversation=conversation, period=period,
            period_name=period_label(conversation.year, conversation.quarter),
            figures=figures, money=money, specs=SPECS, code=code,
            generated_at=generated_at)

    return deliver_pdf(StatementKind.CONVERSATION, f"conversation:{conversation.id}", content,
                       False, render,
                       f"sturingsgesprek-{contract.number}-{conversation.held_on}.pdf")
