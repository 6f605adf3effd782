"""Allocations with the municipality's own number, and changes of their end date."""

from datetime import date

import pytest

from portal.domain import DomainError
from portal.domain.codes import JZ002, WJ001, WJ759
from portal.domain.lists import TrajectoryStatus
from portal.domain.trajectories import (
    ChildDetails,
    allocate,
    change_allocation_end,
    end_allocation,
)
from tests.factories import next_bsn


def allocate_number(world, number, municipality=0):
    return allocate(municipality=world.municipalities[municipality],
                    child=ChildDetails(next_bsn(), date(2014, 3, 9), "Lina", "Bakker"),
                    provider=world.providers[0], arrangement=world.arrangements["ontw_midden"],
                    start=date(2026, 2, 1), end=date(2026, 7, 31), actor=None, number=number)


def test_the_municipality_may_give_its_own_number_once(world):
    assert allocate_number(world, 300201).current_allocation.number == 300201
    assert allocate_number(world, 300201, municipality=1).current_allocation.number == 300201
    with pytest.raises(DomainError) as caught:
        allocate_number(world, 300201)
    assert caught.value.code == WJ001.ALLOCATION_NUMBER_NOT_UNIQUE
    assert world.trajectory().current_allocation.number == 300202


@pytest.mark.parametrize("number", [0, 1_000_000_000])
def test_an_own_number_has_at_most_nine_digits(world, number):
    with pytest.raises(DomainError, match="tussen 1 en 999999999"):
        allocate_number(world, number)


def test_an_extension_moves_the_end_and_care_goes_on(world):
    trajectory = world.trajectory("started")
    change_allocation_end(trajectory, date(2026, 10, 31), JZ002.REASSESSMENT_EXTENSION, None)
    allocation = trajectory.current_allocation
    assert (allocation.end_date, allocation.planned_end_date, allocation.change_reason) == (
        date(2026, 10, 31), date(2026, 10, 31), JZ002.REASSESSMENT_EXTENSION)
    assert trajectory.status == TrajectoryStatus.STARTED


def test_a_correction_may_move_the_end_earlier_but_not_before_the_start_of_care(world):
    trajectory = world.trajectory("started")  # care started on 3 February
    change_allocation_end(trajectory, date(2026, 6, 30), JZ002.ADMINISTRATIVE_CORRECTION, None)
    allocation = trajectory.current_allocation
    assert (allocation.end_date, allocation.planned_end_date) == (date(2026, 6, 30),) * 2
    with pytest.raises(DomainError, match="vóór 03-02-2026"):
        change_allocation_end(trajectory, date(2026, 2, 2), JZ002.ADMINISTRATIVE_CORRECTION,
                              None)


def test_an_extension_lies_after_the_current_end(world):
    trajectory = world.trajectory()
    with pytest.raises(DomainError, match="Een verlenging ligt na de huidige einddatum"):
        change_allocation_end(trajectory, date(2026, 7, 31), JZ002.REASSESSMENT_EXTENSION, None)


def test_an_extension_into_a_later_arrangement_of_the_child_is_stacking(world):
    first = world.trajectory(end=date(2026, 3, 31))
    world.trajectory(child=ChildDetails(first.client.bsn, first.client.birth_date, "Sam", "X"),
                     start=date(2026, 5, 1), end=date(2026, 8, 31))
    with pytest.raises(DomainError) as caught:
        change_allocation_end(first, date(2026, 6, 30), JZ002.REASSESSMENT_EXTENSION, None)
    assert caught.value.code == WJ759.STACKING


def test_a_municipal_end_keeps_the_planned_end(world):
    trajectory = world.trajectory("started")
    end_allocation(trajectory, date(2026, 4, 30), JZ002.MOVED, world.users["access_staff"])
    allocation = trajectory.current_allocation
    assert (allocation.end_date, allocation.planned_end_date) == (
        date(2026, 4, 30), date(2026, 7, 31))


@pytest.mark.parametrize("reason", [JZ002.MOVED, JZ002.BY_PROVIDER, JZ002.DELETED])
def test_other_reasons_do_not_move_the_end(world, reason):
    with pytest.raises(DomainError, match="geldige reden"):
        change_allocation_end(world.trajectory(), date(2026, 9, 30), reason, None)


def test_an_ended_trajectory_keeps_its_end(world):
    with pytest.raises(DomainError, match="al beëindigd"):
        change_allocation_end(world.trajectory("ended"), date(2026, 9, 30),
                              JZ002.REASSESSMENT_EXTENSION, None)
