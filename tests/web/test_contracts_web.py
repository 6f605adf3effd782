"""The contract manager's tariff table and payment schemes."""

from datetime import date

import pytest

from portal.domain.lists import EarlyEndRule
from portal.domain.tariffs import tariff_on
from portal.extensions import db
from tests.conftest import login_as


@pytest.fixture
def manager(client, world):
    db.session.commit()
    login_as(client, world.users["contract_manager"])
    return client


def html(response) -> str:
    return response.get_data(as_text=True)


def test_tariff_table_shows_versions_and_their_use(manager, world):
    world.trajectory()
    db.session.commit()
    page = html(manager.get("/contracten/tarieven"))
    assert "Ontwikkeling, midden" in page and "€ 8.400,00" in page and "€ 8.200,00" in page
    assert "in gebruik" in page and "niet gebruikt" in page


def test_new_version_in_dutch_euros(manager, world):
    arrangement = world.arrangements["ontw_midden"]
    response = manager.post(f"/contracten/tarieven/nieuw/{arrangement.id}",
                            data={"valid_from": "2027-01-01", "amount": "8.652,00"})
    assert response.status_code == 302
    new = tariff_on(arrangement, date(2027, 1, 1))
    assert (new.amount_cents, new.valid_to) == (865200, None)
    assert tariff_on(arrangement, date(2026, 12, 31)).valid_to == date(2026, 12, 31)


@pytest.mark.parametrize("data, message", [
    ({"valid_from": "2027-01-01", "amount": "-5,00"}, "Een tarief kan niet negatief zijn."),
    ({"valid_from": "2027-01-01", "amount": "8400.00"},
     "Vul een bedrag in euro's in, bijvoorbeeld 8.400,00."),
    ({"valid_from": "2027-13-01", "amount": "8.400,00"}, "Ongeldige datum."),
    ({"valid_from": "2025-06-01", "amount": "8.400,00"}, "na de laatste versie"),
    ({"valid_from": "", "amount": ""}, "Dit veld is verplicht."),
])
def test_bad_tariff_input_gets_a_dutch_message(manager, world, data, message):
    arrangement = world.arrangements["ontw_midden"]
    response = manager.post(f"/contracten/tarieven/nieuw/{arrangement.id}", data=data)
    assert response.status_code == 200
    assert message in html(response)
    db.session.expire_all()
    assert len(arrangement.tariffs) == 2


def test_used_tariff_is_not_corrected(manager, world):
    tariff = world.trajectory().current_allocation.tariff
    db.session.commit()
    assert "al gebruikt in een toewijzing" in html(manager.get(f"/contracten/tarieven/{tariff.id}"))
    response = manager.post(f"/contracten/tarieven/{tariff.id}", data={
        "valid_from": "2026-01-01", "valid_to": "", "amount": "1,00"})
    assert "Voeg een nieuwe tariefversie toe." in html(response)
    db.session.expire_all()
    assert tariff.amount_cents == 840000


def test_unused_tariff_is_corrected_and_a_malformed_period_refused(manager, world):
    tariff = world.arrangements["ontw_licht"].tariffs[-1]
    page = html(manager.get(f"/contracten/tarieven/{tariff.id}"))
    assert 'value="4.620,00"' in page
    wrong = manager.post(f"/contracten/tarieven/{tariff.id}", data={
        "valid_from": "2026-01-01", "valid_to": "2025-12-01", "amount": "4.700,00"})
    assert "De einddatum ligt vóór de ingangsdatum." in html(wrong)
    manager.post(f"/contracten/tarieven/{tariff.id}", data={
        "valid_from": "2026-01-01", "valid_to": "", "amount": "4.700,00"})
    db.session.expire_all()
    assert tariff.amount_cents == 470000


def test_payment_scheme_form_adds_a_version(manager, world):
    contract = world.contracts[0]
    world.trajectory()
    db.session.commit()
    page = html(manager.get(f"/contracten/{contract.id}/betaalschema"))
    assert 'value="40"' in page and 'value="60"' in page and "in gebruik" in page
    valid_from = date.today().replace(day=1).replace(year=date.today().year + 1)
    response = manager.post(f"/contracten/{contract.id}/betaalschema", data={
        "valid_from": valid_from.isoformat(), "start_share_percent": "30",
        "end_share_percent": "70", "early_end_rule": "full", "administrative_end_rule": "none"})
    assert response.status_code == 302
    db.session.expire_all()
    first, second = contract.scheme_versions
    assert (first.start_share_percent, first.early_end_rule) == (40, EarlyEndRule.PRO_RATA)
    assert (second.valid_from, second.start_share_percent, second.early_end_rule,
            second.administrative_end_rule) == (valid_from, 30, EarlyEndRule.FULL,
                                                EarlyEndRule.NONE)
    assert "70%" in html(manager.get("/contracten"))


@pytest.mark.parametrize(("start", "end", "message"), [
    ("35", "60", "samen 100 procent zijn (nu 95 procent)"),
    ("120", "-20", "tussen 0 en 100 procent"),
])
def test_payment_scheme_shares_must_add_up(manager, world, start, end, message):
    contract = world.contracts[0]
    wrong = manager.post(f"/contracten/{contract.id}/betaalschema", data={
        "valid_from": date.today().replace(year=date.today().year + 1).isoformat(),
        "start_share_percent": start, "end_share_percent": end, "early_end_rule": "full",
        "administrative_end_rule": "none"})
    assert wrong.status_code == 200 and message in html(wrong)
    db.session.expire_all()
    assert len(contract.scheme_versions) == 1


@pytest.mark.parametrize("role", ["provider_staff", "reviewer", "access_staff",
                                  "administrator"])
def test_other_roles_do_not_manage_tariffs(client, world, role):
    login_as(client, world.users[role])
    assert client.get("/contracten/tarieven").status_code == 403
    assert client.post(f"/contracten/{world.contracts[0].id}/betaalschema",
                       data={"start_share_percent": "0"}).status_code == 403
