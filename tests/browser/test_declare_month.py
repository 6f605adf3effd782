"""Declaring last month from the start page: at most three clicks to a submitted declaration."""

from datetime import date, timedelta

from playwright.sync_api import expect

from tests.browser.conftest import PROVIDER, fresh_bsn, log_in, started_trajectory


def test_declare_last_month_in_two_clicks_from_the_start_page(browser_page, live_server):
    page = browser_page
    last_month = (date.today().replace(day=1) - timedelta(days=1)).replace(day=1)
    started_trajectory(live_server, fresh_bsn(), cbs_code="0629", start=last_month)
    log_in(page, PROVIDER)
    page.goto("/")
    clicks = 0
    item = page.locator("[data-declare] li[data-municipality='Wassenaar']")
    item.locator("button, a").first.click()  # make the declaration, or open its concept
    clicks += 1
    expect(page.locator("h1")).to_contain_text("Concept")
    page.get_by_role("button", name="Declaratie indienen").click()
    clicks += 1
    expect(page.locator(".utrecht-alert--ok")).to_contain_text("is ingediend")
    assert clicks <= 3
    page.goto("/")
    expect(item).to_contain_text("ingediend")
