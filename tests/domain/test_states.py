"""Each state rule in one place: the permission offers an action exactly where the domain
action accepts it."""

from datetime import date

import pytest

from portal.domain import DomainError, permissions
from portal.domain.codes import JZ588
from portal.domain.lists import LifeDomain
from portal.domain.plans import GoalText, add_goal
from portal.domain.subcontractors import set_delivery
from portal.domain.trajectories import end_trajectory, register_start

TODAY = date(2026, 11, 20)


def _start(trajectory, staff):
    register_start(trajectory, date(2026, 2, 3), staff, TODAY)


def _end(trajectory, staff):
    end_trajectory(trajectory, date(2026, 7, 31), JZ588.ACCORDING_TO_PLAN, staff, TODAY)


@pytest.mark.parametrize("offered, action, allowed", [
    (permissions.can_register_start, _start, ()),
    (permissions.can_end, _end, ("started",)),
], ids=["start", "end"])
@pytest.mark.parametrize("traits", [(), ("started",), ("ended",)])
def test_an_action_is_offered_exactly_where_it_is_accepted(world, offered, action, allowed,
                                                           traits):
    trajectory = world.trajectory(*traits)
    staff = world.users["provider_staff"]
    may = offered(staff, trajectory)
    try:
        action(trajectory, staff)
        accepted = True
    except DomainError:
        accepted = False
    assert may == accepted == (traits == allowed)


def test_an_ended_trajectory_refuses_plan_and_delivery_changes(world):
    trajectory = world.trajectory("ended")
    staff = world.users["provider_staff"]
    assert not permissions.can_edit_plan(staff, trajectory)
    assert not permissions.can_set_delivery(staff, trajectory)
    with pytest.raises(DomainError):
        add_goal(trajectory, GoalText(LifeDomain.EDUCATION_WORK, "a", "b", "c"), staff)
    with pytest.raises(DomainError, match="al beëindigd"):
        set_delivery(trajectory, None, staff)
