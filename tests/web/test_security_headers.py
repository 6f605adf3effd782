"""Response headers, caching, no inline script or style anywhere, and oversized input."""

import re
from pathlib import Path

import pytest

from portal import create_app
from tests.conftest import config_for, login_as

TEMPLATES = Path(__file__).parents[2] / "portal" / "templates"
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style\b|\sstyle\s*=\s*[\"']", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=\s*[\"']", re.IGNORECASE)


def assert_no_inline_code(html: str) -> None:
    assert not INLINE_SCRIPT.search(html)
    assert not INLINE_STYLE.search(html)
    assert not EVENT_HANDLER.search(html)
    assert '="None"' not in html


def test_every_page_carries_the_security_headers(client):
    headers = client.get("/inloggen").headers
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self';" in csp and "style-src 'self';" in csp
    assert "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "Strict-Transport-Security" not in headers  # plain http in development and tests


def test_hsts_outside_development_and_tests(tmp_path):
    settings = config_for(f"sqlite:///{tmp_path}/hsts.sqlite") | {"ENV": "production"}
    response = create_app(settings).test_client().get("/healthz")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_authenticated_pages_and_login_steps_are_not_cached(client, world):
    assert client.get("/inloggen").headers["Cache-Control"] == "no-store"
    login_as(client, world.users["provider_staff"])
    for url in ("/", "/account", "/account/wachtwoord", "/tweestapsverificatie"):
        assert client.get(url).headers["Cache-Control"] == "no-store", url


@pytest.mark.parametrize("template", sorted(TEMPLATES.rglob("*.html")), ids=lambda p: p.name)
def test_templates_hold_no_inline_script_style_or_event_handler(template):
    assert_no_inline_code(template.read_text())


def test_rendered_pages_hold_no_inline_script_or_style(client, world):
    pages = [client.post("/inloggen", data={"email": "", "password": ""})]
    login_as(client, world.users["provider_staff"])
    pages += [client.get(url) for url in ("/", "/account", "/tweestapsverificatie")]
    pages.append(client.post("/account/wachtwoord", data={"current_password": "x"}))
    for page in pages:
        html = page.get_data(as_text=True)
        assert 'class="utrecht-' in html
        assert_no_inline_code(html)
    assert "<svg " in pages[3].get_data(as_text=True)  # the QR code is inline SVG


def test_a_ten_megabyte_login_field_gets_the_dutch_413_page(client, world):
    response = client.post("/inloggen", data={"email": "a" * (10 * 1024 * 1024),
                                              "password": "x"})
    assert response.status_code == 413
    assert "Het bestand of formulier is te groot" in response.get_data(as_text=True)


def test_a_ten_megabyte_login_field_gets_413_with_csrf_on_too(client, world, csrf):
    response = client.post("/inloggen", data={"email": "a" * (10 * 1024 * 1024)})
    assert response.status_code == 413
