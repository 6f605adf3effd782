"""WCAG 2.1 AA: axe-core on the main pages of every role; and the keyboard."""

import pytest
from playwright.sync_api import expect

from portal.demo.region import DEMO_PASSWORD
from tests.browser.conftest import log_in, screenshot, serious_accessibility_violations

# (account, pages); the pages with an object use the first link in a list page's table.
PAGES = {
    "medewerker@horizon-jeugdhulp.example": ["/", "/trajecten/inbox", "/trajecten",
                                             "/verzoeken", "/verzoeken/toewijzing/nieuw",
                                             "/metingen", "/stuurinformatie/aanbieder",
                                             "first:/trajecten", "/declaraties",
                                             "/declaraties/nieuw",
                                             "first:/declaraties?status=concept",
                                             "first:/declaraties?status=answered"],
    "toegang@denhaag.example": ["/", "/trajecten", "/toewijzingen/nieuw",
                                "/toewijzingen/importeren", "/toewijzingen/codes",
                                "/toewijzingen/ijw", "/verzoeken"],
    "beoordelaar@denhaag.example": ["/", "/trajecten", "/metingen", "/stuurinformatie",
                                    "first:/trajecten", "/beoordelen", "/beoordelen?status=all",
                                    "first:/beoordelen", "/beoordelen/betaalbestanden"],
    "contractbeheer@regio-haaglanden.example": ["/", "/stuurinformatie",
                                                "/stuurinformatie/definities", "/overzichten",
                                                "first:/overzichten", "/verify", "/catalogus",
                                                "first:/catalogus",
                                                "/catalogus/intensiteiten/nieuw",
                                                "/contracten", "first:/contracten",
                                                "/contracten/nieuw-jaar"],
    "beheer@regio-haaglanden.example": ["/", "/beheer", "/beheer/gebruikers/nieuw",
                                        "/beheer/api-sleutels",
                                        "/beheer/toegangslog", "/account"],
}


def test_login_page_has_no_serious_violations(browser_page):
    browser_page.goto("/inloggen")
    assert serious_accessibility_violations(browser_page) == []


@pytest.mark.parametrize("account", sorted(PAGES))
def test_main_pages_have_no_serious_violations(browser_page, account):
    page = browser_page
    log_in(page, account)
    failures = {}
    for path in PAGES[account]:
        if path.startswith("first:"):
            page.goto(path.removeprefix("first:"))
            list_url = page.url
            page.locator("main table tbody a").first.click()
            page.wait_for_url(lambda url, list_url=list_url: url != list_url)
        else:
            page.goto(path)
        if violations := serious_accessibility_violations(page):
            failures[page.url] = violations
    screenshot(page, f"home-{account.split('@')[0]}")
    assert failures == {}


def test_review_queue_with_a_decision_form_open(browser_page):
    """The rejection form of a line opened in the queue, then refused in place (HTMX)."""
    page = browser_page
    log_in(page, "beoordelaar@denhaag.example")
    page.goto("/beoordelen")
    closed = page.locator("#wachtrij details.portal-reject:not([open])").first
    row = page.locator("#" + closed.locator("xpath=ancestor::tr").get_attribute("id"))
    row.locator("summary").click()
    reject = row.locator("form[action$='/afkeuren']")
    expect(reject.get_by_label("Toelichting voor de aanbieder")).to_be_visible()
    assert serious_accessibility_violations(page) == []
    reject.locator("button[type=submit]").click()  # no note: refused, with errors in the row
    expect(row.locator("[aria-invalid=true]").first).to_be_visible()
    assert serious_accessibility_violations(page) == []


def test_form_errors_are_announced_and_linked(browser_page):
    page = browser_page
    log_in(page, "toegang@denhaag.example")
    page.goto("/toewijzingen/nieuw")
    page.click("main button[type=submit]")
    summary = page.locator(".portal-error-summary")
    assert summary.get_attribute("role") == "alert"
    assert summary.locator("a[href='#bsn']").count() == 1
    assert page.locator("#bsn").get_attribute("aria-invalid") == "true"
    assert serious_accessibility_violations(page) == []


def test_main_journey_by_keyboard_only(browser_page):
    """Log in and open a trajectory with Tab and Enter only."""
    page = browser_page
    page.goto("/inloggen")
    page.keyboard.press("Tab")  # skip link
    focused = page.evaluate("document.activeElement.textContent")
    assert "Naar de inhoud" in focused
    page.focus("#email")
    page.keyboard.type("medewerker@horizon-jeugdhulp.example")
    page.keyboard.press("Tab")
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/inloggen" not in url)
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Trajecten":
            break
    page.keyboard.press("Enter")
    page.wait_for_url("**/trajecten")
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("!!document.activeElement.closest('#resultaten tbody')"):
            break
    page.keyboard.press("Enter")
    page.wait_for_url("**/trajecten/*")
    assert page.locator("h2:has-text('Toewijzingen')").is_visible()
