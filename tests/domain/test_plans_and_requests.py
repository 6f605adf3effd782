"""Plan goals, change requests and requests for an allocation."""

from datetime import date

import pytest

from portal.domain import DomainError
from portal.domain.codes import COD327, JZ002, WJ758, WJ759
from portal.domain.lists import LifeDomain, RequestStatus, TrajectoryStatus
from portal.domain.plans import GoalText, add_goal, edit_goal
from portal.domain.requests import (
    AllocationWish,
    approve_allocation_request,
    approve_change,
    reject_allocation_request,
    reject_change,
    request_allocation,
    request_change,
)
from portal.domain.trajectories import ChildDetails
from portal.extensions import db
from tests.factories import next_bsn

GOAL = GoalText(LifeDomain.EDUCATION_WORK, "Gaat weer naar school", "Minder angst",
                "Volledig schoolbezoek")


def test_goals_are_added_and_edited_until_the_end(world):
    trajectory = world.trajectory("started")
    actor = world.users["provider_staff"]
    goal = add_goal(trajectory, GOAL, actor)
    edit_goal(goal, GoalText(LifeDomain.SAFETY, "Veilig thuis", "Geen escalaties",
                             "Blijft thuis wonen"), actor)
    assert (goal.life_domain, goal.description) == (LifeDomain.SAFETY, "Veilig thuis")
    ended = world.trajectory("ended")
    with pytest.raises(DomainError, match="beëindigd"):
        add_goal(ended, GOAL, actor)


def test_a_goal_needs_its_texts(world):
    with pytest.raises(DomainError) as caught:
        add_goal(world.trajectory("started"), GoalText(LifeDomain.HEALTH, "  ", "x", "y"),
                 world.users["provider_staff"])
    assert caught.value.field == "description"


def ask_heavier(world, trajectory, **overrides):
    values = dict(reason=WJ758.CLIENT_SITUATION, arrangement=world.arrangements["ontw_zwaar"],
                  end_date=date(2026, 10, 31), motivation="Meer hulp nodig",
                  actor=world.users["provider_staff"])
    values.update(overrides)
    return request_change(trajectory, **values)


def test_one_open_change_request_per_trajectory(world):
    trajectory = world.trajectory("started")
    ask_heavier(world, trajectory)
    with pytest.raises(DomainError, match="al een wijzigingsverzoek"):
        ask_heavier(world, trajectory)


def test_a_change_request_must_change_something(world):
    trajectory = world.trajectory("started")
    with pytest.raises(DomainError, match="ander arrangement of een latere einddatum"):
        ask_heavier(world, trajectory, arrangement=world.arrangements["ontw_midden"],
                    end_date=date(2026, 7, 31))


def test_approval_ends_the_allocation_the_day_before_and_continues_with_a_new_one(world):
    trajectory = world.trajectory("started")
    old = trajectory.current_allocation
    change = ask_heavier(world, trajectory)
    approve_change(change, date(2026, 5, 1), world.users["access_staff"])
    new = trajectory.current_allocation
    assert (old.end_date, old.change_reason, old.is_current) == (
        date(2026, 4, 30), JZ002.BY_PROVIDER, False)
    assert new.id != old.id and new.number != old.number
    assert (new.arrangement, new.start_date, new.end_date, new.amount_cents) == (
        world.arrangements["ontw_zwaar"], date(2026, 5, 1), date(2026, 10, 31), 1428000)
    assert change.status == RequestStatus.APPROVED
    assert change.decided_by == world.users["access_staff"] and change.decided_at
    assert trajectory.status == TrajectoryStatus.STARTED


def test_approval_remembers_the_new_allocation_on_the_request(world):
    trajectory = world.trajectory("started")
    change = ask_heavier(world, trajectory)
    approve_change(change, date(2026, 5, 1), world.users["access_staff"])
    db.session.commit()
    db.session.expire_all()
    assert change.new_allocation_id == trajectory.current_allocation.id
    assert change.new_allocation.start_date == date(2026, 5, 1)


def test_approval_needs_the_new_arrangement_in_the_contract(world):
    trajectory = world.trajectory("started")
    change = ask_heavier(world, trajectory, arrangement=world.arrangements["gedrag_midden"])
    with pytest.raises(DomainError) as caught:
        approve_change(change, date(2026, 5, 1), world.users["access_staff"])
    assert caught.value.code == WJ759.NOT_IN_CONTRACT


def test_rejection_needs_a_reason_and_only_one_decision_counts(world):
    trajectory = world.trajectory("started")
    change = ask_heavier(world, trajectory)
    with pytest.raises(DomainError, match="reden van afwijzing"):
        reject_change(change, None, "", world.users["access_staff"])
    reject_change(change, WJ759.CARE_CONTENT, "Eerst evalueren", world.users["access_staff"])
    assert (change.status, change.rejection_reason, change.decision_note) == (
        RequestStatus.REJECTED, WJ759.CARE_CONTENT, "Eerst evalueren")
    with pytest.raises(DomainError, match="al besloten"):
        reject_change(change, WJ759.BUDGET, "", world.users["access_staff"])
    with pytest.raises(DomainError, match="al besloten"):
        approve_change(change, date(2026, 5, 1), world.users["access_staff"])
    # After the decision a new request may be made.
    ask_heavier(world, trajectory)


def wish(world, **overrides):
    values = dict(child=ChildDetails(next_bsn(), date(2012, 1, 5), "Yara", "Kaya"),
                  municipality=world.municipalities[0], referrer=COD327.GENERAL_PRACTITIONER,
                  arrangement=world.arrangements["ontw_midden"], start=date(2026, 3, 1),
                  end=date(2026, 8, 31), motivation="Verwezen door de huisarts",
                  referrer_name="Huisarts Jansen")
    values.update(overrides)
    return AllocationWish(**values)


def test_allocation_request_is_allocated_by_the_municipality(world):
    request = request_allocation(world.providers[0], wish(world), world.users["provider_staff"])
    trajectory = approve_allocation_request(request, world.users["access_staff"])
    assert request.status == RequestStatus.APPROVED and request.trajectory_id == trajectory.id
    assert trajectory.provider == world.providers[0]
    assert trajectory.current_allocation.start_date == date(2026, 3, 1)


def test_allocation_request_rejected_with_a_wj759_reason(world):
    request = request_allocation(world.providers[0], wish(world), world.users["provider_staff"])
    reject_allocation_request(request, WJ759.RESIDENCE_PRINCIPLE, "Woont elders",
                              world.users["access_staff"])
    assert (request.status, request.rejection_reason) == (
        RequestStatus.REJECTED, WJ759.RESIDENCE_PRINCIPLE)


@pytest.mark.parametrize("override, field", [
    ({"referrer": COD327.SELF_REFERRAL}, "referrer"),
    ({"motivation": "  "}, "motivation"),
    ({"end": date(2026, 2, 1)}, "end_date"),
])
def test_allocation_request_bad_input(world, override, field):
    with pytest.raises(DomainError) as caught:
        request_allocation(world.providers[0], wish(world, **override),
                           world.users["provider_staff"])
    assert caught.value.field == field


def test_allocation_request_for_an_uncontracted_arrangement(world):
    with pytest.raises(DomainError) as caught:
        request_allocation(world.providers[0],
                           wish(world, arrangement=world.arrangements["gedrag_midden"]),
                           world.users["provider_staff"])
    assert caught.value.code == WJ759.NOT_IN_CONTRACT
