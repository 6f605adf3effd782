"""Care delivered under each allocation of a trajectory: what start and stop messages say."""

from dataclasses import dataclass
from datetime import date

from portal.domain.codes import JZ588
from portal.domain.lists import TrajectoryStatus
from portal.models import Allocation, Trajectory

FIRST_DELIVERY = "1"  # LDT_StatusAanlevering: eerste aanlevering


@dataclass(frozen=True)
class Delivery:
    allocation: Allocation
    begin: date
    end: date | None  # None while care under this allocation goes on
    reason: JZ588 | None


def deliveries(trajectory: Trajectory) -> list[Delivery]:
    """One delivery per allocation care was given under, from the start of care on. An
    allocation replaced after a change request stops with JZ588 37; the last one stops with
    the trajectory's end reason once the trajectory has ended."""
    if trajectory.started_on is None:
        return []
    result = []
    for allocation in trajectory.allocations:
        if allocation.end_date < trajectory.started_on:
            continue  # replaced before care started
        begin = max(allocation.start_date, trajectory.started_on)
        end: date | None
        reason: JZ588 | None
        if not allocation.is_current:
            end, reason = allocation.end_date, JZ588.CHANGE_REQUEST
        elif trajectory.status == TrajectoryStatus.ENDED:
            end, reason = trajectory.ended_on, trajectory.end_reason
        else:
            end, reason = None, None
        result.append(Delivery(allocation, begin, end, reason))
    return result


def provider_to_municipality(trajectory: Trajectory) -> tuple[str, str]:
    """Afzender and Ontvanger of start and stop messages: AGB code, CBS code."""
    return trajectory.provider.agb_code, trajectory.municipality.cbs_code
