"""`python -m bench.multihost` (make multihost): two gunicorn "hosts" on two ports behind
HAProxy, sharing one PostgreSQL database and one Redis (login throttle, job queue), each with
a Huey worker; then the checks, a PASS/FAIL line each and a JSON file in bench/results/."""

import argparse
import json
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from datetime import datetime
from pathlib import Path

import redis

from bench.dataset import recreate_database
from bench.multihost import checks
from bench.multihost.haproxy import RuntimeApi, Server, check, config
from bench.multihost.processes import Host, Processes
from bench.report import RESULTS, machine
from bench.server import ROOT
from portal.config import Defaults

DEFAULT_DATABASE = "postgresql://postgres@127.0.0.1:5432/portal_multihost"
DEFAULT_REDIS = "redis://127.0.0.1:6379"
# Database numbers of the drill's own in a shared Redis: emptied before and after.
LIMITS_DB, JOBS_DB = 12, 13
OWN_REDIS_PORT = 6393  # when no Redis answers at --redis-url
PROXY_PORT, HOST_PORTS = 8130, (8131, 8132)
WORKERS = 2
# The throttle check comes last: its failed logins lock the address out for the window.
CHECKS = {"login": checks.login_continues, "job": checks.job_across_hosts,
          "figures": checks.figures_equal, "restart": checks.rolling_restart,
          "throttle": checks.throttle_counts_across}


def _arguments():
    parser = argparse.ArgumentParser(prog="python -m bench.multihost", description=__doc__)
    parser.add_argument("--database-url", default=DEFAULT_DATABASE,
                        help="dropped and created again (default: %(default)s)")
    parser.add_argument("--redis-url", default=DEFAULT_REDIS,
                        help=f"a Redis whose databases {LIMITS_DB} and {JOBS_DB} the drill may "
                             "empty; when none answers, one of its own is started "
                             "(default: %(default)s)")
    parser.add_argument("--checks", default=",".join(CHECKS),
                        help="which checks, in this order (default: %(default)s)")
    return parser.parse_args()


def _redis(url: str, processes: Processes) -> str:
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
        return url
    except redis.RedisError:
        print(f"No Redis at {url}: starting one on port {OWN_REDIS_PORT}", flush=True)
        processes.start(["redis-server", "--port", str(OWN_REDIS_PORT), "--bind", "127.0.0.1",
                         "--save", "", "--appendonly", "no"],
                        RESULTS / "multihost-redis.log", port=OWN_REDIS_PORT)
        return f"redis://127.0.0.1:{OWN_REDIS_PORT}"


def _empty(redis_url: str) -> None:
    for number in (LIMITS_DB, JOBS_DB):
        redis.Redis.from_url(f"{redis_url}/{number}").flushdb()


def _environment(database_url: str, redis_url: str) -> dict[str, str]:
    """What each host gets: production settings, one secret key, one database, one Redis."""
    return {"PORTAL_ENV": "production", "PORTAL_SECRET_KEY": secrets.token_hex(32),
            "PORTAL_DATABASE_URL": database_url, "PORTAL_WORKERS": str(WORKERS),
            "PORTAL_RATELIMIT_STORAGE_URI": f"{redis_url}/{LIMITS_DB}",
            "PORTAL_JOBS_URL": f"{redis_url}/{JOBS_DB}", "PORTAL_JOBS_NAME": "portal-multihost",
            "PORTAL_PROXY_COUNT": "1", "PORTAL_BASE_URL": f"http://127.0.0.1:{PROXY_PORT}",
            # Plain http on this machine: production's proxy terminates TLS instead.
            "PORTAL_SESSION_COOKIE_SECURE": "false"}


def _fresh_database(env: dict[str, str]) -> None:
    """As a release does it: the schema with `flask db upgrade`, then the demo region."""
    recreate_database(env["PORTAL_DATABASE_URL"])
    flask = [sys.executable, "-m", "flask", "--app", "portal"]
    for command in (["db", "upgrade"], ["seed-demo"]):
        done = subprocess.run([*flask, *command], cwd=ROOT, capture_output=True, text=True,
                              env={**env, "PYTHONPATH": str(ROOT)})
        if done.returncode != 0:
            raise RuntimeError(f"flask {' '.join(command)} failed:\n{done.stderr[-2000:]}")


def _start_haproxy(processes: Processes, hosts: list[Host], workdir: Path) -> RuntimeApi:
    socket = workdir / "haproxy.sock"
    path = workdir / "haproxy.cfg"
    path.write_text(config(PROXY_PORT, [Server(h.name, h.port) for h in hosts], socket,
                           per_server=WORKERS))
    check(path)
    (RESULTS / "multihost-haproxy.cfg").write_text(path.read_text())
    processes.start(["haproxy", "-db", "-f", str(path)], RESULTS / "multihost-haproxy.log",
                    port=PROXY_PORT)
    api = RuntimeApi(socket)
    deadline = time.monotonic() + 30
    while any(s["status"] != "UP" for s in api.servers().values()):
        if time.monotonic() > deadline:
            raise RuntimeError(f"HAProxy does not see both hosts up: {api.servers()}")
        time.sleep(0.2)
    return api


def _run(check, stage: checks.Stage) -> dict:
    began = time.perf_counter()
    try:
        result = check(stage)
    except Exception as error:  # a check that breaks fails; the others still run
        traceback.print_exc()
        result = {"passed": False, "error": repr(error)}
    result["seconds"] = round(time.perf_counter() - began, 1)
    return result


def main() -> None:
    args = _arguments()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("stopped by SIGTERM"))
    chosen = [name.strip() for name in args.checks.split(",") if name.strip()]
    unknown = set(chosen) - set(CHECKS)
    if unknown:
        raise SystemExit(f"unknown checks: {', '.join(sorted(unknown))}")
    # HAProxy, wrk and Redis from Debian: apt-get when missing and root, else what to install.
    subprocess.run([str(ROOT / "scripts" / "os-deps.sh"), "haproxy", "wrk", "redis-server"],
                   check=True)
    RESULTS.mkdir(exist_ok=True)
    report = {"machine": machine(), "started": datetime.now().isoformat(timespec="seconds"),
              "settings": {"hosts": len(HOST_PORTS), "workers_per_host": WORKERS,
                           "proxy_port": PROXY_PORT, "host_ports": HOST_PORTS,
                           "checks": chosen}, "checks": {}}
    with tempfile.TemporaryDirectory(prefix="portal-multihost-") as workdir, \
            Processes() as processes:
        redis_url = _redis(args.redis_url, processes)
        _empty(redis_url)
        try:
            env = _environment(args.database_url, redis_url)
            print(f"A fresh database {args.database_url} with the demo region ...", flush=True)
            _fresh_database(env)
            hosts = [Host(f"host{n}", port, env, RESULTS)
                     for n, port in enumerate(HOST_PORTS, start=1)]
            for host in hosts:
                print(f"Starting {host.name} on {host.url} and its job worker ...", flush=True)
                host.start(processes)
                host.start_worker(processes)
            api = _start_haproxy(processes, hosts, Path(workdir))
            stage = checks.Stage(f"http://127.0.0.1:{PROXY_PORT}", hosts, api, processes,
                                 Defaults.LOGIN_MAX_FAILURES)
            for name in chosen:
                print(f"Check: {name} ...", flush=True)
                report["checks"][name] = _run(CHECKS[name], stage)
        finally:
            _empty(redis_url)
    path = RESULTS / f"multihost-{datetime.now():%Y%m%d-%H%M%S}.json"
    path.write_text(json.dumps(report, indent=2, default=str))
    for name, result in report["checks"].items():
        print(f"{'PASS' if result['passed'] else 'FAIL'} {name}: {_summary(name, result)}")
    print(f"Written to {path}")
    if not all(result["passed"] for result in report["checks"].values()):
        raise SystemExit("a two-host check failed")


def _summary(name: str, result: dict) -> str:
    if "error" in result:
        return result["error"]
    if name == "restart":
        load = result["load"]
        return (f"{load['requests']} requests through HAProxy while both hosts restarted: "
                f"{load['non_2xx']} non-2xx, {load['socket_errors']} socket errors")
    if name == "throttle":
        return (f"attempt {result['first_refused_attempt']} refused (limit {result['limit']}) "
                f"on {', '.join(result['refused_on'])}")
    if name == "job":
        return (f"{result['state']} after {result['seconds_to_result']} s, run by the worker "
                f"of {', '.join(result['run_by_worker_of']) or '?'}")
    if name == "figures":
        return f"{result['figures_per_host']} figures per host"
    return f"password on {result['password_on']}, code on {result['code_on']}"


if __name__ == "__main__":
    main()
