"""Phone width (390 x 844): every main page of every role fits the screen, without sideways
scrolling and with axe-core clean; the menu folds behind a button."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, screenshot, serious_accessibility_violations
from tests.browser.test_accessibility import PAGES

# Words in visible table headers that the layout broke over two lines ("Toew/ijzi/ng"); a
# break after a hyphen ("Jeugd-/ggz") is fine.
_BROKEN_HEADER_WORDS = """() => {
    const broken = [];
    for (const th of document.querySelectorAll('main th')) {
        const walker = document.createTreeWalker(th, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            if (node.parentElement.closest('.visually-hidden')) continue;
            for (const match of node.data.matchAll(/[^\\s-]+/g)) {
                const range = document.createRange();
                range.setStart(node, match.index);
                range.setEnd(node, match.index + match[0].length);
                const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
                if (tops.size > 1) broken.push(match[0]);
            }
        }
    }
    return broken;
}"""


_IN_A_SCROLLING_TABLE = "b => !!b.closest('.portal-table-wrap:not(:has(.portal-table--stack))')"


def _open(page, path: str) -> None:
    if path.startswith("first:"):
        page.goto(path.removeprefix("first:"))
        href = page.locator("main table tbody a").first.get_attribute("href")
        page.goto(href)
    else:
        page.goto(path)


def _check_the_menu(page) -> None:
    """One header line with a menu button; the menu opens with it and closes with Escape."""
    button = page.get_by_role("button", name="Menu")
    menu = page.get_by_role("navigation", name="Hoofdmenu")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(menu).to_be_hidden()
    assert page.locator(".portal-header").bounding_box()["height"] < 100
    button.click()
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(menu).to_be_visible()
    expect(page.get_by_role("button", name="Uitloggen")).to_be_visible()
    menu.get_by_role("link").first.focus()
    page.keyboard.press("Escape")
    expect(menu).to_be_hidden()
    expect(button).to_be_focused()


@pytest.mark.parametrize("account", sorted(PAGES))
def test_main_pages_fit_a_phone(phone_page, account):
    page = phone_page
    log_in(page, account)
    _check_the_menu(page)
    failures = {}
    for path in PAGES[account]:
        _open(page, path)
        problems = []
        width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        if width[0] > width[1]:
            problems.append(f"scrolls sideways: {width[0]} px in {width[1]} px")
        if broken := page.evaluate(_BROKEN_HEADER_WORDS):
            problems.append(f"headers broken mid-word: {broken}")
        problems += serious_accessibility_violations(page)
        # Buttons are on screen, except in a table that scrolls in its own box (the queue's
        # table does not: its rows stack, so its decide buttons are in view).
        for button in page.locator("main button:visible").all()[:10]:
            if button.evaluate(_IN_A_SCROLLING_TABLE):
                continue
            box = button.bounding_box()
            if box["x"] < 0 or box["x"] + box["width"] > width[1]:
                problems.append(f"button off screen: {button.inner_text()}")
        if problems:
            failures[path] = problems
        if path == "/beoordelen":  # the filters fold away, so the queue starts in view
            expect(page.locator("#provider")).to_be_hidden()
            screenshot(page, "reviewer-queue-phone")
            page.get_by_text("Filters", exact=True).click()
            expect(page.locator("#provider")).to_be_visible()
    assert failures == {}


def test_login_page_fits_a_phone(phone_page):
    page = phone_page
    page.goto("/inloggen")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert page.locator(".portal-header").bounding_box()["height"] < 100  # one line
    expect(page.get_by_role("button", name="English")).to_be_visible()
    assert serious_accessibility_violations(page) == []
