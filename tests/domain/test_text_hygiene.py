"""Text in (no control or reading-direction characters, within the column) from every path,
and text out (no formula in a CSV cell)."""

import csv
import io

import pytest

from portal.domain.allocation_import import import_allocations
from portal.domain.text_hygiene import NumberText, spreadsheet_cell, text_problem
from portal.extensions import db
from portal.ijw.importing import import_message
from tests.conftest import login_as
from tests.factories import next_bsn
from tests.ijw.messages import jw301, product

HOSTILE = ["\x00", "\x01", "\x1b[31m", "\r", "\n", "\x7f", "\x85", "\x9b", "\u202a", "\u202e",
           "\u2066", "\u2069"]


@pytest.mark.parametrize("char", HOSTILE, ids=lambda c: f"U+{ord(c[0]):04X}")
def test_control_and_bidi_characters_are_refused_in_a_line(char):
    assert "niet is toegestaan" in str(text_problem(f"Sam{char}Vos", 80))


@pytest.mark.parametrize("value", ["Zoë Ünal-d'Arc", "李", "emoji 🙂", "a\u200db"])
def test_ordinary_names_pass(value):
    assert text_problem(value, 80) is None


def test_multi_line_text_keeps_its_line_breaks_and_tabs_only():
    assert text_problem("Eerste regel\r\nTweede\tregel", None, multiline=True) is None
    assert text_problem("bel\x07", None, multiline=True) is not None
    assert text_problem("omgekeerd \u202e", None, multiline=True) is not None


def test_a_text_longer_than_its_column_is_refused_with_the_numbers():
    assert str(text_problem("x" * 81, 80)) == ("Dit veld mag ten hoogste 80 tekens bevatten "
                                               "(nu 81).")


CSV_HEADER = ("bsn;geboortedatum;voornaam;achternaam;agb_code;productcategorie;productcode;"
              "startdatum;einddatum")


@pytest.mark.parametrize("given, family, expected", [
    ("S" * 81, "Vos", "Voornaam: Dit veld mag ten hoogste 80 tekens bevatten (nu 81)."),
    ("Sam", "V" * 121, "Achternaam: Dit veld mag ten hoogste 120 tekens bevatten (nu 121)."),
    ("Sa\x00m", "Vos", "Voornaam: Dit veld bevat een teken dat niet is toegestaan (U+0000)"),
    ("Sam", "Vos\x1b", "Achternaam: Dit veld bevat een teken dat niet is toegestaan (U+001B)"),
    ("Sam\u202e", "Vos", "(U+202E)"),
    ("Sam", "V\x01os", "(U+0001)"),
], ids=["given name 81", "family name 121", "NUL", "ESC", "RLO", "SOH"])
def test_csv_rows_with_bad_names_are_named_not_a_crash(world, given, family, expected):
    agb = world.providers[0].agb_code
    good = f"{next_bsn()};17-05-2015;Sam;Vos;{agb};45;01M;01-02-2026;31-07-2026"
    bad = f"{next_bsn()};17-05-2015;{given};{family};{agb};45;01M;01-02-2026;31-07-2026"
    data = "\n".join([CSV_HEADER, good, bad]).encode()
    result = import_allocations(data, world.municipalities[0], world.users["access_staff"])
    assert not result.created
    [error] = result.errors
    assert error.line == 3 and expected in error.message


def test_a_jw301_with_a_reversed_name_is_refused_at_the_name(world):
    data = jw301(product(300301), receiver=world.providers[0].agb_code, bsn=next_bsn(),
                 given_names="Sanne\u202eave")
    report = import_message(data, actor=world.users["access_staff"],
                            municipality=world.municipalities[0], source="t.xml")
    assert not report.ok
    [finding] = report.findings
    assert "Voornamen van het kind" in str(finding.message) and "U+202E" in str(finding.message)
    assert finding.path.endswith("Naam")


@pytest.mark.parametrize("text", ["=HYPERLINK(\"http://x\")", "=1+1", "+1", "-1", "@SUM(1)",
                                  "\tx", "\rx"])
def test_formula_cells_are_neutralised(text):
    assert spreadsheet_cell(text) == "'" + text


def test_the_portals_own_numbers_stay_numbers():
    assert spreadsheet_cell(-12) == -12
    assert spreadsheet_cell(NumberText("-12,50")) == "-12,50"
    assert spreadsheet_cell("Horizon") == "Horizon"


@pytest.mark.parametrize("name", ["=HYPERLINK(\"http://evil.example\",\"klik\")", "=1+1", "+1",
                                  "-1", "@SUM(1)"])
def test_the_steering_csv_neutralises_a_providers_name(client, world, name):
    world.providers[0].name = name
    for _ in range(5):
        world.trajectory("ended")
    db.session.commit()
    login_as(client, world.users["contract_manager"])
    body = client.get("/stuurinformatie/export.csv?van=2026-01-01&tot=2026-12-31").get_data(
        as_text=True)
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff")), delimiter=";"))
    [horizon] = [row for row in rows if row[0].endswith(name)]
    assert horizon[0] == "'" + name
    assert horizon[3] == "5"  # the numbers beside it are numbers


def test_the_allocation_form_refuses_control_characters_and_keeps_the_input(client, world):
    login_as(client, world.users["access_staff"])
    data = {"bsn": next_bsn(), "birth_date": "2015-05-17", "given_name": "Noor\u202e",
            "family_name": "Bak\x1bker", "provider": world.providers[0].id,
            "arrangement": world.arrangements["ontw_midden"].id,
            "start_date": "2026-02-01", "end_date": "2026-07-31"}
    response = client.post("/toewijzingen/nieuw", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and html.count("niet is toegestaan") >= 2
    assert "U+202E" in html and "U+001B" in html and data["bsn"] in html


def test_a_goal_keeps_its_line_breaks_but_not_a_bell(client, world):
    trajectory = world.trajectory("started")
    login_as(client, world.users["provider_staff"])
    url = f"/trajecten/{trajectory.id}/doelen/nieuw"
    goal = {"life_domain": "education_work", "description": "Naar school\r\n\tvijf dagen",
            "treatment_aim": "Minder angst", "societal_aim": "Weer naar school"}
    assert client.post(url, data=goal).status_code == 302
    refused = client.post(url, data=goal | {"societal_aim": "Weer\x07 naar school"})
    assert refused.status_code == 200 and "U+0007" in refused.get_data(as_text=True)
    assert [g.description for g in trajectory.goals] == ["Naar school\r\n\tvijf dagen"]


def test_csv_codes_with_a_nul_byte_are_row_messages_not_queries(world):
    data = "\n".join([CSV_HEADER, "99990\x000006;17-05-2015;Sam;Vos;1234\x005678;45;01M;"
                      "01-02-2026;31-07-2026"]).encode()
    result = import_allocations(data, world.municipalities[0], world.users["access_staff"])
    [error] = result.errors
    assert error.line == 2 and "AGB-code" in error.message
