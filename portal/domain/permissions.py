"""Who may see and do what: organisation scopes as query criteria, and can_* checks."""

from sqlalchemy import false, or_

from portal.domain import states
from portal.domain.lists import (
    MUNICIPAL_ROLES,
    PROVIDER_ROLES,
    DeclarationStatus,
    LineStatus,
    Role,
)
from portal.domain.regions import administered_provider_ids, municipality_ids_in
from portal.models import (
    AllocationRequest,
    Arrangement,
    ChangeRequest,
    Contract,
    Declaration,
    DeclarationLine,
    Intensity,
    Measurement,
    Municipality,
    PaymentExport,
    Profile,
    Tariff,
    Trajectory,
    User,
)

# Roles that work with individual children's trajectories.
TRAJECTORY_READERS = PROVIDER_ROLES | MUNICIPAL_ROLES


def trajectory_scope(user: User):
    """A provider sees its own trajectories, a municipality those of its children."""
    if user.role in PROVIDER_ROLES:
        return Trajectory.provider_id == user.provider_id
    if user.role in MUNICIPAL_ROLES:
        return Trajectory.municipality_id == user.municipality_id
    return false()


def allocation_request_scope(user: User):
    if user.role in PROVIDER_ROLES:
        return AllocationRequest.provider_id == user.provider_id
    if user.role == Role.ACCESS_STAFF:
        return AllocationRequest.municipality_id == user.municipality_id
    return false()


def change_request_scope(user: User):
    return ChangeRequest.trajectory.has(trajectory_scope(user))


def measurement_scope(user: User):
    return Measurement.trajectory.has(trajectory_scope(user))


def is_provider(user: User) -> bool:
    return user.role in PROVIDER_ROLES


def is_access_staff(user: User) -> bool:
    return user.role == Role.ACCESS_STAFF


def can_register_start(user: User, trajectory: Trajectory) -> bool:
    return is_provider(user) and states.may_start(trajectory)


def can_edit_plan(user: User, trajectory: Trajectory) -> bool:
    return is_provider(user) and states.is_running(trajectory)


def can_request_change(user: User, trajectory: Trajectory) -> bool:
    return is_provider(user) and states.may_request_change(trajectory)


def can_end(user: User, trajectory: Trajectory) -> bool:
    return is_provider(user) and states.may_end(trajectory)


def can_set_delivery(user: User, trajectory: Trajectory) -> bool:
    return is_provider(user) and states.is_running(trajectory)


def can_end_allocation(user: User, trajectory: Trajectory) -> bool:
    return is_access_staff(user) and states.is_running(trajectory)


def can_review_measurement(user: User, measurement: Measurement) -> bool:
    return user.role == Role.REVIEWER and states.may_review(measurement)


def can_explain_measurement(user: User, measurement: Measurement) -> bool:
    return is_provider(user) and states.may_explain(measurement)


def can_decide(user: User, request: ChangeRequest | AllocationRequest) -> bool:
    return is_access_staff(user) and states.is_open(request)



def manageable_roles(user: User) -> tuple[Role, ...]:
    """The roles of accounts this user may create and disable."""
    if user.role == Role.ADMINISTRATOR:
        return tuple(Role)
    if user.role == Role.PROVIDER_ADMIN:
        return tuple(PROVIDER_ROLES)
    return ()


def user_scope(user: User):
    """The accounts an administrator manages: its region's (walls); a provider's
    administrator: its own."""
    if user.role == Role.ADMINISTRATOR:
        return or_(User.region_id == user.region_id,
                   User.municipality_id.in_(municipality_ids_in(user.region_id)),
                   User.provider_id.in_(administered_provider_ids(user.own_region_id)))
    if user.role == Role.PROVIDER_ADMIN:
        return User.provider_id == user.provider_id
    return false()


# Declarations ------------------------------------------------------------------------------


def declaration_scope(user: User):
    """A provider sees its own declarations (concepts included); nobody else does."""
    if user.role in PROVIDER_ROLES:
        return Declaration.provider_id == user.provider_id
    return false()


def review_scope(user: User):
    """A reviewer sees the submitted and decided lines addressed to its municipality."""
    if user.role == Role.REVIEWER:
        return (DeclarationLine.municipality_id == user.municipality_id) & (
            DeclarationLine.status != LineStatus.CONCEPT)
    return false()


def export_scope(user: User):
    if user.role == Role.REVIEWER:
        return PaymentExport.municipality_id == user.municipality_id
    return false()


def provider_line_scope(user: User):
    if user.role in PROVIDER_ROLES:
        return DeclarationLine.provider_id == user.provider_id
    return false()


def can_edit_declaration(user: User, declaration: Declaration) -> bool:
    return is_provider(user) and states.is_concept(declaration)


def can_review(user: User, line: DeclarationLine) -> bool:
    return user.role == Role.REVIEWER and states.awaits_review(line)


# The region's contracts and tariff table ----------------------------------------------------


def contract_scope(user: User):
    if user.role == Role.CONTRACT_MANAGER:
        return Contract.region_id == user.region_id
    return false()


def arrangement_scope(user: User):
    if user.role == Role.CONTRACT_MANAGER:
        return Arrangement.profile.has(Profile.region_id == user.region_id)
    return false()


def tariff_scope(user: User):
    return Tariff.arrangement.has(arrangement_scope(user))


def profile_scope(user: User):
    if user.role == Role.CONTRACT_MANAGER:
        return Profile.region_id == user.region_id
    return false()


def intensity_scope(user: User):
    if user.role == Role.CONTRACT_MANAGER:
        return Intensity.region_id == user.region_id
    return false()


# Statements (PDF) ----------------------------------------------------------------------------

STATEMENT_READERS = PROVIDER_ROLES | {Role.REVIEWER, Role.CONTRACT_MANAGER}


def statement_contract_scope(user: User):
    """A provider its own contracts; a reviewer and the contract manager the region's (a
    reviewer's statement then covers only its own municipality)."""
    if user.role in PROVIDER_ROLES:
        return Contract.provider_id == user.provider_id
    if user.role == Role.REVIEWER:
        return Contract.region_id == user.own_municipality.region_id
    if user.role == Role.CONTRACT_MANAGER:
        return Contract.region_id == user.region_id
    return false()


def statement_declaration_scope(user: User):
    """A provider its own declarations; a reviewer the submitted ones to its municipality;
    the contract manager the submitted ones in the region."""
    if user.role in PROVIDER_ROLES:
        return Declaration.provider_id == user.provider_id
    submitted = Declaration.status != DeclarationStatus.CONCEPT
    if user.role == Role.REVIEWER:
        return submitted & (Declaration.municipality_id == user.municipality_id)
    if user.role == Role.CONTRACT_MANAGER:
        return submitted & Declaration.municipality.has(Municipality.region_id == user.region_id)
    return false()


def statement_municipality(user: User):
    """Whose part of a contract a user's statement covers: a reviewer's municipality only."""
    return user.municipality if user.role == Role.REVIEWER else None
