"""Links follow the routes' roles: the navigation offers only pages its role may open, and
the links a page shows by may_open() appear exactly for the roles that may follow them."""

import pytest
from flask_login import login_user

from portal.web.access import may_open
from portal.web.navigation import navigation_for
from tests.conftest import login_as

ROLES = ("provider_staff", "provider_admin", "access_staff", "reviewer", "contract_manager",
         "administrator")


@pytest.mark.parametrize("key", ROLES)
def test_every_navigation_item_opens_for_its_role(app, world, key):
    with app.test_request_context():
        login_user(world.users[key])
        items = navigation_for(world.users[key])
        assert items and all(may_open(endpoint) for endpoint, _url, _label in items)


@pytest.mark.parametrize(("key", "shown"), [
    ("contract_manager", True), ("provider_staff", True), ("reviewer", False),
])
def test_the_incentives_link_is_shown_where_the_page_opens(client, world, key, shown):
    login_as(client, world.users[key])
    page = client.get("/").get_data(as_text=True)
    assert ("/sturing/prikkels" in page) is shown
    assert (client.get("/sturing/prikkels").status_code == 200) is shown


def test_an_anonymous_visitor_may_open_nothing_that_needs_a_role(app):
    with app.test_request_context():
        assert not may_open("steering.incentives")
