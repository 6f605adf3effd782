"""Help with the allocation import: an example file in the import's own columns, with the
codes of a real contract of the region, so that it imports as it is."""

import csv
import io
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.domain.allocation_import import COLUMNS, OPTIONAL_COLUMNS
from portal.domain.lists import NotChosenReason
from portal.extensions import db
from portal.formatting import format_date
from portal.models import Contract

# Test BSNs (elfproef-valid, from the range the government keeps for tests).
EXAMPLE_BSNS = ("999990019", "999990020")
PLACEHOLDER = {"agb_code": "12345678", "productcategorie": "45", "productcode": "00000"}


def _codes(region_ids, day: date) -> dict[str, str]:
    """The AGB code and product codes of the first running contract of the region."""
    contract = db.session.scalar(
        select(Contract).where(Contract.region_id.in_(region_ids), Contract.starts_on <= day,
                               Contract.ends_on >= day, Contract.arrangements.any())
        .options(selectinload(Contract.arrangements), selectinload(Contract.provider))
        .order_by(Contract.id).limit(1))
    if contract is None:
        return PLACEHOLDER
    arrangement = min(contract.arrangements, key=lambda a: a.product_code)
    return {"agb_code": contract.provider.agb_code,
            "productcategorie": arrangement.product_category.value,
            "productcode": arrangement.product_code}


def example_csv(region_ids, today: date) -> str:
    """A header with every column (the optional ones too) and two rows: one the family's
    own choice, one not, with its reason."""
    codes = _codes(region_ids, today)
    start = today.replace(day=1)
    end = start + timedelta(days=180)
    birth = date(today.year - 11, 6, 1)
    common = {**codes, "geboortedatum": format_date(birth),
              "startdatum": format_date(start), "einddatum": format_date(end),
              "verlengde_jeugdhulp": "nee", "toelichting_keuze": ""}
    rows = [
        {**common, "bsn": EXAMPLE_BSNS[0], "voornaam": "Sam", "achternaam": "Voorbeeld",
         "keuze_ouders": "ja", "reden_geen_keuze": ""},
        {**common, "bsn": EXAMPLE_BSNS[1], "voornaam": "Noa", "achternaam": "Voorbeeld",
         "keuze_ouders": "nee", "reden_geen_keuze": NotChosenReason.WAITING_TIME.value},
    ]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=[*COLUMNS, *OPTIONAL_COLUMNS], delimiter=";",
                            lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()
