"""The set-based CSV import gives the same allocations, audit events and row errors as
allocating the rows one by one through `allocate` (how the import worked before)."""

from datetime import date

from sqlalchemy import select

from portal.domain import DomainError
from portal.domain.allocation_import import COLUMNS, _date, _rows, import_allocations
from portal.domain.identifiers import validate_agb
from portal.domain.trajectories import ChildDetails, allocate
from portal.extensions import db
from portal.models import Arrangement, AuditEvent, Provider
from tests.factories import next_bsn


def one_by_one(data: bytes, municipality, actor):
    """The reference: every row through `allocate` in its own savepoint."""
    errors, created = [], []
    for line, row in _rows(data):
        try:
            with db.session.begin_nested():
                child = ChildDetails(row["bsn"].strip(), _date(row, "geboortedatum"),
                                     row["voornaam"].strip(), row["achternaam"].strip())
                if not child.given_name or not child.family_name:
                    raise DomainError("Voornaam en achternaam zijn verplicht.")
                provider = db.session.scalar(select(Provider).where(
                    Provider.agb_code == validate_agb(row["agb_code"])))
                if provider is None:
                    raise DomainError("Onbekende aanbieder")
                arrangement = db.session.scalar(select(Arrangement).where(
                    Arrangement.product_category == row["productcategorie"].strip(),
                    Arrangement.product_code == row["productcode"].strip()))
                if arrangement is None:
                    raise DomainError("Onbekend arrangement")
                created.append(allocate(
                    municipality=municipality, child=child, provider=provider,
                    arrangement=arrangement, start=_date(row, "startdatum"),
                    end=_date(row, "einddatum"), actor=actor))
        except DomainError as error:
            errors.append((line, str(error.message), error.code_label))
    return created, errors


def stored(trajectories) -> list[tuple]:
    """What an import leaves behind, without ids."""
    out = []
    for trajectory in trajectories:
        allocation = trajectory.current_allocation
        event = db.session.scalar(select(AuditEvent).where(
            AuditEvent.object_type == "allocation", AuditEvent.object_id == allocation.id))
        out.append((trajectory.client.bsn, trajectory.client.birth_date,
                    trajectory.client.name, trajectory.client.municipality_id,
                    trajectory.provider_id, trajectory.status, allocation.number,
                    allocation.arrangement_id, allocation.tariff_id, allocation.amount_cents,
                    allocation.start_date, allocation.end_date, allocation.planned_end_date,
                    allocation.is_current, allocation.created_by_id, event.action,
                    event.actor_id, event.role, event.client_id == trajectory.client_id,
                    event.trajectory_id == trajectory.id, event.after))
    return out


def both_ways(world, lines):
    data = "\n".join([";".join(COLUMNS), *lines]).encode()
    municipality, actor = world.municipalities[0], world.users["access_staff"]
    reference = db.session.begin_nested()
    created, errors = one_by_one(data, municipality, actor)
    expected = (stored(created), errors)
    reference.rollback()
    db.session.expire_all()
    result = import_allocations(data, municipality, actor)
    actual = (stored(result.created),
              [(e.line, e.message, e.code) for e in result.errors])
    return expected, actual


def row(world, bsn, born="17-05-2015", provider=0, product="01M", start="01-02-2026",
        end="31-07-2026", name="Sam"):
    agb = world.providers[provider].agb_code
    return f"{bsn};{born};{name};de Vries;{agb};45;{product};{start};{end}"


def test_valid_rows_store_the_same_as_allocating_one_by_one(world):
    known = world.trajectory(start=date(2025, 3, 1), end=date(2025, 8, 31))
    twice = next_bsn()
    lines = [row(world, next_bsn()), row(world, next_bsn(), provider=1, product="03M"),
             row(world, twice, product="01L", start="2026-03-01"),
             row(world, twice, start="01-09-2026", end="31-12-2026"),
             row(world, known.client.bsn, born=known.client.birth_date.strftime("%d-%m-%Y"),
                 start="01-01-2026", end="30-06-2026"),
             row(world, next_bsn(), start="01-06-2025", end="31-05-2026")]
    expected, actual = both_ways(world, lines)
    assert expected[1] == actual[1] == []
    assert actual[0] == expected[0] and len(actual[0]) == 6


def test_every_refusal_is_reported_as_allocating_one_by_one_would(world):
    known = world.trajectory("started")
    allocation = known.current_allocation
    born = known.client.birth_date.strftime("%d-%m-%Y")
    elsewhere = world.trajectory("started", municipality=1)
    retried = next_bsn()
    stacked = next_bsn()
    lines = [
        row(world, stacked),                                        # fine
        row(world, stacked, start="01-03-2026"),                    # stacks on the row above
        row(world, known.client.bsn, born=born,                     # stacks on the database
            start=allocation.start_date.strftime("%d-%m-%Y"),
            end=allocation.end_date.strftime("%d-%m-%Y")),
        row(world, known.client.bsn, born="01-01-2010"),            # other birth date
        row(world, elsewhere.client.bsn,                            # other municipality
            born=elsewhere.client.birth_date.strftime("%d-%m-%Y")),
        row(world, retried, product="99Z"),                         # unknown arrangement
        row(world, retried),                                        # fine: line above failed
        row(world, next_bsn(), product="03M"),                      # not in the contract
        row(world, next_bsn(), start="01-02-2024", end="31-07-2024"),  # no contract then
        row(world, next_bsn(), provider=1, product="01L"),          # not in Kiem's contract
        row(world, "123456789"),                                    # 11-test
        row(world, next_bsn(), name=""),                            # names required
        row(world, next_bsn(), born="31-02-2015"),                  # no such date
        row(world, next_bsn(), end="01-01-2026"),                   # end before start
        row(world, next_bsn()).replace(world.providers[0].agb_code, "1234"),  # AGB format
        row(world, next_bsn()).replace(world.providers[0].agb_code, "99999999"),  # unknown
    ]
    expected, actual = both_ways(world, lines)
    assert actual[0] == []  # all or nothing
    assert [e[0] for e in actual[1]] == [3, 4, 5, 6, 7, 9, 10, 11, 12, 13, 14, 15, 16, 17]
    # The reference names providers and arrangements in its own words; the rest is equal.
    assert [e for e in actual[1] if e[0] not in (7, 17)] == \
        [e for e in expected[1] if e[0] not in (7, 17)]
