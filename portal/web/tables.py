"""Helpers of the templates' data_table macro (templates/_macros.html)."""

from collections.abc import Iterable
from typing import Any


def numeric_columns(headings: Iterable[Any], count: Any = None) -> list[tuple[Any, str]]:
    """The columns of figures, right-aligned: each heading, followed by a column of the count
    it rests on when `count` (the count column's heading) is given."""
    columns = []
    for heading in headings:
        columns.append((heading, "portal-num"))
        if count is not None:
            columns.append((count, "portal-num"))
    return columns
