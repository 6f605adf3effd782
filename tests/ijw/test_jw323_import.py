"""JW323 import: a provider's declaration from its own system, through the same checks as a
declaration made in the portal; all of it or nothing."""

import re
from datetime import date

import pytest
from sqlalchemy import func, select

from portal.domain.declarations import check_month_free, delete_concept
from portal.domain.lists import DeclarationStatus, LineStatus
from portal.domain.review import approve_line
from portal.extensions import db
from portal.ijw import jw323, jw325
from portal.ijw.exporting import export
from portal.ijw.importing import import_message
from portal.ijw.parsing import read_message
from portal.models import Declaration, DeclarationLine
from tests.declaring import declare, measure_end
from tests.ijw.declared_month import month_declared_in_the_portal, month_taken_message, renumbered
from tests.ijw.messages import sample

FIELDS = ("reference", "allocation_id", "tranche", "product_category", "product_code",
          "period_start", "period_end", "amount_cents", "debit_credit")


def facts(lines) -> list[tuple]:
    return [tuple(getattr(line, name) for name in FIELDS) for line in lines]


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def exported(world):
    """The JW323 of a concept with two lines, and those lines; the concept is gone again."""
    world.trajectory("started")
    world.trajectory("started")
    concept = declare(world)
    lines = facts(concept.lines)
    made = export(jw323.EXPORTER, concept, world.users["provider_staff"])
    delete_concept(concept, world.users["provider_staff"])
    return made.content, lines


def bring_in(world, data: bytes, municipality=0):
    return import_message(data, actor=world.users["access_staff"],
                          municipality=world.municipalities[municipality], source="d.xml")


def test_an_exported_declaration_imports_back_to_the_same_lines(world, exported):
    data, lines = exported
    report = bring_in(world, data)
    assert report.ok, report.findings
    assert report.outcome.created == 2 and "2 regel(s)" in report.summary()
    declaration = db.session.scalars(select(Declaration)).one()
    assert (declaration.provider, declaration.municipality, declaration.status) == (
        world.providers[0], world.municipalities[0], DeclarationStatus.SUBMITTED)
    # The portal's own number comes back with its hyphen (TR333: one numbering).
    assert declaration.number == "D2026-00001"
    assert facts(declaration.lines) == lines
    assert {line.status for line in declaration.lines} == {LineStatus.SUBMITTED}


def test_importing_the_same_declaration_twice_changes_nothing(world, exported):
    data, _lines = exported
    assert bring_in(world, data).ok
    again = bring_in(world, data)
    assert again.ok and again.imported_before is not None
    assert (count(Declaration), count(DeclarationLine)) == (1, 2)


def refused_codes(report) -> list[str]:
    assert not report.ok
    assert (count(Declaration), count(DeclarationLine)) == (0, 0)
    assert all(finding.line for finding in report.findings)
    return [finding.code for finding in report.findings]


def tampered_amount(data: bytes, lines: list, extra: int) -> bytes:
    """The first line's amount (its volume and Bedrag) and the total `extra` cents higher:
    a message that keeps the chain's rules (CS339, TR358) with an amount of its own."""
    amount = lines[0][FIELDS.index("amount_cents")]
    total = sum(line[FIELDS.index("amount_cents")] for line in lines)
    first = data.index(b"<jw323:Prestatie>")
    head, body = data[:first], data[first:]
    body = body.replace(f">{amount}<".encode(), f">{amount + extra}<".encode(), 2)
    head = head.replace(f"<ijw:TotaalBedrag>{total}<".encode(),
                        f"<ijw:TotaalBedrag>{total + extra}<".encode())
    return head + body


def test_a_tampered_amount_is_refused_with_0611(world, exported):
    data, lines = exported
    report = bring_in(world, tampered_amount(data, lines, 100))
    codes = refused_codes(report)
    assert codes == ["WJ001 0611"], report.findings
    assert "IngediendBedrag" in report.findings[0].path or "Prestatie" in report.findings[0].path


def test_an_unknown_allocation_is_refused_with_9338(world, exported):
    data, _lines = exported
    tampered = re.sub(rb"<jw323:ToewijzingNummer>\d+</jw323:ToewijzingNummer>",
                      b"<jw323:ToewijzingNummer>987654</jw323:ToewijzingNummer>", data, count=1)
    report = bring_in(world, tampered)
    assert refused_codes(report) == ["WJ001 9338"]
    assert report.findings[0].path.endswith("ToewijzingNummer")


def test_a_declaration_to_another_municipality_is_refused(world, exported):
    data, _lines = exported
    assert refused_codes(bring_in(world, data, municipality=1)) == ["WJ001 S300"]


def test_a_schema_error_is_reported_before_anything_else(world, exported):
    data, _lines = exported
    report = bring_in(world, data.replace(b"<ijw:DebetCredit>D</ijw:DebetCredit>",
                                          b"<ijw:DebetCredit>X</ijw:DebetCredit>", 1))
    assert not report.ok and "XSD" in report.findings[0].message


def test_the_sample_declaration_is_refused_by_the_chains_rules_first(world):
    """The sample repeats a Prestatie (TR101): refused before its parties are looked up."""
    report = bring_in(world, sample("JW323"))
    assert refused_codes(report) == ["WJ001 0001"]
    assert report.findings[0].rule == "TR101"
    assert report.findings[0].path.endswith("/Client[2]/Prestaties/Prestatie[2]")


def test_a_date_with_a_time_zone_is_reported_not_a_crash(world, exported):
    data, _lines = exported
    report = bring_in(world, data.replace(b"<ijw:Begindatum>2026-02-01</ijw:Begindatum>",
                                          b"<ijw:Begindatum>2026-02-01+01:00</ijw:Begindatum>",
                                          1))
    assert not report.ok and "2026-02-01+01:00" in report.findings[0].message


def test_the_command_line_imports_a_declaration_as_a_municipal_account(app, world, exported,
                                                                     tmp_path):
    data, lines = exported
    path = tmp_path / "declaratie.xml"
    path.write_bytes(data)
    runner = app.test_cli_runner()
    refused = runner.invoke(args=["ijw", "import", str(path)])
    assert refused.exit_code == 1
    result = runner.invoke(args=["ijw", "import", "--as", "access_staff@example.test",
                                 str(path)])
    assert result.exit_code == 0, result.output
    assert facts(db.session.scalars(select(Declaration)).one().lines) == lines


def test_an_end_tranche_without_the_end_measurement_is_refused(world):
    """The portal declares an end tranche once the end measurement is in; so does a JW323."""
    trajectory = world.trajectory("ended", ended_on=date(2026, 2, 20))
    measurement = measure_end(trajectory, world.users["provider_staff"])
    concept = declare(world)
    made = export(jw323.EXPORTER, concept, world.users["provider_staff"])
    delete_concept(concept, world.users["provider_staff"])
    db.session.delete(measurement)
    db.session.flush()
    report = bring_in(world, made.content)
    assert not report.ok
    [finding] = report.findings
    assert "eindmeting" in finding.message and finding.path.endswith("/Prestatie[2]")


def test_the_answer_names_the_imported_declaration_message(world, exported):
    """IV087: the JW325 carries the BerichtIdentificatie and Dagtekening of its JW323."""
    data, _lines = exported
    report = bring_in(world, data)
    declaration = db.session.get(Declaration, report.outcome.declaration_id)
    for line in declaration.lines:
        approve_line(line, world.users["reviewer"])
    answer = read_message(export(jw325.EXPORTER, declaration, None).content)
    sent = read_message(data)
    assert (answer.text("m:Header/m:DeclaratieIdentificatie/b:Identificatie"),
            answer.text("m:Header/m:DeclaratieIdentificatie/b:Dagtekening")) == (
        sent.identification, sent.text("m:Header/m:BerichtIdentificatie/b:Dagtekening"))
    assert answer.text("m:DeclaratieAntwoord/m:RetourCodes/m:RetourCode") == "8001"


def allocations(lines: list[tuple]) -> set[int]:
    return {line[FIELDS.index("allocation_id")] for line in lines}


def assert_refused_for_the_month(world, report, declaration: Declaration) -> None:
    assert not report.ok
    [finding] = report.findings
    assert finding.message == month_taken_message(world)
    assert "Er is al een declaratie over februari 2026" in finding.message
    assert declaration.number in finding.message
    assert finding.path == "/Bericht/Declaratie/DeclaratiePeriode" and finding.line
    assert finding.code is None  # no WJ001 code names the rule: the JW325 says 0001
    assert (count(Declaration), count(DeclarationLine)) == (1, 1)  # the portal's only


@pytest.mark.parametrize("submitted", [False, True], ids=["open concept", "submitted"])
def test_a_month_already_declared_is_refused_as_in_the_portal(world, exported, submitted):
    """One declaration per provider, municipality and month, whichever door it comes
    through: the web form's message, nothing stored (the database's index would refuse)."""
    data, lines = exported
    declaration = month_declared_in_the_portal(world, allocations(lines), submitted)
    report = bring_in(world, renumbered(data))
    assert_refused_for_the_month(world, report, declaration)


def test_a_month_declared_meanwhile_is_refused_as_in_the_portal(world, exported,
                                                                monkeypatch):
    """The race: the month was free when the message was read, and another transaction
    committed its declaration before this one stored it. The index refuses the insert; the
    import answers as it would have a moment later."""
    data, lines = exported
    declaration = month_declared_in_the_portal(world, allocations(lines), submitted=True)
    checks = []

    def free_at_first(*args) -> None:  # the winner had not committed yet
        checks.append(args)
        if len(checks) > 1:
            check_month_free(*args)

    monkeypatch.setattr(jw323, "check_month_free", free_at_first)
    report = bring_in(world, renumbered(data))
    assert len(checks) == 2  # read free, then asked again after the index refused
    assert_refused_for_the_month(world, report, declaration)
