"""Main provider and subcontractors; the family's choice on the allocation."""

from datetime import date

import pytest
from sqlalchemy import func, select

from portal.domain import DomainError
from portal.domain.allocation_import import COLUMNS, import_allocations
from portal.domain.codes import WJ758
from portal.domain.family_choice import FamilyChoiceAnswer
from portal.domain.figures import Period
from portal.domain.lists import FamilyChoice, NotChosenReason
from portal.domain.requests import approve_change, request_change
from portal.domain.statements import contract_statement
from portal.domain.subcontractors import add_subcontractor, delivery_options, set_delivery
from portal.domain.trajectories import ChildDetails, allocate, register_start
from portal.extensions import db
from portal.models import AuditEvent, Subcontractor, Trajectory
from tests.factories import next_bsn
from tests.regions import second_region

YES, NO, UNKNOWN = FamilyChoice.YES, FamilyChoice.NO, FamilyChoice.UNKNOWN


def subcontractors() -> int:
    return db.session.scalar(select(func.count()).select_from(Subcontractor))


@pytest.mark.parametrize("agb, name, message", [
    ("1234567", "Zon", "Een AGB-code bestaat uit 8 cijfers."),
    ("123456789", "Zon", "Een AGB-code bestaat uit 8 cijfers."),
    ("abcdefgh", "Zon", "Een AGB-code bestaat uit 8 cijfers."),
    ("", "Zon", "Een AGB-code bestaat uit 8 cijfers."),
    ("87654321", "  ", "Vul de naam van de onderaannemer in."),
    ("87654321", "x" * 121, "hoogstens 120 tekens"),
])
def test_bad_subcontractors_are_refused(world, agb, name, message):
    with pytest.raises(DomainError, match=message):
        add_subcontractor(world.contracts[0], agb, name, world.users["provider_staff"])
    assert subcontractors() == 0


def test_a_subcontractor_once_per_contract_and_never_the_main_provider(world):
    staff = world.users["provider_staff"]
    added = add_subcontractor(world.contracts[0], " 87654321 ", " Zon Jeugd ", staff)
    assert (added.agb_code, added.name) == ("87654321", "Zon Jeugd")
    with pytest.raises(DomainError, match="staat al als onderaannemer op contract T-001"):
        add_subcontractor(world.contracts[0], "87654321", "Zon", staff)
    with pytest.raises(DomainError, match="geen onderaannemer van zichzelf"):
        add_subcontractor(world.contracts[0], world.providers[0].agb_code, "Zelf", staff)
    add_subcontractor(world.contracts[1], "87654321", "Zon Jeugd", staff)  # another contract
    assert subcontractors() == 2
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "subcontractor.added")) == 2


def test_who_delivers_is_the_main_provider_or_one_of_its_subcontractors(world):
    staff = world.users["provider_staff"]
    own = add_subcontractor(world.contracts[0], "87654321", "Zon Jeugd", staff)
    kiems = add_subcontractor(world.contracts[1], "87654322", "Maan Zorg", staff)
    trajectory = world.trajectory("started")
    assert delivery_options(trajectory) == [own]
    with pytest.raises(DomainError, match="Kies een onderaannemer van het contract"):
        set_delivery(trajectory, kiems, staff)
    assert trajectory.delivered_by is None
    # Horizon's contract in another region does not count for this trajectory.
    north = second_region()
    elsewhere = add_subcontractor(north.contracts[0], "87654323", "Ster Noord", staff)
    with pytest.raises(DomainError):
        set_delivery(trajectory, elsewhere, staff)
    set_delivery(trajectory, own, staff)
    assert trajectory.delivered_by == own and trajectory.provider == world.providers[0]
    set_delivery(trajectory, None, staff)  # the main provider delivers itself again
    assert trajectory.delivered_by_id is None


def allocate_with(world, answer: FamilyChoiceAnswer | None = None) -> Trajectory:
    extra = {} if answer is None else {"family_choice": answer}
    return allocate(municipality=world.municipalities[0],
                    child=ChildDetails(next_bsn(), date(2015, 5, 17), "Sam", "de Vries"),
                    provider=world.providers[0], arrangement=world.arrangements["ontw_midden"],
                    start=date(2026, 2, 1), end=date(2026, 7, 31),
                    actor=world.users["access_staff"], **extra)


@pytest.mark.parametrize("answer, message", [
    (FamilyChoiceAnswer(YES, NotChosenReason.CRISIS), "Geef alleen een reden als"),
    (FamilyChoiceAnswer(UNKNOWN, None, "tekst"), "Geef alleen een reden als"),
    (FamilyChoiceAnswer(NO), "Kies waarom de aanbieder niet de keuze"),
    (FamilyChoiceAnswer(NO, NotChosenReason.OTHER, "   "), "Licht de reden 'anders' toe."),
    (FamilyChoiceAnswer(NO, NotChosenReason.OTHER, "x" * 501), "langer dan 500 tekens"),
])
def test_bad_family_choices_are_refused(world, answer, message):
    with pytest.raises(DomainError, match=message):
        allocate_with(world, answer)
    assert db.session.scalar(select(func.count()).select_from(Trajectory)) == 0


def test_the_family_choice_is_kept_and_unknown_by_default(world):
    assert allocate_with(world).current_allocation.family_choice == UNKNOWN
    waiting = allocate_with(world, FamilyChoiceAnswer(NO, NotChosenReason.WAITING_TIME))
    allocation = waiting.current_allocation
    assert (allocation.family_choice, allocation.not_chosen_reason,
            allocation.not_chosen_text) == (NO, NotChosenReason.WAITING_TIME, None)
    other = allocate_with(world, FamilyChoiceAnswer(NO, NotChosenReason.OTHER, " Verhuisd "))
    assert other.current_allocation.not_chosen_text == "Verhuisd"


def test_a_change_request_keeps_the_answer(world):
    trajectory = allocate_with(world, FamilyChoiceAnswer(NO, NotChosenReason.CRISIS))
    register_start(trajectory, date(2026, 2, 3), world.users["provider_staff"])
    change = request_change(trajectory, reason=WJ758.CLIENT_SITUATION,
                            arrangement=world.arrangements["ontw_zwaar"],
                            end_date=date(2026, 10, 31), motivation="Meer hulp nodig",
                            actor=world.users["provider_staff"])
    approve_change(change, date(2026, 4, 1), world.users["access_staff"])
    assert trajectory.current_allocation.not_chosen_reason == NotChosenReason.CRISIS


HEADER = ";".join([*COLUMNS, "keuze_ouders", "reden_geen_keuze", "toelichting_keuze"])


def csv_row(world, *choice):
    return ";".join([next_bsn(), "17-05-2015", "Sam", "de Vries", world.providers[0].agb_code,
                     "45", "01M", "01-02-2026", "31-07-2026", *choice])


def test_csv_import_reads_the_family_choice(world):
    result = import_allocations("\n".join([
        HEADER, csv_row(world, "ja", "", ""), csv_row(world, "nee", "specialisme", ""),
        csv_row(world, "", "", ""), csv_row(world, "nee", "anders", "Broer is er ook")]).encode(),
        world.municipalities[0], world.users["access_staff"])
    assert result.errors == []
    assert [(a.family_choice, a.not_chosen_reason, a.not_chosen_text)
            for a in (t.current_allocation for t in result.created)] == [
        (YES, None, None), (NO, NotChosenReason.SPECIALISM, None), (UNKNOWN, None, None),
        (NO, NotChosenReason.OTHER, "Broer is er ook")]


def test_csv_import_refuses_bad_family_choices(world):
    result = import_allocations("\n".join([
        HEADER, csv_row(world, "misschien", "", ""), csv_row(world, "nee", "zomaar", ""),
        csv_row(world, "nee", "", ""), csv_row(world, "nee", "anders", ""),
        csv_row(world, "ja", "crisis", "")]).encode(),
        world.municipalities[0], world.users["access_staff"])
    assert result.created == []
    messages = [e.message for e in result.errors]
    assert "keuze_ouders 'misschien' is geen ja, nee of onbekend." in messages[0]
    assert "reden_geen_keuze 'zomaar' is geen van: wachttijd" in messages[1]
    assert "Kies waarom" in messages[2] and "anders" in messages[3]
    assert "Geef alleen een reden" in messages[4]


def test_contract_statement_lists_subcontractors_and_the_family_choice(world):
    add_subcontractor(world.contracts[0], "87654321", "Zon Jeugd", world.users["provider_staff"])
    answers = [FamilyChoiceAnswer(YES)] * 4 + [
        FamilyChoiceAnswer(NO, NotChosenReason.WAITING_TIME), FamilyChoiceAnswer(UNKNOWN)]
    for answer in answers:
        allocate_with(world, answer)
    statement = contract_statement(world.contracts[0], Period(date(2026, 1, 1),
                                                              date(2026, 12, 31)))
    assert [s.name for s in statement.subcontractors] == ["Zon Jeugd"]
    choices = statement.family_choices
    assert choices.counts == {YES: 4, NO: 1, UNKNOWN: 1}
    assert choices.reasons == [(NotChosenReason.WAITING_TIME, 1)]
    assert str(choices.share.value) == "80.0"  # 4 of the 5 answered
    content = statement.content()
    assert content["subcontractors"] == [["87654321", "Zon Jeugd"]]
    assert content["family_choices"] == {"yes": 4, "no": 1, "unknown": 1}
    # Kiem's contract: another provider's allocations do not count.
    assert contract_statement(world.contracts[1], Period(
        date(2026, 1, 1), date(2026, 12, 31))).family_choices.counts[YES] == 0
