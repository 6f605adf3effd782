"""Keyset pagination for every list: one page type, one fetch, one reader of cursors.

A page asks for one row more than it shows: that row only tells whether there is a next
page, whose cursor is the key of the last row shown (no OFFSET, so a page costs the same
wherever it is in the list)."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

from portal.domain.identifiers import parse_id
from portal.extensions import db

T = TypeVar("T")
Cursor = int | str


@dataclass
class Page(Generic[T]):
    rows: list[T]
    next_after: Cursor | None  # the key of the last row shown, when there is more


def fetch_scalars(query) -> Iterable:
    return db.session.scalars(query)


def fetch_rows(query) -> Iterable:
    return db.session.execute(query).all()


def fetch_page(query, size: int, key: Callable[[T], Cursor],
               fetch: Callable[..., Iterable[T]] = fetch_scalars) -> Page[T]:
    """The first `size` results of `query` (already filtered past the cursor and ordered)
    and the cursor of the next page. `fetch` runs the limited query; it may wrap it, e.g.
    to load a page's rows by the ids the limited query finds."""
    results = list(fetch(query.limit(size + 1)))
    shown = results[:size]
    return Page(shown, key(shown[-1]) if len(results) > size else None)


def id_cursor(value: str | None) -> int | None:
    """A cursor from the browser that is a row id, or None (the first page) for anything
    that cannot be one: never an out-of-range number in a query."""
    return parse_id(value)


def text_cursor(value: str | None, length: int) -> str | None:
    """A cursor from the browser that is a text key of at most `length` characters."""
    return (value or "")[:length] or None
