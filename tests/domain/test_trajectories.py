"""Allocation, start and end of trajectories (domain.md section 3)."""

from datetime import date

import pytest
from sqlalchemy import select

from portal.domain import DomainError
from portal.domain.codes import JZ002, JZ588, WJ759
from portal.domain.lists import TrajectoryStatus
from portal.domain.trajectories import (
    ChildDetails,
    allocate,
    end_allocation,
    end_trajectory,
    register_start,
)
from portal.extensions import db
from portal.models import Arrangement, AuditEvent, Tariff
from tests.factories import next_bsn


def child(bsn=None):
    return ChildDetails(next_bsn() if bsn is None else bsn, date(2014, 3, 9), "Lina", "Bakker")


def test_allocation_numbers_are_issued_per_municipality(world):
    first = world.trajectory()
    second = world.trajectory()
    in_delft = world.trajectory(municipality=1)
    assert [t.current_allocation.number for t in (first, second, in_delft)] == [1, 2, 1]


def test_amount_is_the_tariff_valid_on_the_start_date(world):
    in_2026 = world.trajectory(start=date(2026, 2, 1), end=date(2026, 7, 31))
    in_2025 = world.trajectory(start=date(2025, 6, 1), end=date(2025, 12, 31))
    assert in_2026.current_allocation.amount_cents == 840000
    assert in_2025.current_allocation.amount_cents == 820000


def test_uncontracted_arrangement_is_refused_with_wj759_4(world):
    with pytest.raises(DomainError) as caught:
        world.trajectory(arrangement="gedrag_midden")  # Horizon has no contract for it
    assert caught.value.code == WJ759.NOT_IN_CONTRACT


def test_no_running_contract_is_refused_with_wj759_3(world):
    with pytest.raises(DomainError) as caught:
        world.trajectory(start=date(2028, 1, 1), end=date(2028, 6, 30))
    assert caught.value.code == WJ759.NO_CONTRACT


def test_allocation_needs_a_tariff_valid_on_its_start(world):
    late = Arrangement(profile=world.arrangements["gedrag_midden"].profile,
                       intensity=world.arrangements["ontw_licht"].intensity,
                       product_category=world.arrangements["gedrag_midden"].product_category,
                       product_code="03L",
                       tariffs=[Tariff(valid_from=date(2026, 3, 1), amount_cents=500000)])
    db.session.add(late)
    world.contracts[0].arrangements.append(late)
    db.session.flush()
    with pytest.raises(DomainError, match="geen tarief"):
        allocate(municipality=world.municipalities[0], child=child(),
                 provider=world.providers[0], arrangement=late, start=date(2026, 2, 1),
                 end=date(2026, 5, 31), actor=None)


def test_a_child_has_one_running_arrangement_at_a_time(world):
    bsn = next_bsn()
    world.trajectory(child=child(bsn))
    with pytest.raises(DomainError) as caught:
        world.trajectory(provider=1, child=child(bsn), start=date(2026, 5, 1),
                         end=date(2026, 10, 31))
    assert caught.value.code == WJ759.STACKING


def test_a_new_allocation_after_an_ended_trajectory_is_no_stacking(world):
    bsn = next_bsn()
    world.trajectory("ended", child=child(bsn))
    later = world.trajectory(child=child(bsn), start=date(2026, 9, 1), end=date(2027, 2, 28))
    assert later.client_id is not None


@pytest.mark.parametrize("bad", ["123456789", "12345678", "abcdefghi", "000000000", ""])
def test_malformed_bsn_is_refused(world, bad):
    with pytest.raises(DomainError) as caught:
        world.trajectory(child=child(bad))
    assert caught.value.field == "bsn"


def test_end_before_start_is_refused(world):
    with pytest.raises(DomainError) as caught:
        world.trajectory(start=date(2026, 3, 1), end=date(2026, 2, 1))
    assert caught.value.field == "end_date"


def test_start_is_registered_inside_the_allocation_period_once(world):
    trajectory = world.trajectory()
    actor = world.users["provider_staff"]
    for outside in (date(2026, 1, 31), date(2026, 8, 1)):
        with pytest.raises(DomainError, match="binnen de toewijzing"):
            register_start(trajectory, outside, actor)
    register_start(trajectory, date(2026, 2, 1), actor)
    assert trajectory.status == TrajectoryStatus.STARTED
    with pytest.raises(DomainError, match="al geregistreerd"):
        register_start(trajectory, date(2026, 2, 2), actor)


@pytest.mark.parametrize("reason, outcome", [
    (JZ588.ACCORDING_TO_PLAN, "01"), (JZ588.EARLY_BY_AGREEMENT, "02"),
    (JZ588.EARLY_BY_CLIENT, "03"), (JZ588.EARLY_BY_PROVIDER, "04"),
    (JZ588.EARLY_EXTERNAL, "05"), (JZ588.OTHER_DOMAIN, None),
])
def test_ending_derives_the_cbs_outcome(world, reason, outcome):
    trajectory = world.trajectory("started")
    end_trajectory(trajectory, date(2026, 5, 1), reason, world.users["provider_staff"])
    assert (trajectory.status, trajectory.end_reason, trajectory.outcome_code) == (
        TrajectoryStatus.ENDED, reason, outcome)


@pytest.mark.parametrize("ended_on, message", [
    (date(2026, 2, 2), "vóór de start"),
    (date(2026, 8, 1), "na het einde van de toewijzing"),
])
def test_end_date_must_fall_between_start_and_allocation_end(world, ended_on, message):
    trajectory = world.trajectory("started")
    with pytest.raises(DomainError, match=message):
        end_trajectory(trajectory, ended_on, JZ588.ACCORDING_TO_PLAN,
                       world.users["provider_staff"])
    assert trajectory.status == TrajectoryStatus.STARTED


def test_temporary_end_is_not_an_end(world):
    trajectory = world.trajectory("started")
    with pytest.raises(DomainError):
        end_trajectory(trajectory, date(2026, 5, 1), JZ588.TEMPORARY,
                       world.users["provider_staff"])


def test_only_a_started_trajectory_can_be_ended_by_the_provider(world):
    with pytest.raises(DomainError, match="gestart"):
        end_trajectory(world.trajectory(), date(2026, 5, 1), JZ588.ACCORDING_TO_PLAN,
                       world.users["provider_staff"])


def test_municipality_ends_an_allocation_when_the_child_moves(world):
    trajectory = world.trajectory("started")
    end_allocation(trajectory, date(2026, 4, 30), JZ002.MOVED, world.users["access_staff"])
    allocation = trajectory.current_allocation
    assert (allocation.end_date, allocation.change_reason) == (date(2026, 4, 30), JZ002.MOVED)
    assert (trajectory.status, trajectory.end_reason, trajectory.outcome_code) == (
        TrajectoryStatus.ENDED, JZ588.EARLY_EXTERNAL, "05")


def test_an_allocation_ended_without_an_actor_is_audited_without_a_person(world):
    trajectory = world.trajectory("started")
    end_allocation(trajectory, date(2026, 4, 30), JZ002.MOVED, None)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "allocation.ended"))
    assert (event.object_id, event.trajectory_id) == (
        trajectory.current_allocation.id, trajectory.id)
    assert (event.actor_id, event.role) == (None, None)
    assert trajectory.status == TrajectoryStatus.ENDED


def test_deletion_only_before_the_start_and_sets_end_to_start(world):
    with pytest.raises(DomainError, match="verwijderd"):
        end_allocation(world.trajectory("started"), date(2026, 4, 30), JZ002.DELETED,
                       world.users["access_staff"])
    trajectory = world.trajectory()
    end_allocation(trajectory, date(2026, 6, 30), JZ002.DELETED, world.users["access_staff"])
    allocation = trajectory.current_allocation
    assert allocation.end_date == allocation.start_date
    assert allocation.change_reason == JZ002.DELETED
    assert trajectory.status == TrajectoryStatus.ENDED and trajectory.end_reason is None


def test_every_change_is_an_audit_event_on_the_trajectory_timeline(world):
    from portal.domain.timeline import trajectory_timeline

    trajectory = world.trajectory("ended")
    assert [e.description for e in trajectory_timeline(trajectory)] == [
        "Toewijzing afgegeven", "Start zorg geregistreerd", "Zorg beëindigd"]
