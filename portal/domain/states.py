"""The state rules, each in one place: the domain action refuses what its predicate refuses,
and the permission (`can_*` in permissions.py) shows the action only where it holds."""

from portal.domain.lists import (
    DeclarationStatus,
    LineStatus,
    MeasurementStatus,
    RequestStatus,
    TrajectoryStatus,
)
from portal.models import (
    AllocationRequest,
    ChangeRequest,
    Declaration,
    DeclarationLine,
    Measurement,
    Trajectory,
)

# A trajectory that has not ended: its plan, delivery and allocation may still change.
RUNNING = (TrajectoryStatus.ALLOCATED, TrajectoryStatus.STARTED)
# The state in which a reviewer judges a measurement, and in which a provider explains it.
REVIEWABLE = MeasurementStatus.SUBMITTED
EXPLAINABLE = MeasurementStatus.EXPLANATION_REQUESTED


def is_running(trajectory: Trajectory) -> bool:
    return trajectory.status in RUNNING


def may_start(trajectory: Trajectory) -> bool:
    return trajectory.status == TrajectoryStatus.ALLOCATED


def may_end(trajectory: Trajectory) -> bool:
    return trajectory.status == TrajectoryStatus.STARTED


def has_open_change_request(trajectory: Trajectory) -> bool:
    return any(is_open(r) for r in trajectory.change_requests)


def may_request_change(trajectory: Trajectory) -> bool:
    """One open change request per trajectory, and none once it has ended."""
    return is_running(trajectory) and not has_open_change_request(trajectory)


def is_open(request: ChangeRequest | AllocationRequest) -> bool:
    """A request that awaits the municipality's decision."""
    return request.status == RequestStatus.OPEN


def may_review(measurement: Measurement) -> bool:
    return measurement.status == REVIEWABLE


def may_explain(measurement: Measurement) -> bool:
    return measurement.status == EXPLAINABLE


def is_concept(declaration: Declaration) -> bool:
    """A declaration its provider may still change; submitted, it is the reviewers'."""
    return declaration.status == DeclarationStatus.CONCEPT


def awaits_review(line: DeclarationLine) -> bool:
    return line.status == LineStatus.SUBMITTED
