"""`python -m bench.faults` (make faults): a fresh database with the demo region, the portal on
gunicorn under a supervisor with a Redis of its own, then the drills one after the other."""

import argparse
import json
import secrets
import signal
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

import psycopg
from flask_migrate import upgrade

from bench.dataset import bench_app
from bench.faults import drills, services
from bench.faults.report import details, summary
from bench.faults.traffic import Request, send
from bench.report import RESULTS, machine
from bench.sessions import log_in
from portal.demo.region import DEMO_PASSWORD, DEMO_TOTP_SECRETS, build_demo_region
from portal.extensions import db

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/portal_faults"
PORTAL_PORT, REDIS_PORT = 8110, 6391
WORKERS = 3
DRILLS = {"redis": drills.redis_down, "worker": drills.worker_killed_during_import,
          "master": drills.master_killed, "postgres": drills.postgres_stopped,
          "backup": drills.backup_restore}
ACCOUNTS = ("medewerker@horizon-jeugdhulp.example", "beoordelaar@denhaag.example",
            "contractbeheer@regio-haaglanden.example", "toegang@denhaag.example")
# Logs in without a second factor, so it can log in again and again.
LOGIN_ACCOUNT = "medewerker@kompas-gezinshulp.example"


def _arguments():
    parser = argparse.ArgumentParser(prog="python -m bench.faults", description=__doc__)
    parser.add_argument("--database-url", default=DEFAULT_URL,
                        help="dropped and created again (default: %(default)s)")
    parser.add_argument("--drills", default=",".join(DRILLS),
                        help="which drills, in this order (default: %(default)s)")
    return parser.parse_args()


def _fresh_database(url: str) -> None:
    name = psycopg.conninfo.conninfo_to_dict(url)["dbname"]
    services.recreate(url, name)
    app = bench_app(url)
    with app.app_context():
        upgrade()
        build_demo_region(date.today())
        db.session.commit()
        db.engine.dispose()


def _first_answer(base: str, seconds: float = 120) -> float:
    """Seconds until a fresh gunicorn answers its first request (its workers load the app)."""
    began = time.monotonic()
    while time.monotonic() - began < seconds:
        if send(base, Request("health", "/healthz"))[0] == "200":
            return round(time.monotonic() - began, 1)
        time.sleep(0.2)
    raise RuntimeError(f"the portal did not answer within {seconds} s")


def main() -> None:
    args = _arguments()
    # A TERM (a CI time-out, kill) unwinds like Ctrl-C, so every `finally` runs: PostgreSQL
    # and Redis are started again, gunicorn is stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("stopped by SIGTERM"))
    chosen = [name.strip() for name in args.drills.split(",") if name.strip()]
    unknown = set(chosen) - set(DRILLS)
    if unknown:
        raise SystemExit(f"unknown drills: {', '.join(sorted(unknown))}")
    RESULTS.mkdir(exist_ok=True)
    report = {"machine": machine(), "started": datetime.now().isoformat(timespec="seconds"),
              "settings": {"workers": WORKERS, "drills": chosen}, "drills": {}}
    print(f"A fresh database {args.database_url} with the demo region ...", flush=True)
    _fresh_database(args.database_url)
    env = {"PORTAL_DATABASE_URL": args.database_url, "PORTAL_SECRET_KEY": secrets.token_hex(32),
           "PORTAL_WORKERS": str(WORKERS), "PORTAL_SESSION_COOKIE_SECURE": "false",
           "PORTAL_RATELIMIT_STORAGE_URI": f"redis://127.0.0.1:{REDIS_PORT}/0",
           # The worker drill kills a web worker during an import in the request: larger
           # imports would otherwise go to the job queue (docs/jobs.md), which runs no worker here.
           "PORTAL_JOBS_SYNC_IMPORT_BYTES": str(50_000_000)}
    base = f"http://127.0.0.1:{PORTAL_PORT}"
    with tempfile.TemporaryDirectory(prefix="portal-faults-") as workdir, \
            services.redis_server(REDIS_PORT, RESULTS / "faults-redis.log") as (kill, start), \
            services.Supervisor(PORTAL_PORT, RESULTS / "faults-portal.log", env) as supervisor:
        report["cold_start_seconds"] = _first_answer(base)
        browsers = {email: log_in(base, email, DEMO_PASSWORD, DEMO_TOTP_SECRETS.get(email))
                    for email in ACCOUNTS}
        stage = drills.Stage(base, args.database_url, supervisor, kill, start,
                             bench_app(args.database_url), browsers,
                             (LOGIN_ACCOUNT, DEMO_PASSWORD), Path(workdir))
        for name in chosen:
            print(f"Drill: {name} ...", flush=True)
            began = time.perf_counter()
            result = DRILLS[name](stage)
            result["seconds"] = round(time.perf_counter() - began, 1)
            report["drills"][name] = result
            print(json.dumps(result, indent=2, default=str), flush=True)
    path = RESULTS / f"faults-{datetime.now():%Y%m%d-%H%M%S}.json"
    path.write_text(json.dumps(report, indent=2, default=str))
    print(summary(report))
    print(details(report))
    print(f"Written to {path}")
    inconsistent = [name for name, result in report["drills"].items()
                    if not result["data"]["consistent"]]
    if inconsistent:
        raise SystemExit(f"data not consistent after: {', '.join(inconsistent)}")


if __name__ == "__main__":
    main()
