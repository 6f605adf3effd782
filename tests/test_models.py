"""Properties every model must keep."""

from portal.extensions import db
from portal.models.types import CodeColumn


def test_every_code_fits_its_column():
    """SQLite does not enforce a VARCHAR's length; PostgreSQL refuses what is longer."""
    too_long = [
        f"{table.name}.{column.name}"
        for table in db.metadata.tables.values() for column in table.columns
        if isinstance(column.type, CodeColumn)
        and max(len(code.value) for code in column.type.enum_cls) > column.type.impl.length
    ]
    assert too_long == []
