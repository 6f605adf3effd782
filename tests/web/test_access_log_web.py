"""The access log for people: Dutch actions, the numbers users know, search by BSN,
allocation number or name, and links where the administrator may look."""

import re

from portal.extensions import db
from tests.conftest import login_as


def search(client, **data) -> str:
    return client.post("/beheer/toegangslog", data=data).get_data(as_text=True)


def rows(html: str) -> list[str]:
    body = html.split('<tbody class="utrecht-table__body">', 1)[1].split("</tbody>", 1)[0]
    return re.findall(r"<tr class=\"utrecht-table__row\">(.*?)</tr>", body, re.S)


def test_events_read_in_dutch_with_allocation_numbers(client, world):
    trajectory = world.trajectory("started")
    number = trajectory.current_allocation.number
    login_as(client, world.users["reviewer"])
    client.get(f"/trajecten/{trajectory.id}")
    login_as(client, world.users["administrator"])
    html = search(client, child=trajectory.client.bsn)
    municipality = world.municipalities[0].name.replace("'", "&#39;")
    viewed = next(r for r in rows(html) if "Traject bekeken" in r)
    assert f"Traject bij toewijzing {number} ({municipality})" in viewed
    created = next(r for r in rows(html) if "Toewijzing afgegeven" in r)
    assert f"Toewijzing {number} ({municipality})" in created
    assert "Start zorg geregistreerd" in html
    assert "trajectory" not in html.split("<tbody", 1)[1]  # no raw codes or class names
    assert "BSN (9 cijfers), toewijzingsnummer of (een deel van) de naam" in html


def test_search_by_allocation_number_or_name(client, world):
    wanted = world.trajectory()
    other = world.trajectory()
    login_as(client, world.users["reviewer"])
    for t in (wanted, other):
        client.get(f"/trajecten/{t.id}")
    login_as(client, world.users["administrator"])
    number = str(wanted.current_allocation.number)
    for text in (number, wanted.client.family_name.lower(), wanted.client.bsn):
        found = rows(search(client, child=text, reads_only="y"))
        assert len(found) == 1 and wanted.client.masked_bsn in found[0], text
    assert rows(search(client, child="niemand zo genaamd"))[0].count("Geen gebeurtenissen")


def test_objects_link_where_the_administrator_may_look(client, world):
    login_as(client, world.users["administrator"])
    client.post("/beheer/gebruikers/nieuw", data={
        "email": "nieuw@example.test", "name": "Nieuw", "role": "access_staff",
        "organisation": f"municipality-{world.municipalities[0].id}",
        "password": "een lang wachtwoord"})
    db.session.expire_all()
    created = next(r for r in rows(search(client)) if "Account aangemaakt" in r)
    assert '<a class="utrecht-link" href="/beheer">Account nieuw@example.test</a>' in created
