"""Answers to the portal's own messages read back: each refused part becomes a note on the
object it concerns, shown on its page."""

from datetime import datetime

from lxml import etree
from sqlalchemy import select

from portal.domain.declarations import submit_declaration
from portal.ijw import jw301, jw305, jw323
from portal.ijw.answers import build_declaration_refusal, build_retour
from portal.ijw.exporting import export
from portal.ijw.parsing import element_path, identify, parse_xml
from portal.ijw.receiving import receive_message
from portal.ijw.report import Finding
from portal.ijw.standard import KINDS
from portal.models import IjwRefusal
from tests.conftest import login_as
from tests.declaring import declare


def answer_to(content: bytes, refused_path: str, code: str, *, declaration=False) -> bytes:
    """The receiver's answer to `content` refusing the part at `refused_path` with `code`."""
    received = parse_xml(content)
    kind = identify(received)
    [element] = received.xpath(refused_path, namespaces={"m": kind.namespace})
    findings = [Finding("x", path=element_path(element), code=f"WJ001 {code}")]
    day = datetime.now().date()
    root = (build_declaration_refusal(received, findings, "555000555", day) if declaration
            else build_retour(received, kind, KINDS[f"JW{int(kind.name[2:]) + 1}"], findings,
                              "555000555", day))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def read(world, data: bytes, user: str):
    actor = world.users[user]
    return receive_message(data, actor=actor, municipality=actor.municipality, source="a.xml")


def test_a_refused_allocation_in_a_jw302_is_noted_on_the_allocation(client, world):
    trajectory = world.trajectory()
    allocation = trajectory.current_allocation
    made = export(jw301.EXPORTER, allocation, world.users["access_staff"])
    received = read(world, answer_to(made.content, "//m:ToegewezenProduct", "9332"),
                    "access_staff")
    assert received.report.ok, received.report.findings
    assert received.answer is None  # an answer is not answered
    [refusal] = select_refusals()
    assert (refusal.allocation_id, refusal.code, refusal.message.identification) == (
        allocation.id, "9332", made.identification)
    login_as(client, world.users["access_staff"])
    page = client.get(f"/trajecten/{trajectory.id}").get_data(as_text=True)
    assert (f"Geweigerd door de ontvanger (JW301 {made.identification}): 9332 Toewijzing "
            "heeft geen uniek nummer") in page


def test_a_jw306_without_refusals_notes_nothing(world):
    trajectory = world.trajectory("started")
    made = export(jw305.EXPORTER, trajectory, world.users["provider_staff"])
    received = read(world, answer_to(made.content, "//m:StartProduct", "0200"),
                    "provider_admin")
    assert received.report.ok and received.report.outcome.changed == 0
    assert select_refusals() == []


def test_a_jw325_refusing_a_line_notes_it_on_that_line(client, world):
    world.trajectory("started")
    world.trajectory("started")
    concept = declare(world)
    submit_declaration(concept, world.users["provider_staff"], datetime.now().date())
    made = export(jw323.EXPORTER, concept, world.users["provider_staff"])
    answer = answer_to(made.content, "(//m:Prestatie)[1]", "0611", declaration=True)
    received = read(world, answer, "provider_admin")
    assert received.report.ok, received.report.findings
    refusals = select_refusals()
    assert [(r.declaration_line_id, r.code) for r in refusals] == [
        (concept.lines[0].id, "0611")]
    login_as(client, world.users["provider_staff"])
    page = client.get(f"/declaraties/{concept.id}").get_data(as_text=True)
    assert "Geweigerd door de ontvanger (JW323" in page and "0611" in page


def test_an_answer_to_no_message_of_the_portal_is_refused(world):
    trajectory = world.trajectory()
    made = export(jw301.EXPORTER, trajectory.current_allocation, world.users["access_staff"])
    stranger = made.content.replace(f">{made.identification}<".encode(), b">777777777<")
    received = read(world, answer_to(stranger, "//m:ToegewezenProduct", "9332"),
                    "access_staff")
    assert not received.report.ok
    assert "hoort niet bij een bericht" in received.report.findings[0].message
    assert select_refusals() == []


def select_refusals() -> list[IjwRefusal]:
    from portal.extensions import db

    return db.session.scalars(select(IjwRefusal).order_by(IjwRefusal.id)).all()


def test_a_jw320_refusing_a_jw319_is_noted_on_the_request(client, world):
    from portal.domain.codes import WJ759
    from portal.domain.requests import reject_allocation_request
    from portal.ijw.registry import EXPORTERS
    from tests.ijw.test_jw319 import wish

    request = wish(world)
    reject_allocation_request(request, WJ759.NO_CONTRACT, "", world.users["access_staff"])
    made = export(EXPORTERS["JW319-VOT"], request, world.users["access_staff"])
    received = read(world, answer_to(made.content, "//m:Antwoord", "9359"), "access_staff")
    assert received.report.ok, received.report.findings
    assert [(r.allocation_request_id, r.code) for r in select_refusals()] == [
        (request.id, "9359")]
    login_as(client, world.users["access_staff"])
    page = client.get(f"/verzoeken/toewijzing/{request.id}").get_data(as_text=True)
    assert "Geweigerd door de ontvanger (JW319" in page
