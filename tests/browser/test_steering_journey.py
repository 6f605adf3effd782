"""The steering journey of issue #18 in Chromium: the contract manager opens a provider's
trend, follows a quarter's figure to the trajectories behind it (pseudonymised) and opens
one, records an agreement about it in a steering conversation; the provider logs in, finds
the conversation and answers. Every page axe-clean."""

import re
from datetime import date

from playwright.sync_api import expect

from tests.browser.conftest import (
    CONTRACT_MANAGER,
    PROVIDER,
    assert_accessible,
    log_in,
    log_out,
)

PSEUDONYM = re.compile(r"P-[A-Z2-7]{8}")


def test_from_a_trend_to_its_trajectories_to_an_agreement_and_the_answer(browser_page):
    page, today = browser_page, date.today()
    log_in(page, CONTRACT_MANAGER)
    page.click("nav >> text=Stuurinformatie")
    page.get_by_role("link", name="trend Horizon Jeugdhulp").click()
    expect(page.locator("h1")).to_contain_text("Trend per kwartaal van Horizon Jeugdhulp")
    assert_accessible(page)

    # The provider's figure of a quarter leads to the trajectories it counts.
    figure = page.locator("table a[href*='achter-het-cijfer'][href*='per=aanbieder']").last
    shown = figure.inner_text()
    figure.click()
    expect(page.locator("h1")).to_contain_text("Achter het cijfer: Volgens plan beëindigd")
    main = page.locator("main")
    expect(main).to_contain_text("gepseudonimiseerd")
    base = int(page.locator(".portal-counts li", has_text="trajecten in de basis")
               .locator(".portal-counts__value").inner_text())
    counted = int(page.locator(".portal-counts li", has_text="daarvan meegeteld")
                  .locator(".portal-counts__value").inner_text())
    assert f"{100 * counted / base:.1f}".replace(".", ",") + "%" == shown
    rows = page.locator("main table").inner_text()
    pseudonyms = PSEUDONYM.findall(rows)
    assert len(pseudonyms) == base and "BSN" not in rows
    assert page.locator("main a[href^='/trajecten/']").count() == 0
    assert_accessible(page)
    page.get_by_role("link", name=pseudonyms[0]).click()
    expect(page.locator("h1")).to_have_text(f"Traject {pseudonyms[0]}")
    expect(main).to_contain_text("Horizon Jeugdhulp")
    assert_accessible(page)

    # The agreement names a trajectory by its pseudonym.
    page.click("nav >> text=Sturingsgesprekken")
    page.click("text=Nieuw sturingsgesprek vastleggen")
    horizon = page.locator("#contract option", has_text="Horizon Jeugdhulp").first
    page.select_option("#contract", horizon.get_attribute("value"))
    page.fill("#year", str(today.year))
    page.fill("#held_on", today.isoformat())
    page.fill("#participants", "Ans de Vries (regio)\nBo Jansen (Horizon)")
    agreement = f"Casus {pseudonyms[0]} bespreken in het volgende gesprek"
    page.fill("#agreements", agreement)
    page.click("main button[type=submit]")
    expect(main).to_contain_text("Het sturingsgesprek is vastgelegd.")
    conversation = page.url.split("#")[0].removeprefix(page.url.split("/sturingsgesprekken")[0])
    log_out(page)

    log_in(page, PROVIDER)
    page.click("nav >> text=Sturingsgesprekken")
    page.locator(f"main a[href='{conversation}']").click()
    expect(main).to_contain_text(agreement)
    assert_accessible(page)
    page.get_by_label("Reactie op afspraak 1").fill("Wij brengen het dossier mee.")
    page.fill("#response", "Eens met de afspraak.")
    page.click("text=Reactie opslaan")
    expect(main).to_contain_text("Uw reactie is opgeslagen.")
    expect(page.get_by_label("Reactie op afspraak 1")).to_have_value(
        "Wij brengen het dossier mee.")
    assert_accessible(page)
