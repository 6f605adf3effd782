"""All models, importable from one place (and so known to Alembic)."""

from portal.models.api_tokens import ApiToken
from portal.models.audit import AuditEvent
from portal.models.catalogue import Arrangement, Intensity, Profile, Tariff
from portal.models.clients import Client
from portal.models.contracts import Contract, PaymentSchemeVersion, contract_arrangement
from portal.models.conversations import Agreement, Conversation, ConversationAction
from portal.models.declarations import Declaration, DeclarationLine, PaymentExport
from portal.models.figures import (
    FiguresPage,
    FiguresRefresh,
    FiguresSum,
    FiguresVersion,
    StaleFact,
    TrajectoryFact,
    UpscalingFact,
)
from portal.models.ijw import IjwMessage
from portal.models.ijw_refusals import IjwRefusal
from portal.models.jobs import Job
from portal.models.measurements import GoalScoreEntry, Measurement, MeasurementComment
from portal.models.notifications import Notice, NotificationPreference
from portal.models.organisations import Municipality, Provider, Region
from portal.models.statements import Statement
from portal.models.subcontractors import Subcontractor
from portal.models.targets import ContractTarget
from portal.models.trajectories import (
    Allocation,
    AllocationRequest,
    ChangeRequest,
    Goal,
    Trajectory,
)
from portal.models.users import RecoveryCode, User

__all__ = [
    "Agreement",
    "Allocation",
    "AllocationRequest",
    "ApiToken",
    "Arrangement",
    "AuditEvent",
    "ChangeRequest",
    "Client",
    "Contract",
    "ContractTarget",
    "Conversation",
    "ConversationAction",
    "Declaration",
    "DeclarationLine",
    "FiguresPage",
    "FiguresRefresh",
    "FiguresSum",
    "FiguresVersion",
    "Goal",
    "GoalScoreEntry",
    "IjwMessage",
    "IjwRefusal",
    "Intensity",
    "Job",
    "Measurement",
    "MeasurementComment",
    "Municipality",
    "Notice",
    "NotificationPreference",
    "PaymentExport",
    "PaymentSchemeVersion",
    "Profile",
    "Provider",
    "RecoveryCode",
    "Region",
    "StaleFact",
    "Statement",
    "Subcontractor",
    "Tariff",
    "Trajectory",
    "TrajectoryFact",
    "UpscalingFact",
    "User",
    "contract_arrangement",
]
