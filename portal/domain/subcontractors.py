"""A main provider (hoofdaanbieder) registers its subcontractors (onderaannemers) on its
contract and records per trajectory who delivers; it stays responsible and declares."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal.domain import DomainError
from portal.domain.audit import record, snapshot
from portal.domain.identifiers import validate_agb
from portal.domain.states import is_running
from portal.extensions import db
from portal.models import Contract, Subcontractor, Trajectory, User


def _taken(contract: Contract, agb_code: str) -> DomainError:
    return DomainError(_l("AGB-code %(code)s staat al als onderaannemer op contract "
                          "%(contract)s.", code=agb_code, contract=contract.number),
                       field="agb_code")


def add_subcontractor(contract: Contract, agb_code: str, name: str,
                      actor: User) -> Subcontractor:
    agb_code = validate_agb(agb_code)
    name = (name or "").strip()
    if not name:
        raise DomainError(_l("Vul de naam van de onderaannemer in."), field="name")
    if len(name) > 120:
        raise DomainError(_l("Een naam heeft hoogstens 120 tekens."), field="name")
    if agb_code == contract.provider.agb_code:
        raise DomainError(_l("De hoofdaanbieder is geen onderaannemer van zichzelf."),
                          field="agb_code")
    if db.session.scalar(select(Subcontractor.id).where(
            Subcontractor.contract_id == contract.id, Subcontractor.agb_code == agb_code)):
        raise _taken(contract, agb_code)
    subcontractor = Subcontractor(contract=contract, agb_code=agb_code, name=name)
    try:
        with db.session.begin_nested():
            db.session.add(subcontractor)
            db.session.flush()
    except IntegrityError:  # the same code added at the same moment
        raise _taken(contract, agb_code) from None
    record(actor, "subcontractor.added", subcontractor,
           after=snapshot(subcontractor, "contract_id", "agb_code", "name"))
    return subcontractor


def subcontractors_of(contracts: list[Contract]) -> dict[int, list[Subcontractor]]:
    """Each contract's subcontractors by name, in one query."""
    found: dict[int, list[Subcontractor]] = {c.id: [] for c in contracts}
    for subcontractor in db.session.scalars(
            select(Subcontractor).where(Subcontractor.contract_id.in_(found))
            .order_by(Subcontractor.name)):
        found[subcontractor.contract_id].append(subcontractor)
    return found


def delivery_options(trajectory: Trajectory) -> list[Subcontractor]:
    """The subcontractors on the main provider's contracts in the trajectory's region."""
    return list(db.session.scalars(
        select(Subcontractor).join(Contract)
        .where(Contract.provider_id == trajectory.provider_id,
               Contract.region_id == trajectory.municipality.region_id)
        .order_by(Subcontractor.name)))


def set_delivery(trajectory: Trajectory, subcontractor: Subcontractor | None,
                 actor: User) -> None:
    """None: the main provider delivers itself."""
    if not is_running(trajectory):
        raise DomainError(_l("Dit traject is al beëindigd."))
    if subcontractor is not None and subcontractor not in delivery_options(trajectory):
        raise DomainError(_l("Kies een onderaannemer van het contract van de hoofdaanbieder."),
                          field="delivered_by")
    before = {"delivered_by_id": trajectory.delivered_by_id}
    trajectory.delivered_by = subcontractor
    db.session.flush()
    record(actor, "trajectory.delivery_set", trajectory, trajectory=trajectory, before=before,
           after={"delivered_by_id": trajectory.delivered_by_id})
