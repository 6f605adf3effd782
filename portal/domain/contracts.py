"""Contracts and their payment scheme (trajectfinanciering, domain.md section 9)."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import contains_eager, selectinload

from portal.domain import DomainError
from portal.domain.audit import record, snapshot
from portal.domain.lists import EarlyEndRule
from portal.domain.tranches import PaymentScheme
from portal.extensions import db
from portal.models import Contract, Provider, User

SCHEME_FIELDS = ("start_share_percent", "early_end_rule", "administrative_end_rule")


def set_payment_scheme(contract: Contract, scheme: PaymentScheme, actor: User) -> None:
    """The start share in percent (the end share is the rest) and the rules for early and
    administrative ends; an end according to plan always earns the full end share."""
    if not 0 <= scheme.start_share_percent <= 100:
        raise DomainError(_l("Het aandeel bij de start ligt tussen 0 en 100 procent."),
                          field="start_share_percent")
    before = snapshot(contract, *SCHEME_FIELDS)
    contract.start_share_percent = scheme.start_share_percent
    contract.early_end_rule = EarlyEndRule(scheme.early_end_rule)
    contract.administrative_end_rule = EarlyEndRule(scheme.administrative_end_rule)
    db.session.flush()
    record(actor, "contract.payment_scheme_changed", contract, before=before,
           after=snapshot(contract, *SCHEME_FIELDS))


def region_contracts(region_id: int) -> list[Contract]:
    return list(db.session.scalars(
        select(Contract).join(Contract.provider)
        .options(contains_eager(Contract.provider), selectinload(Contract.arrangements))
        .where(Contract.region_id == region_id)
        .order_by(Provider.name, Contract.starts_on)))
