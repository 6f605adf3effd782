"""Login and logout through the real form, CSRF, and sessions that end on the server."""

import re

from portal.extensions import db
from tests.conftest import login_as
from tests.factories import PASSWORD


def csrf_token_from(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def test_real_form_login_and_logout(client, world, csrf):
    page = client.get("/inloggen").get_data(as_text=True)
    response = client.post("/inloggen", data={
        "email": "Provider_Staff@example.test", "password": PASSWORD,
        "csrf_token": csrf_token_from(page),
    })
    assert response.status_code == 302
    home = client.get("/").get_data(as_text=True)
    assert "Welkom, provider_staff" in home
    logout = client.post("/uitloggen", data={"csrf_token": csrf_token_from(home)})
    assert logout.status_code == 302
    assert client.get("/").status_code == 302


def test_missing_csrf_token_is_refused(client, world, csrf):
    response = client.post("/inloggen", data={"email": "provider_staff@example.test",
                                              "password": PASSWORD})
    assert response.status_code == 400


def test_wrong_password_and_unknown_account_get_the_same_dutch_message(client, world):
    for email, password in (("provider_staff@example.test", "wrong password!"),
                            ("nobody@example.test", PASSWORD)):
        response = client.post("/inloggen", data={"email": email, "password": password})
        assert response.status_code == 200
        assert "Onjuist e-mailadres of wachtwoord." in response.get_data(as_text=True)
    with client.session_transaction() as session:
        assert "_user_id" not in session


def test_empty_form_names_the_missing_fields(client, world):
    html = client.post("/inloggen", data={}).get_data(as_text=True)
    assert "Vul uw e-mailadres in." in html and "Vul uw wachtwoord in." in html


def test_open_redirect_after_login_is_ignored(client, world):
    response = client.post("/inloggen?next=//evil.example/x",
                           data={"email": "provider_staff@example.test", "password": PASSWORD})
    assert response.headers["Location"] == "/"


def test_anonymous_is_sent_to_login_and_htmx_gets_hx_redirect(client, world):
    assert client.get("/").headers["Location"].startswith("/inloggen")
    response = client.get("/", headers={"HX-Request": "true"})
    assert response.status_code == 401
    assert response.headers["HX-Redirect"].startswith("/inloggen")


def test_logout_ends_the_session_on_the_server(app, world):
    user = world.users["reviewer"]
    first, second = app.test_client(), app.test_client()
    login_as(first, user)
    login_as(second, user)
    assert second.get("/").status_code == 200
    first.post("/uitloggen")
    # The other cookie carries the old session token and is refused now.
    assert second.get("/").status_code == 302


def test_disabled_account_cannot_log_in(client, world):
    world.users["reviewer"].active = False
    db.session.flush()
    response = client.post("/inloggen", data={"email": "reviewer@example.test",
                                              "password": PASSWORD})
    assert "Onjuist e-mailadres of wachtwoord." in response.get_data(as_text=True)
