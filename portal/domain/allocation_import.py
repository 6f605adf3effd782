"""Importing allocations from a CSV file: all rows or none, with a report per row.

Set-based, so that 100,000 rows take seconds: the providers, contracts, arrangements, tariffs
and known children the file names are loaded in a few queries, every row goes through the
same checks as `allocate` (portal.domain.trajectories) in the same order and with the same
messages, and only when no row failed are the clients, trajectories, allocations and audit
events written at once (portal.database.insert_rows).
"""

import csv
import functools
import io
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from portal.database import insert_rows
from portal.domain import DomainError
from portal.domain.audit import event_values, record_many, snapshot
from portal.domain.contracts import scheme_version_of
from portal.domain.family_choice import FamilyChoiceAnswer, checked, values
from portal.domain.figures_marks import mark_children
from portal.domain.identifiers import is_digits, validate_agb, validate_bsn
from portal.domain.lists import FamilyChoice, NotChosenReason, TrajectoryStatus
from portal.domain.states import RUNNING
from portal.domain.tariffs import contract_among, tariff_among
from portal.domain.trajectories import (
    check_birth_date,
    check_birth_date_plausible,
    check_child_names,
    check_in_contract,
    check_period,
    check_same_municipality,
    lock_allocations,
    no_tariff_error,
    stacking_error,
)
from portal.domain.validity import check_child_age
from portal.extensions import db
from portal.formatting import AMSTERDAM
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
from portal.models.types import utcnow

COLUMNS = ("bsn", "geboortedatum", "voornaam", "achternaam", "agb_code", "productcategorie",
           "productcode", "startdatum", "einddatum")
# Optional columns after the required ones, in any order (docs/contracts.md).
OPTIONAL_COLUMNS = ("verlengde_jeugdhulp", "keuze_ouders", "reden_geen_keuze",
                    "toelichting_keuze")
FAMILY_CHOICES = {"ja": FamilyChoice.YES, "nee": FamilyChoice.NO, "onbekend": FamilyChoice.UNKNOWN,
                  "": FamilyChoice.UNKNOWN}
YES, NO = frozenset({"ja", "j", "1"}), frozenset({"nee", "n", "0", ""})
DATE_FORMATS = ("%d-%m-%Y", "%Y-%m-%d")


@dataclass(frozen=True)
class RowError:
    line: int
    message: str
    code: str | None = None


@dataclass
class ImportResult:
    created: Sequence[Trajectory]
    errors: list[RowError]


def _rows(data: bytes) -> list[tuple[int, dict]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DomainError(_l("Het bestand is niet in UTF-8 opgeslagen. Sla het op als "
                             "'CSV UTF-8' en probeer het opnieuw."), field="file") from None
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    # Universal newlines: files saved with CR only (old spreadsheet programs) read too.
    reader = csv.DictReader(io.StringIO(text, newline=None), delimiter=delimiter)
    try:
        header = tuple((name or "").strip().lower() for name in (reader.fieldnames or ()))
        extra = header[len(COLUMNS):]
        if (header[:len(COLUMNS)] != COLUMNS or len(set(extra)) != len(extra)
                or not set(extra) <= set(OPTIONAL_COLUMNS)):
            raise DomainError(_l("De kopregel klopt niet. Verwacht: %(columns)s, eventueel "
                                 "gevolgd door %(optional)s", columns=";".join(COLUMNS),
                                 optional=";".join(OPTIONAL_COLUMNS)), field="file")
        reader.fieldnames = list(header)
        rows = [(reader.line_num, row) for row in reader
                if any(isinstance(v, str) and v.strip() for v in row.values())]
    except csv.Error:
        raise DomainError(_l("Regel %(line)s van het bestand (de kopregel is regel 1) is geen "
                             "geldige CSV-regel.",
                             line=reader.line_num), field="file") from None
    if not rows:
        raise DomainError(_l("Het bestand bevat geen toewijzingen."), field="file")
    return rows


@functools.lru_cache(maxsize=16384)
def _parsed_date(value: str) -> date | None:
    """A file repeats its dates (start dates, birth dates): each is parsed once."""
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


def _yes_no(row: dict, column: str) -> bool:
    value = (row.get(column) or "").strip().lower()
    if value not in YES | NO:
        raise DomainError(_l("%(column)s '%(value)s' is geen ja of nee.", column=column,
                             value=value[:20]))
    return value in YES


def _family_choice(row: dict) -> FamilyChoiceAnswer:
    choice = (row.get("keuze_ouders") or "").strip().lower()
    reason = (row.get("reden_geen_keuze") or "").strip().lower()
    if choice not in FAMILY_CHOICES:
        raise DomainError(_l("keuze_ouders '%(value)s' is geen ja, nee of onbekend.",
                             value=choice[:20]))
    if reason and reason not in {r.value for r in NotChosenReason}:
        raise DomainError(_l("reden_geen_keuze '%(value)s' is geen van: %(codes)s.",
                             value=reason[:20], codes=", ".join(r.value for r in NotChosenReason)))
    return checked(FamilyChoiceAnswer(FAMILY_CHOICES[choice],
                                      NotChosenReason(reason) if reason else None,
                                      row.get("toelichting_keuze") or ""))


def _date(row: dict, column: str) -> date:
    value = (row.get(column) or "").strip()
    parsed = _parsed_date(value)
    if parsed is not None:
        return parsed
    raise DomainError(_l("%(column)s '%(value)s' is geen datum (dd-mm-jjjj).",
                         column=column, value=value[:20]))


@dataclass
class _Child:
    """A child as the import knows it: from the database (with its id) or from an earlier
    row of the file, with the periods of its running allocations (no stacking)."""

    id: int | None
    birth_date: date
    municipality_id: int
    given_name: str = ""
    family_name: str = ""
    periods: list[tuple[date, date]] = field(default_factory=list)


@dataclass(frozen=True)
class _Planned:
    """A row that passed every check: what will be stored."""

    bsn: str
    provider_id: int
    arrangement_id: int
    tariff_id: int
    scheme_version_id: int
    amount_cents: int
    start_date: date
    end_date: date
    number: int
    extended_youth_care: bool
    family_choice: FamilyChoiceAnswer


def _chunks(values: list, size: int = 5000) -> Iterator[list]:
    for first in range(0, len(values), size):
        yield values[first:first + size]


def _column(rows: list[tuple[int, dict]], name: str) -> set[str]:
    return {(row.get(name) or "").strip() for _line, row in rows}


class _Checks:
    """Everything the rows refer to, loaded up front; `check` is `allocate` without queries."""

    def __init__(self, rows: list[tuple[int, dict]], municipality: Municipality):
        self.municipality = municipality
        # Only values that can be codes are looked up: the rows report the others.
        agbs = {agb for agb in _column(rows, "agb_code") if is_digits(agb, 8)}
        self.today = datetime.now(AMSTERDAM).date()
        self.providers = {p.agb_code: p for p in db.session.scalars(
            select(Provider).where(Provider.agb_code.in_(agbs)))}
        self.contracts: dict[int, list[Contract]] = defaultdict(list)
        for contract in db.session.scalars(
                select(Contract).where(Contract.provider_id.in_(
                    [p.id for p in self.providers.values()]),
                    Contract.region_id == municipality.region_id)
                .options(selectinload(Contract.arrangements),
                         selectinload(Contract.scheme_versions))):
            self.contracts[contract.provider_id].append(contract)
        self.arrangements = {(a.product_category.value, a.product_code): a
                             for a in db.session.scalars(
                                 select(Arrangement).options(selectinload(Arrangement.tariffs))
                                 .where(Arrangement.region_id == municipality.region_id))}
        self.children = self._known_children({bsn for bsn in _column(rows, "bsn")
                                              if is_digits(bsn, 9)})
        self.next_number = (db.session.scalar(select(func.max(Allocation.number)).where(
            Allocation.municipality_id == municipality.id)) or 0) + 1

    @staticmethod
    def _known_children(bsns: set[str]) -> dict[str, _Child]:
        children: dict[str, _Child] = {}
        for chunk in _chunks(sorted(bsns)):
            for client_id, bsn, birth_date, municipality_id in db.session.execute(
                    select(Client.id, Client.bsn, Client.birth_date, Client.municipality_id)
                    .where(Client.bsn.in_(chunk))):
                children[bsn] = _Child(client_id, birth_date, municipality_id)
        by_id = {child.id: child for child in children.values()}
        for chunk in _chunks(sorted(by_id)):
            for client_id, start, end in db.session.execute(
                    select(Trajectory.client_id, Allocation.start_date, Allocation.end_date)
                    .join(Allocation, Allocation.trajectory_id == Trajectory.id)
                    .where(Trajectory.client_id.in_(chunk), Trajectory.status.in_(RUNNING))):
                by_id[client_id].periods.append((start, end))
        return children

    def _provider(self, row: dict) -> Provider:
        agb = validate_agb(row.get("agb_code") or "")
        provider = self.providers.get(agb)
        if provider is None:
            raise DomainError(_l("Onbekende aanbieder met AGB-code %(agb)s.", agb=agb))
        return provider

    def _arrangement(self, row: dict) -> Arrangement:
        category = (row.get("productcategorie") or "").strip()
        code = (row.get("productcode") or "").strip()
        arrangement = self.arrangements.get((category, code))
        if arrangement is None:
            raise DomainError(_l("Onbekend arrangement: productcategorie %(category)s, "
                                 "productcode %(code)s.", category=category[:4], code=code[:8]))
        return arrangement

    def check(self, row: dict) -> _Planned:
        """The checks of `allocate`, in its order; a row that passes counts for the next
        rows (its child is known, its period is taken, its number is used)."""
        birth_date = _date(row, "geboortedatum")
        given_name, family_name = check_child_names(row.get("voornaam") or "",
                                                    row.get("achternaam") or "")
        if not given_name or not family_name:
            raise DomainError(_l("Voornaam en achternaam zijn verplicht."))
        provider = self._provider(row)
        arrangement = self._arrangement(row)
        start, end = _date(row, "startdatum"), _date(row, "einddatum")
        check_period(start, end)
        extended = _yes_no(row, "verlengde_jeugdhulp")
        check_child_age(birth_date, start, extended)
        family_choice = _family_choice(row)
        contract = check_in_contract(contract_among(self.contracts[provider.id], start,
                                                    arrangement), provider, arrangement, start)
        bsn = validate_bsn(row.get("bsn") or "")
        child = self.children.get(bsn)
        if child is not None:
            check_birth_date(child.birth_date, birth_date)
            check_same_municipality(child.municipality_id, self.municipality)
            if any(first <= end and last >= start for first, last in child.periods):
                raise stacking_error()
        else:
            check_birth_date_plausible(birth_date, self.today)
        tariff = tariff_among(arrangement.tariffs, start)
        if tariff is None:
            raise no_tariff_error(arrangement, start)
        scheme = scheme_version_of(contract, start)
        if child is None:
            child = self.children[bsn] = _Child(None, birth_date, self.municipality.id,
                                                given_name, family_name)
        child.periods.append((start, end))
        self.next_number += 1
        return _Planned(bsn, provider.id, arrangement.id, tariff.id, scheme.id,
                        tariff.amount_cents, start, end, self.next_number - 1, extended,
                        family_choice)


def _store(planned: list[_Planned], children: dict[str, _Child], municipality: Municipality,
           actor: User) -> list[int]:
    new = [(bsn, child) for bsn, child in children.items() if child.id is None]
    ids = insert_rows(Client, [
        {"bsn": bsn, "birth_date": child.birth_date, "given_name": child.given_name,
         "family_name": child.family_name, "municipality_id": municipality.id}
        for bsn, child in new])
    for (_bsn, child), client_id in zip(new, ids, strict=True):
        child.id = client_id
    now = utcnow()
    client_ids = [children[p.bsn].id for p in planned]
    trajectory_ids = insert_rows(Trajectory, [
        {"client_id": client_id, "provider_id": p.provider_id,
         "municipality_id": municipality.id, "status": TrajectoryStatus.ALLOCATED,
         "created_at": now} for p, client_id in zip(planned, client_ids, strict=True)])
    allocation_ids = insert_rows(Allocation, [
        {"trajectory_id": trajectory_id, "municipality_id": municipality.id,
         "number": p.number, "arrangement_id": p.arrangement_id, "tariff_id": p.tariff_id,
         "scheme_version_id": p.scheme_version_id,
         "start_date": p.start_date, "end_date": p.end_date, "planned_end_date": p.end_date,
         "amount_cents": p.amount_cents, "is_current": True, "created_at": now,
         "allocated_at": now,
         "extended_youth_care": p.extended_youth_care, **values(p.family_choice),
         "created_by_id": actor.id if actor else None}
        for p, trajectory_id in zip(planned, trajectory_ids, strict=True)])
    mark_children(db.session(), trajectory_ids)  # bulk rows pass no flush: marked here
    record_many([
        event_values(actor, "allocation.created", "allocation", allocation_id,
                     client_id=client_id, trajectory_id=trajectory_id,
                     after=snapshot(p, "number", "start_date", "end_date", "amount_cents"))
        for p, allocation_id, trajectory_id, client_id in zip(
            planned, allocation_ids, trajectory_ids, client_ids, strict=True)])
    return trajectory_ids


class CreatedTrajectories(Sequence):
    """The trajectories an import created: counted without a query, loaded when read."""

    def __init__(self, ids: list[int]):
        self.ids = ids
        self._loaded: list[Trajectory] | None = None

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, index):
        if self._loaded is None:
            by_id: dict[int, Trajectory] = {}
            for chunk in _chunks(self.ids):
                by_id.update((t.id, t) for t in db.session.scalars(
                    select(Trajectory).where(Trajectory.id.in_(chunk))))
            self._loaded = [by_id[i] for i in self.ids]
        return self._loaded[index]


def import_allocations(data: bytes, municipality: Municipality, actor: User) -> ImportResult:
    """Every row goes through the checks of `allocate`; one failing row means nothing is
    stored, and every failing row is reported.

    Under the municipality's allocation lock, as `allocate`. A child that another
    municipality registers while the file is checked (its lock is not ours) makes the
    insert fail on the unique BSN; the file is then checked once more, so its rows get the
    answers a later import would get (WJ759 5)."""
    rows = _rows(data)
    lock_allocations(municipality)
    try:
        return _attempt(rows, municipality, actor)
    except IntegrityError:
        pass  # a child of the file was registered elsewhere meanwhile: check once more
    try:
        return _attempt(rows, municipality, actor)
    except IntegrityError:
        raise DomainError(_l("Terwijl dit bestand werd verwerkt, zijn kinderen uit het bestand "
                             "door iemand anders geregistreerd. Er is niets geïmporteerd; "
                             "importeer het bestand opnieuw."), field="file") from None


def _attempt(rows: list[tuple[int, dict]], municipality: Municipality,
             actor: User) -> ImportResult:
    with db.session.begin_nested():
        return _import(rows, municipality, actor)


def _import(rows: list[tuple[int, dict]], municipality: Municipality,
            actor: User) -> ImportResult:
    checks = _Checks(rows, municipality)
    planned: list[_Planned] = []
    errors: list[RowError] = []
    for line, row in rows:
        try:
            planned.append(checks.check(row))
        except DomainError as error:
            errors.append(RowError(line, str(error.message), error.code_label))
    if errors:
        return ImportResult([], errors)
    return ImportResult(CreatedTrajectories(_store(planned, checks.children, municipality,
                                                   actor)), [])
