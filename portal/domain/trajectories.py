"""The life of a trajectory: allocation, start and end (domain.md section 3)."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from portal.database import rows_matched
from portal.domain import DomainError
from portal.domain.audit import record, snapshot
from portal.domain.codes import END_REASON_FOR_CHANGE, JZ002, JZ588, WJ001, WJ759
from portal.domain.contact import Contact, store_contact
from portal.domain.contracts import scheme_version_of
from portal.domain.family_choice import UNKNOWN_CHOICE, FamilyChoiceAnswer, checked, values
from portal.domain.identifiers import validate_bsn
from portal.domain.lists import TrajectoryStatus
from portal.domain.notifications import notify
from portal.domain.states import RUNNING, is_running, may_end, may_start
from portal.domain.tariffs import contract_on, tariff_on
from portal.domain.text_hygiene import check_text, column_length
from portal.domain.validity import check_child_age, check_not_future
from portal.domain.working_days import today_in_amsterdam
from portal.extensions import db
from portal.formatting import AMSTERDAM, format_date
from portal.models import (
    Allocation,
    Arrangement,
    Client,
    Contract,
    Municipality,
    Provider,
    Trajectory,
    User,
)

# CBS outcome code per end reason (domain.md section 4); other reasons are no outcome.
CBS_OUTCOME = {
    JZ588.ACCORDING_TO_PLAN: "01",
    JZ588.EARLY_BY_AGREEMENT: "02",
    JZ588.EARLY_BY_CLIENT: "03",
    JZ588.EARLY_BY_PROVIDER: "04",
    JZ588.EARLY_EXTERNAL: "05",
}
# The reasons a provider may give when it ends a trajectory itself.
PROVIDER_END_REASONS = (
    JZ588.ACCORDING_TO_PLAN,
    JZ588.EARLY_BY_CLIENT,
    JZ588.EARLY_BY_PROVIDER,
    JZ588.EARLY_BY_AGREEMENT,
    JZ588.EARLY_EXTERNAL,
    JZ588.DECEASED,
    JZ588.OTHER_PROVIDER,
    JZ588.OTHER_DOMAIN,
)
MAX_ALLOCATION_NUMBER = 999_999_999


@dataclass(frozen=True)
class ChildDetails:
    bsn: str
    birth_date: date
    given_name: str
    family_name: str
    contact: Contact | None = None


def lock_allocations(municipality: Municipality) -> None:
    """Serialise whatever creates or extends allocations of `municipality` until the
    transaction ends: a row lock on the municipality (SELECT ... FOR UPDATE) on PostgreSQL.

    A child belongs to one municipality and only that municipality allocates to it, so
    under this lock the overlap check (WJ759 6) and the next allocation number see every
    allocation committed before them. SQLite has no row locks: there every writing request
    begins with BEGIN IMMEDIATE (portal/database.py), which serialises the same paths."""
    db.session.execute(select(Municipality.id).where(Municipality.id == municipality.id)
                       .with_for_update())


GIVEN_NAME_MAX = column_length(Client.__table__.c.given_name)
FAMILY_NAME_MAX = column_length(Client.__table__.c.family_name)


def check_child_names(given_name: str, family_name: str) -> tuple[str, str]:
    """The child's names as they may be stored (portal/domain/text_hygiene.py)."""
    return (check_text(given_name.strip(), _l("Voornaam"), GIVEN_NAME_MAX, field="given_name"),
            check_text(family_name.strip(), _l("Achternaam"), FAMILY_NAME_MAX,
                       field="family_name"))


def find_or_add_client(child: ChildDetails, municipality: Municipality) -> Client:
    bsn = validate_bsn(child.bsn)
    client = db.session.scalar(select(Client).where(Client.bsn == bsn))
    if client is None:
        check_birth_date_plausible(child.birth_date, datetime.now(AMSTERDAM).date())
        given_name, family_name = check_child_names(child.given_name, child.family_name)
        client = Client(bsn=bsn, birth_date=child.birth_date, given_name=given_name,
                        family_name=family_name, municipality=municipality)
        try:
            with db.session.begin_nested():
                db.session.add(client)
                db.session.flush()
        except IntegrityError:
            # Another municipality registered this BSN a moment ago (its lock is not ours):
            # go on with that child, so the answer is the one a later request would get.
            client = db.session.scalar(select(Client).where(Client.bsn == bsn))
            if client is None:
                raise
            check_birth_date(client.birth_date, child.birth_date)
    else:
        check_birth_date(client.birth_date, child.birth_date)
    store_contact(client, child.contact)
    db.session.flush()
    return client


def check_birth_date(known: date, given: date) -> None:
    if known != given:
        raise DomainError(
            _l("Dit BSN is bekend met een andere geboortedatum. Controleer het BSN en de "
               "geboortedatum."), field="birth_date")


MAX_AGE_YEARS = 120  # iJw TR002


def check_birth_date_plausible(birth_date: date, today: date) -> None:
    """iJw TR002 as the forms apply it (a message checks it against its Dagtekening): a birth
    date not in the future and not more than 120 years back."""
    earliest = date(today.year - MAX_AGE_YEARS, today.month, min(today.day, 28))
    if not earliest <= birth_date <= today:
        raise DomainError(_l("De geboortedatum ligt in de toekomst of meer dan 120 jaar terug "
                             "(TR002)."), field="birth_date")


def check_same_municipality(client_municipality_id: int, municipality: Municipality) -> None:
    if client_municipality_id != municipality.id:
        raise DomainError(_l("Dit kind valt onder een andere gemeente."),
                          code=WJ759.OTHER_MUNICIPALITY, field="bsn")


def check_period(start: date, end: date) -> None:
    if end < start:
        raise DomainError(_l("De einddatum ligt vóór de startdatum."), field="end_date")


def check_contracted(provider: Provider, arrangement: Arrangement, day: date,
                     municipality: Municipality) -> None:
    """The provider holds a contract with the municipality's region that includes the
    arrangement (another region's contract does not count: regions are walls)."""
    check_in_contract(contract_on(provider, day, municipality.region_id, arrangement),
                      provider, arrangement, day)


def check_in_contract(contract: Contract | None, provider: Provider, arrangement: Arrangement,
                      day: date) -> Contract:
    """WJ759 3 without a running contract, 4 when the arrangement is not in it; else the
    contract."""
    if contract is None:
        raise DomainError(_l("%(provider)s heeft op %(day)s geen contract met de regio.",
                             provider=provider.name, day=format_date(day)),
                          code=WJ759.NO_CONTRACT, field="provider")
    if arrangement not in contract.arrangements:
        raise DomainError(_l("Het arrangement %(arrangement)s valt niet binnen het contract van "
                             "%(provider)s.", arrangement=arrangement.name,
                             provider=provider.name),
                          code=WJ759.NOT_IN_CONTRACT, field="arrangement")
    return contract


def check_no_stacking(client: Client, start: date, end: date,
                      ignore: Trajectory | None = None) -> None:
    """WJ759 6: a child has at most one running arrangement at a time."""
    overlapping = db.session.scalar(
        select(func.count())
        .select_from(Trajectory)
        .join(Allocation, Allocation.trajectory_id == Trajectory.id)
        .where(Trajectory.client_id == client.id, Trajectory.status.in_(RUNNING))
        .where(Trajectory.id != (ignore.id if ignore else -1))
        .where(Allocation.start_date <= end, Allocation.end_date >= start)
    )
    if overlapping:
        raise stacking_error()


def stacking_error() -> DomainError:
    return DomainError(_l("Dit kind heeft in deze periode al een lopend arrangement "
                          "(stapeling is niet toegestaan)."), code=WJ759.STACKING, field="bsn")


def next_allocation_number(municipality: Municipality) -> int:
    """Numbers are issued per municipality; the unique constraint guards races."""
    highest = db.session.scalar(
        select(func.max(Allocation.number)).where(Allocation.municipality_id == municipality.id)
    )
    return (highest or 0) + 1


def check_number_free(municipality: Municipality, number: int) -> None:
    """A number the municipality chose itself (e.g. in a JW301 of its case system)."""
    if not 1 <= number <= MAX_ALLOCATION_NUMBER:
        raise DomainError(_l("Een toewijzingsnummer ligt tussen 1 en 999999999."),
                          field="number")
    taken = db.session.scalar(select(Allocation.id).where(
        Allocation.municipality_id == municipality.id, Allocation.number == number))
    if taken is not None:
        raise DomainError(_l("Toewijzingsnummer %(number)s is bij deze gemeente al gebruikt.",
                             number=number),
                          code=WJ001.ALLOCATION_NUMBER_NOT_UNIQUE, field="number")


def new_allocation(trajectory: Trajectory, arrangement: Arrangement, start: date, end: date,
                   actor: User | None, number: int | None = None) -> Allocation:
    """`number` is issued by the portal unless the municipality gives its own. The
    allocation keeps the tariff and the payment scheme version valid on its start date."""
    if number is not None:
        check_number_free(trajectory.municipality, number)
    tariff = tariff_on(arrangement, start)
    if tariff is None:
        raise no_tariff_error(arrangement, start)
    contract = check_in_contract(
        contract_on(trajectory.provider, start, trajectory.municipality.region_id, arrangement),
        trajectory.provider, arrangement, start)
    allocation = Allocation(
        trajectory=trajectory,
        municipality_id=trajectory.municipality_id,
        number=number if number is not None else next_allocation_number(trajectory.municipality),
        arrangement=arrangement,
        tariff_id=tariff.id,
        scheme_version=scheme_version_of(contract, start),
        start_date=start,
        end_date=end,
        amount_cents=tariff.amount_cents,
        created_by=actor,
    )
    db.session.add(allocation)
    db.session.flush()
    return allocation


def no_tariff_error(arrangement: Arrangement, start: date) -> DomainError:
    return DomainError(_l("Er is geen tarief voor %(arrangement)s geldig op %(day)s.",
                          arrangement=arrangement.name, day=format_date(start)),
                       field="start_date")


def allocate(*, municipality: Municipality, child: ChildDetails, provider: Provider,
             arrangement: Arrangement, start: date, end: date, actor: User | None,
             number: int | None = None, extended: bool = False,
             family_choice: FamilyChoiceAnswer = UNKNOWN_CHOICE) -> Trajectory:
    """A municipality allocates an arrangement to a main provider: a new trajectory.

    `number` is the municipality's own allocation number (JW301); by default the portal
    issues the next one. `extended`: extended youth care (verlengde jeugdhulp), 18 to 22."""
    check_period(start, end)
    check_birth_date_plausible(child.birth_date, today_in_amsterdam())  # TR002 first
    check_child_age(child.birth_date, start, extended)
    family_choice = checked(family_choice)
    check_contracted(provider, arrangement, start, municipality)
    lock_allocations(municipality)
    client = find_or_add_client(child, municipality)
    check_same_municipality(client.municipality_id, municipality)
    check_no_stacking(client, start, end)
    trajectory = Trajectory(client=client, provider=provider, municipality=municipality,
                            status=TrajectoryStatus.ALLOCATED)
    db.session.add(trajectory)
    db.session.flush()
    allocation = new_allocation(trajectory, arrangement, start, end, actor, number)
    allocation.extended_youth_care = extended
    for name, value in values(family_choice).items():
        setattr(allocation, name, value)
    record(actor, "allocation.created", allocation, trajectory=trajectory,
           after=snapshot(allocation, "number", "start_date", "end_date", "amount_cents"))
    notify("new_allocation", provider, f"trajectory:{trajectory.id}")
    return trajectory


def check_not_before_allocation(allocation: Allocation, day: date, field: str) -> None:
    """A trajectory does not end before the allocation in force starts (after a change
    request that is the new allocation's start, not the start of care)."""
    if day < allocation.start_date:
        raise DomainError(_l("De einddatum ligt vóór de ingangsdatum van de huidige toewijzing "
                             "%(number)s (%(day)s).", number=allocation.number,
                             day=format_date(allocation.start_date)), field=field)


def _transition(trajectory: Trajectory, expected: TrajectoryStatus, **values) -> None:
    """Conditional UPDATE: of two concurrent transitions only one finds the expected state."""
    matched = rows_matched(
        update(Trajectory)
        .where(Trajectory.id == trajectory.id, Trajectory.status == expected)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if matched != 1:
        db.session.refresh(trajectory)
        raise DomainError(_l("Dit traject is intussen gewijzigd. Bekijk de actuele stand."))
    db.session.refresh(trajectory)


def register_start(trajectory: Trajectory, started_on: date, actor: User,
                   today: date | None = None) -> None:
    allocation = trajectory.current_allocation
    if not may_start(trajectory):
        raise DomainError(_l("De start van dit traject is al geregistreerd."))
    check_not_future(started_on, today or today_in_amsterdam(), "started_on",
                     _l("De start van de zorg"))
    if not allocation.start_date <= started_on <= allocation.end_date:
        raise DomainError(
            _l("De startdatum moet binnen de toewijzing liggen (%(start)s t/m %(end)s).",
               start=format_date(allocation.start_date),
               end=format_date(allocation.end_date)), field="started_on")
    _transition(trajectory, TrajectoryStatus.ALLOCATED,
                status=TrajectoryStatus.STARTED, started_on=started_on)
    record(actor, "trajectory.started", trajectory, trajectory=trajectory,
           after=snapshot(trajectory, "status", "started_on"))


def end_trajectory(trajectory: Trajectory, ended_on: date, reason: JZ588, actor: User,
                   today: date | None = None) -> None:
    started_on = trajectory.started_on
    if not may_end(trajectory) or started_on is None:
        raise DomainError(_l("Alleen een gestart traject kan worden beëindigd."))
    if reason not in PROVIDER_END_REASONS:
        raise DomainError(_l("Kies een geldige reden van beëindiging."), field="reason")
    allocation = trajectory.current_allocation
    check_not_future(ended_on, today or today_in_amsterdam(), "ended_on",
                     _l("Het einde van de zorg"))
    if ended_on < started_on:
        raise DomainError(_l("De einddatum ligt vóór de start van het traject (%(day)s).",
                             day=format_date(started_on)), field="ended_on")
    check_not_before_allocation(allocation, ended_on, "ended_on")
    if ended_on > allocation.end_date:
        raise DomainError(_l("De einddatum ligt na het einde van de toewijzing (%(day)s).",
                             day=format_date(allocation.end_date)), field="ended_on")
    before = snapshot(trajectory, "status", "ended_on", "end_reason")
    _transition(trajectory, TrajectoryStatus.STARTED, status=TrajectoryStatus.ENDED,
                ended_on=ended_on, end_reason=reason, outcome_code=CBS_OUTCOME.get(reason))
    record(actor, "trajectory.ended", trajectory, trajectory=trajectory, before=before,
           after=snapshot(trajectory, "status", "ended_on", "end_reason", "outcome_code"))


# Change reasons a municipality gives when it ends an allocation itself (JZ002).
MUNICIPAL_END_REASONS = (
    JZ002.MOVED,
    JZ002.CLIENT_DECEASED,
    JZ002.CONTRACT_CHANGE,
    JZ002.REASSESSMENT_SHORTENING,
    JZ002.OTHER_DOMAIN,
    JZ002.DELIVERY_FORM,
    JZ002.OTHER_PROVIDER,
    JZ002.NEW_FUNDING,
    JZ002.MUNICIPAL_MERGER,
    JZ002.DELETED,
)


def end_allocation(trajectory: Trajectory, end_date: date, reason: JZ002,
                   actor: User | None) -> None:
    """The municipality ends the allocation in force, e.g. when the child moved (JZ002 07).
    `actor` is None for a JW301 imported on the command line: the audit row names no person.

    The trajectory ends with the end reason JZ002 pairs with the change reason; reason 13
    (deleted) is only for an allocation that never started: its end equals its start and
    nothing may be declared on it.
    """
    if not is_running(trajectory):
        raise DomainError(_l("Dit traject is al beëindigd."))
    if reason not in MUNICIPAL_END_REASONS:
        raise DomainError(_l("Kies een geldige reden wijziging toewijzing."), field="reason")
    allocation = trajectory.current_allocation
    if reason == JZ002.DELETED:
        if not may_start(trajectory):
            raise DomainError(_l("Een toewijzing waarop de zorg al is gestart, kan niet worden "
                                 "verwijderd. Kies een andere reden."), field="reason")
        end_date = allocation.start_date
    # Not before the care started, nor before the allocation in force started.
    first_allowed = max(trajectory.started_on or allocation.start_date, allocation.start_date)
    if not first_allowed <= end_date <= allocation.end_date:
        raise DomainError(
            _l("De einddatum moet tussen %(start)s en %(end)s liggen.",
               start=format_date(first_allowed),
               end=format_date(allocation.end_date)), field="end_date")
    before = snapshot(allocation, "end_date", "change_reason")
    end_reason = END_REASON_FOR_CHANGE.get(reason)
    _transition(trajectory, trajectory.status, status=TrajectoryStatus.ENDED,
                ended_on=end_date, end_reason=end_reason,
                outcome_code=CBS_OUTCOME.get(end_reason) if end_reason is not None else None)
    allocation.end_date = end_date
    allocation.change_reason = reason
    db.session.flush()
    record(actor, "allocation.ended", allocation, trajectory=trajectory, before=before,
           after=snapshot(allocation, "end_date", "change_reason"))


# Change reasons that move the end date of the allocation in force while care goes on.
END_DATE_CHANGE_REASONS = (JZ002.REASSESSMENT_EXTENSION, JZ002.ADMINISTRATIVE_CORRECTION)


def change_allocation_end(trajectory: Trajectory, end_date: date, reason: JZ002,
                          actor: User | None) -> None:
    """The municipality moves the end date of the allocation in force: an extension
    (JZ002 04, a later date) or an administrative correction (14). The trajectory goes on;
    the amount stays the tariff of the allocation, and the planned period (the measure of
    a pro rata end tranche) follows the new end."""
    if not is_running(trajectory):
        raise DomainError(_l("Dit traject is al beëindigd."))
    if reason not in END_DATE_CHANGE_REASONS:
        raise DomainError(_l("Kies een geldige reden wijziging toewijzing."), field="reason")
    allocation = trajectory.current_allocation
    if reason == JZ002.REASSESSMENT_EXTENSION and end_date <= allocation.end_date:
        raise DomainError(_l("Een verlenging ligt na de huidige einddatum (%(day)s).",
                             day=format_date(allocation.end_date)), field="end_date")
    first_allowed = trajectory.started_on or allocation.start_date
    if end_date < first_allowed:
        raise DomainError(_l("De einddatum ligt vóór %(day)s.",
                             day=format_date(first_allowed)), field="end_date")
    if end_date > allocation.end_date:
        lock_allocations(trajectory.municipality)
        check_no_stacking(trajectory.client, allocation.end_date + timedelta(days=1), end_date,
                          ignore=trajectory)
    fields = ("end_date", "planned_end_date", "change_reason")
    before = snapshot(allocation, *fields)
    allocation.end_date = allocation.planned_end_date = end_date
    allocation.change_reason = reason
    db.session.flush()
    record(actor, "allocation.end_changed", allocation, trajectory=trajectory, before=before,
           after=snapshot(allocation, *fields))
