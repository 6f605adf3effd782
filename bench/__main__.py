"""`python -m bench` (make bench): build the national data set, serve the portal and the
ceiling with gunicorn, load every page with wrk, time the CSV import and seed-demo, make the
statement PDFs, report. `--steps` and `--only` run a part of it."""

import argparse
import secrets
import time
from dataclasses import asdict
from datetime import date, datetime

from flask_migrate import upgrade
from sqlalchemy.engine import make_url

from bench.dataset import bench_app, build, database_url
from bench.imports import (
    allocations_csv,
    import_through_domain,
    import_through_form,
    trajectory_count,
)
from bench.load import run_wrk
from bench.national_rows import Scale
from bench.pages import DASHBOARD, Page, bench_pages
from bench.queries import statements_per_request
from bench.report import RESULTS, format_table, machine, page_row, write
from bench.seed_demo import time_seed_demo
from bench.server import gunicorn, job_worker, worker_rss_mib, workers_cpu_seconds
from bench.sessions import log_in
from bench.statement_pdf import (
    measure_statement_only,
    measure_statement_pdf,
    statement_only_summary,
    summary,
)
from bench.warm_up import warm_up
from portal.demo.region import DEMO_PASSWORD, DEMO_TOTP_SECRETS
from portal.extensions import db
from portal.jobs.figures import refresh as refresh_figures

PORT = 8100  # the portal; the ceiling on the next port
ACCESS_STAFF = "toegang@denhaag.example"
WARM_UP_SECONDS = 3
WORKERS = 2
CEILING = Page("ceiling: bare Flask route", "/", "", "ceiling")
STEPS = ("pages", "imports", "seed-demo", "statement", "large-statement")


def _arguments():
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--reuse-data", action="store_true",
                        help="measure the data set already in the bench database")
    parser.add_argument("--trajectories", type=int, default=Scale.trajectories)
    parser.add_argument("--seconds", type=int, default=15, help="wrk duration per page")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--import-rows", type=int, default=100_000)
    parser.add_argument("--steps", default=",".join(STEPS),
                        help=f"comma-separated, of {', '.join(STEPS)} (default: all)")
    parser.add_argument("--port", type=int, default=PORT,
                        help=f"the portal's port, the ceiling's is the next (default {PORT})")
    parser.add_argument("--only", action="append", default=[], metavar="TEXT",
                        help="measure only the pages whose name holds TEXT (repeatable)")
    parser.add_argument("--large-statement", type=int, default=20_000, metavar="N",
                        help="trajectories in the large statement made through its job")
    args = parser.parse_args()
    args.steps = set(args.steps.split(","))
    if args.steps - set(STEPS):
        parser.error(f"unknown steps: {', '.join(sorted(args.steps - set(STEPS)))}")
    return args


def _load(url: str, args, pid: int, cookie: str | None = None):
    """wrk's figures, and the workers' CPU milliseconds per request during the run."""
    run_wrk(url, WARM_UP_SECONDS, args.connections, cookie=cookie)
    cpu = workers_cpu_seconds(pid)
    result = run_wrk(url, args.seconds, args.connections, cookie=cookie)
    cpu = workers_cpu_seconds(pid) - cpu
    return result, round(cpu * 1000 / result.requests, 2) if result.requests else None


def main() -> None:
    args = _arguments()
    url = database_url()
    shown_url = make_url(url).render_as_string(hide_password=True)
    report = {"machine": machine(), "started": datetime.now().isoformat(timespec="seconds"),
              "settings": {"connections": args.connections, "seconds": args.seconds,
                           "workers": WORKERS, "database": shown_url}}
    if not args.reuse_data:
        print(f"Building the data set in {shown_url} ...", flush=True)
        loaded = build(url, Scale(trajectories=args.trajectories), date.today())
        report["data_set"] = asdict(loaded)
        print(f"  {loaded.seconds} s: {loaded.rows}", flush=True)
    app = bench_app(url)
    if args.reuse_data:  # perhaps built on another day and release: migrated, then as the
        with app.app_context():  # worker's task every minute
            print("Migrating, refreshing the figures store and keeping today's default views "
                  "...", flush=True)
            upgrade()
            started = time.perf_counter()
            refresh_figures(defaults=True)
            print(f"  {time.perf_counter() - started:.1f} s", flush=True)
    env = {"PORTAL_DATABASE_URL": url, "PORTAL_SECRET_KEY": secrets.token_hex(32),
           "PORTAL_WORKERS": str(WORKERS), "PORTAL_SESSION_COOKIE_SECURE": "false"}
    RESULTS.mkdir(exist_ok=True)
    if args.steps & {"pages", "imports"}:
        _serve_and_load(app, env, args, report)
    other = report["other"] = {}
    if "seed-demo" in args.steps:
        print("seed-demo on SQLite ...", flush=True)
        other["seed-demo on SQLite (s)"] = time_seed_demo()
    if "statement" in args.steps:
        print("The statement PDF with 1,000 trajectories ...", flush=True)
        report["statement_pdf"] = measure_statement_pdf()
        other["statement PDF"] = summary(report["statement_pdf"])
    if "large-statement" in args.steps:
        print(f"The statement PDF with {args.large_statement:,} trajectories, through its "
              "job ...", flush=True)
        report["large_statement_pdf"] = measure_statement_only(args.large_statement)
        other["large statement PDF"] = statement_only_summary(report["large_statement_pdf"])
    path = write(report)
    print(format_table(report))
    print(f"Written to {path}")


def _serve_and_load(app, env: dict, args, report: dict) -> None:
    with app.app_context():
        pages = [page for page in bench_pages() if "pages" in args.steps
                 and (not args.only or any(text in page.name for text in args.only))]
    statements = {page.name: statements_per_request(app, page) for page in pages}
    print("Ceiling: a bare Flask route ...", flush=True)
    with gunicorn("bench.ceiling:app", args.port + 1, RESULTS / "ceiling.log", env) as pid:
        ceiling, cpu_ms = _load(f"http://127.0.0.1:{args.port + 1}/", args, pid)
        rows = [page_row(CEILING, ceiling, ceiling.rps, None, worker_rss_mib(pid), None,
                         cpu_ms)]
    base = f"http://127.0.0.1:{args.port}"
    report["pages"] = rows
    with gunicorn("wsgi:app", args.port, RESULTS / "portal.log", env) as pid:
        browsers = {email: log_in(base, email, DEMO_PASSWORD, DEMO_TOTP_SECRETS.get(email))
                    for email in dict.fromkeys(page.email for page in pages)}
        for page in pages:
            if page.kind == DASHBOARD:
                continue  # below, each on workers of its own
            rows.append(_measure(page, base, browsers[page.email], pid, args, ceiling,
                                 statements))
        if "imports" in args.steps:
            print(f"Importing {args.import_rows} allocations ...", flush=True)
            with job_worker(RESULTS / "worker.log", env):
                report["imports"] = _imports(app, base, args.import_rows)
            # The imported trajectories made the figures and the kept pages old: brought up to
            # date as the worker's task every minute does, before the dashboards are measured.
            with app.app_context():
                refresh_figures(defaults=True)
    for page in pages:
        if page.kind != DASHBOARD:
            continue
        # A fresh gunicorn, so that the first request is the first after a worker start
        # (the session cookies stay valid: the same secret key).
        with gunicorn("wsgi:app", args.port, RESULTS / "portal-dashboard.log", env) as pid:
            rows.append(_measure(page, base, browsers[page.email], pid, args, ceiling,
                                 statements))


def _measure(page, base: str, browser, pid: int, args, ceiling, statements) -> dict:
    print(f"  {page.name} ({page.path}) ...", flush=True)
    first = warm_up(browser, page.path, WORKERS)
    result, cpu_ms = _load(base + page.path, args, pid, browser.cookie_header())
    return page_row(page, result, ceiling.rps, statements[page.name], worker_rss_mib(pid),
                    first.slowest_ms, cpu_ms, first.failed)


def _imports(app, base: str, rows: int) -> list[dict]:
    with app.app_context():
        good, bad = allocations_csv(rows), allocations_csv(rows, broken_last_row=True)
        db.session.rollback()
    before = trajectory_count(app)
    timings = [("domain function, one bad row", import_through_domain(app, ACCESS_STAFF, bad,
                                                                      rows), False),
               ("domain function", import_through_domain(app, ACCESS_STAFF, good, rows), True)]
    if trajectory_count(app) != before:
        raise RuntimeError("the domain import was not rolled back")
    browser = log_in(base, ACCESS_STAFF, DEMO_PASSWORD, DEMO_TOTP_SECRETS[ACCESS_STAFF])
    timings.append(("web form", import_through_form(browser, good, rows, app), True))
    if trajectory_count(app) != before + rows:
        raise RuntimeError("the web form did not import every row")
    return [{"via": via, **asdict(timing), "rows_per_second": timing.rows_per_second,
             "aim": aim} for via, timing, aim in timings]


if __name__ == "__main__":
    main()
