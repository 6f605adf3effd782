"""Jobs in immediate mode (each runs inside the request that asks for it): results, progress,
reuse of a running twin, walls between organisations, failure and retry."""

import io
import re
from datetime import timedelta

import pikepdf
import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from portal.domain.figures import Period
from portal.domain.statements import contract_statement
from portal.extensions import db
from portal.jobs import kinds, statements
from portal.jobs.records import fingerprint, organisation_of, submit
from portal.jobs.runner import execute
from portal.models import AuditEvent, Statement, Trajectory
from portal.models.jobs import Job, JobKind, JobStatus
from portal.models.types import utcnow
from tests.conftest import login_as
from tests.declaring import declare
from tests.declaring import submit as submit_declaration
from tests.factories import next_bsn
from tests.ijw.messages import jw301, product, sample
from tests.poppler import pdf_info, pdf_to_text

YEAR_2026 = {"periode": "2026"}
HEADER = ("bsn;geboortedatum;voornaam;achternaam;agb_code;productcategorie;productcode;"
          "startdatum;einddatum")


def declared(world) -> None:
    """A started trajectory of Horizon and its February declaration, submitted."""
    world.trajectory("started")
    submit_declaration(world, declare(world))
    db.session.commit()


def statement_params(world, contract=0) -> dict:
    return {"contract": world.contracts[contract].id, "start": "2026-01-01",
            "end": "2026-12-31"}


def queued(world, role="contract_manager", kind=JobKind.CONTRACT_STATEMENT,
           params=None, **values) -> Job:
    """A job row as the web layer leaves it, not yet run."""
    user = world.users[role]
    params = statement_params(world) if params is None else params
    job = Job(kind=kind, organisation=organisation_of(user), created_by=user, params=params,
              fingerprint=fingerprint(kind, params, None), **values)
    db.session.add(job)
    db.session.commit()
    return job


def csv_file(world, rows: int, bad_row: bool = False) -> bytes:
    agb = world.providers[0].agb_code
    lines = [f"{next_bsn()};17-05-2015;Sam;Vos;{agb};45;01M;01-02-2026;31-07-2026"
             for _ in range(rows)]
    if bad_row:
        lines.append(f"123456789;17-05-2015;Sam;Vos;{agb};45;01M;01-02-2026;31-07-2026")
    return "\n".join([HEADER, *lines]).encode()


def post_file(client, url, data: bytes, name: str):
    return client.post(url, data={"file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


@pytest.fixture
def manager(client, world):
    login_as(client, world.users["contract_manager"])
    return client


@pytest.fixture
def small_imports_are_jobs(app):
    """Every upload above 100 bytes becomes a job."""
    before = app.config["JOBS_SYNC_IMPORT_BYTES"]
    app.config["JOBS_SYNC_IMPORT_BYTES"] = 100
    yield
    app.config["JOBS_SYNC_IMPORT_BYTES"] = before


def test_a_statement_is_a_job_with_the_figures_and_code_of_the_domain(manager, world):
    declared(world)
    response = manager.get(f"/overzichten/contracten/{world.contracts[0].id}",
                           query_string=YEAR_2026)
    assert response.status_code == 302 and response.headers["Location"].startswith("/taken/")
    job = db.session.scalar(select(Job))
    assert (job.kind, job.status, job.progress) == (JobKind.CONTRACT_STATEMENT,
                                                     JobStatus.DONE, 100)
    page = manager.get(response.headers["Location"]).get_data(as_text=True)
    statement = db.session.scalar(select(Statement))
    assert f"verificatiecode {statement.code}" in page and "<progress" not in page
    pdf = manager.get(f"/taken/{job.id}/bestand")
    assert pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF-")
    assert job.result_ref == f"statement:{statement.id}"
    # The same figures as the domain computes, and the code checks out on /verify.
    direct = contract_statement(world.contracts[0], Period.year(2026), None).content()
    assert {k: statement.content[k] for k in direct} == direct
    verified = manager.post("/verify", data={
        "code": statement.code,
        "declared": f"{statement.content['totals']['declared'] / 100:.2f}".replace(".", ",")})
    assert "Dit overzicht komt uit het portaal." in verified.get_data(as_text=True)


def test_progress_is_a_polled_fragment_with_a_progress_element(manager, world):
    job = queued(world, status=JobStatus.RUNNING, progress=50)
    fragment = manager.get(f"/taken/{job.id}/voortgang", headers={"HX-Request": "true"})
    html = fragment.get_data(as_text=True)
    assert '<progress class="portal-progress" max="100" value="50"' in html
    assert 'hx-trigger="every 1s"' in html and "<html" not in html
    assert "Bezig" in html  # the label the progress element is labelled by
    # Done: the fragment stops polling.
    job.status = JobStatus.DONE
    db.session.commit()
    html = manager.get(f"/taken/{job.id}/voortgang",
                       headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "hx-trigger" not in html and "<progress" not in html


def test_a_second_identical_job_while_one_runs_reuses_it(app, world):
    running = queued(world, status=JobStatus.RUNNING)
    again = submit(JobKind.CONTRACT_STATEMENT, world.users["contract_manager"],
                   statement_params(world))
    assert again.id == running.id and again.status == JobStatus.RUNNING
    assert db.session.scalar(select(func.count()).select_from(Job)) == 1
    # The database refuses a second active twin too (two requests at the same moment).
    with pytest.raises(IntegrityError), db.session.begin_nested():
        queued(world)
    # Another organisation with the same input gets its own job.
    other = submit(JobKind.CONTRACT_STATEMENT, world.users["provider_staff"],
                   statement_params(world))
    assert other.id != running.id and other.status == JobStatus.DONE


def test_a_job_is_invisible_to_other_organisations(app, world):
    job = queued(world, role="provider_staff", status=JobStatus.DONE, output=b"%PDF-",
                 output_name="x.pdf")
    own, other = app.test_client(), app.test_client()
    login_as(own, world.users["provider_admin"])  # the same provider: its job too
    login_as(other, world.users["other_provider_staff"])
    assert own.get(f"/taken/{job.id}").status_code == 200
    for url in (f"/taken/{job.id}", f"/taken/{job.id}/voortgang", f"/taken/{job.id}/bestand"):
        assert other.get(url).status_code == 404, url


def test_a_statement_of_another_organisations_contract_is_refused(client, world):
    login_as(client, world.users["provider_staff"])
    response = client.get(f"/overzichten/contracten/{world.contracts[1].id}",
                          query_string=YEAR_2026)
    assert response.status_code == 404
    assert db.session.scalar(select(func.count()).select_from(Job)) == 0


def test_the_statement_is_computed_when_the_job_runs(world):
    """Asked for before a declaration was submitted, run after: the figures of the run."""
    job = queued(world)
    declared(world)
    execute(job.id, final=True)
    statement = db.session.scalar(select(Statement))
    assert statement.content["totals"]["declared"] > 0


def test_a_job_whose_contract_left_the_scope_fails_with_a_dutch_message(world):
    """The creator's scope is checked again when the job runs."""
    job = queued(world, role="provider_staff", params=statement_params(world, contract=1))
    execute(job.id, final=True)
    assert job.status == JobStatus.FAILED
    assert job.error.startswith("Dit contract is niet meer beschikbaar")
    assert db.session.scalar(select(func.count()).select_from(Statement)) == 0


def test_a_statement_period_of_fifty_years_is_refused(manager, world):
    response = manager.get(f"/overzichten/contracten/{world.contracts[0].id}", query_string={
        "periode": "anders", "van": "2000-01-01", "tot": "2049-12-31"})
    assert "Een overzicht beslaat hoogstens 5 jaar" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Job)) == 0


def test_a_large_csv_import_is_a_job(client, world, small_imports_are_jobs):
    login_as(client, world.users["access_staff"])
    response = post_file(client, "/toewijzingen/importeren", csv_file(world, 3), "t.csv")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "3 toewijzingen zijn geïmporteerd." in page
    assert db.session.scalar(select(func.count()).select_from(Trajectory)) == 3
    assert db.session.scalar(select(Job.input)) is None  # the file is not kept


def test_a_large_csv_import_with_a_bad_row_stores_nothing(client, world,
                                                          small_imports_are_jobs):
    login_as(client, world.users["access_staff"])
    response = post_file(client, "/toewijzingen/importeren", csv_file(world, 3, True), "t.csv")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Er is niets geïmporteerd: 1 regel bevat een fout" in page
    assert '<td class="utrecht-table__cell">5</td>' in page  # the bad row's line
    assert db.session.scalar(select(func.count()).select_from(Trajectory)) == 0
    assert db.session.scalar(select(Job.status)) == JobStatus.FAILED


def test_a_large_ijw_import_is_a_job(client, world, small_imports_are_jobs):
    login_as(client, world.users["access_staff"])
    data = jw301(product(300201), receiver=world.providers[0].agb_code, bsn=next_bsn())
    response = post_file(client, "/toewijzingen/ijw", data, "toewijzing.xml")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "toewijzing.xml (JW301 T1): ingelezen; 1 nieuwe" in page
    assert db.session.scalar(select(func.count()).select_from(Trajectory)) == 1


def test_an_unexpected_error_is_retried(world, monkeypatch):
    calls = []
    real = kinds.WORK[JobKind.CONTRACT_STATEMENT]

    def fails_once(job):
        calls.append(job.attempts)
        if len(calls) == 1:
            raise ConnectionError("database went away")
        real(job)

    monkeypatch.setitem(kinds.WORK, JobKind.CONTRACT_STATEMENT, fails_once)
    job = submit(JobKind.CONTRACT_STATEMENT, world.users["contract_manager"],
                 statement_params(world))
    assert calls == [1, 2]
    assert (job.status, job.attempts, job.error) == (JobStatus.DONE, 2, None)


def test_an_import_that_keeps_failing_leaves_nothing_half_written(client, world, monkeypatch,
                                                                  small_imports_are_jobs):
    """The rows are written, then the job breaks: every attempt is rolled back whole."""
    real = kinds.import_allocations

    def breaks_after_writing(*args, **kwargs):
        real(*args, **kwargs)
        assert db.session.scalar(select(func.count()).select_from(Trajectory)) == 3
        raise RuntimeError("worker lost its connection")

    monkeypatch.setattr(kinds, "import_allocations", breaks_after_writing)
    login_as(client, world.users["access_staff"])
    response = post_file(client, "/toewijzingen/importeren", csv_file(world, 3), "t.csv")
    job = db.session.scalar(select(Job))
    assert (job.status, job.attempts) == (JobStatus.FAILED, 3)  # two retries
    assert "ook na 3 pogingen" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Trajectory)) == 0


def test_a_job_whose_worker_died_fails_and_a_new_one_can_start(manager, world):
    lost = queued(world, status=JobStatus.RUNNING,
                  updated_at=utcnow() - timedelta(hours=1))
    page = manager.get(f"/taken/{lost.id}").get_data(as_text=True)
    assert "De verwerking is onderbroken" in page and lost.status == JobStatus.FAILED
    again = submit(JobKind.CONTRACT_STATEMENT, world.users["contract_manager"],
                   statement_params(world))
    assert again.id != lost.id and again.status == JobStatus.DONE


def test_a_long_statement_is_rendered_in_parts_and_numbered_as_one(manager, world,
                                                                   monkeypatch):
    """Parts of two appendix rows: every trajectory is in it, and every page says
    "pagina X van Y" counted over the whole statement, with the one verification code."""
    monkeypatch.setattr(statements, "APPENDIX_PART_ROWS", 2)
    children = [world.trajectory("started").client for _ in range(5)]
    db.session.commit()
    response = manager.get(f"/overzichten/contracten/{world.contracts[0].id}",
                           query_string=YEAR_2026)
    pdf = manager.get(response.headers["Location"] + "/bestand").data
    text = pdf_to_text(pdf)
    pages = text.split("\f")[:-1]
    statement = db.session.scalar(select(Statement))
    assert len(pages) >= 4  # the statement, then an appendix part per two rows
    for number, page in enumerate(pages, start=1):
        assert f"pagina {number} van {len(pages)}" in page
        assert f"Verificatiecode {statement.code}" in page
    assert all(text.count(child.masked_bsn) == 1 for child in children)


def structure_elements(element: pikepdf.Object):
    """`element` and every structure element below it, in reading order."""
    if isinstance(element, pikepdf.Dictionary) and "/S" in element:  # not a content reference
        yield element
        for kid in element.get("/K", []):
            yield from structure_elements(kid)


def tree_root(element: pikepdf.Object) -> pikepdf.Object:
    while "/P" in element:
        element = element.P
    return element


def test_a_statement_in_parts_is_one_tagged_pdf_ua(manager, world, monkeypatch):
    """The parts' structure trees become one: each page's marked content has its own
    /ParentTree entry, and the tables of every part are in the tree under the one
    /Document, read in page order."""
    monkeypatch.setattr(statements, "APPENDIX_PART_ROWS", 2)
    for _ in range(5):
        world.trajectory("started")
    db.session.commit()
    response = manager.get(f"/overzichten/contracten/{world.contracts[0].id}",
                           query_string=YEAR_2026)
    pdf = manager.get(response.headers["Location"] + "/bestand").data
    assert re.search(r"^Tagged:\s+yes$", pdf_info(pdf), re.M)
    text_pages = pdf_to_text(pdf).split("\f")[:-1]
    code = db.session.scalar(select(Statement.code))
    assert code in text_pages[0] and code in text_pages[-1]
    with pikepdf.open(io.BytesIO(pdf)) as document:
        root = document.Root
        assert len(document.pages) == len(text_pages)
        assert root.MarkInfo.Marked is True and root.Lang == "nl"
        assert b'pdfuaid:part="1"' in root.Metadata.read_bytes()
        [top] = root.StructTreeRoot.K
        elements = list(structure_elements(top))
        assert top.S == "/Document" and all(kid.P.objgen == top.objgen for kid in top.K)
        assert {"/Table", "/TH", "/TD", "/H1"} <= {str(e.S) for e in elements}
        page_number = {page.obj.objgen: n for n, page in enumerate(document.pages)}
        cell_pages = [page_number[e.Pg.objgen] for e in elements if e.S == "/TD"]
        appendix = [n for n, page in enumerate(text_pages) if "Jeugdige" in page]
        assert len(appendix) >= 3 and set(appendix) <= set(cell_pages)  # cells of every part
        assert cell_pages == sorted(cell_pages)
        keys = [int(page.obj.StructParents) for page in document.pages]
        parent_tree = pikepdf.NumberTree(root.StructTreeRoot.ParentTree)
        assert sorted(parent_tree.keys()) == keys == list(range(len(keys)))
        assert root.StructTreeRoot.ParentTreeNextKey == len(keys)
        for key in keys:  # every page's marked content belongs to elements of the one tree
            assert len(parent_tree[key])
            assert {tree_root(e).objgen for e in parent_tree[key]} == {
                root.StructTreeRoot.objgen}


def test_a_refused_large_ijw_message_fails_with_its_findings(client, world,
                                                              small_imports_are_jobs):
    """Nothing is read in; the findings are on the job's page and the refusal is audited,
    as on the upload page."""
    login_as(client, world.users["access_staff"])
    response = post_file(client, "/toewijzingen/ijw", sample("JW301"), "toewijzing.xml")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    refused = re.search(r"geweigerd, (\d+) fout\(en\); er is niets ingelezen", page)
    assert "Gemeente met CBS-code 0384 is onbekend in het portaal." in page
    assert db.session.scalar(select(Job.status)) == JobStatus.FAILED
    assert db.session.scalar(select(func.count()).select_from(Trajectory)) == 0
    [event] = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "ijw.import_refused"))
    assert refused and event.after["findings"] == int(refused.group(1)) > 0
