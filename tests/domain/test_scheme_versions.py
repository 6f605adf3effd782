"""Payment scheme versions: added per contract from a date, kept by each allocation."""

from datetime import date

import pytest
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from portal.domain import DomainError
from portal.domain.allocation_import import COLUMNS, import_allocations
from portal.domain.codes import WJ758
from portal.domain.contracts import add_scheme_version
from portal.domain.lists import EarlyEndRule
from portal.domain.requests import approve_change, request_change
from portal.extensions import db
from portal.models import AuditEvent, Contract, PaymentSchemeVersion
from portal.models.types import utcnow
from tests.factories import next_bsn

TODAY = date(2026, 3, 1)
RULES = (EarlyEndRule.PRO_RATA, EarlyEndRule.PRO_RATA)


@pytest.fixture
def manager(world):
    return world.users["contract_manager"]


def add(contract, valid_from, share, manager, **kwargs):
    return add_scheme_version(contract, valid_from, share, *RULES, manager, TODAY, **kwargs)


def test_a_new_version_applies_to_allocations_from_its_date(world, manager):
    running = world.trajectory(start=date(2026, 2, 1))
    version = add(world.contracts[0], date(2026, 4, 1), 50, manager, end_share_percent=50)
    later = world.trajectory(start=date(2026, 4, 1))
    assert running.current_allocation.scheme_version.start_share_percent == 40
    assert later.current_allocation.scheme_version == version
    event = db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "contract.payment_scheme_added"))
    assert event.object_id == world.contracts[0].id
    assert event.after["start_share_percent"] == 50 and event.after["valid_from"] == "2026-04-01"


@pytest.mark.parametrize(("start", "end", "message"), [
    (35, 60, "samen 100 procent"),
    (101, None, "tussen 0 en 100"),
    (-1, None, "tussen 0 en 100"),
])
def test_shares_are_checked(world, manager, start, end, message):
    with pytest.raises(DomainError, match=message):
        add(world.contracts[0], date(2026, 4, 1), start, manager, end_share_percent=end)
    assert len(world.contracts[0].scheme_versions) == 1


@pytest.mark.parametrize(("valid_from", "message"), [
    (date(2026, 2, 28), "niet vóór vandaag"),        # in the past
    (date(2025, 1, 1), "al een betaalschema dat ingaat op 01-01-2025"),  # the same date
    (date(2024, 12, 1), "gaat in na 01-01-2025"),
    (date(2028, 1, 1), "na het einde van het contract"),
])
def test_valid_from_is_after_the_latest_version_and_today(world, manager, valid_from,
                                                           message):
    with pytest.raises(DomainError, match=message):
        add(world.contracts[0], valid_from, 30, manager)


def test_not_before_an_allocation_that_took_the_current_version(world, manager):
    world.trajectory(start=date(2026, 5, 1), end=date(2026, 10, 31))
    with pytest.raises(DomainError, match="01-05-2026 of later"):
        add(world.contracts[0], date(2026, 4, 1), 30, manager)
    assert add(world.contracts[0], date(2026, 5, 2), 30, manager).start_share_percent == 30


def test_the_first_version_starts_with_the_contract(world, manager):
    contract = Contract(number="T-003", region=world.region, provider=world.providers[1],
                        starts_on=date(2028, 1, 1), ends_on=date(2028, 12, 31))
    db.session.add(contract)
    db.session.flush()
    with pytest.raises(DomainError, match="vanaf de start van het contract"):
        add(contract, date(2028, 2, 1), 40, manager)
    assert add(contract, date(2028, 1, 1), 40, manager).valid_from == date(2028, 1, 1)


def test_the_database_keeps_one_version_per_contract_and_date(world):
    db.session.add(PaymentSchemeVersion(contract=world.contracts[0], valid_from=date(2025, 1, 1),
                                        start_share_percent=30))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_the_database_keeps_shares_between_0_and_100(world):
    db.session.add(PaymentSchemeVersion(contract=world.contracts[0], valid_from=date(2026, 9, 1),
                                        start_share_percent=120))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_a_change_request_allocation_takes_the_version_of_its_own_start(world, manager):
    trajectory = world.trajectory("started", start=date(2026, 2, 1), end=date(2026, 12, 31))
    new = add(world.contracts[0], date(2026, 5, 1), 50, manager)
    change = request_change(trajectory, reason=WJ758.CARE_PLAN,
                            arrangement=world.arrangements["ontw_zwaar"],
                            end_date=date(2026, 12, 31), motivation="Meer nodig",
                            actor=world.users["provider_staff"])
    approve_change(change, date(2026, 6, 1), world.users["access_staff"])
    old, successor = trajectory.allocations
    assert old.scheme_version.start_share_percent == 40
    assert successor.scheme_version == new


def test_the_csv_import_sets_the_version(world, manager):
    new = add(world.contracts[0], date(2026, 5, 1), 50, manager)
    csv = "\n".join([";".join(COLUMNS), f"{next_bsn()};17-05-2015;Sam;de Vries;"
                     f"{world.providers[0].agb_code};45;01M;01-06-2026;30-11-2026"])
    result = import_allocations(csv.encode(), world.municipalities[0],
                                world.users["access_staff"])
    assert not result.errors
    assert result.created[0].current_allocation.scheme_version == new


def test_a_lost_race_gets_the_same_message(world, manager):
    contract = world.contracts[0]
    assert len(contract.scheme_versions) == 1  # what this transaction saw
    db.session.execute(insert(PaymentSchemeVersion).values(  # another one, meanwhile
        contract_id=contract.id, valid_from=date(2026, 4, 1), start_share_percent=30,
        early_end_rule="pro_rata", administrative_end_rule="pro_rata", created_at=utcnow()))
    with pytest.raises(DomainError, match="al een betaalschema dat ingaat op 01-04-2026"):
        add(contract, date(2026, 4, 1), 50, manager)
