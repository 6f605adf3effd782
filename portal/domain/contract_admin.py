"""Contracts kept by the region's contract manager: provider, term and arrangements."""

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal.domain import DomainError
from portal.domain.audit import record, snapshot
from portal.domain.contracts import add_scheme_version
from portal.domain.lists import EarlyEndRule
from portal.domain.tranches import PaymentScheme
from portal.extensions import db
from portal.formatting import format_date
from portal.models import Allocation, Arrangement, Contract, Provider, Trajectory, User

CONTRACT_FIELDS = ("number", "provider_id", "starts_on", "ends_on")
NUMBER_LENGTH = 30


@dataclass(frozen=True)
class ContractTerms:
    number: str
    provider: Provider
    starts_on: date
    ends_on: date
    arrangements: list[Arrangement]


# The demo region's default (domain.md section 9) for a contract made in the portal.
DEFAULT_SCHEME = PaymentScheme(40, EarlyEndRule.PRO_RATA, EarlyEndRule.PRO_RATA)


def contract_snapshot(contract: Contract) -> dict:
    return {**snapshot(contract, *CONTRACT_FIELDS),
            "arrangements": sorted(a.product_code for a in contract.arrangements)}


def _check_terms(region_id: int, terms: ContractTerms, contract: Contract | None) -> None:
    number = terms.number.strip()
    if not number or len(number) > NUMBER_LENGTH:
        raise DomainError(_l("Vul een contractnummer in van hoogstens %(n)s tekens.",
                             n=NUMBER_LENGTH), field="number")
    if terms.ends_on < terms.starts_on:
        raise DomainError(_l("De einddatum ligt vóór de ingangsdatum."), field="ends_on")
    if not terms.arrangements:
        raise DomainError(_l("Kies ten minste één arrangement."), field="arrangements")
    if any(a.region_id != region_id for a in terms.arrangements):
        raise DomainError(_l("Kies arrangementen van deze regio."), field="arrangements")
    if (clash := _number_clash(number, contract)) is not None:
        raise clash
    _check_no_overlap(terms, contract)
    if contract is not None:
        _check_allocations_stay_covered(contract, terms)


def _number_clash(number: str, contract: Contract | None) -> DomainError | None:
    query = select(Contract.id).where(Contract.number == number)
    if contract is not None:
        query = query.where(Contract.id != contract.id)
    if db.session.scalar(query) is None:
        return None
    return DomainError(_l("Het contractnummer %(number)s bestaat al.", number=number),
                       field="number")


def _check_no_overlap(terms: ContractTerms, contract: Contract | None) -> None:
    """A provider has each arrangement in at most one contract on any day."""
    # Locks the provider's row, so two changes to its contracts are checked one after another.
    db.session.execute(select(Provider.id).where(Provider.id == terms.provider.id)
                       .with_for_update())
    query = select(Contract).where(Contract.provider_id == terms.provider.id,
                                   Contract.starts_on <= terms.ends_on,
                                   Contract.ends_on >= terms.starts_on)
    if contract is not None:
        query = query.where(Contract.id != contract.id)
    wanted = {a.id for a in terms.arrangements}
    for other in db.session.scalars(query.order_by(Contract.starts_on)):
        both = [a for a in other.arrangements if a.id in wanted]
        if both:
            raise DomainError(_l(
                "Contract %(number)s van %(provider)s loopt al van %(start)s tot en met %(end)s "
                "met %(arrangement)s. Een aanbieder heeft een arrangement in één contract "
                "tegelijk; kies een andere looptijd of andere arrangementen.",
                number=other.number, provider=terms.provider.name,
                start=format_date(other.starts_on), end=format_date(other.ends_on),
                arrangement=both[0].name), field="arrangements")


def _check_allocations_stay_covered(contract: Contract, terms: ContractTerms) -> None:
    """Allocations made under the contract keep a contract: no shorter term or dropped
    arrangement may leave one of them outside."""
    kept = {a.id for a in terms.arrangements}
    lost = db.session.scalar(
        select(Allocation).join(Allocation.trajectory)
        .where(Trajectory.provider_id == contract.provider_id,
               Allocation.start_date.between(contract.starts_on, contract.ends_on),
               Allocation.arrangement_id.in_([a.id for a in contract.arrangements]))
        .where(~Allocation.start_date.between(terms.starts_on, terms.ends_on)
               | Allocation.arrangement_id.not_in(kept))
        .order_by(Allocation.start_date).limit(1))
    if terms.provider.id != contract.provider_id and contract_has_allocations(contract):
        raise DomainError(_l("Onder dit contract is al toegewezen; de aanbieder blijft."),
                          field="provider")
    if lost is not None:
        raise DomainError(_l(
            "De toewijzing %(number)s (%(arrangement)s, vanaf %(start)s) valt dan buiten het "
            "contract. Houd de looptijd en de arrangementen van bestaande toewijzingen.",
            number=lost.number, arrangement=lost.arrangement.name,
            start=format_date(lost.start_date)))


def contract_has_allocations(contract: Contract) -> bool:
    return db.session.scalar(
        select(Allocation.id).join(Allocation.trajectory)
        .where(Trajectory.provider_id == contract.provider_id,
               Allocation.start_date.between(contract.starts_on, contract.ends_on))
        .limit(1)) is not None


def save_contract(contract: Contract | None, region_id: int, terms: ContractTerms,
                  actor: User, scheme: PaymentScheme = DEFAULT_SCHEME) -> Contract:
    """A new contract (`contract` None) or new terms for an existing one. A new contract
    pays by `scheme` from its first day; the scheme page changes it from a date on."""
    _check_terms(region_id, terms, contract)
    is_new = contract is None
    before = None
    if contract is None:
        contract = Contract(region_id=region_id)
        db.session.add(contract)
    else:
        before = contract_snapshot(contract)
    contract.number = terms.number.strip()
    contract.provider = terms.provider
    contract.starts_on, contract.ends_on = terms.starts_on, terms.ends_on
    contract.arrangements = list(terms.arrangements)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:  # the same number saved at the same moment
        with db.session.no_autoflush:
            clash = _number_clash(contract.number, None)
        raise clash or DomainError(
            _l("Dit contract is zojuist door iemand anders gewijzigd. Probeer het opnieuw.")
        ) from None
    after = contract_snapshot(contract)
    if before != after:
        record(actor, "contract.created" if is_new else "contract.changed", contract,
               before=before, after=after)
    if is_new:
        add_scheme_version(contract, contract.starts_on, scheme.start_share_percent,
                           scheme.early_end_rule, scheme.administrative_end_rule, actor,
                           today=contract.starts_on)
    return contract
