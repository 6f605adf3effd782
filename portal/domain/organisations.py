"""Adding municipalities and providers (functional administration)."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.domain import DomainError
from portal.domain.audit import record
from portal.domain.identifiers import validate_agb, validate_cbs, validate_kvk
from portal.domain.unique import insert_unique
from portal.extensions import db
from portal.models import Municipality, Provider, Region, User


def _name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise DomainError(_l("Vul een naam in."), field="name")
    return name


def add_municipality(region: Region, cbs_code: str, name: str, actor: User) -> Municipality:
    cbs_code = validate_cbs(cbs_code)
    taken = DomainError(_l("Er is al een gemeente met CBS-code %(code)s.", code=cbs_code),
                        field="cbs_code")
    if db.session.scalar(select(Municipality.id).where(Municipality.cbs_code == cbs_code)):
        raise taken
    municipality = Municipality(region=region, cbs_code=cbs_code, name=_name(name))
    insert_unique(municipality, taken)
    record(actor, "municipality.added", municipality, after={"cbs_code": cbs_code})
    return municipality


def add_provider(agb_code: str, kvk_number: str, name: str, actor: User) -> Provider:
    agb_code = validate_agb(agb_code)
    kvk_number = validate_kvk(kvk_number)
    taken = DomainError(_l("Er is al een aanbieder met AGB-code %(code)s.", code=agb_code),
                        field="agb_code")
    if db.session.scalar(select(Provider.id).where(Provider.agb_code == agb_code)):
        raise taken
    provider = Provider(agb_code=agb_code, kvk_number=kvk_number, name=_name(name))
    insert_unique(provider, taken)
    record(actor, "provider.added", provider, after={"agb_code": agb_code})
    return provider
