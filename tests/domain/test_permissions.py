"""Who may see and do what (portal/domain/permissions.py): scopes as query criteria, checked
against two municipalities, two providers and a second region; can_* against each state."""

from datetime import date

import pytest
from sqlalchemy import select

from portal.domain import permissions as can
from portal.domain.codes import WJ758, WJ759
from portal.domain.lists import PROVIDER_ROLES, RequestStatus, Role
from portal.domain.requests import reject_change, request_change
from portal.extensions import db
from portal.models import Contract, Trajectory, User
from tests.factories import SECOND_REGION, build_world

ALL_USERS = ("provider_staff", "provider_admin", "other_provider_staff", "access_staff",
             "reviewer", "other_access_staff", "other_reviewer", "contract_manager",
             "administrator")


def visible(model, scope) -> set[int]:
    return set(db.session.scalars(select(model.id).where(scope)))


def test_trajectories_are_seen_by_their_provider_and_their_municipality_only(world):
    horizon_den_haag = world.trajectory().id
    kiem_den_haag = world.trajectory(provider=1).id
    kiem_delft = world.trajectory(provider=1, municipality=1).id
    seen = {key: visible(Trajectory, can.trajectory_scope(world.users[key]))
            for key in ALL_USERS}
    assert seen["provider_staff"] == seen["provider_admin"] == {horizon_den_haag}
    assert seen["other_provider_staff"] == {kiem_den_haag, kiem_delft}
    assert seen["access_staff"] == seen["reviewer"] == {horizon_den_haag, kiem_den_haag}
    assert seen["other_access_staff"] == seen["other_reviewer"] == {kiem_delft}
    # The region works with figures, not with children's records.
    assert seen["contract_manager"] == seen["administrator"] == set()


@pytest.mark.parametrize("state, start, end, plan", [
    ((), True, False, True),
    (("started",), False, True, True),
    (("ended",), False, False, False),
])
def test_what_a_provider_may_do_follows_the_trajectory_state(world, state, start, end, plan):
    trajectory = world.trajectory(*state)
    staff, access = world.users["provider_staff"], world.users["access_staff"]
    assert can.can_register_start(staff, trajectory) is start
    assert can.can_end(staff, trajectory) is end
    assert can.can_edit_plan(staff, trajectory) is plan
    assert can.can_set_delivery(staff, trajectory) is plan
    assert can.can_request_change(staff, trajectory) is plan
    assert can.can_end_allocation(access, trajectory) is plan
    # Each action belongs to one side: the municipality never acts for the provider.
    assert not any(check(access, trajectory) for check in (
        can.can_register_start, can.can_end, can.can_edit_plan, can.can_request_change))
    assert not can.can_end_allocation(staff, trajectory)


def test_a_change_is_asked_once_at_a_time_and_decided_by_access_staff_while_open(world):
    trajectory = world.trajectory("started")
    staff, access = world.users["provider_staff"], world.users["access_staff"]
    change = request_change(trajectory, reason=WJ758.CLIENT_SITUATION,
                            arrangement=world.arrangements["ontw_zwaar"],
                            end_date=date(2026, 10, 31), motivation="Meer hulp nodig",
                            actor=staff)
    assert not can.can_request_change(staff, trajectory)
    assert can.can_decide(access, change)
    assert not can.can_decide(world.users["reviewer"], change)
    assert not can.can_decide(staff, change)
    reject_change(change, WJ759.BUDGET, "", access)
    assert change.status == RequestStatus.REJECTED
    assert not can.can_decide(access, change)
    assert can.can_request_change(staff, trajectory)


def test_administrators_manage_accounts_within_their_region_only(world):
    second = build_world(SECOND_REGION)
    first_region = {u.id for u in world.users.values()}
    assert visible(User, can.user_scope(world.users["administrator"])) == first_region
    assert visible(User, can.user_scope(second.users["administrator"])) == {
        u.id for u in second.users.values()}
    horizon = {world.users["provider_staff"].id, world.users["provider_admin"].id}
    assert visible(User, can.user_scope(world.users["provider_admin"])) == horizon
    assert visible(User, can.user_scope(world.users["contract_manager"])) == set()


def test_manageable_roles():
    administrator, provider_admin, reviewer = (User(role=role) for role in (
        Role.ADMINISTRATOR, Role.PROVIDER_ADMIN, Role.REVIEWER))
    assert set(can.manageable_roles(administrator)) == set(Role)
    assert set(can.manageable_roles(provider_admin)) == set(PROVIDER_ROLES)
    assert can.manageable_roles(reviewer) == ()


def test_statements_cover_own_contracts_and_a_reviewer_only_its_municipality(world):
    second = build_world(SECOND_REGION)
    horizon_contract, kiem_contract = (c.id for c in world.contracts)
    region_contracts = {horizon_contract, kiem_contract}

    def contracts(user):
        return visible(Contract, can.statement_contract_scope(user))

    assert contracts(world.users["provider_staff"]) == {horizon_contract}
    assert contracts(world.users["reviewer"]) == region_contracts
    assert contracts(world.users["contract_manager"]) == region_contracts
    assert contracts(second.users["contract_manager"]) == {c.id for c in second.contracts}
    assert contracts(world.users["access_staff"]) == set()
    assert can.statement_municipality(world.users["reviewer"]) == world.municipalities[0]
    assert can.statement_municipality(world.users["contract_manager"]) is None
