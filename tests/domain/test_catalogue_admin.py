"""The catalogue kept by the contract manager: profiles, intensities, arrangements, history."""

from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from portal.domain import DomainError
from portal.domain.catalogue_admin import save_arrangement, save_intensity, save_profile
from portal.domain.codes import JZ020
from portal.domain.object_history import arrangement_history, history
from portal.domain.tariffs import add_tariff_version, delete_tariff, edit_tariff
from portal.extensions import db
from portal.models import Arrangement, Intensity, Profile, Tariff
from tests.factories import RegionFactory


@pytest.fixture
def manager(world):
    return world.users["contract_manager"]


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_profile_is_created_and_renamed_with_its_history(world, manager):
    profile = save_profile(Profile(), world.region.id, " p9 ", "Verblijf", manager)
    save_profile(profile, world.region.id, "P9", "Verblijf en behandeling", manager)
    assert (profile.code, profile.name) == ("P9", "Verblijf en behandeling")
    entries = history(profile)
    assert [e.description for e in entries] == ["Profiel gewijzigd", "Profiel aangemaakt"]
    assert entries[0].actor == "contract_manager"
    assert [(c.label, c.before, c.after) for c in entries[0].changes] == [
        ("Naam", "Verblijf", "Verblijf en behandeling")]


def test_profile_code_is_unique_in_the_region_only(world, manager):
    with pytest.raises(DomainError, match="P1 is in deze regio al in gebruik") as caught:
        save_profile(Profile(), world.region.id, "P1", "Tweede", manager)
    assert caught.value.field == "code"
    other = RegionFactory()
    assert save_profile(Profile(), other.id, "P1", "Ontwikkeling", manager).id


def test_intensity_rank_clash_gets_a_clear_message(world, manager):
    with pytest.raises(DomainError, match="Rang 3 is al gegeven aan de intensiteit Zwaar") as c:
        save_intensity(Intensity(), world.region.id, "D", "Duurzaam", 3, True, manager)
    assert c.value.field == "rank"
    duurzaam = save_intensity(Intensity(), world.region.id, "D", "Duurzaam", 4, True, manager)
    assert duurzaam.long_term and duurzaam.rank == 4


def test_ranks_can_be_swapped_one_after_another(world, manager):
    zwaar = db.session.scalar(select(Intensity).where(Intensity.code == "Z"))
    duurzaam = save_intensity(Intensity(), world.region.id, "D", "Duurzaam", 4, True, manager)
    save_intensity(zwaar, world.region.id, "Z", "Zwaar", 5, False, manager)
    save_intensity(duurzaam, world.region.id, "D", "Duurzaam", 3, True, manager)
    save_intensity(zwaar, world.region.id, "Z", "Zwaar", 4, False, manager)
    assert (duurzaam.rank, zwaar.rank) == (3, 4)
    assert [c.after for c in history(zwaar)[0].changes] == ["4"]


@pytest.mark.parametrize("rank", [0, 100, -1])
def test_rank_is_between_1_and_99(world, manager, rank):
    with pytest.raises(DomainError, match="1 tot en met 99"):
        save_intensity(Intensity(), world.region.id, "D", "Duurzaam", rank, True, manager)


@pytest.mark.parametrize("model, values", [
    (Intensity, {"code": "D", "name": "Duurzaam", "rank": 3}),
    (Profile, {"code": "P1", "name": "Dubbel"}),
])
def test_the_database_holds_codes_and_ranks_unique_under_races(world, model, values):
    row = model(region_id=world.region.id, **values)
    db.session.add(row)
    with pytest.raises(IntegrityError), db.session.begin_nested():
        db.session.flush()


def test_arrangement_gets_the_region_and_a_unique_product_code(world, manager):
    gedrag = db.session.scalar(select(Profile).where(Profile.code == "P3"))
    zwaar = db.session.scalar(select(Intensity).where(Intensity.code == "Z"))
    with pytest.raises(DomainError, match="productcode 01M is in deze regio al in gebruik "
                                          "voor Ontwikkeling, midden") as caught:
        save_arrangement(Arrangement(), gedrag, zwaar, JZ020.AMBULANT, "01m", manager)
    assert caught.value.field == "product_code"
    arrangement = save_arrangement(Arrangement(), gedrag, zwaar, JZ020.AMBULANT, "03z", manager)
    assert (arrangement.region_id, arrangement.product_code) == (world.region.id, "03Z")
    # Another region has its own product codes.
    other = RegionFactory()
    elsewhere = save_arrangement(
        Arrangement(), save_profile(Profile(), other.id, "P1", "Ontwikkeling", manager),
        save_intensity(Intensity(), other.id, "M", "Midden", 2, False, manager),
        JZ020.AMBULANT, "01M", manager)
    assert elsewhere.region_id == other.id
    assert arrangement_history(arrangement)[0].description == "Arrangement aangemaakt"


@pytest.mark.parametrize("code", ["", "ABCDEF", "0 1", "01-M"])
def test_product_code_is_one_to_five_letters_or_digits(world, manager, code):
    gedrag = db.session.scalar(select(Profile).where(Profile.code == "P3"))
    zwaar = db.session.scalar(select(Intensity).where(Intensity.code == "Z"))
    with pytest.raises(DomainError, match="1 tot 5 letters of cijfers"):
        save_arrangement(Arrangement(), gedrag, zwaar, JZ020.AMBULANT, code, manager)


def test_the_same_profile_and_intensity_twice_is_refused(world, manager):
    midden = world.arrangements["ontw_midden"]
    with pytest.raises(DomainError, match="Ontwikkeling, midden bestaat al"):
        save_arrangement(Arrangement(), midden.profile, midden.intensity, JZ020.AMBULANT,
                         "99X", manager)


def test_an_allocated_arrangement_keeps_its_product(world, manager):
    world.trajectory()
    midden = world.arrangements["ontw_midden"]
    with pytest.raises(DomainError, match="al toegewezen"):
        save_arrangement(midden, midden.profile, midden.intensity, JZ020.AMBULANT, "01X",
                         manager)
    licht = world.arrangements["ontw_licht"]
    save_arrangement(licht, licht.profile, licht.intensity, JZ020.CUSTOM_ARRANGEMENTS, "01L",
                     manager)
    assert [(c.before, c.after) for c in arrangement_history(licht)[0].changes] == [
        ("45", "50")]


def test_used_tariff_is_neither_edited_nor_deleted(world, manager):
    tariff = world.trajectory().current_allocation.tariff
    with pytest.raises(DomainError, match="niet gewijzigd"):
        edit_tariff(tariff, tariff.valid_from, None, 1, manager)
    with pytest.raises(DomainError, match="niet verwijderd"):
        delete_tariff(tariff, manager)
    assert db.session.get(Tariff, tariff.id).amount_cents == 840000


def test_deleting_an_unused_version_reopens_the_one_it_closed(world, manager):
    arrangement = world.arrangements["ontw_midden"]
    current = arrangement.tariffs[-1]
    new = add_tariff_version(arrangement, date(2027, 1, 1), 861000, manager)
    before = count(Tariff)
    delete_tariff(new, manager)
    assert count(Tariff) == before - 1 and current.valid_to is None
    descriptions = [e.description for e in arrangement_history(arrangement)]
    assert descriptions == ["Tariefversie weer open na het verwijderen van de volgende",
                            "Tariefversie verwijderd", "Tariefversie toegevoegd",
                            "Tariefversie afgesloten door een nieuwe versie"]
    deleted = arrangement_history(arrangement)[1]
    assert ("Tarief", "€ 8.610,00", "") in [(c.label, c.before, c.after)
                                             for c in deleted.changes]
