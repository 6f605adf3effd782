"""The two-host checks. Each returns its figures with `passed`; a browser moves between the
hosts by changing its base address while keeping its cookies."""

import re
import time
import urllib.error
import urllib.request
from dataclasses import dataclass

import pyotp

from bench.load import parse_wrk_output, wrk_command
from bench.multihost.haproxy import RuntimeApi
from bench.multihost.processes import Host, Processes
from bench.sessions import Browser, log_in
from portal.demo.region import DEMO_PASSWORD, DEMO_TOTP_SECRETS

TWO_FACTOR_ACCOUNT = "toegang@denhaag.example"
PROVIDER_ACCOUNT = "medewerker@horizon-jeugdhulp.example"
MANAGER_ACCOUNT = "contractbeheer@regio-haaglanden.example"
THROTTLED_ACCOUNT = "medewerker@kompas-gezinshulp.example"
# The figures on a dashboard: key figure cards and table cells (not "computed at").
_FIGURE = re.compile(r'class="[^"]*portal-(?:num|card__value)[^"]*">([^<]*)<')
_CONTRACT = re.compile(r'href="/overzichten/contracten/(\d+)"')
_PERIOD = re.compile(r'<option[^>]*value="(\d{4}(?:-K\d)?)"')


@dataclass
class Stage:
    proxy_url: str
    hosts: list[Host]
    api: RuntimeApi
    processes: Processes
    login_max_failures: int


def _on(browser: Browser, host: Host) -> Browser:
    browser.base_url = host.url
    return browser


def _logged_in(browser: Browser, path: str = "/") -> bool:
    url, _page = browser.get(path)
    return "/inloggen" not in url


def login_continues(stage: Stage) -> dict:
    """Password on host 1, the second factor on host 2, then pages on both and through
    HAProxy with the same session cookie."""
    first, second = stage.hosts
    browser = Browser(first.url)
    after_password, _page = browser.post_form(
        "/inloggen", {"email": TWO_FACTOR_ACCOUNT, "password": DEMO_PASSWORD})
    code = pyotp.TOTP(DEMO_TOTP_SECRETS[TWO_FACTOR_ACCOUNT]).now()
    after_code, _page = _on(browser, second).post_form("/inloggen/code", {"code": code})
    pages = {"host 2": _logged_in(browser), "host 1": _logged_in(_on(browser, first))}
    browser.base_url = stage.proxy_url
    pages["HAProxy"] = _logged_in(browser)
    return {"password_on": first.name, "code_on": second.name,
            "asked_for_code": after_password.endswith("/inloggen/code"),
            "logged_in_after_code": "/inloggen" not in after_code,
            "home_page_logged_in": pages, "cookies": sorted(c.name for c in browser.cookies),
            "passed": "/inloggen" not in after_code and all(pages.values())}


def _failed_login(browser: Browser) -> str:
    try:
        url, _page = browser.post_form("/inloggen", {"email": THROTTLED_ACCOUNT,
                                                     "password": "not-the-password"})
    except urllib.error.HTTPError as error:
        return str(error.code)
    return "200" if "/inloggen" in url else f"logged in ({url})"


def throttle_counts_across(stage: Stage) -> dict:
    """Wrong passwords for one account, each on the other host in turn: the attempt after
    LOGIN_MAX_FAILURES is refused (429) whichever host it reaches."""
    limit = stage.login_max_failures
    browser = Browser(stage.hosts[0].url)
    attempts = []
    for n in range(limit + 2):
        host = stage.hosts[n % len(stage.hosts)]
        attempts.append({"host": host.name, "status": _failed_login(_on(browser, host))})
    statuses = [attempt["status"] for attempt in attempts]
    refused = [n + 1 for n, status in enumerate(statuses) if status == "429"]
    return {"limit": limit, "attempts": attempts,
            "first_refused_attempt": min(refused, default=None),
            "refused_on": sorted({attempts[n - 1]["host"] for n in refused}),
            "passed": statuses[:limit] == ["200"] * limit and statuses[limit:] == ["429", "429"]}


def _statement_job(browser: Browser) -> str:
    """Asks for the first contract's statement over its newest period; the job's path."""
    _url, index = browser.get("/overzichten")
    contract = _CONTRACT.search(index).group(1)
    _url, form = browser.get(f"/overzichten/contracten/{contract}")
    period = _PERIOD.search(form).group(1)
    url, _page = browser.get(f"/overzichten/contracten/{contract}?periode={period}")
    return url.removeprefix(browser.base_url)


def _ran_it(hosts: list[Host], sizes: dict[str, int]) -> list[str]:
    """The hosts whose Huey worker logged a run of the job task since `sizes`."""
    ran = []
    for host in hosts:
        with host.worker_log.open(errors="replace") as log:
            log.seek(sizes[host.name])
            if any("Executing" in line and "run_job" in line for line in log):
                ran.append(host.name)
    return ran


def job_across_hosts(stage: Stage, seconds: float = 120) -> dict:
    """A contract statement asked for through host 1, followed on host 2's job page until the
    PDF is there, and downloaded from host 2."""
    first, second = stage.hosts
    browser = log_in(first.url, PROVIDER_ACCOUNT, DEMO_PASSWORD, None)
    sizes = {host.name: host.worker_log.stat().st_size for host in stage.hosts}
    began = time.monotonic()
    job = _statement_job(browser)
    _on(browser, second)
    state = "not finished"
    while time.monotonic() - began < seconds:
        _url, page = browser.get(job)
        if "verificatiecode" in page or "utrecht-alert--error" in page:
            state = "done" if "verificatiecode" in page else "failed"
            break
        time.sleep(0.5)
    finished = round(time.monotonic() - began, 1)
    pdf = b""
    if state == "done":
        with browser.opener.open(browser.base_url + job + "/bestand", timeout=60) as response:
            pdf = response.read()
    return {"job": job, "queued_on": first.name, "followed_on": second.name, "state": state,
            "seconds_to_result": finished, "run_by_worker_of": _ran_it(stage.hosts, sizes),
            "pdf_from_host_2_bytes": len(pdf),
            "passed": state == "done" and pdf.startswith(b"%PDF")}


def _figures(browser: Browser) -> list[str]:
    _url, page = browser.get("/stuurinformatie")
    return [figure.strip() for figure in _FIGURE.findall(page)]


def figures_equal(stage: Stage) -> dict:
    """The region dashboard's numbers, read on each host with one session."""
    browser = log_in(stage.proxy_url, MANAGER_ACCOUNT, DEMO_PASSWORD,
                     DEMO_TOTP_SECRETS[MANAGER_ACCOUNT])
    figures = {host.name: _figures(_on(browser, host)) for host in stage.hosts}
    first, *others = figures.values()
    return {"figures_per_host": len(first), "first_figures": first[:8],
            "passed": bool(first) and all(other == first for other in others)}


def _wait_for(api: RuntimeApi, server: str, condition, seconds: float = 60) -> float:
    began = time.monotonic()
    while time.monotonic() - began < seconds:
        if condition(api.servers()[server]):
            return round(time.monotonic() - began, 2)
        time.sleep(0.1)
    raise RuntimeError(f"{server}: HAProxy did not see the expected state in {seconds} s")


def _healthy(host: Host, seconds: float = 60) -> float:
    """Seconds until the host's own /healthz answers 200."""
    began = time.monotonic()
    while time.monotonic() - began < seconds:
        try:
            with urllib.request.urlopen(host.url + "/healthz", timeout=5) as response:
                if response.status == 200:
                    return round(time.monotonic() - began, 2)
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{host.name} did not answer /healthz within {seconds} s")


def restart_through_haproxy(stage: Stage, host: Host) -> dict:
    """Take the host out of HAProxy (maintenance: no new requests), wait until it serves
    nothing, restart gunicorn, wait until it is healthy, and put it back.

    Not `drain`: with requests waiting in HAProxy's queue, a host that leaves drain gets none
    of them (HAProxy 2.6.12), and draining the other host next stalls every request."""
    api, began = stage.api, time.monotonic()
    api.set_state(host.name, "maint")
    emptied = _wait_for(api, host.name, lambda s: s["active"] == 0 and s["queued"] == 0)
    host.stop()
    gone = time.monotonic()
    host.start(stage.processes)
    healthy = _healthy(host)
    api.set_state(host.name, "ready")
    _wait_for(api, host.name, lambda s: s["status"].startswith("UP"))
    return {"host": host.name, "seconds_to_empty": emptied,
            "seconds_from_stopped_to_healthy": round(time.monotonic() - gone, 1),
            "seconds_listening_to_healthy": healthy,
            "seconds_in_all": round(time.monotonic() - began, 1),
            "served_when_back": api.servers()[host.name]["served"]}


def rolling_restart(stage: Stage, seconds: int = 60, connections: int = 16) -> dict:
    """wrk through HAProxy on a provider's trajectory list while each host in turn is taken
    out and restarted: every answer must be a 200 and no connection may fail."""
    browser = log_in(stage.proxy_url, PROVIDER_ACCOUNT, DEMO_PASSWORD, None)
    out = stage.hosts[0].logs / "multihost-wrk.txt"
    out.unlink(missing_ok=True)  # its JSON line is read back below
    load = stage.processes.start(
        wrk_command(stage.proxy_url + "/trajecten", seconds, connections,
                    cookie=browser.cookie_header()), out)
    time.sleep(5)
    restarts = [restart_through_haproxy(stage, host) for host in stage.hosts]
    time.sleep(3)
    after = stage.api.servers()
    restarted_serve = all(after[r["host"]]["served"] > r["served_when_back"]
                          for r in restarts)
    load.wait(timeout=seconds + 30)
    result = parse_wrk_output(out.read_text())
    finished_in_time = sum(r["seconds_in_all"] for r in restarts) + 5 < seconds
    return {"load": {"seconds": seconds, "connections": connections, "page": "/trajecten",
                     "requests": result.requests, "rps": result.rps, "p95_ms": result.p95_ms,
                     "max_ms": result.max_ms, "non_2xx": result.non_2xx,
                     "socket_errors": result.socket_errors},
            "restarts": restarts, "restarted_hosts_serve_again": restarted_serve,
            "restarts_within_load": finished_in_time,
            "passed": (result.requests > 0 and result.errors == 0 and restarted_serve
                       and finished_in_time)}
