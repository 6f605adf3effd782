"""Requests the municipality answers: for an allocation (VOT) and for a change (VOW)."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from portal.database import rows_matched
from portal.domain import DomainError
from portal.domain.audit import record, snapshot
from portal.domain.codes import COD327, JZ002, WJ758, WJ759
from portal.domain.identifiers import validate_agb, validate_bsn
from portal.domain.lists import RequestStatus
from portal.domain.notifications import notify
from portal.domain.states import has_open_change_request, is_open, is_running
from portal.domain.timeliness import answer_working_days
from portal.domain.trajectories import (
    ChildDetails,
    allocate,
    check_birth_date_plausible,
    check_child_names,
    check_contracted,
    check_no_stacking,
    check_period,
    lock_allocations,
    new_allocation,
)
from portal.extensions import db
from portal.formatting import AMSTERDAM, format_date
from portal.models import (
    AllocationRequest,
    Arrangement,
    ChangeRequest,
    Municipality,
    Provider,
    Trajectory,
    User,
)
from portal.models.types import utcnow

# Referrers for whom a provider may ask for an allocation (Jeugdwet art. 2.6 lid 1 sub g).
# Referrers that are care providers: they are named by AGB code or name (CD067).
CARE_PROVIDER_REFERRERS = frozenset({COD327.GENERAL_PRACTITIONER, COD327.YOUTH_DOCTOR,
                                     COD327.CERTIFIED_INSTITUTION, COD327.MEDICAL_SPECIALIST})
REFERRERS = (
    COD327.GENERAL_PRACTITIONER,
    COD327.YOUTH_DOCTOR,
    COD327.MEDICAL_SPECIALIST,
    COD327.CERTIFIED_INSTITUTION,
    COD327.JUSTICE,
)
DECISION_FIELDS = ("status", "rejection_reason", "decision_note")


def _motivation(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise DomainError(_l("Geef een motivering."), field="motivation")
    return text


def _close(request, expected: RequestStatus, actor: User, **values) -> None:
    """Conditional UPDATE: of two municipal staff deciding at once, one decision counts."""
    model, now = type(request), utcnow()
    matched = rows_matched(
        update(model)
        .where(model.id == request.id, model.status == expected)
        .values(decided_by_id=actor.id, decided_at=now,
                answered_working_days=answer_working_days(request.requested_at, now), **values)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(request)
    if matched != 1:
        raise DomainError(_l("Over dit verzoek is intussen al besloten door %(name)s.",
                             name=request.decided_by.name if request.decided_by else "-"))


def _check_rejection(reason: WJ759 | None) -> WJ759:
    if reason is None:
        raise DomainError(_l("Kies een reden van afwijzing."), field="rejection_reason")
    return WJ759(reason)


# Change requests (verzoek om wijziging) --------------------------------------------------


def request_change(trajectory: Trajectory, *, reason: WJ758, arrangement: Arrangement,
                   end_date: date, motivation: str, actor: User) -> ChangeRequest:
    if not is_running(trajectory):
        raise DomainError(_l("Voor een beëindigd traject kan geen wijziging worden gevraagd."))
    if has_open_change_request(trajectory):
        raise DomainError(_l("Er loopt al een wijzigingsverzoek voor dit traject. Wacht het "
                             "besluit van de gemeente af."))
    current = trajectory.current_allocation
    if arrangement.id == current.arrangement_id and end_date <= current.end_date:
        raise DomainError(_l("Vraag een ander arrangement of een latere einddatum aan."),
                          field="arrangement")
    if end_date <= current.start_date:
        raise DomainError(_l("De gewenste einddatum ligt vóór de start van de toewijzing."),
                          field="end_date")
    change = ChangeRequest(trajectory=trajectory, allocation=current, reason=WJ758(reason),
                           arrangement=arrangement, end_date=end_date,
                           motivation=_motivation(motivation), requested_by=actor)
    db.session.add(change)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:  # another open request slipped in at the same moment
        raise DomainError(_l("Er loopt al een wijzigingsverzoek voor dit traject.")) from None
    record(actor, "change_request.submitted", change, trajectory=trajectory,
           after=snapshot(change, "reason", "arrangement_id", "end_date"))
    return change


def approve_change(change: ChangeRequest, effective: date, actor: User) -> None:
    """The allocation in force ends the day before `effective` with change reason 12; a new
    allocation with a new number continues the trajectory from `effective`."""
    trajectory = change.trajectory
    current = trajectory.current_allocation
    if not is_open(change):
        raise DomainError(_l("Over dit verzoek is al besloten."))
    if not current.start_date < effective <= min(current.end_date, change.end_date):
        raise DomainError(
            _l("De ingangsdatum moet na %(start)s liggen en uiterlijk %(end)s zijn.",
               start=format_date(current.start_date),
               end=format_date(min(current.end_date, change.end_date))),
            field="effective")
    check_contracted(trajectory.provider, change.arrangement, effective,
                     trajectory.municipality)
    lock_allocations(trajectory.municipality)  # before the overlap check and the new number
    if change.end_date > current.end_date:  # a longer period may meet another arrangement
        check_no_stacking(trajectory.client, current.end_date + timedelta(days=1),
                          change.end_date, ignore=trajectory)
    _close(change, RequestStatus.OPEN, actor, status=RequestStatus.APPROVED)
    before = snapshot(current, "end_date", "change_reason")
    current.end_date = effective - timedelta(days=1)
    current.change_reason = JZ002.BY_PROVIDER
    current.is_current = False
    db.session.flush()
    successor = new_allocation(trajectory, change.arrangement, effective, change.end_date, actor)
    # The same child with the same provider: what was decided at the start still holds.
    for name in ("extended_youth_care", "family_choice", "not_chosen_reason",
                 "not_chosen_text"):
        setattr(successor, name, getattr(current, name))
    change.new_allocation = successor
    db.session.flush()
    record(actor, "allocation.replaced", current, trajectory=trajectory, before=before,
           after=snapshot(current, "end_date", "change_reason"))
    record(actor, "change_request.approved", change, trajectory=trajectory,
           after={"new_allocation_number": successor.number})
    notify("request_answered", trajectory.provider, f"change_request:{change.id}")


def reject_change(change: ChangeRequest, reason: WJ759 | None, note: str, actor: User) -> None:
    reason = _check_rejection(reason)
    _close(change, RequestStatus.OPEN, actor, status=RequestStatus.REJECTED,
           rejection_reason=reason, decision_note=(note or "").strip() or None)
    record(actor, "change_request.rejected", change, trajectory=change.trajectory,
           after=snapshot(change, *DECISION_FIELDS))
    notify("request_answered", change.trajectory.provider, f"change_request:{change.id}")


# Allocation requests (verzoek om toewijzing) ---------------------------------------------


@dataclass(frozen=True)
class AllocationWish:
    child: ChildDetails
    municipality: Municipality
    referrer: COD327
    arrangement: Arrangement
    start: date
    end: date
    motivation: str
    # A referring care provider (types 02-05) by AGB code or name (JW315, CD067).
    referrer_code: str | None = None
    referrer_name: str | None = None


def _referrer(wish: AllocationWish) -> tuple[str | None, str | None]:
    """The referrer's AGB code and name as stored: one of them for a care provider (CD067),
    no code for anyone else (CD068)."""
    code = (wish.referrer_code or "").strip() or None
    name = (wish.referrer_name or "").strip()[:64] or None
    if code is not None:
        if wish.referrer not in CARE_PROVIDER_REFERRERS:
            raise DomainError(_l("Een AGB-code hoort alleen bij een huisarts, jeugdarts, "
                                 "medisch specialist of gecertificeerde instelling."),
                              field="referrer_code")
        try:
            code = validate_agb(code)
        except DomainError as error:
            raise DomainError(error.message, field="referrer_code") from None
    if wish.referrer in CARE_PROVIDER_REFERRERS and code is None and name is None:
        raise DomainError(_l("Geef de AGB-code of de naam van de verwijzer."),
                          field="referrer_name")
    return code, name


def request_allocation(provider: Provider, wish: AllocationWish,
                       actor: User) -> AllocationRequest:
    bsn = validate_bsn(wish.child.bsn)
    if wish.referrer not in REFERRERS:
        raise DomainError(_l("Kies een verwijzer: huisarts, jeugdarts, medisch specialist, "
                             "gecertificeerde instelling of justitie."), field="referrer")
    referrer_code, referrer_name = _referrer(wish)
    check_birth_date_plausible(wish.child.birth_date, datetime.now(AMSTERDAM).date())
    check_period(wish.start, wish.end)
    check_contracted(provider, wish.arrangement, wish.start, wish.municipality)
    given_name, family_name = check_child_names(wish.child.given_name, wish.child.family_name)
    request = AllocationRequest(
        referrer_code=referrer_code, referrer_name=referrer_name,
        provider=provider, municipality=wish.municipality, bsn=bsn,
        birth_date=wish.child.birth_date, given_name=given_name,
        family_name=family_name, referrer=wish.referrer,
        arrangement=wish.arrangement, start_date=wish.start, end_date=wish.end,
        motivation=_motivation(wish.motivation), requested_by=actor)
    db.session.add(request)
    db.session.flush()
    record(actor, "allocation_request.submitted", request,
           after=snapshot(request, "referrer", "arrangement_id", "start_date", "end_date"))
    return request


def approve_allocation_request(request: AllocationRequest, actor: User) -> Trajectory:
    if not is_open(request):
        raise DomainError(_l("Over dit verzoek is al besloten."))
    child = ChildDetails(request.bsn, request.birth_date, request.given_name,
                         request.family_name)
    trajectory = allocate(municipality=request.municipality, child=child,
                          provider=request.provider, arrangement=request.arrangement,
                          start=request.start_date, end=request.end_date, actor=actor)
    _close(request, RequestStatus.OPEN, actor, status=RequestStatus.APPROVED,
           trajectory_id=trajectory.id)
    record(actor, "allocation_request.approved", request, trajectory=trajectory)
    notify("request_answered", request.provider, f"allocation_request:{request.id}")
    return trajectory


def reject_allocation_request(request: AllocationRequest, reason: WJ759 | None, note: str,
                              actor: User) -> None:
    reason = _check_rejection(reason)
    _close(request, RequestStatus.OPEN, actor, status=RequestStatus.REJECTED,
           rejection_reason=reason, decision_note=(note or "").strip() or None)
    record(actor, "allocation_request.rejected", request,
           after=snapshot(request, *DECISION_FIELDS))
    notify("request_answered", request.provider, f"allocation_request:{request.id}")

