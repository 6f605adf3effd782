"""Journeys from login to result, as the people who use the portal make them."""

import re
import shutil
import subprocess
from datetime import date, timedelta
from pathlib import Path

from playwright.sync_api import expect

from tests.browser.conftest import (
    CONTRACT_MANAGER,
    PROVIDER,
    ended_trajectory,
    fresh_bsn,
    htmx_ready,
    log_in,
    log_out,
    screenshot,
    started_trajectory,
)

ACCESS_STAFF = "toegang@denhaag.example"
REVIEWER = "beoordelaar@denhaag.example"


def pdf_text(path: Path) -> str:
    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "pdftotext (poppler-utils) reads the statement; .ci/run installs it"
    return subprocess.run([pdftotext, "-layout", str(path), "-"], capture_output=True,  # noqa: S603
                          check=True, text=True).stdout


def iso(day: date) -> str:
    return day.isoformat()


def test_allocation_reaches_the_inbox_and_the_provider_starts_with_two_goals(browser_page):
    page, bsn, today = browser_page, fresh_bsn(), date.today()
    log_in(page, ACCESS_STAFF)
    page.click("nav >> text=Nieuwe toewijzing")
    page.fill("#bsn", bsn)
    page.fill("#birth_date", "2015-05-17")
    page.fill("#given_name", "Lotte")
    page.fill("#family_name", f"Journey {bsn[-3:]}")
    page.select_option("#provider", label="Horizon Jeugdhulp")
    page.select_option("#arrangement", label="Ontwikkeling, midden")
    page.fill("#start_date", iso(today))
    page.fill("#end_date", iso(today + timedelta(days=180)))
    page.click("main button[type=submit]")
    expect(page.locator(".utrecht-alert--ok")).to_contain_text("is afgegeven aan Horizon")
    log_out(page)

    log_in(page, PROVIDER)
    page.click("nav >> text=Inbox")
    row = page.locator("tr", has_text=f"Journey {bsn[-3:]}")
    clicks = 0  # a start from the inbox in two clicks: open the form, register
    row.get_by_role("link", name=re.compile("Start registreren")).click()
    clicks += 1
    page.fill("#started_on", iso(today))
    page.click("main button[type=submit]")
    clicks += 1
    expect(page.locator("h1")).to_contain_text("Gestart")
    assert clicks == 2
    for description in ("Gaat weer elke dag naar school", "Rust en structuur thuis"):
        page.get_by_role("link", name="Doel toevoegen").click()
        page.select_option("#life_domain", label="Onderwijs of werk")
        page.fill("#description", description)
        page.fill("#treatment_aim", "Minder angst")
        page.fill("#societal_aim", "Volledig schoolbezoek")
        page.click("main button[type=submit]")
        expect(page.locator(".utrecht-alert--ok")).to_be_visible()
    goals = page.locator("h2:has-text('Plan: doelen') + div table tbody tr")
    expect(goals).to_have_count(2)
    screenshot(page, "provider-trajectory")


def test_change_request_rejected_and_the_provider_sees_why(browser_page, live_server):
    page = browser_page
    trajectory_id, number = started_trajectory(live_server, fresh_bsn())
    log_in(page, PROVIDER)
    page.goto(f"/trajecten/{trajectory_id}")
    page.get_by_role("link", name="Wijziging aanvragen").click()
    page.select_option("#reason", value="1")
    page.select_option("#arrangement", label="Ontwikkeling, zwaar")
    page.fill("#end_date", iso(date.today() + timedelta(days=300)))
    page.fill("#motivation", "Situatie thuis is verslechterd; meer behandeling nodig.")
    page.click("main button[type=submit]")
    expect(page.locator(".utrecht-alert--ok")).to_contain_text("naar de gemeente gestuurd")
    log_out(page)

    log_in(page, ACCESS_STAFF)
    page.click("nav >> text=Trajecten")
    page.fill("#q", str(number))
    page.locator("#resultaten").get_by_role("link", name=str(number), exact=True).click()
    page.locator("h2:has-text('Wijzigingsverzoeken') + div table a").first.click()
    page.select_option("#afwijzen-rejection_reason", value="7")
    page.fill("#afwijzen-decision_note", "Eerst de huidige aanpak evalueren met het gezin.")
    page.click("button[value=afwijzen]")
    expect(page.locator(".utrecht-alert--ok")).to_contain_text("afgewezen")
    log_out(page)

    log_in(page, PROVIDER)
    page.goto(f"/trajecten/{trajectory_id}")
    decision = page.locator("h2:has-text('Wijzigingsverzoeken') + div table")
    expect(decision).to_contain_text("Afgewezen")
    expect(decision).to_contain_text("Zorginhoudelijke afkeur")
    expect(decision).to_contain_text("Eerst de huidige aanpak evalueren")


def test_expired_session_during_htmx_lands_on_the_login_page(browser_page):
    page = browser_page
    log_in(page, ACCESS_STAFF)
    page.click("nav >> text=Trajecten")
    htmx_ready(page, "**/trajecten")
    page.context.clear_cookies()  # the session is gone, as after expiry
    page.select_option("#status", value="ended")
    page.wait_for_url("**/inloggen**")
    expect(page.locator("h1")).to_have_text("Inloggen")
    assert page.locator("#resultaten").count() == 0


def record_measurement(page, button: str, measured_on: date, end: bool = False) -> None:
    page.get_by_role("link", name=button).click()
    page.check("input[name=informant][value=parent]")
    page.fill("#measured_on", iso(measured_on))
    for item, answer in (("goes_to_school_or_work", "yes"), ("grows_up_at_home", "yes"),
                         ("takes_part", "no"), ("is_safe", "yes")):
        page.check(f"input[name={item}][value={answer}]")
    if end:
        page.check("input[name=treatment_result][value=reduced]")
        page.check("input[name=satisfaction][value='8']")
        page.check("input[name=without_help][value='04']")
    page.click("main button[type=submit]")
    expect(page.locator(".utrecht-alert--ok")).to_contain_text("De meting is opgeslagen")


def test_start_measurement_end_and_end_measurement(browser_page, live_server):
    page, today = browser_page, date.today()
    trajectory_id, _number = started_trajectory(live_server, fresh_bsn())
    log_in(page, PROVIDER)
    page.goto(f"/trajecten/{trajectory_id}")
    record_measurement(page, "Beginmeting vastleggen", today - timedelta(days=29))
    page.goto(f"/trajecten/{trajectory_id}")
    page.get_by_role("link", name="Zorg beëindigen").click()
    page.fill("#ended_on", iso(today))
    page.select_option("#reason", value="31")
    page.click("main button[type=submit]")
    expect(page.locator("h1")).to_contain_text("Beëindigd")
    record_measurement(page, "Eindmeting vastleggen", today, end=True)
    page.goto(f"/trajecten/{trajectory_id}")
    measurements = page.locator("#metingen + div table tbody tr, #metingen ~ div table tbody tr")
    expect(measurements.first).to_be_visible()
    assert page.locator("#metingen ~ div table").first.inner_text().count("Ouder") >= 2


def declaration_line(page, number: int, tranche: str, credit: bool = False):
    """The row of a declaration page for one tranche of allocation `number`."""
    rows = page.locator("main table tbody tr").filter(
        has=page.get_by_role("link", name=str(number), exact=True)).filter(has_text=tranche)
    credit_badge = page.locator(".portal-badge--credit")
    return rows.filter(has=credit_badge) if credit else rows.filter(has_not=credit_badge)


def reference_of(row) -> str:
    return row.locator("td").first.inner_text().strip()


def test_declare_tranches_review_in_the_queue_then_credit_and_declare_again(browser_page,
                                                                            live_server):
    page = browser_page
    _trajectory_id, number = ended_trajectory(live_server, fresh_bsn())

    # The provider declares the start and end tranche of the ended trajectory.
    log_in(page, PROVIDER)
    page.click("nav >> text=Declaraties")
    page.get_by_role("link", name="Nieuwe declaratie").click()
    page.select_option("#municipality", label="'s-Gravenhage")
    page.click("main button[type=submit]")
    expect(page.locator("h1")).to_contain_text("Concept")
    # A concept for this month may exist already (the demo has one): complete its proposal.
    page.get_by_role("button", name="Voorstel aanvullen").click()
    expect(page.locator(".utrecht-alert--ok")).to_contain_text("regels toegevoegd")
    start, end = declaration_line(page, number, "Starttranche"), declaration_line(
        page, number, "Eindtranche")
    expect(start).to_contain_text("Voldoet aan de regels")
    expect(end).to_contain_text("Voldoet aan de regels")
    start_reference, end_reference = reference_of(start), reference_of(end)
    start_amount = start.locator("td").nth(4).inner_text().strip()
    declaration_url = page.url
    page.get_by_role("button", name="Declaratie indienen").click()
    expect(page.locator(".utrecht-alert--ok")).to_contain_text("is ingediend")
    expect(start).to_contain_text("Ingediend")
    expect(end).to_contain_text("Ingediend")
    log_out(page)

    # The reviewer decides both lines in the queue, in place: no page is loaded again.
    log_in(page, REVIEWER)
    page.click("nav >> text=Declaraties beoordelen")
    htmx_ready(page, "**/beoordelen")
    page.evaluate("window.__marker = 1")
    page.select_option("#provider", label="Horizon Jeugdhulp")
    expect(page).to_have_url(re.compile(r"provider=\d+"))
    page.select_option("#sort", value="nieuwste")
    expect(page).to_have_url(re.compile(r"sort=nieuwste"))
    queue = page.locator("#wachtrij")
    start_row = queue.locator("tbody tr", has_text=start_reference)
    end_row = queue.locator("tbody tr", has_text=end_reference)
    waiting = page.locator("#wachtrij-aantallen li", has_text="ingediend")
    waiting_before = int(waiting.locator(".portal-counts__value").inner_text())

    start_row.get_by_role("button", name=f"Goedkeuren {start_reference}").click()
    approved = start_row.get_by_role("status")
    expect(approved).to_have_text(f"Regel {start_reference} is goedgekeurd.")
    expect(approved).to_be_focused()  # not lost with the button that is gone
    expect(start_row).to_contain_text("Goedgekeurd")
    expect(start_row.get_by_role("button")).to_have_count(0)
    expect(waiting).to_have_text(f"{waiting_before - 1} ingediend")

    end_row.locator("summary").click()
    reject = end_row.locator("form[action$='/afkeuren']")
    reject.locator("button[type=submit]").click()  # without a code and a note: refused
    expect(end_row).to_contain_text("Kies een retourcode en geef een toelichting.")
    expect(end_row.locator("[aria-invalid=true]")).to_have_count(2)
    # The line meets every rule: only a judgement code (8187: not this child's care) fits.
    reject.get_by_label("Retourcode").select_option("0611")
    reject.get_by_label("Toelichting voor de aanbieder").fill("Niet aan dit kind geleverd.")
    reject.locator("button[type=submit]").click()
    expect(end_row).to_contain_text("Retourcode 0611 past niet bij deze regel")
    reject = end_row.locator("form[action$='/afkeuren']")
    reject.get_by_label("Retourcode").select_option("8187")
    reject.locator("button[type=submit]").click()
    expect(end_row).to_contain_text(f"Regel {end_reference} is afgekeurd.")
    expect(end_row).to_contain_text("Afgekeurd")
    expect(end_row).to_contain_text("8187")
    expect(waiting).to_have_text(f"{waiting_before - 2} ingediend")
    assert page.evaluate("window.__marker") == 1, "the queue was loaded again"
    assert queue.locator(f"tbody tr:has-text('{start_reference}')").count() == 1
    log_out(page)

    # The provider sees both decisions, credits the approved line and declares again.
    log_in(page, PROVIDER)
    page.goto(declaration_url)
    expect(start).to_contain_text("Goedgekeurd")
    expect(end).to_contain_text("Afgekeurd")
    expect(end).to_contain_text("8187 De prestatie hoort niet bij deze cliënt.")
    expect(end).to_contain_text("Niet aan dit kind geleverd.")
    expect(end.get_by_role("button")).to_have_count(0)  # a rejected line is not credited
    start.get_by_role("button", name=f"Crediteren {start_reference}").click()
    expect(page.locator(".utrecht-alert--ok")).to_contain_text(
        f"Regel {start_reference} is gecrediteerd")
    assert page.url != declaration_url
    credit = declaration_line(page, number, "Starttranche", credit=True)
    expect(credit).to_contain_text(start_reference)
    expect(credit).to_contain_text(f"-{start_amount}")
    new_start = declaration_line(page, number, "Starttranche")
    new_end = declaration_line(page, number, "Eindtranche")
    expect(new_start).to_have_count(1)
    expect(new_end).to_have_count(1)  # the rejected tranche, declared again
    assert reference_of(new_start) not in (start_reference, end_reference)
    assert reference_of(new_end) not in (start_reference, end_reference)
    page.get_by_role("button", name="Declaratie indienen").click()
    expect(page.locator(".utrecht-alert--ok")).to_contain_text("is ingediend")
    for row in (credit, new_start, new_end):
        expect(row).to_contain_text("Ingediend")
    screenshot(page, "provider-correction")
    new_start_reference = reference_of(new_start)
    log_out(page)

    # The reviewer approves the credit and its new debit with one click.
    log_in(page, REVIEWER)
    page.goto("/beoordelen?sort=nieuwste")
    queue = page.locator("#wachtrij")
    expect(queue).to_contain_text(f"Correctie: hoort bij regel {new_start_reference}.")
    queue.get_by_role("button", name=f"Credit en nieuwe debet goedkeuren {start_reference} "
                      f"{new_start_reference}").click()
    expect(page.locator(".utrecht-alert--ok")).to_contain_text(
        f"Creditregel {start_reference} en de nieuwe debetregel {new_start_reference} zijn "
        "goedgekeurd.")


def test_contract_manager_reads_the_dashboard_and_downloads_a_statement(browser_page,
                                                                       tmp_path):
    page = browser_page
    log_in(page, CONTRACT_MANAGER)
    page.click("nav >> text=Stuurinformatie")
    expect(page.locator("h1")).to_contain_text("Stuurinformatie")
    expect(page.locator("svg.portal-chart").first).to_be_visible()
    page.click("nav >> text=Overzichten")
    row = page.locator("tr", has_text="Horizon Jeugdhulp")
    row.get_by_role("link", name=re.compile("Overzicht maken")).click()
    # A wrong period is explained on the form, and nothing is downloaded.
    page.select_option("#periode", value="anders")
    page.fill("#van", "2026-03-01")
    page.click("main button[type=submit]")
    expect(page.locator(".portal-error-summary")).to_contain_text(
        "Vul de laatste dag van de periode in.")
    page.select_option("#periode", index=0)  # the latest whole year
    page.click("main button[type=submit]")
    # A job makes the statement (at once in tests); its page then offers the PDF.
    expect(page.locator("h1")).to_have_text("Contractoverzicht")
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("Download contractoverzicht")).click()
    download = download_info.value
    assert re.fullmatch(r"contractoverzicht-H10-JH-\d{4}-\d{3}-\d{4}-\d\d-\d\d-"
                        r"\d{4}-\d\d-\d\d\.pdf", download.suggested_filename)
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    text = pdf_text(path)
    assert "Contractoverzicht" in text and "Horizon Jeugdhulp" in text
    code = re.search(r"Verificatiecode ([0-9A-F]{4}(?:-[0-9A-F]{4}){3})", text).group(1)
    declared = re.search(r"Gedeclareerd.*?(€ [\d.]+,\d\d)", text, re.S).group(1)
    # Anyone with the statement can check it came from the portal unchanged.
    log_out(page)
    page.goto("/verify")
    page.fill("#code", code)
    page.fill("#declared", declared)
    page.click("main button[type=submit]")
    expect(page.locator(".utrecht-alert--ok")).to_contain_text("komt uit het portaal")
