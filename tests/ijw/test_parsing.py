"""Reading messages safely: samples, malformed XML, other standards, XML bombs, XSD checks."""

import time

import pytest

from portal.ijw.parsing import MAX_BYTES, MAX_SCHEMA_FINDINGS, MessageRefused, read_message
from portal.ijw.standard import KINDS
from tests.ijw.messages import (
    BILLION_LAUGHS,
    EXTERNAL_ENTITY,
    SAMPLES,
    jw301,
    product,
    sample,
)

BROKEN_SAMPLES = {"JW315", "JW318"}


def refused(data: bytes):
    with pytest.raises(MessageRefused) as caught:
        read_message(data)
    return caught.value.findings


@pytest.mark.parametrize("name", sorted(path.stem for path in SAMPLES.glob("JW*.xml")))
def test_every_sample_is_read_and_checked_against_its_schema(name):
    assert name in KINDS
    if name in BROKEN_SAMPLES:
        findings = refused(sample(name))
        assert findings and all(f.code == "WJ001 0001" and f.line for f in findings)
        assert all(f.message.startswith("Voldoet niet aan het XSD-schema") for f in findings)
        return
    message = read_message(sample(name))
    assert message.kind == KINDS[name]
    assert message.identification and message.sender and message.receiver


def test_the_jw315_sample_is_refused_for_its_impossible_date():
    findings = refused(sample("JW315"))
    assert [(f.line, f.path) for f in findings] == [
        (44, "/Bericht/Client/AangevraagdeProducten/AangevraagdProduct[1]/ToewijzingEinddatum"),
        (66, "/Bericht/Client/AangevraagdeProducten/AangevraagdProduct[2]/ToewijzingEinddatum"),
    ]
    assert "2027-06-31" in findings[0].message


def test_the_jw318_sample_is_refused_for_an_element_out_of_place():
    [finding] = refused(sample("JW318"))
    assert (finding.line, finding.path) == (33, "/Bericht/Client/Verzoek/RetourCode")


def test_malformed_xml_is_reported_with_its_line():
    data = b'<?xml version="1.0"?>\n<Bericht>\n  <Header>\n  </Kop>\n</Bericht>\n'
    [finding] = refused(data)
    assert finding.message.startswith("Het bestand is geen geldige XML")
    assert finding.line == 4 and finding.code == "WJ001 0001"


def test_an_empty_file_is_no_xml():
    [finding] = refused(b"")
    assert "geen geldige XML" in finding.message


@pytest.mark.parametrize("namespace, expected", [
    ("http://www.istandaarden.nl/ijw/3_1/jw301/schema", "geen bericht van iJw-release 3.2"),
    ("http://www.istandaarden.nl/iwmo/3_2/wmo301/schema", "geen bericht van iJw-release 3.2"),
    ("urn:example:toewijzing", "Dit is geen iJw-bericht"),
])
def test_a_message_of_another_standard_or_release_is_refused(world, namespace, expected):
    data = jw301(product(1), receiver=world.providers[0].agb_code, bsn="999900006")
    data = data.replace(b"http://www.istandaarden.nl/ijw/3_2/jw301/schema", namespace.encode())
    [finding] = refused(data)
    assert expected in finding.message and finding.line == 2 and finding.path == "/Bericht"


def test_a_header_of_another_version_is_refused(world):
    data = jw301(product(1), receiver=world.providers[0].agb_code, bsn="999900006", version="2")
    [finding] = refused(data)
    assert finding.message.startswith("De kop past niet bij JW301 van iJw 3.2")
    assert "versie 2.2" in finding.message and finding.path == "/Bericht/Header"


def test_a_billion_laughs_bomb_is_refused_without_expanding_it():
    started = time.perf_counter()
    for data in (BILLION_LAUGHS, BILLION_LAUGHS.decode().encode("utf-16")):
        [finding] = refused(data)
        assert "DOCTYPE" in finding.message and "lol" not in finding.message
    assert time.perf_counter() - started < 1


def test_an_external_entity_is_refused_and_never_read():
    [finding] = refused(EXTERNAL_ENTITY)
    assert "DOCTYPE" in finding.message
    assert "root:" not in finding.message


def test_a_doctype_without_entities_is_refused_too():
    [finding] = refused(b'<?xml version="1.0"?>\n<!DOCTYPE Bericht SYSTEM "jw301.dtd">\n'
                        b"<Bericht/>")
    assert "DOCTYPE" in finding.message


def test_a_file_too_large_is_not_read():
    [finding] = refused(b" " * (MAX_BYTES + 1))
    assert "groter dan 8 MB" in finding.message


def test_without_schemas_nothing_is_read(app, monkeypatch):
    monkeypatch.setitem(app.config, "IJW_XSD_DIR", None)
    [finding] = refused(sample("JW301"))
    assert "PORTAL_IJW_XSD_DIR" in finding.message and finding.code is None


def test_a_schema_folder_without_the_schema_is_reported(app, monkeypatch, tmp_path):
    monkeypatch.setitem(app.config, "IJW_XSD_DIR", str(tmp_path))
    [finding] = refused(sample("JW301"))
    assert "JW301.xsd kan niet worden gelezen" in finding.message


def test_a_flood_of_schema_errors_is_reported_readably(world):
    products = "".join(product(n, "TOOLONGCODE") for n in range(1, MAX_SCHEMA_FINDINGS + 11))
    findings = refused(jw301(products, receiver=world.providers[0].agb_code, bsn="999900006"))
    assert len(findings) == MAX_SCHEMA_FINDINGS + 1
    assert findings[-1].message == "En nog 10 fouten tegen het XSD-schema."
