"""The region's catalogue kept by its contract manager: profiles, intensities, arrangements.

Every rule that must hold under races (a code, a rank and a product code unique in the region)
is a unique constraint; the checks here give the same Dutch message before and after a race.
"""

import re
from collections.abc import Callable

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError

from portal.domain import DomainError
from portal.domain.audit import record, snapshot
from portal.domain.codes import JZ020
from portal.extensions import db
from portal.models import Allocation, Arrangement, Intensity, Profile, User

PROFILE_FIELDS = ("code", "name")
INTENSITY_FIELDS = ("code", "name", "rank", "long_term")
ARRANGEMENT_FIELDS = ("profile_id", "intensity_id", "product_category", "product_code")
# iJw product codes: at most 5 letters or digits.
PRODUCT_CODE = re.compile(r"^[A-Z0-9]{1,5}$")
MAX_RANK = 99

Check = Callable[[], DomainError | None]


def _same(model, obj, region_id: int, **values):
    """Another object of the region with these values, if any."""
    query = select(model).where(model.region_id == region_id,
                                *(getattr(model, k) == v for k, v in values.items()))
    if obj.id is not None:
        query = query.where(model.id != obj.id)
    return db.session.scalar(query.limit(1))


def _first_clash(checks: list[Check]) -> DomainError | None:
    return next((error for check in checks if (error := check()) is not None), None)


def _save(obj, fields: tuple[str, ...], values: dict, checks: list[Check], actor: User,
          kind: str) -> None:
    """Set `values` on `obj`, hold the checks (again after a lost race) and audit the change."""
    is_new = obj.id is None
    before = None if is_new else snapshot(obj, *fields)
    with db.session.no_autoflush:
        for name, value in values.items():
            setattr(obj, name, value)
        if (error := _first_clash(checks)) is not None:
            raise error
    db.session.add(obj)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:  # another change slipped in at the same moment
        with db.session.no_autoflush:
            clash = _first_clash(checks)
        raise clash or DomainError(
            _l("Deze gegevens zijn zojuist door iemand anders gewijzigd. Probeer het opnieuw.")
        ) from None
    after = snapshot(obj, *fields)
    if before != after:
        record(actor, f"{kind}.{'created' if is_new else 'changed'}", obj, before=before,
               after=after)


def _code(value: str) -> str:
    return (value or "").strip().upper()


def _code_check(model, obj, region_id: int, code: str, message) -> Check:
    def check():
        other = _same(model, obj, region_id, code=code)
        return other and DomainError(message % {"code": code, "name": other.name}, field="code")
    return check


def save_profile(profile: Profile, region_id: int, code: str, name: str, actor: User) -> Profile:
    code = _code(code)
    profile.region_id = region_id
    _save(profile, PROFILE_FIELDS, {"code": code, "name": name.strip()}, [
        _code_check(Profile, profile, region_id, code,
                    _l("De code %(code)s is in deze regio al in gebruik voor het profiel "
                       "%(name)s.")),
    ], actor, "profile")
    return profile


def save_intensity(intensity: Intensity, region_id: int, code: str, name: str, rank: int,
                   long_term: bool, actor: User) -> Intensity:
    if not 1 <= rank <= MAX_RANK:
        raise DomainError(_l("De rang is een geheel getal van 1 tot en met %(max)s.",
                             max=MAX_RANK), field="rank")
    code = _code(code)

    def rank_clash():
        other = _same(Intensity, intensity, region_id, rank=rank)
        return other and DomainError(
            _l("Rang %(rank)s is al gegeven aan de intensiteit %(name)s. Elke intensiteit heeft "
               "een eigen rang; geef eerst %(name)s een andere rang.", rank=rank,
               name=other.name), field="rank")

    intensity.region_id = region_id
    _save(intensity, INTENSITY_FIELDS,
          {"code": code, "name": name.strip(), "rank": rank, "long_term": bool(long_term)}, [
              _code_check(Intensity, intensity, region_id, code,
                          _l("De code %(code)s is in deze regio al in gebruik voor de intensiteit "
                             "%(name)s.")),
              rank_clash,
          ], actor, "intensity")
    return intensity


def arrangement_in_use(arrangement: Arrangement) -> bool:
    """Allocated at least once: then its product stays as the allocations were sent."""
    return bool(arrangement.id) and bool(db.session.scalar(
        select(exists().where(Allocation.arrangement_id == arrangement.id))))


def save_arrangement(arrangement: Arrangement, profile: Profile, intensity: Intensity,
                     product_category: JZ020, product_code: str, actor: User) -> Arrangement:
    """A new arrangement, or another product for one that has not been allocated yet."""
    region_id = profile.region_id
    if intensity.region_id != region_id:
        raise DomainError(_l("Kies een intensiteit van deze regio."), field="intensity")
    product_code = _code(product_code)
    if not PRODUCT_CODE.match(product_code):
        raise DomainError(_l("Een productcode bestaat uit 1 tot 5 letters of cijfers."),
                          field="product_code")
    values = {"profile": profile, "intensity": intensity,
              "product_category": JZ020(product_category), "product_code": product_code}
    if arrangement.id is not None and arrangement_in_use(arrangement) and any(
            getattr(arrangement, k) != v for k, v in values.items()):
        raise DomainError(_l("Dit arrangement is al toegewezen; het product blijft zoals het in "
                             "die toewijzingen staat. Maak zo nodig een nieuw arrangement."))

    def pair_clash():
        other = _same(Arrangement, arrangement, region_id, profile_id=profile.id,
                      intensity_id=intensity.id)
        return other and DomainError(_l("Het arrangement %(name)s bestaat al.", name=other.name),
                                     field="intensity")

    def code_clash():
        other = _same(Arrangement, arrangement, region_id, product_code=product_code)
        return other and DomainError(
            _l("De productcode %(code)s is in deze regio al in gebruik voor %(name)s.",
               code=product_code, name=other.name), field="product_code")

    _save(arrangement, ARRANGEMENT_FIELDS, values, [pair_clash, code_clash], actor,
          "arrangement")
    return arrangement


def region_profiles(region_id: int) -> list[Profile]:
    return list(db.session.scalars(
        select(Profile).where(Profile.region_id == region_id).order_by(Profile.name)))


def region_intensities(region_id: int) -> list[Intensity]:
    return list(db.session.scalars(
        select(Intensity).where(Intensity.region_id == region_id).order_by(Intensity.rank)))
