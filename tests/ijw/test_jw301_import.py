"""Importing JW301: new, changed, ended and deleted allocations; refusals keep nothing."""

from datetime import date

import pytest
from sqlalchemy import func, select

from portal.domain.codes import JZ002, JZ588
from portal.domain.lists import MessageDirection, TrajectoryStatus
from portal.domain.timeline import trajectory_timeline
from portal.extensions import db
from portal.ijw.importing import import_message
from portal.models import Allocation, AuditEvent, Client, IjwMessage, Trajectory
from tests.factories import next_bsn
from tests.ijw.messages import jw301, product, sample


def run(world, data: bytes, user="access_staff"):
    actor = world.users[user]
    return import_message(data, actor=actor, municipality=actor.municipality, source="t.xml")


def message(world, *products, bsn, **kwargs) -> bytes:
    return jw301(*products, receiver=world.providers[0].agb_code, bsn=bsn, **kwargs)


def stored() -> tuple[int, ...]:
    return tuple(db.session.scalar(select(func.count()).select_from(model))
                 for model in (Trajectory, Allocation, Client, IjwMessage))


def allocation(number: int) -> Allocation:
    return db.session.scalar(select(Allocation).where(Allocation.number == number))


def actions(name: str) -> int:
    return db.session.scalar(select(func.count()).where(AuditEvent.action == name))


@pytest.fixture
def imported(world):
    """Allocation 300201 for a new child, imported from the case system."""
    bsn = next_bsn()
    report = run(world, message(world, product(300201), bsn=bsn))
    assert report.ok, report.findings
    return bsn


def test_a_new_allocation_keeps_the_municipalitys_number_and_the_childs_name(world, imported):
    new = allocation(300201)
    trajectory, client = new.trajectory, new.trajectory.client
    assert (client.bsn, client.birth_date, client.given_name, client.family_name) == (
        imported, date(2015, 5, 17), "Sanne Eva", "van der Berg")
    assert (new.arrangement, new.start_date, new.end_date, new.amount_cents) == (
        world.arrangements["ontw_midden"], date(2026, 2, 1), date(2026, 7, 31), 840000)
    assert (trajectory.provider, trajectory.municipality, trajectory.status) == (
        world.providers[0], world.municipalities[0], TrajectoryStatus.ALLOCATED)
    kept = db.session.scalar(select(IjwMessage))
    assert (kept.direction, kept.kind, kept.sender, kept.identification) == (
        MessageDirection.IN, "JW301", "0518", "T1")
    assert actions("ijw.imported") == 1 and actions("allocation.created") == 1


def test_the_same_message_twice_changes_nothing_the_second_time(world, imported):
    before = stored()
    report = run(world, message(world, product(300201), bsn=imported))
    assert report.ok and report.imported_before is not None and report.outcome is None
    assert stored() == before and actions("allocation.created") == 1


def test_another_message_with_the_same_content_changes_nothing(world, imported):
    before = stored()
    report = run(world, message(world, product(300201), bsn=imported, identification="T2"))
    assert report.ok
    assert (report.outcome.created, report.outcome.changed, report.outcome.unchanged) == (0, 0, 1)
    assert stored()[:3] == before[:3]


def test_a_reused_identification_with_other_content_is_refused(world, imported):
    before = stored()
    report = run(world, message(world, product(300201, end="2026-08-31", reason="04"),
                                bsn=imported))
    [finding] = report.findings
    assert finding.code == "WJ001 9056" and finding.path == "/Bericht/Header/BerichtIdentificatie"
    assert stored() == before and allocation(300201).end_date == date(2026, 7, 31)
    assert actions("ijw.import_refused") == 1


def test_an_extension_moves_the_end_date_and_care_goes_on(world, imported):
    report = run(world, message(world, product(300201, end="2026-10-31", reason="04"),
                                bsn=imported, identification="T2"))
    assert report.ok and report.outcome.changed == 1
    changed = allocation(300201)
    assert (changed.end_date, changed.change_reason) == (date(2026, 10, 31),
                                                         JZ002.REASSESSMENT_EXTENSION)
    assert changed.trajectory.status == TrajectoryStatus.ALLOCATED
    assert "Einddatum toewijzing gewijzigd door de gemeente" in [
        str(entry.description) for entry in trajectory_timeline(changed.trajectory)]


def test_an_ending_reason_ends_the_allocation_and_the_trajectory(world, imported):
    report = run(world, message(world, product(300201, end="2026-04-30", reason="07"),
                                bsn=imported, identification="T2"))
    assert report.ok and report.outcome.changed == 1
    ended = allocation(300201)
    assert (ended.end_date, ended.change_reason) == (date(2026, 4, 30), JZ002.MOVED)
    assert (ended.trajectory.status, ended.trajectory.end_reason) == (
        TrajectoryStatus.ENDED, JZ588.EARLY_EXTERNAL)


def test_an_ending_imported_on_the_command_line_is_audited_without_a_person(world, imported):
    report = import_message(message(world, product(300201, end="2026-04-30", reason="07"),
                                    bsn=imported, identification="T2"), actor=None)
    assert report.ok and report.outcome.changed == 1
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "allocation.ended"))
    assert (event.object_id, event.actor_id) == (allocation(300201).id, None)


def test_a_deleted_allocation_ends_on_its_start(world, imported):
    report = run(world, message(world, product(300201, end="2026-02-01", reason="13"),
                                bsn=imported, identification="T2"))
    assert report.ok
    deleted = allocation(300201)
    assert (deleted.end_date, deleted.change_reason) == (date(2026, 2, 1), JZ002.DELETED)
    assert deleted.trajectory.status == TrajectoryStatus.ENDED


def test_a_deletion_needs_the_end_on_the_start(world, imported):
    report = run(world, message(world, product(300201, end="2026-03-01", reason="13"),
                                bsn=imported, identification="T2"))
    [finding] = report.findings
    assert (finding.rule, finding.code) == ("CS335", "WJ001 0001")
    assert finding.path.endswith("/ToegewezenProduct/Ingangsdatum")
    assert allocation(300201).end_date == date(2026, 7, 31)


def test_a_changed_end_date_needs_a_reason(world, imported):
    report = run(world, message(world, product(300201, end="2026-06-30"), bsn=imported,
                                identification="T2"))
    [finding] = report.findings
    assert "reden wijziging (JZ002)" in finding.message


PRODUCTS = "/Bericht/Client/ToegewezenProducten/ToegewezenProduct"


def test_the_sample_jw301_is_refused_for_its_unknown_municipality_and_products(world):
    before = stored()
    report = run(world, sample("JW301"))
    assert [(f.line, f.path, f.code) for f in report.findings] == [
        (7, "/Bericht/Header/Afzender", "WJ001 S300"),
        (8, "/Bericht/Header/Ontvanger", None),
        # The sample honours requests the portal does not know (TR379).
        (172, f"{PRODUCTS}[1]/ReferentieAanbieder", "WJ001 9379"),
        (173, f"{PRODUCTS}[1]/Product", "WJ001 S329"),
        (190, f"{PRODUCTS}[2]/ReferentieAanbieder", "WJ001 9379"),
        (191, f"{PRODUCTS}[2]/Product", "WJ001 S329"),
    ]
    assert "CBS-code 0384 is onbekend" in report.findings[0].message
    assert "productcode 55A12" in report.findings[5].message
    assert stored() == before


def test_access_staff_import_only_their_own_municipalitys_messages(world):
    data = message(world, product(7), bsn=next_bsn(), sender="0503")
    [finding] = run(world, data).findings
    assert finding.code == "WJ001 S300" and "eigen gemeente" in finding.message
    from_the_command_line = import_message(data, actor=None)
    assert from_the_command_line.ok and allocation(7).municipality.cbs_code == "0503"


def test_an_allocation_number_of_another_allocation_is_refused(world):
    taken = world.trajectory().current_allocation.number
    before = stored()
    report = run(world, message(world, product(taken, start="2026-03-01"), bsn=next_bsn()))
    [finding] = report.findings
    assert finding.code == "WJ001 9332" and finding.path.endswith("/ToewijzingNummer")
    assert "ander kind" in finding.message and "andere ingangsdatum" in finding.message
    assert stored() == before


def test_stacking_is_refused_with_its_wj759_code_and_nothing_is_kept(world):
    running = world.trajectory()
    before = stored()
    report = run(world, message(world, product(500, start="2026-03-01"),
                                bsn=running.client.bsn))
    [finding] = report.findings
    assert finding.code == "WJ759 6" and "stapeling" in finding.message
    assert finding.path == "/Bericht/Client/ToegewezenProducten/ToegewezenProduct"
    assert stored() == before


def test_one_bad_product_means_no_product_is_kept(world):
    before = stored()
    report = run(world, message(world, product(1), product(2, "01L", start="2026-05-01"),
                                bsn=next_bsn()))
    [finding] = report.findings
    assert finding.code == "WJ759 6" and "Toewijzing 2:" in finding.message
    assert stored() == before


@pytest.mark.parametrize("products, expected", [
    ((product(1, end=None),), "heeft geen einddatum"),
    ((product(1, "03M"),), "(WJ759 4)"),
    ((product(1, reason="12"),), "is onbekend; reden wijziging 12"),
    ((product(1), product(1)), "TR302"),
    ((product(0),), "tussen 1 en 999999999"),
])
def test_products_the_portal_cannot_take(world, products, expected):
    before = stored()
    report = run(world, message(world, *products, bsn=next_bsn()))
    assert any(expected in f"{f.message} ({f.code})" for f in report.findings), report.findings
    assert stored() == before


def test_a_bsn_that_fails_the_eleven_test_is_refused(world):
    [finding] = run(world, message(world, product(1), bsn="123456789")).findings
    assert finding.rule == "CS002" and finding.path == "/Bericht/Client/Bsn"
