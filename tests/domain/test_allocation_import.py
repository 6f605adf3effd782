"""CSV import of allocations: all rows or none, with a report per row."""

import pytest
from sqlalchemy import func, select

from portal.domain import DomainError
from portal.domain.allocation_import import COLUMNS, import_allocations
from portal.extensions import db
from portal.models import Trajectory
from tests.factories import next_bsn

HEADER = ";".join(COLUMNS)


def row(world, bsn=None, product="01M", agb=None, start="01-02-2026", end="31-07-2026"):
    agb = agb or world.providers[0].agb_code
    return f"{bsn or next_bsn()};17-05-2015;Sam;de Vries;{agb};45;{product};{start};{end}"


def run(world, *lines, header=HEADER, encoding="utf-8"):
    data = "\n".join([header, *lines]).encode(encoding)
    return import_allocations(data, world.municipalities[0], world.users["access_staff"])


def trajectory_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Trajectory))


def test_valid_file_imports_every_row(world):
    result = run(world, row(world), row(world, product="01L", start="2026-03-01"))
    assert result.errors == [] and len(result.created) == 2
    assert trajectory_count() == 2
    assert [t.current_allocation.number for t in result.created] == [1, 2]


def test_one_bad_row_imports_nothing_and_names_every_bad_row(world):
    bsn = next_bsn()
    result = run(
        world,
        row(world, bsn=bsn),                      # line 2: fine on its own
        row(world, bsn="123456789"),              # line 3: 11-test
        row(world, product="99Z"),                # line 4: unknown arrangement
        row(world, bsn=bsn, start="01-03-2026"),  # line 5: stacks on line 2
        row(world, product="03M"),                # line 6: gedrag is not in the contract
        row(world, agb="99999999"),               # line 7: unknown provider
        row(world, end="01-01-2026"),             # line 8: end before start
        row(world, start="31-02-2026"),           # line 9: no such date
    )
    assert result.created == []
    assert trajectory_count() == 0
    assert [e.line for e in result.errors] == [3, 4, 5, 6, 7, 8, 9]
    by_line = {e.line: e for e in result.errors}
    assert "elfproef" in by_line[3].message
    assert "Onbekend arrangement" in by_line[4].message
    assert by_line[5].code == "WJ759 6"
    assert by_line[6].code == "WJ759 4"
    assert "AGB-code 99999999" in by_line[7].message
    assert "vóór de startdatum" in by_line[8].message
    assert "geen datum" in by_line[9].message


def test_comma_separated_file_with_bom_is_read(world):
    data = ("\ufeff" + ",".join(COLUMNS) + "\n" + row(world).replace(";", ",")).encode()
    result = import_allocations(data, world.municipalities[0], world.users["access_staff"])
    assert len(result.created) == 1


@pytest.mark.parametrize("content, message", [
    ((b"bsn;naam\n1;2"), "kopregel"),
    ((HEADER + "\n").encode(), "geen toewijzingen"),
    ((HEADER + "\n999900006;01-01-2015;Zoë;Çelik;x;45;01M;01-02-2026;31-07-2026")
     .encode("latin-1"), "UTF-8"),
])
def test_file_level_problems(world, content, message):
    with pytest.raises(DomainError, match=message):
        import_allocations(content, world.municipalities[0], world.users["access_staff"])
    assert trajectory_count() == 0
