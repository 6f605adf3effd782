"""Help with the CSV import: the example file imports as it is, the codes page shows the own
region's codes only, and the errors count lines the way the page says."""

import io

from sqlalchemy import func, select

from portal.domain.allocation_import import COLUMNS, OPTIONAL_COLUMNS
from portal.extensions import db
from portal.models import Trajectory
from tests.conftest import login_as
from tests.factories import SECOND_REGION, build_world


def upload(client, text: str):
    return client.post("/toewijzingen/importeren", content_type="multipart/form-data",
                       data={"file": (io.BytesIO(text.encode()), "toewijzingen.csv")})


def test_the_example_file_has_every_column_and_imports_as_it_is(client, world):
    login_as(client, world.users["access_staff"])
    page = client.get("/toewijzingen/importeren").get_data(as_text=True)
    assert 'href="/toewijzingen/importeren/voorbeeld.csv"' in page
    assert 'href="/toewijzingen/codes"' in page
    response = client.get("/toewijzingen/importeren/voorbeeld.csv")
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    assert text.splitlines()[0] == ";".join((*COLUMNS, *OPTIONAL_COLUMNS))
    assert world.providers[0].agb_code in text
    answer = upload(client, text)
    assert answer.status_code == 302
    assert db.session.scalar(select(func.count(Trajectory.id))) == 2
    assert "2 toewijzingen zijn geïmporteerd." in client.get("/").get_data(as_text=True)


def test_codes_page_shows_the_own_region_only(client, world):
    other = build_world(SECOND_REGION)
    login_as(client, world.users["access_staff"])
    html = client.get("/toewijzingen/codes").get_data(as_text=True)
    assert world.providers[0].agb_code in html and world.providers[0].name in html
    assert world.arrangements["gedrag_midden"].product_code in html
    assert other.providers[0].name not in html
    assert other.arrangements["gedrag_midden"].product_code not in html


def test_errors_say_what_their_line_numbers_count_and_plurals_fit(client, world):
    login_as(client, world.users["access_staff"])
    example = client.get("/toewijzingen/importeren/voorbeeld.csv").get_data(as_text=True)
    header, first, second = example.splitlines()
    html = upload(client, "\n".join((header, first, second.replace("9999900", "1234567"))))
    page = html.get_data(as_text=True)
    assert "1 regel bevat een fout" in page and "1 regels" not in page
    assert "de kopregel is regel 1" in page
    assert '<td class="utrecht-table__cell">3</td>' in page  # the second data row
    bad = second.replace("9999900", "1234567")
    page = upload(client, "\n".join((header, bad, bad))).get_data(as_text=True)
    assert "2 regels bevatten een fout" in page
    single = upload(client, "\n".join((header, first))).status_code
    assert single == 302
    assert "1 toewijzing is geïmporteerd." in client.get("/").get_data(as_text=True)
