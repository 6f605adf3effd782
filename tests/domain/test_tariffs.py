"""The tariff table and payment schemes (contract manager, domain.md sections 5 and 9)."""

from datetime import date

import pytest
from sqlalchemy import select

from portal.domain import DomainError
from portal.domain.tariffs import add_tariff_version, edit_tariff, tariff_in_use, tariff_on
from portal.extensions import db
from portal.models import AuditEvent


@pytest.fixture
def manager(world):
    return world.users["contract_manager"]


def actions(obj):
    return list(db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.object_type == type(obj).__name__.lower(), AuditEvent.object_id == obj.id)
        .order_by(AuditEvent.id)))


def test_new_version_closes_the_open_one_the_day_before(world, manager):
    arrangement = world.arrangements["ontw_midden"]
    current = tariff_on(arrangement, date(2026, 6, 1))
    new = add_tariff_version(arrangement, date(2026, 9, 1), 865200, manager)
    assert current.valid_to == date(2026, 8, 31)
    assert (new.valid_from, new.valid_to, new.amount_cents) == (date(2026, 9, 1), None, 865200)
    assert tariff_on(arrangement, date(2026, 8, 31)) is current
    assert tariff_on(arrangement, date(2026, 9, 1)) is new
    assert actions(current) == ["tariff.closed"] and actions(new) == ["tariff.added"]


def test_new_version_starts_after_the_latest(world, manager):
    with pytest.raises(DomainError, match="na de laatste versie") as caught:
        add_tariff_version(world.arrangements["ontw_midden"], date(2026, 1, 1), 1, manager)
    assert caught.value.field == "valid_from"


def test_new_version_does_not_cut_off_allocations_that_use_the_current_one(world, manager):
    world.trajectory(start=date(2026, 2, 1))
    arrangement = world.arrangements["ontw_midden"]
    with pytest.raises(DomainError, match="01-02-2026"):
        add_tariff_version(arrangement, date(2026, 1, 15), 900000, manager)
    assert tariff_on(arrangement, date(2026, 6, 1)).valid_to is None


@pytest.mark.parametrize("amount", [-1, -840000])
def test_negative_tariff_is_refused(world, manager, amount):
    with pytest.raises(DomainError, match="niet negatief") as caught:
        add_tariff_version(world.arrangements["ontw_midden"], date(2026, 9, 1), amount, manager)
    assert caught.value.field == "amount"


def test_used_tariff_is_never_edited_in_place(world, manager):
    trajectory = world.trajectory()
    used = trajectory.current_allocation.tariff
    assert tariff_in_use(used)
    with pytest.raises(DomainError, match="nieuwe tariefversie"):
        edit_tariff(used, used.valid_from, None, 1, manager)
    assert used.amount_cents == 840000


def test_unused_tariff_can_be_corrected(world, manager):
    new = add_tariff_version(world.arrangements["ontw_midden"], date(2026, 9, 1), 865200,
                             manager)
    assert not tariff_in_use(new)
    edit_tariff(new, date(2026, 9, 1), date(2026, 12, 31), 865300, manager)
    assert (new.valid_to, new.amount_cents) == (date(2026, 12, 31), 865300)
    assert actions(new) == ["tariff.added", "tariff.edited"]


def test_malformed_period_is_refused(world, manager):
    new = add_tariff_version(world.arrangements["ontw_midden"], date(2026, 9, 1), 1, manager)
    with pytest.raises(DomainError, match="vóór de ingangsdatum") as caught:
        edit_tariff(new, date(2026, 9, 1), date(2026, 8, 1), 1, manager)
    assert caught.value.field == "valid_to"


def test_overlapping_period_is_refused(world, manager):
    new = add_tariff_version(world.arrangements["ontw_midden"], date(2026, 9, 1), 1, manager)
    with pytest.raises(DomainError, match="overlapt"):
        edit_tariff(new, date(2026, 8, 1), None, 1, manager)
