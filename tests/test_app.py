"""The application factory and its configuration."""

import os

import pytest

from portal import create_app


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch):
    """Each test sets the PORTAL_* variables it means; none leak in from the shell."""
    for name in [n for n in os.environ if n.startswith("PORTAL_")]:
        monkeypatch.delenv(name)


def test_production_refuses_to_start_without_secret_key(monkeypatch, tmp_path):
    monkeypatch.delenv("PORTAL_SECRET_KEY", raising=False)
    monkeypatch.setenv("PORTAL_ENV", "production")
    with pytest.raises(RuntimeError, match="PORTAL_SECRET_KEY"):
        create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.sqlite"})


def test_environment_overrides_defaults(monkeypatch, tmp_path):
    monkeypatch.setenv("PORTAL_SECRET_KEY", "from-the-environment")
    monkeypatch.setenv("PORTAL_DATABASE_URL", "postgres://u@db.example/portal")
    monkeypatch.setenv("PORTAL_PAGE_SIZE", "50")
    app = create_app()
    assert app.config["SECRET_KEY"] == "from-the-environment"
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db.example/portal"
    assert app.config["PAGE_SIZE"] == 50
    assert app.config["SESSION_COOKIE_SECURE"] is True  # production keeps Secure cookies


def test_instance_config_sits_between_defaults_and_environment(monkeypatch, tmp_path):
    instance = tmp_path / "instance"
    instance.mkdir()
    (instance / "config.py").write_text("PAGE_SIZE = 7\nSECRET_KEY = 'from-instance'\n")
    monkeypatch.setattr("flask.Flask.auto_find_instance_path", lambda self: str(instance))
    monkeypatch.delenv("PORTAL_SECRET_KEY", raising=False)
    monkeypatch.setenv("PORTAL_PAGE_SIZE", "9")
    app = create_app()
    assert app.config["SECRET_KEY"] == "from-instance"
    assert app.config["PAGE_SIZE"] == 9
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith(f"sqlite:///{instance}")


def test_development_runs_on_sqlite_in_the_instance_folder(monkeypatch, tmp_path):
    monkeypatch.setattr("flask.Flask.auto_find_instance_path", lambda self: str(tmp_path))
    monkeypatch.delenv("PORTAL_DATABASE_URL", raising=False)
    monkeypatch.setenv("PORTAL_ENV", "development")
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/portal.sqlite"
    assert app.config["SESSION_COOKIE_SECURE"] is False


def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_pages_carry_security_headers_and_vary_on_htmx(client):
    response = client.get("/inloggen")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert "HX-Request" in response.headers["Vary"]


def test_unknown_page_is_a_dutch_404(client):
    response = client.get("/bestaat-niet")
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.get_data(as_text=True)


def test_english_catalogue_is_used_when_chosen(client):
    client.set_cookie("lang", "en", domain="portal.test")
    assert "Log in" in client.get("/inloggen").get_data(as_text=True)
