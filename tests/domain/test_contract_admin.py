"""Contracts kept by the contract manager, and the new contract year."""

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from portal.domain import DomainError
from portal.domain.catalogue import contracted_arrangements
from portal.domain.contract_admin import ContractTerms, save_contract
from portal.domain.contract_year import copy_year, indexed, parse_percent, plan_year_copy
from portal.domain.contracts import add_scheme_version
from portal.domain.lists import EarlyEndRule
from portal.domain.object_history import history
from portal.domain.tariffs import add_tariff_version, tariff_on
from portal.extensions import db
from portal.models import Contract, Tariff
from tests.factories import ProviderFactory, RegionFactory


@pytest.fixture
def manager(world):
    return world.users["contract_manager"]


def terms(world, number="T-003", provider=0, start=date(2028, 1, 1), end=date(2028, 12, 31),
          arrangements=("ontw_midden",)) -> ContractTerms:
    return ContractTerms(number, world.providers[provider], start, end,
                         [world.arrangements[k] for k in arrangements])


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_contract_is_created_and_changed_with_its_history(world, manager):
    contract = save_contract(None, world.region.id, terms(world), manager)
    save_contract(contract, world.region.id,
                  terms(world, arrangements=("ontw_midden", "ontw_zwaar")), manager)
    entries = history(contract)
    assert [e.description for e in entries] == ["Contract gewijzigd", "Betaalschema toegevoegd",
                                                   "Contract aangemaakt"]
    assert [(c.label, c.before, c.after) for c in entries[0].changes] == [
        ("Arrangementen (productcodes) toegevoegd", "", "01Z")]


def test_overlapping_term_with_a_shared_arrangement_is_refused(world, manager):
    with pytest.raises(DomainError, match="Contract T-001 van Horizon Jeugdhulp loopt al van "
                                          "01-01-2025 tot en met 31-12-2027 met "
                                          "Ontwikkeling, midden") as caught:
        save_contract(None, world.region.id, terms(world, start=date(2027, 7, 1)), manager)
    assert caught.value.field == "arrangements"
    # Another arrangement in the same period, or another provider, is fine.
    save_contract(None, world.region.id, terms(world, start=date(2027, 7, 1),
                                               arrangements=("gedrag_midden",)), manager)
    save_contract(None, world.region.id, terms(world, "T-004", provider=1,
                                               arrangements=("ontw_licht",)), manager)


@pytest.mark.parametrize("change, message", [
    ({"number": "T-002"}, "Het contractnummer T-002 bestaat al."),
    ({"number": " "}, "Vul een contractnummer in"),
    ({"end": date(2027, 12, 31)}, "De einddatum ligt vóór de ingangsdatum."),
    ({"arrangements": ()}, "Kies ten minste één arrangement."),
])
def test_bad_contract_terms_get_a_dutch_message(world, manager, change, message):
    before = count(Contract)
    with pytest.raises(DomainError, match=message):
        save_contract(None, world.region.id, terms(world, **change), manager)
    assert count(Contract) == before


def test_a_contract_keeps_the_allocations_made_under_it(world, manager):
    trajectory = world.trajectory()  # ontw_midden from 01-02-2026
    contract = world.contracts[0]
    with pytest.raises(DomainError, match="valt dan buiten het contract"):
        save_contract(contract, world.region.id, terms(
            world, "T-001", start=date(2026, 3, 1), end=date(2027, 12, 31),
            arrangements=("ontw_licht", "ontw_midden")), manager)
    with pytest.raises(DomainError, match="valt dan buiten het contract"):
        save_contract(contract, world.region.id, terms(
            world, "T-001", start=date(2025, 1, 1), end=date(2027, 12, 31),
            arrangements=("ontw_licht",)), manager)
    assert trajectory.current_allocation.arrangement in contract.arrangements


def test_arrangements_of_another_region_are_refused(world, manager):
    with pytest.raises(DomainError, match="Kies arrangementen van deze regio"):
        save_contract(None, RegionFactory().id, terms(world), manager)


# The new contract year -----------------------------------------------------------------------


@pytest.mark.parametrize("text, percent", [("2,5", "2.5"), ("2.5", "2.5"), ("-10", "-10"),
                                            ("25", "25"), ("3,25 %", "3.25"), ("0", "0")])
def test_indexation_in_dutch_notation(text, percent):
    assert parse_percent(text) == Decimal(percent)


@pytest.mark.parametrize("text, message", [
    ("-100", "tussen −10 en 25 procent"), ("1000", "tussen −10 en 25 procent"),
    ("25,01", "tussen −10 en 25 procent"), ("1.000", "hoogstens twee decimalen"),
    ("1,000", "hoogstens twee decimalen"), ("twee", "hoogstens twee decimalen"),
    ("", "hoogstens twee decimalen"),
])
def test_insane_indexation_is_refused(text, message):
    with pytest.raises(DomainError, match=message):
        parse_percent(text)


@pytest.mark.parametrize("cents, percent, expected", [
    (840000, "2.5", 861000), (100001, "2.5", 102501),  # 102501.025 rounds down
    (100020, "2.5", 102521),  # 102520.5: half a cent rounds up
    (123, "-10", 111),  # 110.7
    (8, "25", 10),
])
def test_indexed_tariffs_round_half_up_to_the_cent(cents, percent, expected):
    assert indexed(cents, Decimal(percent)) == expected


def end_world_contracts_in(world, year):
    for contract in world.contracts:
        contract.ends_on = date(year, 12, 31)
    db.session.flush()


def test_the_year_copy_is_shown_per_arrangement_and_then_saved(world, manager):
    end_world_contracts_in(world, 2026)
    kiem = world.contracts[1]
    add_scheme_version(kiem, date(2026, 12, 31), 30, EarlyEndRule.FULL, EarlyEndRule.PRO_RATA,
                       manager, today=date(2026, 1, 1))
    plan = plan_year_copy(world.region.id, 2026, Decimal("2.5"))
    assert [(c.old.number, c.number) for c in plan.contracts] == [("T-002", "T-002-2027"),
                                                                  ("T-001", "T-001-2027")]
    rows = {s.arrangement.product_code: (s.old.amount_cents, s.new_cents) for s in plan.tariffs}
    assert rows == {"01L": (462000, 473550), "01M": (840000, 861000),
                    "01Z": (1428000, 1463700), "03M": (910000, 932750)}
    tariffs_before = count(Tariff)

    copy_year(world.region.id, 2026, Decimal("2.5"), manager)

    assert count(Tariff) == tariffs_before + 4
    midden = world.arrangements["ontw_midden"]
    assert tariff_on(midden, date(2027, 1, 1)).amount_cents == 861000
    assert tariff_on(midden, date(2026, 12, 31)).amount_cents == 840000
    new = db.session.scalar(select(Contract).where(Contract.number == "T-002-2027"))
    assert (new.starts_on, new.ends_on, new.provider, set(new.arrangements)) == (
        date(2027, 1, 1), date(2027, 12, 31), kiem.provider, set(kiem.arrangements))
    assert [(v.valid_from, v.start_share_percent, v.early_end_rule)
            for v in new.scheme_versions] == [(date(2027, 1, 1), 30, EarlyEndRule.FULL)]
    assert [e.description for e in history(new)] == [
        "Contract overgenomen uit het vorige jaar", "Betaalschema toegevoegd",
        "Contract aangemaakt"]


def test_a_next_year_version_of_its_own_is_kept(world, manager):
    end_world_contracts_in(world, 2026)
    add_tariff_version(world.arrangements["ontw_licht"], date(2027, 1, 1), 500000, manager)
    copy_year(world.region.id, 2026, Decimal("2.5"), manager)
    assert tariff_on(world.arrangements["ontw_licht"], date(2027, 6, 1)).amount_cents == 500000


def test_a_year_that_already_has_contracts_saves_nothing(world, manager):
    """The world's contracts run to 2027: copying 2026 would give each provider two."""
    contracts, tariffs = count(Contract), count(Tariff)
    with pytest.raises(DomainError, match="In 2027 is er al een contract voor De Kiem "
                                          r"\(T-002\), Horizon Jeugdhulp \(T-001\)") as caught:
        copy_year(world.region.id, 2026, Decimal("2.5"), manager)
    assert caught.value.field == "year"
    assert (count(Contract), count(Tariff)) == (contracts, tariffs)


def test_a_failure_halfway_saves_nothing(world, manager):
    """The second contract's new number is taken: the first copy and the tariffs go too."""
    end_world_contracts_in(world, 2026)
    db.session.add(Contract(number="T-001-2027", region=world.region,
                            provider=ProviderFactory(), starts_on=date(2030, 1, 1),
                            ends_on=date(2030, 12, 31)))
    db.session.flush()
    contracts, tariffs = count(Contract), count(Tariff)
    with db.session.begin_nested() as step, pytest.raises(DomainError, match="T-001-2027"):
        try:
            copy_year(world.region.id, 2026, Decimal("2.5"), manager)
        finally:
            step.rollback()
    assert (count(Contract), count(Tariff)) == (contracts, tariffs)


def test_a_year_without_contracts_is_refused(world, manager):
    with pytest.raises(DomainError, match="Er lopen op 31-12-2030 geen contracten"):
        plan_year_copy(world.region.id, 2030, Decimal(2))


def test_concurrent_contracts_with_other_arrangements_both_allow_allocations(world, manager):
    """Horizon's second contract holds gedrag, midden from 2026 beside T-001: both allocate."""
    save_contract(None, world.region.id, terms(world, start=date(2026, 1, 1),
                                               end=date(2026, 12, 31),
                                               arrangements=("gedrag_midden",)), manager)
    gedrag = world.trajectory(arrangement="gedrag_midden")
    ontwikkeling = world.trajectory(arrangement="ontw_midden")
    assert gedrag.current_allocation.amount_cents == 910000
    assert ontwikkeling.current_allocation.amount_cents == 840000
    held = contracted_arrangements(world.providers[0], date(2026, 6, 1), [world.region.id])
    assert world.arrangements["gedrag_midden"] in held and world.arrangements["ontw_licht"] in held
