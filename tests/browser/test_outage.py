"""An outage seen in the browser: the portal's real 503 answer to an HTMX request (from an
app whose database is unreachable) lands in the page's notice area; the page stays."""

import re
from urllib.parse import urlsplit

from playwright.sync_api import expect

from portal import create_app
from portal.web.auth.sessions import stamp
from tests.browser.conftest import htmx_ready, log_in
from tests.conftest import config_for
from tests.web.test_error_pages import UNAVAILABLE, UNREACHABLE


def test_an_outage_during_an_htmx_request_shows_a_notice_and_keeps_the_page(browser_page):
    page = browser_page
    log_in(page, "toegang@denhaag.example")
    page.click("nav >> text=Trajecten")
    htmx_ready(page, "**/trajecten")
    outage = create_app(config_for(UNREACHABLE)).test_client()
    with outage.session_transaction() as session:
        session["_user_id"] = "1:token"
        stamp(session, two_factor=True)

    def from_the_outage(route):
        url = urlsplit(route.request.url)
        answer = outage.get(f"{url.path}?{url.query}",
                            headers={"HX-Request": route.request.headers.get("hx-request", "")})
        route.fulfill(status=answer.status_code, headers=dict(answer.headers),
                      body=answer.get_data())

    page.route(re.compile(r"/trajecten\?"), from_the_outage)
    page.select_option("#status", value="ended")
    expect(page.locator("#portal-notice [role=alert]")).to_contain_text(UNAVAILABLE)
    expect(page.locator("#resultaten")).to_be_visible()
