"""Importing allocations from a CSV file: all rows or none, with a report per row."""

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.domain import DomainError
from portal.domain.identifiers import validate_agb
from portal.domain.trajectories import ChildDetails, allocate
from portal.extensions import db
from portal.models import Arrangement, Municipality, Provider, Trajectory, User

COLUMNS = ("bsn", "geboortedatum", "voornaam", "achternaam", "agb_code", "productcategorie",
           "productcode", "startdatum", "einddatum")
DATE_FORMATS = ("%d-%m-%Y", "%Y-%m-%d")


@dataclass(frozen=True)
class RowError:
    line: int
    message: str
    code: str | None = None


@dataclass
class ImportResult:
    created: list[Trajectory]
    errors: list[RowError]


def _rows(data: bytes) -> list[tuple[int, dict]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DomainError(_l("Het bestand is niet in UTF-8 opgeslagen. Sla het op als "
                             "'CSV UTF-8' en probeer het opnieuw."), field="file") from None
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = tuple((name or "").strip().lower() for name in (reader.fieldnames or ()))
    if header != COLUMNS:
        raise DomainError(_l("De kopregel klopt niet. Verwacht: %(columns)s",
                             columns=";".join(COLUMNS)), field="file")
    reader.fieldnames = list(COLUMNS)
    rows = [(reader.line_num, row) for row in reader if any((v or "").strip()
                                                            for v in row.values())]
    if not rows:
        raise DomainError(_l("Het bestand bevat geen toewijzingen."), field="file")
    return rows


def _date(row: dict, column: str) -> date:
    value = (row.get(column) or "").strip()
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise DomainError(_l("%(column)s '%(value)s' is geen datum (dd-mm-jjjj).",
                         column=column, value=value[:20]))


def _arrangement(row: dict) -> Arrangement:
    category = (row.get("productcategorie") or "").strip()
    code = (row.get("productcode") or "").strip()
    arrangement = db.session.scalar(select(Arrangement).where(
        Arrangement.product_category == category, Arrangement.product_code == code))
    if arrangement is None:
        raise DomainError(_l("Onbekend arrangement: productcategorie %(category)s, "
                             "productcode %(code)s.", category=category[:4], code=code[:8]))
    return arrangement


def _provider(row: dict) -> Provider:
    agb = validate_agb(row.get("agb_code") or "")
    provider = db.session.scalar(select(Provider).where(Provider.agb_code == agb))
    if provider is None:
        raise DomainError(_l("Onbekende aanbieder met AGB-code %(agb)s.", agb=agb))
    return provider


def _allocate_row(row: dict, municipality: Municipality, actor: User) -> Trajectory:
    child = ChildDetails(bsn=(row.get("bsn") or "").strip(),
                         birth_date=_date(row, "geboortedatum"),
                         given_name=(row.get("voornaam") or "").strip(),
                         family_name=(row.get("achternaam") or "").strip())
    if not child.given_name or not child.family_name:
        raise DomainError(_l("Voornaam en achternaam zijn verplicht."))
    return allocate(municipality=municipality, child=child, provider=_provider(row),
                    arrangement=_arrangement(row), start=_date(row, "startdatum"),
                    end=_date(row, "einddatum"), actor=actor)


def import_allocations(data: bytes, municipality: Municipality, actor: User) -> ImportResult:
    """Every row goes through `allocate`; one failing row means nothing is stored."""
    rows = _rows(data)
    errors: list[RowError] = []
    created: list[Trajectory] = []
    everything = db.session.begin_nested()
    for line, row in rows:
        try:
            with db.session.begin_nested():
                created.append(_allocate_row(row, municipality, actor))
        except DomainError as error:
            errors.append(RowError(line, str(error.message), error.code_label))
    if errors:
        everything.rollback()
        return ImportResult([], errors)
    everything.commit()
    return ImportResult(created, [])
