"""The drills. Each breaks one thing for a bounded time under load, puts it back (in a
`finally`, whatever happens), and returns what users got, the seconds to recovery and the
state of the data afterwards."""

import os
import re
import signal
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg
from flask import Flask

from bench.faults import checks, services
from bench.faults.traffic import Load, Request, first_success_after, recovery_seconds, tally
from bench.imports import allocations_csv, import_through_form
from bench.sessions import Browser
from portal.extensions import db

_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class Stage:
    """What the drills work on: the portal under its supervisor, its database and Redis."""

    base_url: str
    database_url: str
    supervisor: services.Supervisor
    kill_redis: object
    start_redis: object
    app: Flask  # for building the CSV file from the database
    browsers: dict[str, Browser]  # logged in, by e-mail address
    provider_login: tuple[str, str]  # e-mail address and password of a password-only account
    workdir: Path


def cookie(browser: Browser) -> dict:
    return {"Cookie": browser.cookie_header()}


def form_post(stage: Stage, path: str, fields: dict, name: str) -> Request:
    """A POST that can be sent again and again: a session of its own with a CSRF token."""
    browser = Browser(stage.base_url)
    _url, page = browser.get(path)
    token = _CSRF.search(page).group(1)
    return Request(name, path, {**cookie(browser),
                                "Content-Type": "application/x-www-form-urlencoded"},
                   {"csrf_token": token, **fields})


def login_request(stage: Stage) -> Request:
    email, password = stage.provider_login
    return form_post(stage, "/inloggen", {"email": email, "password": password}, "login")


def verify_request(stage: Stage) -> Request:
    return form_post(stage, "/verify", {"code": "ABCD-EFGH-JKMN", "declared": "1,00"}, "verify")


def mixed_requests(stage: Stage) -> list[Request]:
    """Pages, HTMX fragments, the health check and logins, as the portal's users send them."""
    by_email = stage.browsers
    provider = cookie(by_email["medewerker@horizon-jeugdhulp.example"])
    reviewer = cookie(by_email["beoordelaar@denhaag.example"])
    manager = cookie(by_email["contractbeheer@regio-haaglanden.example"])
    htmx = {"HX-Request": "true"}
    return [
        Request("trajectory list", "/trajecten", provider),
        Request("trajectory list (htmx)", "/trajecten?status=started", {**provider, **htmx}),
        Request("declarations", "/declaraties", provider),
        Request("review queue", "/beoordelen", reviewer),
        Request("review queue (htmx)", "/beoordelen?overdue=y", {**reviewer, **htmx}),
        Request("dashboard", "/stuurinformatie", manager),
        Request("health", "/healthz"),
        login_request(stage),
    ]


def redis_down(stage: Stage, seconds: float = 12) -> dict:
    """Redis killed during logins and /verify, and started again."""
    requests = [login_request(stage), login_request(stage), login_request(stage)]
    verify = verify_request(stage)
    log_start = stage.supervisor.log.stat().st_size
    with Load(stage.base_url, requests, threads=3, seconds=seconds) as load, \
            Load(stage.base_url, [verify], threads=1, seconds=seconds, pause=3) as checks_load:
        time.sleep(2)
        killed_at = load.now()
        try:
            stage.kill_redis()
            time.sleep(seconds / 2)
        finally:
            stage.start_redis()
        restarted_at = load.now()
        time.sleep(max(0.0, seconds - load.now()))
    answers = load.answers + checks_load.answers
    return {"fault": f"Redis killed for {round(restarted_at - killed_at, 1)} s during logins",
            "answers": tally(answers),
            "answers_while_down": tally(answers, killed_at, restarted_at),
            "seconds_to_recovery": first_success_after(answers, killed_at),
            "workers_counting_in_process": _log_lines(stage, log_start,
                                                      "counting in this process"),
            "data": checks.consistency(stage.database_url)}


def _log_lines(stage: Stage, offset: int, text: str) -> int:
    with stage.supervisor.log.open(errors="replace") as log:
        log.seek(offset)
        return sum(text in line for line in log)


def _cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def worker_killed_during_import(stage: Stage, rows: int = 30_000) -> dict:
    """SIGKILL to the worker that is importing a large CSV file; then the same file again."""
    with stage.app.app_context():
        data = allocations_csv(rows)
        db.session.rollback()
    lines = data.decode().splitlines()
    bsns = (lines[1].split(";", 1)[0], lines[-1].split(";", 1)[0])
    browser = stage.browsers["toegang@denhaag.example"]
    outcome = {}

    def upload():
        try:
            outcome["first"] = import_through_form(browser, data, rows).outcome
        except OSError as error:  # the connection dropped with the worker
            outcome["first"] = f"no answer ({type(error).__name__})"

    workers = stage.supervisor.workers()
    before = {pid: _cpu_seconds(pid) for pid in workers}
    uploader = threading.Thread(target=upload)
    health = [Request("health", "/healthz"), *mixed_requests(stage)[:2]]
    with Load(stage.base_url, health, threads=2, seconds=60, pause=0.2) as load:
        uploader.start()
        victim, killed_at = None, None
        deadline = time.monotonic() + 30
        while victim is None and time.monotonic() < deadline and uploader.is_alive():
            time.sleep(0.1)
            busy = max(workers, key=lambda pid: _cpu_seconds(pid) - before[pid])
            if _cpu_seconds(busy) - before[busy] >= 1.5:
                os.kill(busy, signal.SIGKILL)
                victim, killed_at = busy, load.now()
        uploader.join(timeout=120)
        replaced_at = _wait_for_workers(stage, len(workers), load)
        after_kill = checks.consistency(stage.database_url, bsns, rows)
        began = time.perf_counter()
        second = import_through_form(browser, data, rows).outcome
        second_seconds = round(time.perf_counter() - began, 1)
    return {"fault": f"worker {victim} killed with SIGKILL during an import of {rows} rows"
                     if victim else "the import finished before a worker could be killed",
            "answers": tally(load.answers),
            "import_answer": outcome.get("first"),
            "seconds_to_new_worker": round(replaced_at - killed_at, 2)
            if killed_at is not None and replaced_at is not None else None,
            "seconds_to_recovery": recovery_seconds(load.answers, killed_at or 0.0),
            "data_after_kill": after_kill,
            "same_file_again": f"{second} in {second_seconds} s",
            "data": checks.consistency(stage.database_url, bsns, rows)}


def _wait_for_workers(stage: Stage, count: int, load: Load, seconds: float = 30) -> float | None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if len(stage.supervisor.workers()) >= count:
            return load.now()
        time.sleep(0.1)
    return None


def master_killed(stage: Stage, seconds: float = 15) -> dict:
    """SIGKILL to the gunicorn master; the supervisor (systemd in production) starts it again."""
    restarts = stage.supervisor.restarts
    with Load(stage.base_url, mixed_requests(stage), threads=4, seconds=seconds) as load:
        time.sleep(2)
        killed_at = load.now()
        master = stage.supervisor.master_pid
        os.kill(master, signal.SIGKILL)
        time.sleep(max(0.0, seconds - load.now()))
    return {"fault": f"gunicorn master {master} killed with SIGKILL",
            "answers": tally(load.answers),
            "answers_after_kill": tally(load.answers, killed_at),
            "restarts_by_supervisor": stage.supervisor.restarts - restarts,
            "seconds_to_new_master": round(stage.supervisor.started_at - load.started
                                           - killed_at, 2),
            "seconds_to_recovery": recovery_seconds(load.answers, killed_at),
            "data": checks.consistency(stage.database_url)}


def declaration_submits(stage: Stage, email: str) -> list[Request]:
    """Submitting each concept declaration of this provider account (its CSRF token)."""
    browser = stage.browsers[email]
    with psycopg.connect(stage.database_url) as connection:
        ids = [row[0] for row in connection.execute(
            'SELECT d.id FROM declaration d JOIN "user" u ON u.provider_id = d.provider_id '
            "WHERE u.email = %s AND d.status = 'concept' ORDER BY d.id", (email,))]
    requests = []
    for declaration_id in ids:
        _url, page = browser.get(f"/declaraties/{declaration_id}")
        token = _CSRF.search(page).group(1)
        requests.append(Request("declaration submit", f"/declaraties/{declaration_id}/indienen",
                                {**cookie(browser),
                                 "Content-Type": "application/x-www-form-urlencoded"},
                                {"csrf_token": token}))
    return requests


def postgres_stopped(stage: Stage, outage: float = 10, connections: int = 16) -> dict:
    """PostgreSQL stopped for `outage` seconds under mixed load, then started again; the
    provider's concept declarations are submitted just as it stops. The cluster is started
    in a `finally`, whatever happens in between."""
    submits = declaration_submits(stage, "medewerker@horizon-jeugdhulp.example")
    requests = mixed_requests(stage)
    seconds = outage + 13
    try:
        with Load(stage.base_url, requests, threads=connections, seconds=seconds) as load:
            time.sleep(3)
            stopped_at = load.now()
            submitting = Load(stage.base_url, submits, threads=len(submits), seconds=2)
            try:
                with submitting:
                    services.pg_ctl("stop")
                time.sleep(max(0.0, outage - (load.now() - stopped_at)))
            finally:
                services.pg_ctl("start")
            started_at = load.now()
            time.sleep(max(0.0, seconds - load.now()))
    finally:
        _ensure_postgres_runs(stage.database_url)
    return {"fault": f"PostgreSQL stopped for {round(started_at - stopped_at, 1)} s "
                     f"under {connections} connections",
            "answers": tally(load.answers),
            "answers_during_outage": tally(load.answers, stopped_at, started_at),
            "answers_after_restart": tally(load.answers, started_at),
            "declaration_submits_as_it_stopped": tally(submitting.answers),
            "seconds_to_recovery": recovery_seconds(load.answers, started_at),
            "data": checks.consistency(stage.database_url)}


def _ensure_postgres_runs(url: str) -> None:
    for _ in range(3):
        if services.postgres_accepts(url):
            return
        try:
            services.pg_ctl("start")
        except subprocess.CalledProcessError:
            time.sleep(1)
    if not services.postgres_accepts(url):
        raise RuntimeError("PostgreSQL does not accept connections after the drill: start it "
                           "with pg_ctlcluster --skip-systemctl-redirect <version> main start")


def backup_restore(stage: Stage) -> dict:
    """pg_dump of the drill database, restored into a fresh one; row counts and the audit
    trail compared, and the restored audit trail still refuses changes."""
    url = stage.database_url
    info = psycopg.conninfo.conninfo_to_dict(url)
    restored_name = f"{info['dbname']}_restore"
    restored_url = psycopg.conninfo.make_conninfo(url, dbname=restored_name)
    dump = stage.workdir / f"{info['dbname']}.dump"
    began = time.perf_counter()
    subprocess.run(["pg_dump", "--format=custom", f"--file={dump}", "--dbname", url],
                   check=True, timeout=600)
    dumped = time.perf_counter() - began
    services.recreate(url, restored_name)
    began = time.perf_counter()
    subprocess.run(["pg_restore", "--exit-on-error", "--no-owner", "--dbname", restored_url,
                    str(dump)], check=True, timeout=600)
    restored = time.perf_counter() - began
    original, copy = checks.table_counts(url), checks.table_counts(restored_url)
    audit, audit_copy = checks.audit_chain(url), checks.audit_chain(restored_url)
    return {"fault": "backup with pg_dump, restored into a fresh database",
            "dump_mib": round(dump.stat().st_size / 2**20, 2),
            "seconds_dump": round(dumped, 1), "seconds_restore": round(restored, 1),
            "tables": len(original), "rows": sum(original.values()),
            "tables_differing": sorted(t for t in original if original[t] != copy.get(t)),
            "audit_trail": audit, "audit_trail_restored_identical": audit == audit_copy,
            "restored_audit_refuses_changes": _refuses_changes(restored_url),
            "data": checks.consistency(restored_url)}


def _refuses_changes(url: str) -> bool:
    with psycopg.connect(url) as connection:
        try:
            connection.execute("UPDATE audit_event SET action = action "
                               "WHERE id = (SELECT min(id) FROM audit_event)")
        except psycopg.Error:
            return True
        connection.rollback()
    return False
