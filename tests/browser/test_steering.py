"""The steering conversation in Chromium: the contract manager records a conversation and an
action; the provider finds it on its start page, responds and closes the action. Every page
axe-clean; at phone width no page scrolls sideways."""

from datetime import date, timedelta

from playwright.sync_api import expect

from tests.browser.conftest import (
    CONTRACT_MANAGER,
    PROVIDER,
    assert_accessible,
    log_in,
    log_out,
)


def test_the_manager_records_and_the_provider_responds(browser_page):
    page, today = browser_page, date.today()
    log_in(page, CONTRACT_MANAGER)
    page.click("nav >> text=Sturingsgesprekken")
    assert_accessible(page)
    page.click("text=Nieuw sturingsgesprek vastleggen")
    horizon = page.locator("#contract option", has_text="Horizon Jeugdhulp").first
    page.select_option("#contract", horizon.get_attribute("value"))
    page.fill("#year", str(today.year))
    page.fill("#held_on", today.isoformat())
    page.fill("#participants", "Ans de Vries (regio)\nBo Jansen (Horizon)")
    page.fill("#agreements", "Uitval terug naar 10 procent\nEindmeting bij elk einde")
    assert_accessible(page)
    page.click("main button[type=submit]")
    expect(page.locator("main")).to_contain_text("Het sturingsgesprek is vastgelegd.")
    page.fill("#owner", "Bo Jansen, teamleider")
    page.select_option("#owner_side", "provider")
    page.fill("#what", "Uitval per team analyseren")
    page.fill("#due_on", (today + timedelta(days=14)).isoformat())
    page.click("text=Actie vastleggen")
    expect(page.locator("main")).to_contain_text("De actie is vastgelegd.")
    assert_accessible(page)
    conversation_url = page.url.split("#")[0]
    log_out(page)

    log_in(page, PROVIDER)
    card = page.locator("[data-todos] a", has_text="open acties uit het sturingsgesprek")
    expect(card).to_be_visible()
    card.click()
    expect(page.locator("main")).to_contain_text("Uitval per team analyseren")
    assert_accessible(page)
    page.goto(conversation_url)
    page.get_by_label("Reactie op afspraak 1").fill("Plan volgt in januari.")
    page.fill("#response", "Wij herkennen het beeld.")
    assert_accessible(page)
    page.click("text=Reactie opslaan")
    expect(page.locator("main")).to_contain_text("Uw reactie is opgeslagen.")
    expect(page.get_by_label("Reactie op afspraak 1")).to_have_value("Plan volgt in januari.")
    page.locator("#acties ~ div button", has_text="Afgerond").first.click()
    expect(page.locator("main")).to_contain_text("De actie is afgerond.")
    assert_accessible(page)


def test_the_pages_fit_a_phone(phone_page):
    page = phone_page
    log_in(page, PROVIDER)
    for path in ("/sturingsgesprekken", "/sturingsgesprekken/acties"):
        page.goto(path)
        width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert width[0] <= width[1], (path, width)
        assert_accessible(page)
