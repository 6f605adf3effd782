"""The statement PDF: a contract statement with 1,000 trajectories, made through the portal
(the request queues a job, run here in the same process as a worker would: queries,
template, WeasyPrint), beside a bare WeasyPrint table of the same 1,000 rows. Each runs in a
fresh process, so its peak memory (RSS) is its own. A large statement (`--statement-only`,
20,000 trajectories in `make bench`) has no bare table, which would need over 4 GB.

Every statement is checked as a reader would: tagged (a structure tree, every page in it),
its verification code on the first and the last page, the pages numbered to the end, /verify
confirming the code with the declared total, and the kept figures equal to those the domain
computes in one go for the contract.

    python -m bench.statement_pdf [--trajectories 1000] [--statement-only] [--json FILE]
"""

import argparse
import io
import json
import multiprocessing
import secrets
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

AIM_RATIO, AIM_MB = 1.25, 300
LARGE_AIM_MB = 500  # issue 17: a 20,000-trajectory statement within a worker's memory
PERIOD = {"periode": "2026"}


def _app(path: Path):
    from portal import create_app

    return create_app({"SECRET_KEY": "bench", "ENV": "bench", "TESTING": False,
                       "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}",
                       "SERVER_NAME": "bench.local", "WTF_CSRF_ENABLED": False,
                       "JOBS_URL": "immediate"})  # the statement job runs in this process


def build(path: Path, trajectories: int) -> None:
    """One provider with `trajectories` started trajectories and their start tranches
    declared in February 2026."""
    import flask_migrate

    from bench.national_rows import test_bsns
    from portal.domain.accounts import create_user
    from portal.domain.codes import JZ020
    from portal.domain.declarations import start_declaration, submit_declaration
    from portal.domain.lists import Role
    from portal.domain.trajectories import ChildDetails, allocate, register_start
    from portal.extensions import db
    from portal.models import (
        Arrangement,
        Contract,
        Intensity,
        Municipality,
        PaymentSchemeVersion,
        Profile,
        Provider,
        Region,
        Tariff,
    )

    app = _app(path)
    with app.app_context():
        flask_migrate.upgrade()
        region = Region(name="Benchregio")
        municipality = Municipality(region=region, cbs_code="0518", name="'s-Gravenhage")
        provider = Provider(agb_code="98000001", kvk_number="90000001", name="Bench Jeugdhulp")
        arrangement = Arrangement(
            profile=Profile(region=region, code="P1", name="Ontwikkeling"),
            intensity=Intensity(region=region, code="M", name="Midden", rank=2),
            product_category=JZ020.AMBULANT, product_code="01M",
            tariffs=[Tariff(valid_from=date(2026, 1, 1), amount_cents=840000)])
        contract = Contract(number="B-001", region=region, provider=provider,
                            starts_on=date(2026, 1, 1), ends_on=date(2027, 12, 31),
                            arrangements=[arrangement],
                            scheme_versions=[PaymentSchemeVersion(valid_from=date(2026, 1, 1),
                                                                  start_share_percent=40)])
        db.session.add(contract)
        password = secrets.token_urlsafe()  # nobody logs in: the session is stamped
        staff = create_user(email="staff@bench.example", name="Bench", password=password,
                            role=Role.PROVIDER_STAFF, organisation=provider)
        create_user(email="manager@bench.example", name="Bench", password=password,
                    role=Role.CONTRACT_MANAGER, organisation=region)
        bsns = test_bsns()  # the demo's own test BSNs run out before 10,000
        for n in range(trajectories):
            trajectory = allocate(
                municipality=municipality, provider=provider, arrangement=arrangement,
                child=ChildDetails(next(bsns), date(2014, 1, 1), "Kind", f"Bench {n}"),
                start=date(2026, 2, 1), end=date(2026, 7, 31), actor=None)
            register_start(trajectory, date(2026, 2, 2), staff)
        declaration, _new = start_declaration(provider, municipality, date(2026, 2, 1), staff,
                                              date(2026, 3, 1))
        submit_declaration(declaration, staff, date(2026, 3, 1))
        db.session.commit()


def _peak_mb() -> float:
    """This process's peak resident memory. Not getrusage's ru_maxrss: Linux carries that
    over from the parent that forked this process, and the bench's parent holds far more."""
    with open("/proc/self/status") as status:
        kb = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    return kb / 1024


def render_statement(path: str, queue) -> None:
    """The contract manager asks for the statement and downloads the job's PDF."""
    from portal.extensions import db
    from portal.models import Contract, User
    from portal.web.auth.sessions import stamp

    app = _app(Path(path))
    with app.app_context():
        client = app.test_client()
        manager = db.session.scalar(db.select(User).where(User.role == "contract_manager"))
        contract = db.session.scalar(db.select(Contract))
        with client.session_transaction() as session:
            session["_user_id"] = manager.get_id()
            stamp(session, two_factor=True)
        started = time.perf_counter()
        job_page = client.get(f"/overzichten/contracten/{contract.id}", query_string=PERIOD)
        response = client.get(job_page.headers["Location"] + "/bestand")
        seconds = time.perf_counter() - started
        if response.mimetype != "application/pdf":
            raise RuntimeError(f"no statement: {response.status}")
        peak = _peak_mb()  # before the checks, which read the PDF again
        checks = _checks(response.data, contract, client)
    queue.put({"seconds": seconds, "peak_mb": peak, "bytes": len(response.data), **checks})


def _checks(pdf: bytes, contract, client) -> dict:
    """What a reader of the statement can check, and its figures against the domain's."""
    import pikepdf

    from portal.domain.figures import Period
    from portal.domain.statements import contract_statement
    from portal.extensions import db
    from portal.formatting import format_euros
    from portal.models import Statement

    kept = db.session.scalar(db.select(Statement).order_by(Statement.id.desc()))
    with pikepdf.open(io.BytesIO(pdf)) as document:
        pages = len(document.pages)
        tagged = (document.Root.MarkInfo.Marked is True and "/StructTreeRoot" in document.Root
                  and all("/StructParents" in page.obj for page in document.pages))
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf,
                          capture_output=True, check=True).stdout.decode().split("\f")
    first, last = text[0], text[pages - 1]
    direct = json.loads(json.dumps(contract_statement(contract, Period.year(2026)).content()))
    declared = kept.content["totals"]["declared"]
    answer = client.post("/verify", data={"code": kept.code, "declared": format_euros(declared)})
    return {"pages": pages, "code": kept.code, "tagged": tagged,
            "code_on_first_and_last_page": kept.code in first and kept.code in last,
            "last_page_numbered": f"{pages} van {pages}" in last,
            "verified": "Dit overzicht komt uit het portaal." in answer.get_data(as_text=True),
            "figures_as_computed_in_one_go": all(kept.content[key] == value
                                                 for key, value in direct.items())}


def checks_passed(statement: dict) -> bool:
    return all(statement[check] for check in ("tagged", "code_on_first_and_last_page",
                                              "last_page_numbered", "verified",
                                              "figures_as_computed_in_one_go"))


def render_bare_table(path: str, queue) -> None:
    """The same rows and cells as the appendix, in a table with no styling at all."""
    from weasyprint import HTML

    from portal.domain.figures import Period
    from portal.domain.statements import contract_statement
    from portal.extensions import db
    from portal.formatting import format_cents, format_date
    from portal.models import Contract

    app = _app(Path(path))
    with app.app_context():
        contract = db.session.scalar(db.select(Contract))
        rows = contract_statement(contract, Period.year(2026)).trajectories
        started = time.perf_counter()
        cells = "".join(
            f"<tr><td>{r.municipality} {r.allocation_number}</td><td>{r.masked_bsn}</td>"
            f"<td>{r.arrangement}</td><td>{format_date(r.started_on)} – "
            f"{format_date(r.ended_on)}</td><td>{r.status.label}</td>"
            f"<td>{format_cents(r.declared)}</td><td>{format_cents(r.net_approved)}</td></tr>"
            for r in rows)
        pdf = HTML(string=f"<table>{cells}</table>").write_pdf()
        seconds = time.perf_counter() - started
    queue.put({"seconds": seconds, "peak_mb": _peak_mb(), "bytes": len(pdf),
               "rows": len(rows)})


def _in_fresh_process(target, path: Path) -> dict:
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=target, args=(str(path), queue))
    process.start()
    result = queue.get()
    process.join()
    return result


def measure_statement_only(trajectories: int) -> dict:
    """The statement job alone: a bare table of 20,000 rows would need over 4 GB."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "statement.sqlite"
        started = time.perf_counter()
        build(path, trajectories)
        built = time.perf_counter() - started
        statement = _in_fresh_process(render_statement, path)
    return {"trajectories": trajectories, "build_seconds": round(built, 1),
            "statement": statement, "aim": {"peak_mb": LARGE_AIM_MB},
            "met": statement["peak_mb"] < LARGE_AIM_MB and checks_passed(statement)}


def statement_only_summary(result: dict) -> str:
    s = result["statement"]
    checked = "checks passed" if checks_passed(s) else "CHECKS FAILED"
    return (f"{result['trajectories']:,} trajectories through the job: {s['seconds']:.1f} s, "
            f"{s['pages']} pages, peak {s['peak_mb']:.0f} MB, code {s['code']} ({checked}); "
            f"aim < {LARGE_AIM_MB} MB {'met' if result['met'] else 'missed'}")


def measure_statement_pdf(trajectories: int = 1000) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "statement.sqlite"
        started = time.perf_counter()
        build(path, trajectories)
        built = time.perf_counter() - started
        statement = _in_fresh_process(render_statement, path)
        bare = _in_fresh_process(render_bare_table, path)
    ratio = statement["seconds"] / bare["seconds"]
    return {"trajectories": bare["rows"], "build_seconds": round(built, 1),
            "statement": statement, "bare_table": bare, "ratio": round(ratio, 2),
            "aim": {"ratio": AIM_RATIO, "peak_mb": AIM_MB},
            "met": (ratio <= AIM_RATIO and statement["peak_mb"] < AIM_MB
                    and checks_passed(statement))}


def summary(result: dict) -> str:
    s, b = result["statement"], result["bare_table"]
    return (f"{result['trajectories']} trajectories: statement {s['seconds']:.2f} s "
            f"(peak {s['peak_mb']:.0f} MB), bare table {b['seconds']:.2f} s "
            f"(peak {b['peak_mb']:.0f} MB), ratio {result['ratio']:.2f}; aims "
            f"<= {AIM_RATIO}x and < {AIM_MB} MB {'met' if result['met'] else 'missed'}; "
            f"{'checks passed' if checks_passed(s) else 'CHECKS FAILED'}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trajectories", type=int, default=1000)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--statement-only", action="store_true",
                        help="skip the bare table (for large N)")
    args = parser.parse_args(argv)
    if args.statement_only:
        result = measure_statement_only(args.trajectories)
        print(statement_only_summary(result)
              + f"; data built in {result['build_seconds']} s")
    else:
        result = measure_statement_pdf(args.trajectories)
        print(summary(result))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
