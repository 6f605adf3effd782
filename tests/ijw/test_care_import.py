"""JW305/JW307 read: a provider's record system starts and stops care through the domain
functions of the provider's forms, and gets JW306/JW308 back."""

from datetime import date

from lxml import etree
from sqlalchemy import func, select

from portal.domain.codes import JZ588
from portal.domain.lists import TrajectoryStatus
from portal.extensions import db
from portal.ijw.exporting import export
from portal.ijw.parsing import schema_findings, xsd_dir
from portal.ijw.receiving import receive_message
from portal.ijw.registry import EXPORTERS
from portal.ijw.rules import stylesheet_findings
from portal.ijw.standard import KINDS
from portal.models import AuditEvent, Trajectory
from tests.ijw.messages import BASE

_COUNTER = iter(range(1, 10**6))


def care_message(kind: str, trajectory: Trajectory, begin: date, *, end: date | None = None,
                 reason: str = "31", status: str = "1", sender: str | None = None,
                 number: int | None = None) -> bytes:
    """A JW305 (StartProduct) or JW307 (StopProduct) for the trajectory's current allocation."""
    allocation = trajectory.current_allocation
    prefix, code = kind.lower(), KINDS[kind].code
    item, items = ("StopProduct", "StopProducten") if kind == "JW307" else (
        "StartProduct", "StartProducten")
    stop = (f"<{prefix}:RedenBeeindiging>{reason}</{prefix}:RedenBeeindiging>"
            f"<{prefix}:Einddatum>{end.isoformat()}</{prefix}:Einddatum>") if end else ""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<{prefix}:Bericht xmlns:ijw="{BASE}" xmlns:{prefix}="{KINDS[kind].namespace}">
  <{prefix}:Header>
    <{prefix}:BerichtCode>{code}</{prefix}:BerichtCode>
    <{prefix}:BerichtVersie>3</{prefix}:BerichtVersie>
    <{prefix}:BerichtSubversie>2</{prefix}:BerichtSubversie>
    <{prefix}:Afzender>{sender or trajectory.provider.agb_code}</{prefix}:Afzender>
    <{prefix}:Ontvanger>{trajectory.municipality.cbs_code}</{prefix}:Ontvanger>
    <{prefix}:BerichtIdentificatie>
      <ijw:Identificatie>C{next(_COUNTER)}</ijw:Identificatie>
      <ijw:Dagtekening>2026-08-03</ijw:Dagtekening>
    </{prefix}:BerichtIdentificatie>
    <{prefix}:XsdVersie>
      <ijw:BasisschemaXsdVersie>1.0.0</ijw:BasisschemaXsdVersie>
      <ijw:BerichtXsdVersie>1.0.0</ijw:BerichtXsdVersie>
    </{prefix}:XsdVersie>
  </{prefix}:Header>
  <{prefix}:Client>
    <{prefix}:Bsn>{trajectory.client.bsn}</{prefix}:Bsn>
    <{prefix}:Geboortedatum><ijw:Datum>2015-05-17</ijw:Datum></{prefix}:Geboortedatum>
    <{prefix}:Geslacht>0</{prefix}:Geslacht>
    <{prefix}:Naam><ijw:Geslachtsnaam><ijw:Achternaam>Kind</ijw:Achternaam></ijw:Geslachtsnaam>
    </{prefix}:Naam>
    <{prefix}:{items}>
      <{prefix}:{item}>
        <{prefix}:ToewijzingNummer>{number or allocation.number}</{prefix}:ToewijzingNummer>
        <{prefix}:Product><ijw:Categorie>45</ijw:Categorie><ijw:Code>01M</ijw:Code></{prefix}:Product>
        <{prefix}:ToewijzingIngangsdatum>{allocation.start_date.isoformat()}</{prefix}:ToewijzingIngangsdatum>
        <{prefix}:Begindatum>{begin.isoformat()}</{prefix}:Begindatum>
        {stop}
        <{prefix}:StatusAanlevering>{status}</{prefix}:StatusAanlevering>
      </{prefix}:{item}>
    </{prefix}:{items}>
  </{prefix}:Client>
</{prefix}:Bericht>
""".encode()


def receive(world, data: bytes, user: str = "provider_admin"):
    return receive_message(data, actor=world.users[user], municipality=None, source="t.xml")


def retour_codes(received, kind: str, item: str) -> tuple[list[str], list[str]]:
    """The answer's codes on the header and on the product; the answer is checked against
    its XSD and the chain's stylesheet."""
    root = etree.fromstring(received.answer.content)
    assert received.answer.kind.name == kind
    assert schema_findings(root, KINDS[kind], xsd_dir()) == []
    assert stylesheet_findings(root) == []
    ns = {"m": KINDS[kind].namespace}
    header = [c.text for c in root.findall("m:Header/m:RetourCodes/m:RetourCode", ns)]
    product = [c.text for c in root.findall(f".//m:{item}/m:RetourCodes/m:RetourCode", ns)]
    return header, product


def test_a_jw305_starts_care_as_the_start_form_does(world):
    trajectory = world.trajectory()
    received = receive(world, care_message("JW305", trajectory, date(2026, 2, 4)))
    assert received.report.ok, received.report.findings
    assert (trajectory.status, trajectory.started_on) == (TrajectoryStatus.STARTED,
                                                          date(2026, 2, 4))
    assert db.session.scalar(select(func.count()).where(
        AuditEvent.action == "trajectory.started",
        AuditEvent.trajectory_id == trajectory.id)) == 1
    assert retour_codes(received, "JW306", "StartProduct") == ([], ["0200"])


def test_a_start_outside_the_allocation_is_refused_with_the_forms_rule(world):
    trajectory = world.trajectory()
    received = receive(world, care_message("JW305", trajectory, date(2026, 1, 15)))
    assert not received.report.ok
    assert "binnen de toewijzing" in received.report.findings[0].message
    assert trajectory.status == TrajectoryStatus.ALLOCATED
    assert retour_codes(received, "JW306", "StartProduct") == ([], ["0001"])


def test_an_unknown_allocation_is_9019(world):
    trajectory = world.trajectory()
    received = receive(world, care_message("JW305", trajectory, date(2026, 2, 4),
                                           number=987654))
    assert retour_codes(received, "JW306", "StartProduct") == ([], ["9019"])
    other = world.trajectory(provider=1)  # another provider's allocation
    received = receive(world, care_message("JW305", other, date(2026, 2, 4),
                                           sender=world.providers[0].agb_code))
    assert retour_codes(received, "JW306", "StartProduct") == ([], ["9019"])
    assert other.status == TrajectoryStatus.ALLOCATED


def test_only_the_providers_own_people_read_its_messages(world):
    trajectory = world.trajectory()
    for user in ("access_staff", "other_provider_staff"):
        received = receive(world, care_message("JW305", trajectory, date(2026, 2, 4)), user)
        assert not received.report.ok
    assert trajectory.status == TrajectoryStatus.ALLOCATED


def test_a_jw307_ends_care_and_a_stop_without_start_is_9063(world):
    trajectory = world.trajectory()
    early = receive(world, care_message("JW307", trajectory, date(2026, 2, 4),
                                        end=date(2026, 6, 30)))
    assert retour_codes(early, "JW308", "StopProduct") == ([], ["9063"])
    receive(world, care_message("JW305", trajectory, date(2026, 2, 4)))
    wrong_start = receive(world, care_message("JW307", trajectory, date(2026, 2, 5),
                                              end=date(2026, 6, 30)))
    assert retour_codes(wrong_start, "JW308", "StopProduct") == ([], ["9069"])
    stopped = receive(world, care_message("JW307", trajectory, date(2026, 2, 4),
                                          end=date(2026, 6, 30), reason="32"))
    assert stopped.report.ok, stopped.report.findings
    assert (trajectory.status, trajectory.ended_on, trajectory.end_reason) == (
        TrajectoryStatus.ENDED, date(2026, 6, 30), JZ588.EARLY_BY_CLIENT)
    assert retour_codes(stopped, "JW308", "StopProduct") == ([], ["0200"])


def test_a_correction_is_not_read(world):
    trajectory = world.trajectory()
    received = receive(world, care_message("JW305", trajectory, date(2026, 2, 4), status="2"))
    assert not received.report.ok
    assert trajectory.status == TrajectoryStatus.ALLOCATED


def test_the_portals_own_start_and_stop_messages_read_back_change_nothing(world):
    trajectory = world.trajectory("ended")
    for kind in ("JW305", "JW307"):
        made = export(EXPORTERS[kind], trajectory, None)
        received = receive(world, made.content)
        assert received.report.ok, received.report.findings
        assert (received.report.outcome.changed, received.report.outcome.unchanged) == (0, 1)
    assert (trajectory.started_on, trajectory.ended_on) == (date(2026, 2, 3), date(2026, 7, 31))


def test_the_command_reads_a_jw305_as_a_provider_and_writes_its_jw306(app, world, tmp_path):
    trajectory = world.trajectory()
    trajectory_id = trajectory.id
    message = tmp_path / "start.xml"
    message.write_bytes(care_message("JW305", trajectory, date(2026, 2, 4)))
    result = app.test_cli_runner().invoke(args=[
        "ijw", "import", "--as", "provider_admin@example.test", "--answers",
        str(tmp_path / "antwoorden"), str(message)])
    assert result.exit_code == 0, result.output
    assert "1 start(s) of einde(n) van zorg verwerkt" in result.output
    assert db.session.get(Trajectory, trajectory_id).status == TrajectoryStatus.STARTED
    [answer] = (tmp_path / "antwoorden").iterdir()
    assert answer.name.startswith("JW306_")
