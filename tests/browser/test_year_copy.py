"""The contract manager starts next year: a new arrangement, indexed tariffs, new contracts.

This file runs after the other journeys (it adds a contract per provider to the shared demo)."""

import re
from datetime import date, timedelta

from playwright.sync_api import expect

from tests.browser.conftest import (
    CONTRACT_MANAGER,
    fresh_bsn,
    log_in,
    log_out,
    screenshot,
    serious_accessibility_violations,
)

ACCESS_STAFF = "toegang@denhaag.example"


def test_contract_manager_creates_next_years_catalogue_and_contracts(browser_page):
    page = browser_page
    year = (date.today() + timedelta(days=30)).year  # the demo contracts end with this year
    next_year = year + 1
    log_in(page, CONTRACT_MANAGER)

    # One new arrangement: a new profile with the existing intensity "Midden".
    page.click("nav >> text=Catalogus")
    page.click("text=Nieuw profiel")
    page.fill("#code", "P10")
    page.fill("#name", "Gezinshuis")
    page.click("main button[type=submit]")
    expect(page.locator(".utrecht-alert--ok")).to_contain_text("Gezinshuis is opgeslagen")
    page.click("text=Catalogus")
    page.click("text=Nieuw arrangement")
    page.select_option("#profile", label="Gezinshuis")
    page.select_option("#intensity", label="Midden")
    page.select_option("#product_category", value="43")
    page.fill("#product_code", "10M")
    page.click("main button[type=submit]")
    expect(page.locator("h1")).to_have_text("Gezinshuis, midden")

    # The demo year's contracts and tariffs, indexed by 2,5 %, checked before confirming.
    page.click("nav >> text=Contracten")
    page.click("text=Nieuw contractjaar")
    page.fill("#year", str(year))
    page.fill("#percent", "2,5")
    page.click("text=Bekijk het nieuwe jaar")
    row = page.locator("tr", has=page.locator("td", has_text=re.compile(r"^01M$|^45 / 01M$")))
    expect(row).to_contain_text("€ 8.400,00")
    expect(row).to_contain_text("€ 8.610,00")
    screenshot(page, "contract-manager-new-year")
    assert serious_accessibility_violations(page) == []
    page.click("text=Bevestigen en vastleggen")
    expect(page.locator(".utrecht-alert--ok")).to_contain_text(
        f"De contracten en tarieven voor {next_year} zijn vastgelegd: 6 contracten")

    # Then adjust: a tariff for the new arrangement, and Horizon's new contract offers it.
    page.click("nav >> text=Catalogus")
    screenshot(page, "contract-manager-catalogue")
    page.click("text=Gezinshuis, midden")
    page.click("text=Nieuwe tariefversie")
    page.fill("#valid_from", f"{next_year}-01-01")
    page.fill("#amount", "9.250,00")
    page.click("main button[type=submit]")
    page.click("nav >> text=Contracten")
    page.click(f"text=H10-JH-{next_year}-001")
    expect(page.locator("#ends_on")).to_have_value(f"{next_year}-12-31")
    page.check("label:has-text('Gezinshuis, midden') input")
    page.click("text=Contract opslaan")
    expect(page.locator(".utrecht-alert--ok")).to_contain_text(
        f"Contract H10-JH-{next_year}-001 is opgeslagen")
    history = page.locator("#geschiedenis + ol")
    expect(history).to_contain_text("Contract gewijzigd")
    expect(history).to_contain_text("10M")
    expect(history).to_contain_text("Contract overgenomen uit het vorige jaar")
    screenshot(page, "contract-manager-contract")
    assert serious_accessibility_violations(page) == []

    # A changed scheme for the new year: 50 % at the start instead of 40 %. The copied
    # version (from 1 January) is still to come and kept by no allocation, so it is set anew.
    page.click("text=Betaalschema: 40% bij de start, 60% bij het einde")
    page.fill("#valid_from", f"{next_year}-01-01")
    page.fill("#start_share_percent", "50")
    page.fill("#end_share_percent", "50")
    page.click("main button[type=submit]")
    expect(page.locator(".utrecht-alert--ok")).to_contain_text("betaalschema")
    log_out(page)

    # Access staff allocate the new arrangement under next year's contract: the allocation
    # keeps the new tariff and the changed scheme (docs/declarations.md computes the tranches:
    # start 50 % of € 9.250,00 = € 4.625,00, the end tranche the rest).
    bsn = fresh_bsn()
    log_in(page, ACCESS_STAFF)
    page.click("nav >> text=Nieuwe toewijzing")
    page.fill("#bsn", bsn)
    page.fill("#birth_date", "2015-05-17")
    page.fill("#given_name", "Noor")
    page.fill("#family_name", f"Nieuwjaar {bsn[-3:]}")
    page.fill("#phone", "0701234567")
    page.select_option("#provider", label="Horizon Jeugdhulp")
    page.select_option("#arrangement", label="Gezinshuis, midden")
    page.fill("#start_date", f"{next_year}-01-01")
    page.fill("#end_date", f"{next_year}-06-30")
    page.click("main button[type=submit]")
    expect(page.locator(".utrecht-alert--ok")).to_contain_text("is afgegeven aan Horizon")
    allocations = page.locator("h2:has-text('Toewijzingen') + div table")
    expect(allocations).to_contain_text("€ 9.250,00")
    expect(allocations).to_contain_text("50% start, 50% einde")
    expect(allocations).to_contain_text(f"schema van 01-01-{next_year}")
