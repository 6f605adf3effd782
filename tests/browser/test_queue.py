"""The review queue in two clicks: select all lines of the page, approve them."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import htmx_ready, log_in


def test_a_clean_queue_page_is_approved_in_two_clicks(browser_page):
    page = browser_page
    log_in(page, "beoordelaar@denhaag.example")
    page.goto("/beoordelen")
    htmx_ready(page, "**/beoordelen")
    page.select_option("#provider", label="Kompas Gezinshulp")
    expect(page).to_have_url(re.compile(r"provider=\d+"))
    counts = page.locator("#wachtrij-aantallen")
    expect(counts).to_contain_text("in deze selectie")
    boxes = page.locator("#wachtrij input[form=bulk]")
    clean = boxes.count()
    assert clean >= 2, "the demo queue has clean lines of this provider"
    waiting = int(counts.locator("li", has_text="ingediend")
                  .locator(".portal-counts__value").inner_text())

    clicks = 0
    for target in (page.get_by_label("Alle regels op deze pagina selecteren"),
                   page.get_by_role("button", name="Geselecteerde regels goedkeuren")):
        target.click()
        clicks += 1
        if clicks == 1:
            expect(boxes.first).to_be_checked()
            assert boxes.evaluate_all("boxes => boxes.every(box => box.checked)")

    assert clicks == 2
    expect(page.locator("#wachtrij .utrecht-alert")).to_have_text(
        f"{clean} regels goedgekeurd.")
    expect(counts.locator("li", has_text="ingediend")).to_have_text(
        f"{waiting - clean} ingediend")
    expect(boxes).to_have_count(0)
    expect(page.get_by_label("Alle regels op deze pagina selecteren")).to_be_disabled()
