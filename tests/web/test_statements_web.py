"""PDF statements: every printed figure equals the database's sums, downloads are scoped and
audited, a closed period's PDF is kept, and /verify confirms a code with its figures."""

import re
import zlib
from datetime import date

import pytest
from sqlalchemy import func, select

from portal.domain.codes import COD043, WJ001
from portal.domain.declarations import credit_line
from portal.domain.lists import LineStatus
from portal.domain.payment_exports import create_export
from portal.domain.review import approve_line, reject_line
from portal.extensions import db
from portal.formatting import format_cents
from portal.models import AuditEvent, DeclarationLine, Statement
from tests.conftest import login_as, refresh_figures
from tests.declaring import declare, submit
from tests.layers import shared_layer
from tests.poppler import pdf_info, pdf_to_text

YEAR_2026 = {"periode": "2026"}


def pdf_text(response) -> str:
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/pdf"
    return pdf_to_text(response.data)


def amounts(line: str) -> list[str]:
    return re.findall(r"-?€ [\d.]+,\d\d", line)


def row(text: str, start: str) -> str:
    [line] = [ln for ln in text.splitlines() if ln.strip().startswith(start)]
    return line


@shared_layer(on="world")
def decided(world):
    """2026 for Horizon (T-001): February two approved, one rejected, one line for Delft;
    one approved line credited in March, March's lines still open; February exported.
    Built once for the tests here, the figures store up to date."""
    reviewer = world.users["reviewer"]
    for arrangement in ("ontw_midden", "ontw_midden", "ontw_zwaar"):
        world.trajectory("started", arrangement=arrangement)
    world.trajectory("started", municipality=1)
    february = declare(world, date(2026, 2, 1))
    submit(world, february)
    approve_line(february.lines[0], reviewer)
    approve_line(february.lines[2], reviewer)
    reject_line(february.lines[1], WJ001.NOT_THIS_CLIENT, "Bedrag wijkt af.", reviewer)
    delft = declare(world, date(2026, 2, 1), municipality=1)
    submit(world, delft)
    create_export(world.municipalities[0], date(2026, 2, 1), date(2026, 2, 1), reviewer)
    correction = credit_line(february.lines[0], world.users["provider_staff"],
                             date(2026, 3, 10))
    submit(world, correction, today=date(2026, 3, 10))
    credit = next(ln for ln in correction.lines if ln.debit_credit.value == "C")
    approve_line(credit, reviewer)
    db.session.commit()
    refresh_figures()  # as the first request after these commits would: part of the layer
    return february


def expected_money(world, provider=0, municipality=None, arrangement=None) -> list[str]:
    """Declared, approved, rejected, credited, open, exported: summed here from the lines."""
    lines = [ln for ln in db.session.scalars(select(DeclarationLine))
             if ln.provider_id == world.providers[provider].id
             and ln.status != LineStatus.CONCEPT
             and (municipality is None or ln.municipality_id == municipality.id)
             and (arrangement is None or ln.allocation.arrangement_id == arrangement.id)]
    debit = [ln for ln in lines if ln.debit_credit.value == "D"]
    signed = [True, True, True, False, True, True]  # credited is shown as a positive sum
    return [format_cents(sum(ln.signed_amount_cents if sign else ln.amount_cents
                             for ln in selection))
            for sign, selection in zip(signed, (
        debit,
        [ln for ln in debit if ln.status == LineStatus.APPROVED],
        [ln for ln in debit if ln.status == LineStatus.REJECTED],
        [ln for ln in lines if ln.debit_credit.value == "C"
         and ln.status == LineStatus.APPROVED],
        [ln for ln in lines if ln.status == LineStatus.SUBMITTED],
        [ln for ln in lines if ln.payment_export_id is not None]), strict=True)]


def statement_url(world, contract=0) -> str:
    return f"/overzichten/contracten/{world.contracts[contract].id}"


def get_statement(client, world, args, contract=0):
    """A contract statement is made by a job (run at once in tests): ask, then download
    the job's file."""
    response = client.get(statement_url(world, contract), query_string=args)
    if response.status_code != 302:
        return response
    return client.get(response.headers["Location"] + "/bestand")


def test_contract_statement_figures_equal_the_database(client, world, decided):
    login_as(client, world.users["contract_manager"])
    text = pdf_text(get_statement(client, world, YEAR_2026))
    assert "Contractoverzicht" in text and "T-001" in text and "Horizon Jeugdhulp" in text
    assert "01-01-2026 tot en met 31-12-2026" in text
    total = expected_money(world)
    assert amounts(row(text, "Totaal")) == total
    for key, code in (("ontw_midden", "01M"), ("ontw_zwaar", "01Z"), ("ontw_licht", "01L")):
        arrangement = world.arrangements[key]
        line = row(text, code)
        assert amounts(line) == expected_money(world, arrangement=arrangement), code
    # the contracted tariff versions valid in the period
    assert "€ 8.400,00" in row(text, "45 01M")
    # allocations: four new in 2026 (one in Delft), all running, none ended
    assert row(text, "Nieuw toegewezen").split()[-1] == "4"
    assert row(text, "Lopend in de periode").split()[-1] == "4"
    # the appendix: one line per trajectory, the child masked, with its amounts
    for trajectory in {ln.allocation.trajectory for ln in db.session.scalars(
            select(DeclarationLine)) if ln.provider_id == world.providers[0].id}:
        client_ = trajectory.client
        lines = [ln for ln in db.session.scalars(select(DeclarationLine))
                 if ln.allocation.trajectory_id == trajectory.id
                 and ln.status != LineStatus.CONCEPT]
        declared = sum(ln.amount_cents for ln in lines if ln.debit_credit.value == "D")
        approved = sum(ln.signed_amount_cents for ln in lines
                       if ln.status == LineStatus.APPROVED)
        appendix = next(ln for ln in text.splitlines() if client_.masked_bsn in ln)
        assert amounts(appendix) == [format_cents(declared), format_cents(approved)]
        assert client_.bsn not in text and client_.family_name not in text
    # the headline figures on page one
    assert total[0] in text.split("1. Gecontracteerde")[0]
    # every page: the verification code and "pagina X van Y"
    pages = text.split("\f")[:-1]
    statement = db.session.scalar(select(Statement))
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        assert f"Verificatiecode {statement.code}" in page
        assert f"pagina {number} van {len(pages)}" in page
    assert statement.content["totals"]["declared"] == int(
        total[0].replace("€ ", "").replace(".", "").replace(",", ""))


def test_reviewer_gets_only_its_municipalitys_part(client, world, decided):
    login_as(client, world.users["other_reviewer"])  # Delft
    text = pdf_text(get_statement(client, world, YEAR_2026))
    assert "deel van gemeente Delft" in text
    assert amounts(row(text, "Totaal")) == expected_money(world,
                                                           municipality=world.municipalities[1])
    assert row(text, "Nieuw toegewezen").split()[-1] == "1"


def test_provider_gets_its_own_contract_and_not_another(client, world, decided):
    login_as(client, world.users["provider_staff"])
    assert get_statement(client, world, YEAR_2026).status_code == 200
    assert client.get(statement_url(world, contract=1),
                      query_string=YEAR_2026).status_code == 404
    index = client.get("/overzichten").get_data(as_text=True)
    assert "T-001" in index and "T-002" not in index


def test_declaration_statement_lists_lines_decisions_and_reasons(client, world, decided):
    login_as(client, world.users["provider_staff"])
    text = pdf_text(client.get(f"/overzichten/declaraties/{decided.id}.pdf"))
    assert "Declaratieoverzicht" in text and decided.number in text
    assert "Retourcode 8187" in text and "Bedrag wijkt af." in text
    for line in decided.lines:
        assert line.reference in text
    assert text.count("Goedgekeurd") >= 2 and "Afgekeurd" in text


def test_a_credit_line_is_marked_credit_in_its_declaration_statement(client, world, decided):
    credit = db.session.scalar(select(DeclarationLine).where(
        DeclarationLine.debit_credit == COD043.CREDIT))
    login_as(client, world.users["provider_staff"])
    for declaration_id, marked in ((credit.declaration_id, True), (decided.id, False)):
        text = pdf_text(client.get(f"/overzichten/declaraties/{declaration_id}.pdf"))
        assert (re.search(r"\bcredit\b", text) is not None) is marked


def test_answered_declaration_statement_is_kept_once(client, world, decided, monkeypatch):
    login_as(client, world.users["provider_staff"])
    url = f"/overzichten/declaraties/{decided.id}.pdf"
    first = client.get(url)
    monkeypatch.setattr("portal.web.statements.views.render_pdf",
                        lambda html: pytest.fail("a kept statement is not rendered again"))
    assert client.get(url).data == first.data
    [kept] = db.session.scalars(select(Statement).where(Statement.pdf.isnot(None)))
    assert kept.key == f"declaration:{decided.id}"


def test_declaration_statement_scope(client, world, decided):
    url = f"/overzichten/declaraties/{decided.id}.pdf"
    for user, status in (("reviewer", 200), ("other_reviewer", 404),
                         ("other_provider_staff", 404), ("contract_manager", 200),
                         ("access_staff", 403)):
        login_as(client, world.users[user])
        assert client.get(url).status_code == status, user


def test_every_download_is_an_audit_event(client, world, decided):
    login_as(client, world.users["contract_manager"])
    get_statement(client, world, YEAR_2026)
    client.get(f"/overzichten/declaraties/{decided.id}.pdf")
    events = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "statement.downloaded")).all()
    assert [e.actor_id for e in events] == [world.users["contract_manager"].id] * 2
    assert {e.after["key"].split(":")[0] for e in events} == {"contract", "declaration"}


def test_closed_period_is_kept_and_served_again_without_rendering(client, world, decided,
                                                                  monkeypatch):
    """February is over, and once Delft's line is decided and exported, settled."""
    [delft_line] = db.session.scalars(select(DeclarationLine).where(
        DeclarationLine.municipality_id == world.municipalities[1].id))
    approve_line(delft_line, world.users["other_reviewer"])
    create_export(world.municipalities[1], date(2026, 2, 1), date(2026, 2, 1),
                  world.users["other_reviewer"])
    db.session.commit()
    login_as(client, world.users["contract_manager"])
    february = {"periode": "anders", "van": "2026-02-01", "tot": "2026-02-28"}
    first = get_statement(client, world, february)
    assert first.status_code == 200
    monkeypatch.setattr("portal.jobs.statements.render_pdf",
                        lambda html: pytest.fail("a kept statement is not rendered again"))
    second = get_statement(client, world, february)
    assert second.data == first.data
    kept = db.session.scalars(select(Statement).where(Statement.pdf.isnot(None))).all()
    assert len(kept) == 1
    events = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "statement.downloaded")).all()
    assert [e.after["rendered"] for e in events] == [True, False]


def test_open_period_is_rendered_each_time_with_its_own_code(client, world, decided):
    login_as(client, world.users["contract_manager"])
    get_statement(client, world, YEAR_2026)  # 2026 is not over yet
    get_statement(client, world, YEAR_2026)
    statements = db.session.scalars(select(Statement)).all()
    assert len(statements) == 2 and all(s.pdf is None for s in statements)


@pytest.mark.parametrize("args, message", [
    ({"periode": "anders", "van": "2026-03-01"}, "Vul de laatste dag van de periode in."),
    ({"periode": "anders", "van": "2026-03-01", "tot": "2026-02-01"},
     "Deze datum ligt vóór de eerste dag van de periode."),
    ({"periode": "1999"}, "Ongeldige keuze."),
    ({"periode": "anders", "van": "2030-01-01", "tot": "2030-12-31"},
     "valt buiten de looptijd van het contract"),
    ({"periode": "anders", "van": "morgen", "tot": "2026-02-01"}, "Van"),
    ({"periode": "anders", "van": "2000-01-01", "tot": "2049-12-31"},
     "Een overzicht beslaat hoogstens 5 jaar"),
])
def test_bad_period_gets_a_message_and_no_pdf(client, world, args, message):
    login_as(client, world.users["contract_manager"])
    response = get_statement(client, world, args)
    assert response.status_code == 200 and response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert "Er is een probleem" in page
    assert message in page
    assert db.session.scalar(select(func.count()).select_from(Statement)) == 0


def test_verify_confirms_code_and_total_and_nothing_else(client, world, decided):
    login_as(client, world.users["contract_manager"])
    get_statement(client, world, YEAR_2026)
    statement = db.session.scalar(select(Statement))
    declared = format_cents(statement.content["totals"]["declared"])
    client.get("/uitloggen")
    anonymous = client.application.test_client()
    page = anonymous.post("/verify", data={"code": statement.code.lower().replace("-", ""),
                                           "declared": declared}).get_data(as_text=True)
    assert "Dit overzicht komt uit het portaal." in page and "T-001" in page
    wrong = anonymous.post("/verify", data={"code": statement.code,
                                            "declared": "1,00"}).get_data(as_text=True)
    assert "Niet bevestigd." in wrong and "T-001" not in wrong
    bad = anonymous.post("/verify", data={"code": "", "declared": "veel"})
    assert bad.status_code == 200 and "Er is een probleem" in bad.get_data(as_text=True)


def test_verify_confirms_a_total_above_what_one_line_can_hold(client, world, decided):
    """A large contract's statement declares more than € 21,474,836.47 (2^31 - 1 cents)."""
    login_as(client, world.users["contract_manager"])
    get_statement(client, world, YEAR_2026)
    statement = db.session.scalar(select(Statement))
    statement.content = {**statement.content, "totals": {**statement.content["totals"],
                                                          "declared": 6_720_000_000}}
    db.session.commit()
    page = client.post("/verify", data={"code": statement.code,
                                        "declared": "67.200.000,00"}).get_data(as_text=True)
    assert "Dit overzicht komt uit het portaal." in page


def pdf_structure(pdf: bytes) -> bytes:
    """The PDF's objects, with its compressed streams (object streams too) inflated."""
    parts = [pdf]
    for stream in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        # A decompressor object, not zlib.decompress: a stream whose checksum ends in "\r"
        # loses that byte to the pattern's line end, and only its checksum is then missing.
        try:
            parts.append(zlib.decompressobj().decompress(stream.group(1)))
        except zlib.error:  # an image or font that is not deflated
            continue
    return b"\n".join(parts)


@pytest.mark.parametrize("kind", ["contract", "declaration"])
def test_statements_are_tagged_pdf_ua_with_language_and_table_headers(client, world, decided,
                                                                        kind):
    login_as(client, world.users["contract_manager"])
    response = (get_statement(client, world, YEAR_2026) if kind == "contract"
                else client.get(f"/overzichten/declaraties/{decided.id}.pdf"))
    assert response.status_code == 200
    info = pdf_info(response.data)
    assert re.search(r"^Tagged:\s+yes$", info, re.M), info
    structure = pdf_structure(response.data)
    assert b"/MarkInfo <</Marked true>>" in structure
    assert b"/Lang (nl)" in structure
    assert b'pdfuaid:part="1"' in structure  # the PDF/UA-1 claim in the XMP metadata
    tags = set(re.findall(rb"/S /(\w+)", structure))
    assert {b"Table", b"TH", b"TD", b"H1"} <= tags
