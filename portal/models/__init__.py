"""All models, importable from one place (and so known to Alembic)."""

from portal.models.audit import AuditEvent
from portal.models.catalogue import Arrangement, Intensity, Profile, Tariff
from portal.models.clients import Client
from portal.models.contracts import Contract, contract_arrangement
from portal.models.declarations import Declaration, DeclarationLine, PaymentExport
from portal.models.ijw import IjwMessage
from portal.models.jobs import Job
from portal.models.measurements import GoalScoreEntry, Measurement, MeasurementComment
from portal.models.organisations import Municipality, Provider, Region
from portal.models.statements import Statement
from portal.models.trajectories import (
    Allocation,
    AllocationRequest,
    ChangeRequest,
    Goal,
    Trajectory,
)
from portal.models.users import RecoveryCode, User

__all__ = [
    "Allocation",
    "AllocationRequest",
    "Arrangement",
    "AuditEvent",
    "ChangeRequest",
    "Client",
    "Contract",
    "Declaration",
    "DeclarationLine",
    "Goal",
    "GoalScoreEntry",
    "IjwMessage",
    "Intensity",
    "Job",
    "Measurement",
    "MeasurementComment",
    "Municipality",
    "PaymentExport",
    "Profile",
    "Provider",
    "RecoveryCode",
    "Region",
    "Statement",
    "Tariff",
    "Trajectory",
    "User",
    "contract_arrangement",
]
