"""WeasyPrint may read the portal's own static files and nothing else."""

import pytest

from portal.pdf import BASE_URL, RefusedURL, render_pdf, static_fetcher


@pytest.fixture
def fetch(app):
    return static_fetcher(app.static_folder, app.static_url_path)


def test_fetcher_serves_a_static_file(fetch, app):
    found = fetch(f"{BASE_URL}static/css/statement.css")
    assert found["mime_type"] == "text/css" and b"@page" in found["string"]


@pytest.mark.parametrize("url", [
    "file:///etc/passwd",
    "FILE:///etc/passwd",
    f"{BASE_URL}static/../../../../etc/passwd",
    f"{BASE_URL}static/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    f"{BASE_URL}static/css/statement.css?x=1",
    f"{BASE_URL}static/css/",
    f"{BASE_URL}healthz",
    "https://evil.example/static/css/statement.css",
    "http://127.0.0.1:5432/",
    "data:text/css,body{}",
])
def test_fetcher_refuses_everything_else(fetch, url):
    with pytest.raises(RefusedURL):
        fetch(url)


def test_a_statement_cannot_pull_in_a_local_file(app, monkeypatch):
    asked = []
    fetcher = static_fetcher(app.static_folder, app.static_url_path)

    def spy(url, *args, **kwargs):
        asked.append(url)
        return fetcher(url, *args, **kwargs)

    monkeypatch.setattr("portal.pdf.static_fetcher", lambda *a: spy)
    html = ('<link rel="stylesheet" href="file:///etc/passwd">'
            '<img src="file:///etc/passwd"><img src="/static/../../etc/passwd">'
            '<p>Alleen deze tekst</p>')
    with app.test_request_context():
        pdf = render_pdf(html)
    assert pdf.startswith(b"%PDF") and b"root:" not in pdf
    assert "file:///etc/passwd" in asked  # asked for, and refused
