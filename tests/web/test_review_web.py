"""The reviewer's queue (HTMX and without JavaScript), decisions in place, bulk approval,
and payment exports."""

import re
from datetime import date

import pytest
from sqlalchemy import func, select

from portal.domain.codes import WJ001
from portal.domain.declarations import credit_line
from portal.domain.lists import LineStatus
from portal.domain.review import REJECTION_CODES, approve_line
from portal.extensions import db
from portal.models import AuditEvent, PaymentExport
from tests.conftest import login_as, refresh_figures
from tests.declaring import declare, submit
from tests.layers import shared_layer

HX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    """Lines submitted on 23 November 2026 are due on 7 December; today is the 8th."""
    monkeypatch.setattr("portal.web.review.views.today_in_amsterdam", lambda: date(2026, 12, 8))


@shared_layer(on="world")
def to_review(world):
    """Horizon's two lines submitted on 23 November (overdue), De Kiem's one on 4 December.
    Built once for the tests here, before `_today` applies (none of its dates is today's),
    the figures store up to date."""
    for _ in range(2):
        world.trajectory("started")
    overdue = declare(world, date(2026, 2, 1))
    submit(world, overdue, today=date(2026, 11, 23))
    world.trajectory("started", provider=1, arrangement="gedrag_midden")
    recent = declare(world, date(2026, 2, 1), provider=1)
    submit(world, recent, provider=1, today=date(2026, 12, 4))
    db.session.commit()
    refresh_figures()  # as the first request after these commits would: part of the layer
    return [*overdue.lines, *recent.lines]


@pytest.fixture
def reviewer(client, world):
    login_as(client, world.users["reviewer"])
    return client


def html(response) -> str:
    return response.get_data(as_text=True)


def row(line) -> str:
    """The row of a line in the queue (references are unique per provider only)."""
    return f'id="regel-{line.id}"'


def test_queue_is_a_full_page_or_only_its_fragment(reviewer, to_review):
    page = reviewer.get("/beoordelen")
    assert "<html" in html(page) and 'id="wachtrij"' in html(page)
    fragment = reviewer.get("/beoordelen", headers=HX)
    assert "<html" not in html(fragment) and row(to_review[0]) in html(fragment)
    assert "HX-Request" in fragment.headers["Vary"]
    boosted = reviewer.get("/beoordelen", headers={**HX, "HX-Boosted": "true"})
    assert "<html" in html(boosted)
    restore = reviewer.get("/beoordelen", headers={**HX, "HX-History-Restore-Request": "true"})
    assert "<html" in html(restore)


def test_overdue_lines_come_first_with_a_badge_and_a_count(reviewer, to_review):
    page = html(reviewer.get("/beoordelen", headers=HX))
    assert page.count("portal-row--overdue") == 2
    assert page.index(row(to_review[0])) < page.index(row(to_review[2]))
    assert '<span class="portal-counts__value">2</span> te laat' in page
    only_late = html(reviewer.get("/beoordelen?overdue=y", headers=HX))
    assert row(to_review[2]) not in only_late and row(to_review[0]) in only_late


def test_filters_and_sorting(reviewer, world, to_review):
    by_provider = html(reviewer.get(f"/beoordelen?provider={world.providers[1].id}",
                                    headers=HX))
    assert row(to_review[2]) in by_provider and row(to_review[0]) not in by_provider
    by_amount = html(reviewer.get("/beoordelen?min_amount=3.500,00", headers=HX))
    assert row(to_review[2]) in by_amount and row(to_review[0]) not in by_amount
    highest_first = html(reviewer.get("/beoordelen?sort=bedrag_hoog", headers=HX))
    assert highest_first.index(row(to_review[2])) < highest_first.index(row(to_review[0]))
    bad = reviewer.get("/beoordelen?min_amount=veel&first_month=2026-13", headers=HX)
    assert bad.status_code == 200 and row(to_review[0]) in html(bad)


@pytest.mark.parametrize("query", ["provider={provider}", "overdue=y", "min_amount=10,00",
                                   "first_month=2026-02"])
def test_counts_say_when_a_filter_narrows_them(reviewer, world, to_review, query):
    plain = html(reviewer.get("/beoordelen?status=all&sort=bedrag_hoog", headers=HX))
    assert "in deze selectie" not in plain
    filtered = html(reviewer.get(
        "/beoordelen?" + query.format(provider=world.providers[1].id), headers=HX))
    counts = filtered[filtered.index('<ul id="wachtrij-aantallen"'):]
    counts = counts[:counts.index("</ul>")]
    assert 'aria-label="Aantallen per status in deze selectie"' in counts
    assert "in deze selectie</li>" in counts
    decided = html(reviewer.post(f"/beoordelen/regels/{to_review[2].id}/goedkeuren", headers=HX,
                                 data={"next": "/beoordelen?overdue=y"}))
    assert "in deze selectie</li>" in decided[decided.index("<template>"):]


def test_select_all_is_offered_for_the_page_beside_the_line_boxes(reviewer, to_review):
    """The box is hidden until static/js/portal.js shows it; without JavaScript the boxes of
    the lines (form="bulk") still post with the bulk form."""
    page = html(reviewer.get("/beoordelen"))
    assert 'data-select-all="bulk"' in page and "js/portal.js" in page
    select_all = page[:page.index('data-select-all="bulk"')]
    assert select_all.rstrip().endswith("<input type=\"checkbox\" id=\"alle-regels\"")
    assert select_all[select_all.rindex("<div"):].startswith(
        '<div class="portal-checkbox-field" hidden>')
    assert page.count('form="bulk"') == len(to_review)


def test_keyset_pages(reviewer, app, to_review):
    app.config["PAGE_SIZE"] = 2
    try:
        first = html(reviewer.get("/beoordelen", headers=HX))
        assert "Volgende pagina" in first and row(to_review[2]) not in first
        cursor = f"{to_review[1].due_on.isoformat()}_{to_review[1].id}"
        second = html(reviewer.get(f"/beoordelen?na={cursor}", headers=HX))
        assert row(to_review[2]) in second and row(to_review[0]) not in second
    finally:
        app.config["PAGE_SIZE"] = 25


def test_approve_in_place_returns_the_row(reviewer, world, to_review):
    line = to_review[0]
    response = reviewer.post(f"/beoordelen/regels/{line.id}/goedkeuren", headers=HX)
    assert response.status_code == 200
    row = html(response)
    assert row.lstrip().startswith(f'<tr id="regel-{line.id}"')
    assert f"Regel {line.reference} is goedgekeurd." in row
    assert line.status == LineStatus.APPROVED and line.decided_by == world.users["reviewer"]


def test_decision_in_place_updates_the_counts_and_moves_the_focus(reviewer, world, to_review):
    """The counts above the queue follow a decision taken in place (out of band, under the
    filters of the queue it was taken in: its URL travels in `next`), and the focus moves
    from the button that is gone to the row's message."""
    line = to_review[2]
    filtered = f"/beoordelen?provider={world.providers[1].id}"
    response = html(reviewer.post(f"/beoordelen/regels/{line.id}/goedkeuren", headers=HX,
                                  data={"next": filtered}))
    message = f'role="status" tabindex="-1" autofocus>Regel {line.reference} is goedgekeurd.'
    assert message in response
    counts = response[response.index("<template>"):]
    assert '<ul id="wachtrij-aantallen"' in counts and 'hx-swap-oob="true"' in counts
    assert '<span class="portal-counts__value">0</span> ingediend' in counts
    assert '<span class="portal-counts__value">1</span> goedgekeurd' in counts
    prefix = f"r{to_review[0].id}-"
    unfiltered = html(reviewer.post(f"/beoordelen/regels/{to_review[0].id}/afkeuren", headers=HX,
                                    data={prefix + "return_code": "8187", prefix + "note": "Op."}))
    counts = unfiltered[unfiltered.index("<template>"):]
    for count, status in ((1, "ingediend"), (1, "goedgekeurd"), (1, "afgekeurd")):
        assert f'<span class="portal-counts__value">{count}</span> {status}' in counts
    queue = html(reviewer.get("/beoordelen"))
    assert '<ul id="wachtrij-aantallen"' in queue and "hx-swap-oob" not in queue
    assert "autofocus" not in queue


def test_approve_without_javascript_redirects_back(reviewer, to_review):
    response = reviewer.post(f"/beoordelen/regels/{to_review[0].id}/goedkeuren",
                             data={"next": "/beoordelen?status=all"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/beoordelen?status=all"
    evil = reviewer.post(f"/beoordelen/regels/{to_review[1].id}/goedkeuren",
                         data={"next": "//evil.example/"})
    assert evil.headers["Location"] == "/beoordelen"


def test_rejection_needs_a_code_and_a_note(reviewer, to_review):
    line = to_review[0]
    prefix = f"r{line.id}-"
    response = reviewer.post(f"/beoordelen/regels/{line.id}/afkeuren", headers=HX,
                             data={prefix + "return_code": "8187", prefix + "note": ""})
    assert response.status_code == 200
    assert "Dit veld is verplicht." in html(response) and " open" in html(response)
    page = reviewer.post(f"/beoordelen/regels/{line.id}/afkeuren",
                         data={prefix + "return_code": "", prefix + "note": "Waarom"})
    assert page.status_code == 200 and "Er is een probleem" in html(page)
    assert line.status == LineStatus.SUBMITTED
    done = reviewer.post(f"/beoordelen/regels/{line.id}/afkeuren", headers=HX,
                         data={prefix + "return_code": "8187", prefix + "note": "Op."})
    assert f"Regel {line.reference} is afgekeurd." in html(done)
    assert (line.status, line.return_code, line.decision_note) == (
        LineStatus.REJECTED, WJ001.NOT_THIS_CLIENT, "Op.")


def test_second_decision_on_a_line_gets_a_clear_message(reviewer, world, to_review):
    line = to_review[0]
    approve_line(line, world.users["reviewer"])
    db.session.commit()
    prefix = f"r{line.id}-"
    response = reviewer.post(f"/beoordelen/regels/{line.id}/afkeuren", headers=HX,
                             data={prefix + "return_code": "8187", prefix + "note": "Nee."})
    assert "is intussen al besloten door reviewer: goedgekeurd" in html(response)
    assert line.status == LineStatus.APPROVED
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action.in_(["declaration_line.approved", "declaration_line.rejected"]),
        AuditEvent.object_id == line.id)) == 1


def test_line_that_breaks_a_rule_shows_why_and_cannot_be_approved(reviewer, to_review):
    line = to_review[0]
    line.amount_cents += 1
    db.session.commit()
    page = html(reviewer.get(f"/beoordelen/regels/{line.id}"))
    assert "0611" in page and "wijkt af" in page
    assert f"/beoordelen/regels/{line.id}/goedkeuren" not in page
    response = reviewer.post(f"/beoordelen/regels/{line.id}/goedkeuren", follow_redirects=True)
    assert "voldoet niet aan regel 0611" in html(response)
    assert line.status == LineStatus.SUBMITTED


def test_approve_selected_lines_together(reviewer, to_review):
    response = reviewer.post("/beoordelen/goedkeuren", headers=HX,
                             data={"line": [str(to_review[0].id), str(to_review[2].id)]})
    assert "2 regels goedgekeurd." in html(response) and "<html" not in html(response)
    assert [line.status for line in to_review] == [
        LineStatus.APPROVED, LineStatus.SUBMITTED, LineStatus.APPROVED]
    nothing = reviewer.post("/beoordelen/goedkeuren", follow_redirects=True)
    assert "Selecteer eerst een of meer regels" in html(nothing)


def test_another_municipality_sees_nothing(client, world, to_review):
    login_as(client, world.users["other_reviewer"])
    assert row(to_review[0]) not in html(client.get("/beoordelen?status=all"))
    assert client.get(f"/beoordelen/regels/{to_review[0].id}").status_code == 404
    assert client.post(f"/beoordelen/regels/{to_review[0].id}/goedkeuren").status_code == 404
    client.post("/beoordelen/goedkeuren", data={"line": [str(to_review[0].id)]})
    assert to_review[0].status == LineStatus.SUBMITTED


def test_concept_lines_are_not_in_the_queue(reviewer, world, to_review):
    world.trajectory("started", started_on=date(2026, 3, 2))
    concept = declare(world, date(2026, 3, 1))
    db.session.commit()
    assert row(concept.lines[0]) not in html(reviewer.get("/beoordelen?status=all"))
    assert reviewer.get(f"/beoordelen/regels/{concept.lines[0].id}").status_code == 404


@pytest.mark.parametrize("role", ["provider_staff", "access_staff", "contract_manager",
                                  "administrator"])
def test_other_roles_do_not_review(client, world, role):
    login_as(client, world.users[role])
    assert client.get("/beoordelen").status_code == 403
    assert client.get("/beoordelen/betaalbestanden").status_code == 403


# Payment exports --------------------------------------------------------------------------


def test_export_once_and_download_again(reviewer, world, to_review):
    for line in to_review:
        approve_line(line, world.users["reviewer"])
    db.session.commit()
    response = reviewer.post("/beoordelen/betaalbestanden",
                             data={"first_month": "2026-02", "last_month": "2026-02"})
    assert response.status_code == 302
    export = db.session.scalar(select(PaymentExport))
    page = html(reviewer.get("/beoordelen/betaalbestanden"))
    assert "februari 2026" in page and "€ 10.360,00" in page
    download = reviewer.get(f"/beoordelen/betaalbestanden/{export.id}.csv")
    assert download.headers["Content-Disposition"] == (
        f'attachment; filename="betaalbestand-0518-{export.id:05d}.csv"')
    assert download.headers["Cache-Control"] == "no-store"
    assert download.mimetype == "text/csv"
    body = html(download)
    assert body.count("\r\n") == 4 and ";336000;3.360,00;D" in body
    assert html(reviewer.get(f"/beoordelen/betaalbestanden/{export.id}.csv")) == body
    # The export is a job: its page says what came of it.
    again = reviewer.post("/beoordelen/betaalbestanden", follow_redirects=True,
                          data={"first_month": "2026-02", "last_month": "2026-02"})
    assert "geen goedgekeurde regels die nog niet zijn geëxporteerd" in html(again)
    assert db.session.scalar(select(func.count()).select_from(PaymentExport)) == 1


def test_export_months_in_the_wrong_order(reviewer, to_review):
    response = reviewer.post("/beoordelen/betaalbestanden", follow_redirects=True,
                             data={"first_month": "2026-03", "last_month": "2026-02"})
    assert "De laatste maand ligt vóór de eerste maand." in html(response)


def test_another_municipality_cannot_download(client, world, to_review):
    approve_line(to_review[0], world.users["reviewer"])
    login_as(client, world.users["reviewer"])
    client.post("/beoordelen/betaalbestanden",
                data={"first_month": "2026-02", "last_month": "2026-02"})
    export = db.session.scalar(select(PaymentExport))
    login_as(client, world.users["other_reviewer"])
    assert client.get(f"/beoordelen/betaalbestanden/{export.id}.csv").status_code == 404


def test_an_unrelated_return_code_gets_a_message_and_changes_nothing(reviewer, to_review):
    line = to_review[0]
    prefix = f"r{line.id}-"
    page = reviewer.post(f"/beoordelen/regels/{line.id}/afkeuren",
                         data={prefix + "return_code": "0611", prefix + "note": "Te duur."})
    assert page.status_code == 200
    assert "Retourcode 0611 past niet bij deze regel" in html(page)
    db.session.refresh(line)
    assert line.status == LineStatus.SUBMITTED


def test_a_correction_pair_is_approved_with_one_click(reviewer, world):
    world.trajectory("started")
    february = declare(world)
    submit(world, february)
    approve_line(february.lines[0], world.users["reviewer"])
    correction = credit_line(february.lines[0], world.users["provider_staff"],
                             date(2026, 11, 23))
    submit(world, correction, today=date(2026, 11, 23))
    credit, debit = correction.lines
    db.session.commit()
    page = html(reviewer.get("/beoordelen"))
    assert "Credit en nieuwe debet goedkeuren" in page
    assert f"Correctie: hoort bij regel {debit.reference}." in page
    done = reviewer.post(f"/beoordelen/regels/{credit.id}/correctie-goedkeuren",
                         data={"next": "/beoordelen"})
    assert done.status_code == 302
    db.session.expire_all()
    assert (credit.status, debit.status) == (LineStatus.APPROVED, LineStatus.APPROVED)


def test_every_row_offers_the_same_return_codes_with_its_own_choice(reviewer, to_review):
    """The reject forms of a page share options rendered once; each row keeps its own
    select, label and chosen code (the rule its line breaks), and still validates."""
    broken = to_review[0]
    broken.amount_cents += 1
    db.session.commit()
    page = html(reviewer.get("/beoordelen"))
    selects = dict(re.findall(r'<select[^>]*name="r(\d+)-return_code"[^>]*>(.*?)</select>',
                              page, re.S))
    assert sorted(map(int, selects)) == sorted(line.id for line in to_review)
    expected = ["", *(code.value for code in REJECTION_CODES)]
    for line in to_review:
        body = selects[str(line.id)]
        assert re.findall(r'value="([^"]*)"', body) == expected
        assert re.findall(r'<option selected value="([^"]*)"', body) == (
            ["0611"] if line is broken else [])
        assert f'<label class="utrecht-form-label" for="r{line.id}-return_code">' in page
    line = to_review[1]
    prefix = f"r{line.id}-"
    refused = reviewer.post(f"/beoordelen/regels/{line.id}/afkeuren",
                            data={prefix + "return_code": "9999", prefix + "note": "Nee."})
    assert refused.status_code == 200 and "Er is een probleem" in html(refused)
    assert 'aria-invalid="true"' in html(refused)
    db.session.refresh(line)
    assert line.status == LineStatus.SUBMITTED


def test_the_shared_return_codes_follow_the_language(reviewer, to_review):
    reviewer.set_cookie("lang", "en", domain="portal.test")
    page = html(reviewer.get("/beoordelen", headers=HX))
    assert 'value="8187">8187 – The service does not belong to this client.</option>' in page
