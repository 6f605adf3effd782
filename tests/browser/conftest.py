"""Browser tests: Debian's Chromium driven by Playwright against a live portal.

The portal runs in a thread on 127.0.0.1 with its own SQLite file holding the demo region.
Without Chromium the tests are skipped (with the install command), except in CI, where its
absence fails the run.
"""

import functools
import os
import threading
import time
from datetime import datetime
from pathlib import Path

import flask_migrate
import pyotp
import pytest
from werkzeug.serving import make_server

from portal import create_app
from portal.demo.region import DEMO_PASSWORD, DEMO_TOTP_SECRETS, demo_bsns
from portal.extensions import db
from tests.conftest import config_for

CHROMIUM = os.environ.get("PORTAL_CHROMIUM", "/usr/bin/chromium")
AXE = Path(__file__).parent / "vendor" / "axe-core-4.14.1.min.js"
SCREENSHOTS = Path(__file__).parents[2] / "docs" / "screenshots"
# The demo accounts the journeys sign in as (README, "Demo accounts").
PROVIDER = "medewerker@horizon-jeugdhulp.example"
CONTRACT_MANAGER = "contractbeheer@regio-haaglanden.example"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.committed)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if Path(CHROMIUM).exists():
        return CHROMIUM
    if os.environ.get("CI") == "true":
        pytest.fail(f"Chromium is missing at {CHROMIUM}; CI needs it (apt-get install chromium).")
    pytest.skip(f"Chromium not found at {CHROMIUM}: install it with "
                "'sudo apt-get install chromium' to run the browser tests.")


@pytest.fixture(scope="session")
def live_server(tmp_path_factory, chromium_path):
    """The portal with the demo region, served on a free port of 127.0.0.1."""
    path = tmp_path_factory.mktemp("live") / "portal.sqlite"
    app = create_app(config_for(f"sqlite:///{path}"))
    app.config.update(WTF_CSRF_ENABLED=True, SERVER_NAME=None)
    with app.app_context():
        flask_migrate.upgrade()
        from datetime import date

        from portal.demo.region import build_demo_region
        from portal.jobs.figures import refresh

        accounts = build_demo_region(date.today())
        db.session.commit()
        refresh()  # the figures store, as seed-demo fills it
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield {"url": f"http://127.0.0.1:{server.server_port}", "app": app,
           "accounts": {a.email: a for a in accounts}}
    server.shutdown()
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def chromium(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"])
        yield browser
        browser.close()


# Reports every Content-Security-Policy violation to the test, also those that Chromium does
# not log to the console (the binding and this script are not subject to the page's CSP).
_REPORT_CSP_VIOLATIONS = """document.addEventListener("securitypolicyviolation", (event) =>
    window.portalCspViolation(`${event.violatedDirective} ${event.blockedURI} `
                              + `${event.sourceFile}:${event.lineNumber}`));"""


def _page(chromium, live_server, viewport: dict):
    """A fresh browser context; the test fails when any page in it violates the CSP."""
    context = chromium.new_context(base_url=live_server["url"], locale="nl-NL",
                                   viewport=viewport)
    violations: list[str] = []
    context.expose_binding("portalCspViolation",
                           lambda source, text: violations.append(f"{source['page'].url}: {text}"))
    context.add_init_script(_REPORT_CSP_VIOLATIONS)
    page = context.new_page()
    page.on("console", lambda message: violations.append(f"{page.url}: {message.text}")
            if message.type == "error" and "Content Security Policy" in message.text else None)
    page.set_default_timeout(10_000)
    yield page
    _account_of.pop(page, None)
    context.close()
    if violations:
        pytest.fail("Content-Security-Policy violations:\n" + "\n".join(violations))


@pytest.fixture
def browser_page(chromium, live_server):
    yield from _page(chromium, live_server, {"width": 1280, "height": 900})


@pytest.fixture
def phone_page(chromium, live_server):
    """A phone's viewport (390 x 844, as an iPhone 12 to 15)."""
    yield from _page(chromium, live_server, {"width": 390, "height": 844})


_last_step: dict[str, int] = {}


def totp_code(email: str) -> str:
    """A fresh code for a demo account. A code works once, and the portal accepts one time
    step either side, so a second login of one account within 30 s takes the next step. Not
    the step before: by the time the portal checks it, that one may have run out."""
    totp = pyotp.TOTP(DEMO_TOTP_SECRETS[email])
    step = max(totp.timecode(datetime.now()), _last_step.get(email, -1) + 1)
    while step > totp.timecode(datetime.now()) + 1:
        time.sleep(1)
    _last_step[email] = step
    return totp.generate_otp(step)


# A logged-in session per account, as cookies: its first login goes through the form (with the
# second factor), later tests of the account start in that session. A log-out ends every
# session of the account (a new session token), so the next login uses the form again.
_sessions: dict[str, list] = {}
_account_of: dict = {}  # page -> the account logged in on it


def log_in(page, email: str) -> None:
    if cookies := _sessions.get(email):
        page.context.add_cookies(cookies)
        page.goto("/")
        if "/inloggen" not in page.url:
            _account_of[page] = email
            return
        del _sessions[email]  # expired meanwhile (idle for SESSION_IDLE_MINUTES)
    page.goto("/inloggen")
    page.fill("#email", email)
    page.fill("#password", DEMO_PASSWORD)
    page.click("main button[type=submit]")
    if email in DEMO_TOTP_SECRETS:
        page.wait_for_url("**/inloggen/code")
        page.fill("#code", totp_code(email))
        page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/inloggen" not in url)
    _sessions[email] = page.context.cookies()
    _account_of[page] = email


def htmx_ready(page, url: str) -> None:
    """Wait until the page at `url` has loaded and htmx has started: before that, a change to
    a filter would be a plain form change and no htmx request at all."""
    page.wait_for_url(url)
    page.wait_for_function("() => window.htmx !== undefined")


def log_out(page) -> None:
    page.click("header button:has-text('Uitloggen')")
    page.wait_for_url("**/inloggen")
    _sessions.pop(_account_of.pop(page, None), None)


# Only the violations' summaries come back from the page: the whole result (every rule that
# passed, with its nodes) is megabytes to serialise per page.
_AXE_VIOLATIONS = """async () => (await axe.run(document, {
    runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
    resultTypes: ['violations']})).violations.map((v) => ({
        id: v.id, impact: v.impact, help: v.help,
        targets: v.nodes.slice(0, 3).map((n) => n.target)}))"""


def serious_accessibility_violations(page) -> list[str]:
    """Runs axe-core on the page; serious and critical violations, described."""
    if not page.evaluate("() => 'axe' in window"):
        page.evaluate(_axe_source())
    return [f"{v['id']} ({v['impact']}): {v['help']} – {v['targets']}"
            for v in page.evaluate(_AXE_VIOLATIONS) if v["impact"] in ("serious", "critical")]


def assert_accessible(page) -> None:
    assert serious_accessibility_violations(page) == [], page.url


@functools.cache
def _axe_source() -> str:
    return AXE.read_text()


def screenshot(page, name: str) -> None:
    if os.environ.get("PORTAL_SCREENSHOTS"):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


_unused_bsns = (bsn for bsn in demo_bsns() if int(bsn) > 999980000)


def fresh_bsn() -> str:
    """A test BSN that no demo child has."""
    return next(_unused_bsns)


def started_trajectory(live_server, bsn: str, cbs_code: str = "0518", start=None):
    """Set-up through the domain: a started Horizon trajectory in 's-Gravenhage (or the
    municipality of `cbs_code`), started 30 days ago (or on `start`)."""
    from datetime import date, timedelta

    from sqlalchemy import select

    from portal.domain.trajectories import ChildDetails, allocate, register_start
    from portal.models import Arrangement, Municipality, Profile, Provider, User

    with live_server["app"].app_context():
        provider = db.session.scalar(select(Provider).filter_by(name="Horizon Jeugdhulp"))
        arrangement = db.session.scalar(
            select(Arrangement).join(Arrangement.profile).where(Profile.name == "Ontwikkeling")
            .where(Arrangement.product_code == "01M"))
        staff = db.session.scalar(select(User).filter_by(provider_id=provider.id))
        start = start or date.today() - timedelta(days=30)
        trajectory = allocate(
            municipality=db.session.scalar(select(Municipality).filter_by(cbs_code=cbs_code)),
            child=ChildDetails(bsn, date(2014, 6, 1), "Browser", f"Kind {bsn[-3:]}"),
            provider=provider, arrangement=arrangement, start=start,
            end=start + timedelta(days=200), actor=None)
        register_start(trajectory, start, staff)
        db.session.commit()
        return trajectory.id, trajectory.current_allocation.number



def ended_trajectory(live_server, bsn: str):
    """Set-up through the domain: a started Horizon trajectory in 's-Gravenhage (see
    `started_trajectory`), ended today according to plan with an end measurement, so its
    start and end tranches are both earned and declarable."""
    from sqlalchemy import select

    from portal.domain.codes import JZ588
    from portal.domain.lists import (
        Informant,
        MeasurementMoment,
        TreatmentResult,
        WithoutHelp,
        YesNoUnknown,
    )
    from portal.domain.measurements import Answers, record_measurement
    from portal.domain.trajectories import end_trajectory
    from portal.domain.working_days import today_in_amsterdam
    from portal.models import Trajectory, User

    trajectory_id, number = started_trajectory(live_server, bsn)
    with live_server["app"].app_context():
        trajectory = db.session.get(Trajectory, trajectory_id)
        staff = db.session.scalar(select(User).filter_by(provider_id=trajectory.provider_id)
                                  .order_by(User.id).limit(1))
        today = today_in_amsterdam()
        end_trajectory(trajectory, today, JZ588.ACCORDING_TO_PLAN, staff)
        yes = YesNoUnknown.YES
        record_measurement(trajectory, Answers(
            moment=MeasurementMoment.END, informant=Informant.PARENT, measured_on=today,
            goes_to_school_or_work=yes, grows_up_at_home=yes, takes_part=yes, is_safe=yes,
            treatment_result=TreatmentResult.REDUCED, satisfaction=8,
            without_help=WithoutHelp.NONE), staff, today)
        db.session.commit()
        return trajectory_id, number
