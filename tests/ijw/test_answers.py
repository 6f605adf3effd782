"""Answer messages for what the portal reads (OP090, OP090x4): the codes of what it refused,
0200 where it has no remark; each one valid against its XSD and the chain's stylesheet."""

import re

from lxml import etree

from portal.domain.declarations import delete_concept
from portal.ijw import jw317, jw323
from portal.ijw.exporting import export
from portal.ijw.parsing import schema_findings, xsd_dir
from portal.ijw.receiving import receive_message
from portal.ijw.rules import stylesheet_findings
from portal.ijw.standard import KINDS
from tests.declaring import declare
from tests.factories import next_bsn
from tests.ijw.messages import jw301, product


def checked(received, kind: str):
    """The answer as a tree with the `m` prefix for its namespace."""
    assert received.answer is not None and received.answer.kind.name == kind
    root = etree.fromstring(received.answer.content)
    assert schema_findings(root, KINDS[kind], xsd_dir()) == []
    assert stylesheet_findings(root) == []
    return root, {"m": KINDS[kind].namespace}


def codes(root, ns, path: str) -> list[list[str]]:
    return [[code.text for code in element.findall("m:RetourCodes/m:RetourCode", ns)]
            for element in root.findall(path, ns)]


def by_access_staff(world, data: bytes):
    actor = world.users["access_staff"]
    return receive_message(data, actor=actor, municipality=actor.municipality, source="t.xml")


def test_a_jw301_read_gets_a_jw302_with_0200_everywhere(world):
    received = by_access_staff(world, jw301(product(300201), product(
        300202, "01L", start="2026-08-01", end="2026-12-31"), receiver=world.providers[0].agb_code,
                                            bsn=next_bsn()))
    assert received.report.ok, received.report.findings
    root, ns = checked(received, "JW302")
    assert root.findtext("m:Header/m:BerichtIdentificatie/{*}Identificatie", namespaces=ns) == "T1"
    assert root.findtext("m:Header/m:IdentificatieRetour", namespaces=ns) == (
        received.answer.identification)
    assert codes(root, ns, "m:Header") == [[]]
    assert codes(root, ns, "m:Client") == [["0200"]]
    assert codes(root, ns, ".//m:ToegewezenProduct") == [["0200"], ["0200"]]
    assert codes(root, ns, ".//m:Contact") == [["0200"]]


def test_a_refused_jw301_names_the_refused_allocation(world):
    received = by_access_staff(world, jw301(product(300201), product(300202, "99Z"),
                                            receiver=world.providers[0].agb_code,
                                            bsn=next_bsn()))
    assert not received.report.ok
    root, ns = checked(received, "JW302")
    assert codes(root, ns, ".//m:ToegewezenProduct") == [["0200"], ["S329"]]


def test_a_message_of_another_municipality_is_refused_in_the_header(world):
    received = by_access_staff(world, jw301(product(300201), sender="0503",
                                            receiver=world.providers[0].agb_code,
                                            bsn=next_bsn()))
    root, ns = checked(received, "JW302")
    assert codes(root, ns, "m:Header") == [["S300"]]


def test_a_message_against_its_xsd_gets_the_header_alone_with_0001(world):
    data = jw301(product(300201), receiver=world.providers[0].agb_code, bsn=next_bsn())
    received = by_access_staff(world, data.replace(b"<jw301:Geslacht>0", b"<jw301:Geslacht>7"))
    root, ns = checked(received, "JW302")
    assert codes(root, ns, "m:Header") == [["0001"]]
    assert root.find("m:Client", ns) is None


def test_a_jw317_the_portal_does_not_read_gets_a_jw318_saying_so(world):
    from datetime import date

    from portal.domain.codes import WJ758
    from portal.domain.requests import request_change

    trajectory = world.trajectory(start=date(2026, 11, 1), end=date(2027, 6, 30),
                                  started_on=date(2026, 11, 2))
    change = request_change(trajectory, reason=WJ758.CARE_PLAN,
                            arrangement=world.arrangements["ontw_zwaar"],
                            end_date=date(2027, 6, 30), motivation="Zwaarder",
                            actor=world.users["provider_staff"])
    made = export(jw317.EXPORTER, change, None)
    received = by_access_staff(world, made.content)
    root, ns = checked(received, "JW318")
    assert codes(root, ns, "m:Header") == [["0001"]]
    assert codes(root, ns, "m:Client") == [["0200"]]


def test_a_refused_jw323_gets_a_jw325_rejecting_every_line(world):
    world.trajectory("started")
    world.trajectory("started")
    concept = declare(world)
    made = export(jw323.EXPORTER, concept, world.users["provider_staff"])
    delete_concept(concept, world.users["provider_staff"])
    assert by_access_staff(world, made.content).report.ok
    again = re.sub(rb"<ijw:Identificatie>\d+<", b"<ijw:Identificatie>999999<", made.content,
                   count=1)
    received = by_access_staff(world, again)
    assert not received.report.ok
    root, ns = checked(received, "JW325")
    assert root.findtext("m:Header/m:DeclaratieIdentificatie/{*}Identificatie",
                         namespaces=ns) == "999999"
    assert codes(root, ns, "m:Header") == [["0200"]]
    assert codes(root, ns, "m:DeclaratieAntwoord") == [["9333"]]
    # Refused with the message: listed, without a remark of their own.
    assert codes(root, ns, ".//m:Prestatie") == [["0200"], ["0200"]]
    assert codes(root, ns, ".//m:Clienten/m:Client") == [["0200"]] * len(
        root.findall(".//m:Clienten/m:Client", ns))
    assert root.findtext("m:DeclaratieAntwoord/m:TotaalToegekendBedrag/{*}TotaalBedrag",
                         namespaces=ns) == "0"


def test_an_accepted_jw323_waits_for_its_review(world):
    world.trajectory("started")
    concept = declare(world)
    made = export(jw323.EXPORTER, concept, world.users["provider_staff"])
    delete_concept(concept, world.users["provider_staff"])
    received = by_access_staff(world, made.content)
    assert received.report.ok and received.answer is None


def test_a_refused_line_of_a_jw323_carries_its_own_code(world):
    world.trajectory("started")
    world.trajectory("started")
    concept = declare(world)
    made = export(jw323.EXPORTER, concept, world.users["provider_staff"])
    delete_concept(concept, world.users["provider_staff"])
    tampered = re.sub(rb"<jw323:ToewijzingNummer>\d+</jw323:ToewijzingNummer>",
                      b"<jw323:ToewijzingNummer>987654</jw323:ToewijzingNummer>",
                      made.content, count=1)
    root, ns = checked(by_access_staff(world, tampered), "JW325")
    assert codes(root, ns, ".//m:Prestatie") == [["9338"], ["0200"]]
    assert codes(root, ns, "m:DeclaratieAntwoord") == [["0200"]]


def test_a_jw319_the_portal_does_not_read_gets_a_jw320(world):
    from portal.domain.codes import WJ759
    from portal.domain.requests import reject_allocation_request
    from portal.ijw.registry import EXPORTERS
    from tests.ijw.test_jw319 import wish

    request = wish(world)
    reject_allocation_request(request, WJ759.NO_CONTRACT, "", world.users["access_staff"])
    made = export(EXPORTERS["JW319-VOT"], request, None)
    received = receive_message(made.content, actor=world.users["provider_admin"],
                               municipality=None, source="t.xml")
    root, ns = checked(received, "JW320")
    assert codes(root, ns, "m:Header") == [["0001"]]
    assert codes(root, ns, "m:Antwoord") == [["0200"]]
