"""Requests the municipality answers: for a change (VOW) and for an allocation (VOT).
Each decision counts once, is audited and tells the provider."""

from datetime import date

import pytest
from sqlalchemy import select

from portal.domain import DomainError
from portal.domain.codes import COD327, JZ002, WJ758, WJ759
from portal.domain.lists import RequestStatus, TrajectoryStatus
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
from portal.models import AuditEvent, Notice
from tests.factories import next_bsn


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


def actions_on(obj) -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.object_type == type(obj).__name__.lower(), AuditEvent.object_id == obj.id)
        .order_by(AuditEvent.id)))


def told(world, object_ref: str) -> set[str]:
    """The provider accounts told that their request was answered."""
    return set(db.session.scalars(select(Notice.user_id).where(
        Notice.kind == "request_answered", Notice.object_ref == object_ref)))


def test_no_change_is_asked_for_an_ended_trajectory(world):
    with pytest.raises(DomainError, match="beëindigd traject"):
        ask_heavier(world, world.trajectory("ended"))


def test_the_wished_end_lies_after_the_allocation_start(world):
    trajectory = world.trajectory("started")
    start = trajectory.current_allocation.start_date
    with pytest.raises(DomainError) as caught:
        ask_heavier(world, trajectory, end_date=start)
    assert caught.value.field == "end_date"
    assert trajectory.change_requests == []


@pytest.mark.parametrize("effective", [date(2026, 2, 1), date(2026, 11, 1)])
def test_the_change_takes_effect_within_the_allocation_and_the_wish(world, effective):
    """After the allocation's first day, at the latest on the earlier of both ends."""
    trajectory = world.trajectory("started")
    before = trajectory.current_allocation
    change = ask_heavier(world, trajectory)
    with pytest.raises(DomainError) as caught:
        approve_change(change, effective, world.users["access_staff"])
    assert caught.value.field == "effective"
    assert change.status == RequestStatus.OPEN
    assert trajectory.current_allocation is before and before.is_current


def test_a_change_decision_is_audited_and_tells_the_provider(world):
    trajectory = world.trajectory("started")
    change = ask_heavier(world, trajectory)
    approve_change(change, date(2026, 5, 1), world.users["access_staff"])
    assert actions_on(change) == ["change_request.submitted", "change_request.approved"]
    assert world.users["provider_staff"].id in told(world, f"change_request:{change.id}")
    assert world.users["other_provider_staff"].id not in told(
        world, f"change_request:{change.id}")


def test_an_allocation_request_decision_is_audited_and_tells_the_provider(world):
    request = request_allocation(world.providers[0], wish(world), world.users["provider_staff"])
    trajectory = approve_allocation_request(request, world.users["access_staff"])
    assert actions_on(request) == ["allocation_request.submitted",
                                   "allocation_request.approved"]
    assert trajectory.status == TrajectoryStatus.ALLOCATED
    assert world.users["provider_staff"].id in told(world, f"allocation_request:{request.id}")


def test_an_allocation_request_is_decided_once(world):
    request = request_allocation(world.providers[0], wish(world), world.users["provider_staff"])
    reject_allocation_request(request, WJ759.BUDGET, "", world.users["access_staff"])
    with pytest.raises(DomainError, match="al besloten"):
        approve_allocation_request(request, world.users["access_staff"])
    with pytest.raises(DomainError, match="al besloten"):
        reject_allocation_request(request, WJ759.CARE_CONTENT, "", world.users["access_staff"])
    assert (request.status, request.rejection_reason) == (RequestStatus.REJECTED, WJ759.BUDGET)


def test_a_care_provider_referrer_is_named_by_agb_code_or_name(world):
    staff = world.users["provider_staff"]
    by_code = request_allocation(world.providers[0], wish(
        world, referrer_code=" 01234567 ", referrer_name=None), staff)
    assert (by_code.referrer_code, by_code.referrer_name) == ("01234567", None)
    with pytest.raises(DomainError) as caught:
        request_allocation(world.providers[0], wish(world, referrer_name="  "), staff)
    assert caught.value.field == "referrer_name"
    with pytest.raises(DomainError) as caught:
        request_allocation(world.providers[0], wish(world, referrer_code="1234"), staff)
    assert caught.value.field == "referrer_code"


def test_only_a_care_provider_referrer_has_an_agb_code(world):
    """Justice refers without an AGB code (CD068); its name alone is kept."""
    staff = world.users["provider_staff"]
    with pytest.raises(DomainError) as caught:
        request_allocation(world.providers[0], wish(
            world, referrer=COD327.JUSTICE, referrer_code="01234567"), staff)
    assert caught.value.field == "referrer_code"
    request = request_allocation(world.providers[0], wish(
        world, referrer=COD327.JUSTICE, referrer_name=None), staff)
    assert (request.referrer, request.referrer_code, request.referrer_name) == (
        COD327.JUSTICE, None, None)
