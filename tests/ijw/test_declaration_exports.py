"""Exports JW323 and JW325: read back through the safe reader, which checks the XSD."""

import pytest

from portal.domain import DomainError
from portal.domain.codes import WJ001
from portal.domain.review import approve_line, reject_line
from portal.ijw import jw323, jw325
from portal.ijw.exporting import export
from tests.declaring import declare, submit
from tests.ijw.test_exports import produce, texts

PRESTATIE = "m:Declaratie/m:Clienten/m:Client/m:Prestaties/m:Prestatie"
ANSWERED = "m:DeclaratieAntwoord/m:Clienten/m:Client/m:Prestaties/m:Prestatie"


@pytest.fixture
def declaration(world):
    world.trajectory("started")
    world.trajectory("started")
    declaration = declare(world)
    assert len(declaration.lines) == 2
    return declaration


def test_a_concept_declaration_as_jw323(world, declaration):
    message = produce(jw323.EXPORTER, declaration, world.users["provider_staff"])
    assert (message.sender, message.receiver) == (world.providers[0].agb_code, "0518")
    assert texts(message, message.find("m:Declaratie"), "m:DeclaratieNummer",
                 "m:DeclaratiePeriode/b:Begindatum", "m:DeclaratiePeriode/b:Einddatum",
                 "m:TotaalIngediendBedrag/b:TotaalBedrag",
                 "m:TotaalIngediendBedrag/b:DebetCredit") == (
        declaration.number.replace("-", ""), "2026-02-01", "2026-02-28",
        str(sum(line.amount_cents for line in declaration.lines)), "D")
    items = message.findall(PRESTATIE)
    assert [texts(message, item, "m:ProductReferentie/b:ReferentieNummer", "m:ToewijzingNummer",
                  "m:ProductCategorie", "m:ProductCode", "m:ProductPeriode/b:Begindatum",
                  "m:ProductPeriode/b:Einddatum", "m:GeleverdVolume", "m:Eenheid",
                  "m:IngediendBedrag/b:Bedrag", "m:IngediendBedrag/b:DebetCredit")
            for item in items] == [
        (line.reference, str(line.allocation.number), str(line.product_category.value),
         line.product_code, line.period_start.isoformat(), line.period_end.isoformat(),
         str(line.amount_cents), "83", str(line.amount_cents), "D")
        for line in declaration.lines]
    # The unit of the allocation (TR341: euros, as the JW301 says); no tariff with it (CD087).
    assert all(message.find("m:ProductTarief", item) is None for item in items)


def test_a_submitted_declaration_as_jw323(world, declaration):
    submit(world, declaration)
    message = produce(jw323.EXPORTER, declaration)
    assert len(message.findall(PRESTATIE)) == 2


def test_the_answer_lists_the_rejected_lines_and_the_total_awarded(world, declaration):
    submit(world, declaration)
    reviewer = world.users["reviewer"]
    with pytest.raises(DomainError, match="Nog niet alle regels"):
        export(jw325.EXPORTER, declaration, reviewer)
    approved, rejected = declaration.lines
    approve_line(approved, reviewer)
    reject_line(rejected, WJ001.NOT_THIS_CLIENT, "Te vroeg", reviewer)
    message = produce(jw325.EXPORTER, declaration, world.users["provider_staff"])
    assert (message.sender, message.receiver) == ("0518", world.providers[0].agb_code)
    answer = message.find("m:DeclaratieAntwoord")
    assert texts(message, answer, "m:DeclaratieNummer", "m:TotaalIngediendBedrag/b:TotaalBedrag",
                 "m:TotaalToegekendBedrag/b:TotaalBedrag",
                 "m:TotaalToegekendBedrag/b:DebetCredit") == (
        declaration.number.replace("-", ""), str(approved.amount_cents + rejected.amount_cents),
        str(approved.amount_cents), "D")
    [item] = message.findall(ANSWERED)
    assert texts(message, item, "m:ProductReferentie/b:ReferentieNummer",
                 "m:RetourCodes/m:RetourCode") == (rejected.reference, "8187")


def test_an_answer_with_every_line_approved_has_no_clients(world, declaration):
    submit(world, declaration)
    for line in declaration.lines:
        approve_line(line, world.users["reviewer"])
    message = produce(jw325.EXPORTER, declaration)
    assert message.findall(ANSWERED) == []
    # IV087: a fully approved declaration is 8001, under a header with 0200.
    assert message.text("m:DeclaratieAntwoord/m:RetourCodes/m:RetourCode") == "8001"
    assert message.text("m:Header/m:RetourCodes/m:RetourCode") == "0200"
