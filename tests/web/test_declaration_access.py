"""Who reaches which declaration, review and contract page: every route of these
blueprints has an expectation per role (403 for another role, 404 for another
organisation's object), and a route without one fails the test."""

from datetime import date

import pytest

from portal.domain.payment_exports import create_export
from portal.domain.review import approve_line
from tests.conftest import login_as
from tests.declaring import declare, submit
from tests.layers import shared_layer

BLUEPRINTS = ("declarations", "review", "contracts")
PROVIDERS = {"provider_staff": "ok", "provider_admin": "ok"}
REVIEWER = {"reviewer": "ok"}
MANAGER = {"contract_manager": "ok"}
# Expected outcome per endpoint and role; roles not named get 403. "ok" is any answer
# but 403 and 404 (the page, a redirect after the action, or a form with its errors).
EXPECTED = {
    "declarations.index": {**PROVIDERS, "other_provider_staff": "ok"},
    "declarations.new": {**PROVIDERS, "other_provider_staff": "ok"},
    "declarations.show": {**PROVIDERS, "other_provider_staff": 404},
    "declarations.add": {**PROVIDERS, "other_provider_staff": 404},
    "declarations.propose": {**PROVIDERS, "other_provider_staff": 404},
    "declarations.remove": {**PROVIDERS, "other_provider_staff": 404},
    "declarations.submit": {**PROVIDERS, "other_provider_staff": 404},
    "declarations.delete": {**PROVIDERS, "other_provider_staff": 404},
    "declarations.credit": {**PROVIDERS, "other_provider_staff": 404},
    "review.queue": {**REVIEWER, "other_reviewer": "ok"},
    "review.line": {**REVIEWER, "other_reviewer": 404},
    "review.approve": {**REVIEWER, "other_reviewer": 404},
    "review.reject": {**REVIEWER, "other_reviewer": 404},
    "review.approve_pair": {**REVIEWER, "other_reviewer": 404},
    "review.approve_selected": {**REVIEWER, "other_reviewer": "ok"},
    "review.exports": {**REVIEWER, "other_reviewer": "ok"},
    "review.download": {**REVIEWER, "other_reviewer": 404},
    "contracts.tariffs": MANAGER,
    "contracts.new_tariff": MANAGER,
    "contracts.edit": MANAGER,
    "contracts.index": MANAGER,
    "contracts.payment_scheme": MANAGER,
    "contracts.contract": MANAGER,
    "contracts.targets": MANAGER,
    "contracts.year_copy": MANAGER,
    "contracts.year_copy_confirm": MANAGER,
}
# Actions after which the object is gone: one permitted role takes them.
DESTRUCTIVE = {"declarations.delete", "declarations.remove"}
ROLES = ("provider_staff", "provider_admin", "other_provider_staff", "access_staff",
         "reviewer", "other_reviewer", "contract_manager", "administrator")


def routes(app):
    return sorted(((rule.endpoint, rule) for rule in app.url_map.iter_rules()
                   if rule.endpoint.split(".")[0] in BLUEPRINTS),
                  key=lambda pair: (pair[0], pair[1].rule))


def test_every_route_has_an_expectation(app):
    assert {endpoint for endpoint, _rule in routes(app)} == set(EXPECTED)


@shared_layer(on="world")
def declaration_objects(world):
    """One object of each kind, belonging to Horizon, 's-Gravenhage and the region: built
    once for every test here."""
    world.trajectory("started")
    world.trajectory("started")
    declaration = declare(world, date(2026, 2, 1))
    submit(world, declaration)
    approve_line(declaration.lines[0], world.users["reviewer"])
    export = create_export(world.municipalities[0], date(2026, 2, 1), date(2026, 2, 1),
                           world.users["reviewer"])
    world.trajectory("started", started_on=date(2026, 3, 2))
    concept = declare(world, date(2026, 3, 1))
    arrangement = world.arrangements["ontw_midden"]
    return {"declaration_id": concept.id, "line_id": concept.lines[0].id,
            "export_id": export.id, "tariff_id": arrangement.tariffs[-1].id,
            "arrangement_id": arrangement.id, "contract_id": world.contracts[0].id,
            "review_line_id": declaration.lines[1].id, "credit_line_id": declaration.lines[0].id}


@pytest.fixture
def objects(declaration_objects) -> dict[str, int]:
    return declaration_objects


def url_for_rule(rule, objects) -> str:
    values = {}
    for name in rule.arguments:
        if name == "line_id" and rule.endpoint.startswith("review."):
            values[name] = objects["review_line_id"]
        elif name == "line_id" and rule.endpoint == "declarations.credit":
            values[name] = objects["credit_line_id"]
        else:
            values[name] = objects[name]
    return rule.build(values)[1]


@pytest.mark.parametrize("endpoint", sorted(EXPECTED))
def test_access_per_role(app, client, world, objects, endpoint):
    rule = next(rule for e, rule in routes(app) if e == endpoint)
    url = url_for_rule(rule, objects)
    method = "GET" if "GET" in rule.methods else "POST"
    expected = EXPECTED[endpoint]
    # Refusals first (they change nothing), the permitted roles last.
    refused = [role for role in ROLES if expected.get(role, 403) != "ok"]
    permitted = [role for role in ROLES if expected.get(role) == "ok"]
    for role in refused + (permitted[:1] if endpoint in DESTRUCTIVE else permitted):
        login_as(client, world.users[role])
        response = client.open(url, method=method, data={"line": [objects["review_line_id"]]})
        want = expected.get(role, 403)
        if want == "ok":
            assert response.status_code not in (403, 404, 500), (role, response.status_code)
        else:
            assert response.status_code == want, (role, response.status_code)
