"""Validity before saving: each implausible input gets a Dutch message and nothing is kept."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from portal.domain import DomainError
from portal.domain.allocation_import import COLUMNS, import_allocations
from portal.domain.codes import JZ002, JZ588, WJ758
from portal.domain.declarations import credit_line, start_declaration
from portal.domain.lists import TrajectoryStatus
from portal.domain.requests import approve_change, request_change
from portal.domain.review import approve_line
from portal.domain.trajectories import (
    ChildDetails,
    allocate,
    end_allocation,
    end_trajectory,
    register_start,
)
from portal.domain.validity import age_on
from portal.domain.working_days import today_in_amsterdam
from portal.extensions import db
from portal.models import Declaration, Trajectory
from tests.declaring import TODAY, declare, submit
from tests.factories import next_bsn

START = date(2026, 2, 1)


def trajectories() -> int:
    return db.session.scalar(select(func.count()).select_from(Trajectory))


# No start, measurement or end of care in the future ----------------------------------------


def test_start_of_care_in_the_future_is_refused(world):
    trajectory = world.trajectory()
    with pytest.raises(DomainError, match=r"De start van de zorg .* ligt in de toekomst") as e:
        register_start(trajectory, date(2026, 2, 10), world.users["provider_staff"],
                       today=date(2026, 2, 9))
    assert e.value.field == "started_on"
    assert trajectory.status == TrajectoryStatus.ALLOCATED and trajectory.started_on is None
    register_start(trajectory, date(2026, 2, 9), world.users["provider_staff"],
                   today=date(2026, 2, 9))  # today itself is fine


def test_end_of_care_in_the_future_is_refused(world):
    trajectory = world.trajectory("started")
    with pytest.raises(DomainError, match=r"Het einde van de zorg .* ligt in de toekomst") as e:
        end_trajectory(trajectory, date(2026, 7, 31), JZ588.ACCORDING_TO_PLAN,
                       world.users["provider_staff"], today=date(2026, 7, 30))
    assert e.value.field == "ended_on" and trajectory.status == TrajectoryStatus.STARTED


def test_today_in_amsterdam_is_the_default_day(world):
    today = today_in_amsterdam()
    trajectory = world.trajectory(start=today - timedelta(days=10),
                                  end=today + timedelta(days=100))
    with pytest.raises(DomainError, match="in de toekomst"):
        register_start(trajectory, today + timedelta(days=1), world.users["provider_staff"])


# A trajectory does not end before its current allocation starts ---------------------------


@pytest.fixture
def upscaled(world):
    """Started 03-02-2026; upscaled with a new allocation from 01-04-2026."""
    trajectory = world.trajectory("started")
    change = request_change(trajectory, reason=WJ758.CLIENT_SITUATION,
                            arrangement=world.arrangements["ontw_zwaar"],
                            end_date=date(2026, 10, 31), motivation="Meer hulp nodig",
                            actor=world.users["provider_staff"])
    approve_change(change, date(2026, 4, 1), world.users["access_staff"])
    return trajectory


def test_end_before_the_current_allocation_is_refused(world, upscaled):
    with pytest.raises(DomainError, match="vóór de ingangsdatum van de huidige toewijzing"):
        end_trajectory(upscaled, date(2026, 3, 15), JZ588.EARLY_BY_CLIENT,
                       world.users["provider_staff"], today=TODAY)
    assert upscaled.status == TrajectoryStatus.STARTED
    end_trajectory(upscaled, date(2026, 4, 1), JZ588.EARLY_BY_CLIENT,
                   world.users["provider_staff"], today=TODAY)


def test_municipal_end_before_the_current_allocation_is_refused(world, upscaled):
    with pytest.raises(DomainError, match="tussen 01-04-2026 en"):
        end_allocation(upscaled, date(2026, 3, 15), JZ002.MOVED, world.users["access_staff"])
    assert upscaled.status == TrajectoryStatus.STARTED


# The child's age at the start ------------------------------------------------------------


def child(birth_date: date) -> ChildDetails:
    return ChildDetails(next_bsn(), birth_date, "Sam", "de Vries")


def allocate_for(world, birth_date: date, extended=False):
    return allocate(municipality=world.municipalities[0], child=child(birth_date),
                    provider=world.providers[0], arrangement=world.arrangements["ontw_midden"],
                    start=START, end=date(2026, 7, 31), actor=world.users["access_staff"],
                    extended=extended)


@pytest.mark.parametrize("birth_date, extended, message", [
    (date(2030, 1, 1), False, "in de toekomst of meer dan 120 jaar terug"),
    (START, False, "ligt niet vóór de ingangsdatum"),
    (date(1990, 3, 4), False, "35 jaar. Jeugdhulp kan tot 23 jaar"),
    (date(1990, 3, 4), True, "35 jaar. Jeugdhulp kan tot 23 jaar"),
    (date(2003, 2, 1), True, "23 jaar. Jeugdhulp kan tot 23 jaar"),
    (date(2008, 2, 1), False, "18 jaar. Vanaf 18 jaar kan alleen verlengde jeugdhulp"),
    (date(2005, 6, 1), False, "20 jaar. Vanaf 18 jaar"),
])
def test_implausible_birth_dates_are_refused(world, birth_date, extended, message):
    with pytest.raises(DomainError, match=message) as error:
        allocate_for(world, birth_date, extended)
    assert error.value.field == "birth_date"
    assert trajectories() == 0


@pytest.mark.parametrize("birth_date, extended", [
    (date(2008, 2, 2), False),  # 17, a day before the 18th birthday
    (date(2026, 1, 31), False),  # a newborn
    (date(2008, 2, 1), True),  # 18: extended youth care
    (date(2003, 2, 2), True),  # 22, a day before the 23rd birthday
])
def test_plausible_ages_are_allocated(world, birth_date, extended):
    trajectory = allocate_for(world, birth_date, extended)
    assert trajectory.current_allocation.extended_youth_care is extended


def test_age_in_whole_years():
    assert age_on(date(2008, 2, 29), date(2026, 2, 28)) == 17
    assert age_on(date(2008, 2, 29), date(2026, 3, 1)) == 18


HEADER = ";".join(COLUMNS)


def csv_row(world, birth="17-05-2015", start="01-02-2026", *extra):
    return ";".join([next_bsn(), birth, "Sam", "de Vries", world.providers[0].agb_code, "45",
                     "01M", start, "31-07-2026", *extra])


def run_csv(world, header, *rows):
    return import_allocations("\n".join([header, *rows]).encode(), world.municipalities[0],
                              world.users["access_staff"])


def test_csv_import_applies_the_age_rules(world):
    result = run_csv(world, HEADER, csv_row(world), csv_row(world, birth="01-01-2030"),
                     csv_row(world, birth="01-01-2005"), csv_row(world, birth="01-01-1980"))
    assert result.created == [] and trajectories() == 0
    assert [(e.line, e.message[:30]) for e in result.errors] == [
        (3, "De geboortedatum (01-01-2030) "), (4, "Het kind is op de ingangsdatum"),
        (5, "Het kind is op de ingangsdatum")]


def test_csv_import_reads_the_optional_extended_column(world):
    header = HEADER + ";verlengde_jeugdhulp"
    result = run_csv(world, header, csv_row(world, "01-01-2005", "01-02-2026", "ja"),
                     csv_row(world, "17-05-2015", "01-02-2026", ""))
    assert result.errors == []
    assert [t.current_allocation.extended_youth_care for t in result.created] == [True, False]
    bad = run_csv(world, header, csv_row(world, "01-01-2005", "01-02-2026", "misschien"))
    assert "'misschien' is geen ja of nee" in bad.errors[0].message


@pytest.mark.parametrize("header", [HEADER + ";onbekend", HEADER + ";verlengde_jeugdhulp"
                                    ";verlengde_jeugdhulp"])
def test_csv_import_refuses_unknown_or_repeated_columns(world, header):
    with pytest.raises(DomainError, match="De kopregel klopt niet"):
        run_csv(world, header, csv_row(world))


# One declaration per provider, municipality and month -------------------------------------


def declarations() -> int:
    return db.session.scalar(select(func.count()).select_from(Declaration))


def test_a_second_declaration_for_the_month_is_refused(world):
    world.trajectory("started")
    february = declare(world, date(2026, 2, 1))
    again, created = start_declaration(world.providers[0], world.municipalities[0],
                                       date(2026, 2, 14), world.users["provider_staff"], TODAY)
    assert (again, created) == (february, False)  # the concept is reused
    submit(world, february)
    with pytest.raises(DomainError, match="Er is al een declaratie over februari 2026 aan "
                                          "'s-Gravenhage: D2026-") as error:
        declare(world, date(2026, 2, 1))
    assert error.value.field == "period" and declarations() == 1
    declare(world, date(2026, 2, 1), municipality=1)  # another municipality: its own
    declare(world, date(2026, 3, 1))  # another month: its own


def test_a_correction_goes_into_a_marked_correction_declaration(world):
    """Once the month's declaration is submitted, a credit opens a correction declaration for
    the month (docs/declarations.md); a new concept is never a second regular one."""
    world.trajectory("started")
    february = declare(world, date(2026, 2, 1))
    submit(world, february)
    approve_line(february.lines[0], world.users["reviewer"])
    with pytest.raises(DomainError, match="een correctie gaat in een correctiedeclaratie"):
        declare(world, date(2026, 2, 1))
    correction = credit_line(february.lines[0], world.users["provider_staff"],
                             date(2026, 2, 20))
    assert correction.is_correction and correction.period == february.period
    assert not february.is_correction and declarations() == 2
    # The month's open concept is now the correction declaration: starting the month again
    # opens it, and a second credit would land in it too.
    again, created = start_declaration(world.providers[0], world.municipalities[0],
                                       date(2026, 2, 1), world.users["provider_staff"], TODAY)
    assert (again, created) == (correction, False)
    kinds = sorted((line.debit_credit.value, line.reference == february.lines[0].reference)
                   for line in correction.lines)
    assert kinds == [("C", True), ("D", False)]  # the credit and the corrected debit


def test_the_database_holds_one_declaration_per_month(world):
    declare(world, date(2026, 2, 1))
    db.session.add(Declaration(provider=world.providers[0], municipality=world.municipalities[0],
                               number="D-X", period=date(2026, 2, 1),
                               created_by=world.users["provider_staff"]))
    with pytest.raises(IntegrityError):
        db.session.flush()


def test_the_database_holds_one_open_concept_per_month(world):
    """A second correction concept beside the month's open one is refused: parallel credits
    meet in one concept (docs/races.md)."""
    world.trajectory("started")
    february = declare(world, date(2026, 2, 1))
    submit(world, february)
    db.session.add(Declaration(provider=world.providers[0], municipality=world.municipalities[0],
                               number="D-X", period=date(2026, 2, 1), is_correction=True,
                               created_by=world.users["provider_staff"]))
    db.session.flush()  # one open correction concept: allowed
    db.session.add(Declaration(provider=world.providers[0], municipality=world.municipalities[0],
                               number="D-Y", period=date(2026, 2, 1), is_correction=True,
                               created_by=world.users["provider_staff"]))
    with pytest.raises(IntegrityError):
        db.session.flush()


def test_no_month_before_the_contract_term(world):
    with pytest.raises(DomainError, match="December 2024 ligt vóór de looptijd van het "
                                          "contract \\(vanaf 01-01-2025\\)"):
        declare(world, date(2024, 12, 1))
    assert declarations() == 0
    declare(world, date(2025, 1, 1))  # the first month of the term


def test_no_declaration_without_a_contract_in_the_region(world):
    from tests.regions import second_region

    north = second_region()
    with pytest.raises(DomainError, match="heeft geen contract met de regio van Groningen"):
        start_declaration(world.providers[0], north.municipalities[0], date(2026, 2, 1),
                          world.users["provider_staff"], TODAY)
    assert declarations() == 0


def test_jw301_applies_the_age_rules_and_takes_18_plus_as_extended(world):
    from portal.ijw.importing import import_message
    from tests.ijw.messages import jw301, product

    def run(birth_date: str):
        data = jw301(product(900 + int(birth_date[:4]) % 100), bsn=next_bsn(),
                     receiver=world.providers[0].agb_code, birth_date=birth_date)
        actor = world.users["access_staff"]
        return import_message(data, actor=actor, municipality=actor.municipality, source="t.xml")

    # A birth date after the message's date breaks the chain's TR134 before the portal's rule.
    for birth_date, message in (("2030-01-01", "TR134"),
                                ("1990-01-01", "Jeugdhulp kan tot 23 jaar")):
        report = run(birth_date)
        assert any(message in f.message for f in report.findings), report.findings
    assert trajectories() == 0
    report = run("2006-01-01")  # 20 on 01-02-2026
    assert report.ok and trajectories() == 1, report.findings
    extended = db.session.scalar(select(Trajectory)).current_allocation
    assert extended.extended_youth_care is True and extended.family_choice.value == "unknown"
