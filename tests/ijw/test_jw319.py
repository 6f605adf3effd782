"""JW319: the municipality's answer to a request it rejected, valid against its XSD and the
chain's stylesheet (the export checks both)."""

from datetime import date

import pytest
from lxml import etree

from portal.domain import DomainError
from portal.domain.codes import COD327, WJ758, WJ759
from portal.domain.requests import (
    AllocationWish,
    reject_allocation_request,
    reject_change,
    request_allocation,
    request_change,
)
from portal.domain.trajectories import ChildDetails
from portal.ijw.exporting import export
from portal.ijw.registry import EXPORTERS
from portal.ijw.standard import KINDS
from tests.conftest import login_as
from tests.factories import next_bsn

NS = {"m": KINDS["JW319"].namespace}


def wish(world):
    return request_allocation(world.providers[0], AllocationWish(
        ChildDetails(next_bsn(), date(2012, 1, 1), "Ali", "Vos"), world.municipalities[0],
        COD327.GENERAL_PRACTITIONER, world.arrangements["ontw_midden"], date(2026, 3, 1),
        date(2026, 8, 31), "Verwezen", referrer_name="Huisarts Jansen"),
        world.users["provider_staff"])


def answer(exporter_key: str, request) -> etree._Element:
    made = export(EXPORTERS[exporter_key], request, None)
    return etree.fromstring(made.content)


def test_a_rejected_allocation_request_gets_its_jw319(world):
    request = wish(world)
    with pytest.raises(DomainError):  # not decided yet
        export(EXPORTERS["JW319-VOT"], request, None)
    reject_allocation_request(request, WJ759.NO_CONTRACT, "", world.users["access_staff"])
    root = answer("JW319-VOT", request)
    assert root.findtext("m:Header/m:Afzender", namespaces=NS) == "0518"
    assert root.findtext("m:Antwoord/m:ReferentieAanbieder", namespaces=NS) == (
        f"VOT-{request.id}")
    assert root.findtext("m:Antwoord/m:VerzoekAntwoord", namespaces=NS) == "1"
    assert root.findtext("m:Antwoord/m:RedenAfwijzingVerzoek", namespaces=NS) == "3"


def test_a_rejected_change_request_gets_its_jw319(client, world):
    trajectory = world.trajectory("started")
    change = request_change(trajectory, reason=WJ758.CARE_PLAN,
                            arrangement=world.arrangements["ontw_zwaar"],
                            end_date=date(2026, 7, 31), motivation="Zwaarder",
                            actor=world.users["provider_staff"])
    reject_change(change, WJ759.STACKING, "", world.users["access_staff"])
    root = answer("JW319-VOW", change)
    assert root.findtext("m:Antwoord/m:ReferentieAanbieder", namespaces=NS) == (
        f"VOW-{change.id}")
    assert root.find("m:Antwoord/m:Woonplaatsbeginsel", NS) is None  # TR409
    login_as(client, world.users["access_staff"])
    page = client.get(f"/verzoeken/wijziging/{change.id}").get_data(as_text=True)
    assert "Antwoord op het verzoek (JW319)" in page
    download = client.post(f"/verzoeken/wijziging/{change.id}/jw319")
    assert download.status_code == 200 and b"<jw319:VerzoekAntwoord>1<" in download.data


def test_a_rejection_for_the_residence_principle_has_no_jw319(world):
    request = wish(world)
    reject_allocation_request(request, WJ759.RESIDENCE_PRINCIPLE, "",
                              world.users["access_staff"])
    with pytest.raises(DomainError, match="TR377"):
        export(EXPORTERS["JW319-VOT"], request, None)
