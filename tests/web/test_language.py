"""English: every text has its English, code-list labels follow the language, and the
language switch returns to the page the user was on, also after a form's POST."""

import subprocess
import sys
from datetime import date
from pathlib import Path

from babel.messages.pofile import read_po

from portal.extensions import db
from tests.conftest import login_as
from tests.declaring import declare, submit

ROOT = Path(__file__).parents[2]
CATALOGUE = ROOT / "portal" / "translations" / "en" / "LC_MESSAGES" / "messages.po"


def english(client):
    client.set_cookie("lang", "en", domain="portal.test")


def submitted_line(world):
    world.trajectory("started")
    declaration = declare(world, date(2026, 2, 1))
    submit(world, declaration, today=date(2026, 11, 23))
    db.session.commit()
    return declaration.lines[0]


def test_every_text_has_its_english(tmp_path):
    template = tmp_path / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract",  # noqa: S603
                    "-F", "babel.cfg", "-o", str(template), "."], cwd=ROOT, check=True,
                   capture_output=True)
    with open(template, "rb") as texts, open(CATALOGUE, "rb") as catalogue:
        wanted, translated = read_po(texts), read_po(catalogue)
    missing = [m.id for m in wanted if m.id and not (
        (found := translated.get(m.id)) and not found.fuzzy
        and all(found.string if isinstance(found.string, tuple) else [found.string]))]
    assert missing == []


def test_code_list_labels_follow_the_language(client, world):
    trajectory = world.trajectory("started")
    db.session.commit()
    login_as(client, world.users["provider_staff"])
    url = f"/trajecten/{trajectory.id}/beeindigen"
    assert "31 – Levering is volgens plan beëindigd" in client.get(url).get_data(as_text=True)
    english(client)
    assert "31 – Delivery ended as planned" in client.get(url).get_data(as_text=True)
    end_measurement = client.get(f"/trajecten/{trajectory.id}/metingen/nieuw/einde")
    assert "04 – Needs no further help" in end_measurement.get_data(as_text=True)


def test_return_codes_in_the_queue_are_in_english(client, world):
    submitted_line(world)
    login_as(client, world.users["reviewer"])
    english(client)
    queue = client.get("/beoordelen").get_data(as_text=True)
    assert "The rate submitted does not match the contractual rate." in queue
    assert "komt niet overeen" not in queue


def test_switching_after_a_form_error_returns_to_the_form_page(client, world):
    """A refused rejection without JavaScript is shown at its POST-only action URL; the switch
    goes back to the line's page the form was on, not to a 405."""
    line = submitted_line(world)
    login_as(client, world.users["reviewer"])
    page_url = f"/beoordelen/regels/{line.id}"
    refused = client.post(f"{page_url}/afkeuren", data={},
                          headers={"Referer": f"http://portal.test{page_url}"})
    assert refused.status_code == 200
    assert f'name="next" value="{page_url}"' in refused.get_data(as_text=True)
    switched = client.post("/taal/en", data={"next": page_url})
    assert switched.status_code == 302 and switched.headers["Location"] == page_url
    assert "Log out" in client.get(switched.headers["Location"]).get_data(as_text=True)


def test_the_switch_goes_only_to_pages_that_answer_a_get(client, world):
    login_as(client, world.users["reviewer"])
    for target in ("/beoordelen/regels/1/afkeuren", "/bestaat-niet", "//evil.example/",
                   "https://evil.example/"):
        response = client.post("/taal/en", data={"next": target})
        assert response.headers["Location"] == "/", target
    other_site = client.post(f"/beoordelen/regels/{submitted_line(world).id}/afkeuren",
                             data={}, headers={"Referer": "https://evil.example/beoordelen"})
    assert 'name="next" value=""' in other_site.get_data(as_text=True)
