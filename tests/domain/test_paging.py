"""The one keyset pager: pages walk a list once, and a cursor that is no id is the start."""

import pytest
from sqlalchemy import select

from portal.domain.paging import fetch_page, id_cursor, text_cursor
from portal.extensions import db
from portal.models import User


@pytest.mark.parametrize("value, expected", [
    ("17", 17), ("2147483647", 2147483647), (None, None), ("", None), ("0", None),
    ("-3", None), ("9" * 30, None), ("2147483648", None), ("1e3", None), ("١٢٣", None),
    ("12abc", None),
])
def test_an_id_cursor_is_a_row_id_or_nothing(value, expected):
    assert id_cursor(value) == expected


def test_a_text_cursor_is_cut_to_its_column():
    assert text_cursor("a" * 300, 254) == "a" * 254
    assert text_cursor("", 254) is None and text_cursor(None, 254) is None


def test_pages_walk_every_row_once_and_the_last_has_no_cursor(world):
    query = select(User).order_by(User.email)
    everyone = list(db.session.scalars(query))
    seen, after = [], None
    while True:
        page = fetch_page(query.where(User.email > after) if after else query, 2,
                          lambda user: user.email)
        assert len(page.rows) <= 2
        seen += page.rows
        after = page.next_after
        if after is None:
            break
    assert seen == everyone and len(everyone) >= 3
