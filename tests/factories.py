"""factory_boy factories and a small hand-made region (`world`) for the tests."""

import itertools
from dataclasses import dataclass, field
from datetime import date

import factory
from factory.alchemy import SQLAlchemyModelFactory

from portal.demo.region import demo_bsns
from portal.domain.accounts import create_user
from portal.domain.codes import JZ020, JZ588
from portal.domain.contact import Contact
from portal.domain.lists import EarlyEndRule, Role
from portal.domain.trajectories import ChildDetails, allocate, end_trajectory, register_start
from portal.extensions import db
from portal.models import (
    Arrangement,
    Contract,
    Intensity,
    Municipality,
    PaymentSchemeVersion,
    Profile,
    Provider,
    Region,
    Tariff,
    Trajectory,
    User,
)

# Every test child lives somewhere: a JW301 needs an address or a phone (TR061, TR006).
ADDRESS = Contact(street="Spui", house_number=70, postcode="2511BT", city="Den Haag")

PASSWORD = "correct horse battery"
_bsns = demo_bsns()


def next_bsn() -> str:
    return next(_bsns)


class Base(SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731 - swapped per test
        # Commit (a SAVEPOINT release inside the test's transaction): a request that rolls
        # back after a refused action must not take the test's own data with it.
        sqlalchemy_session_persistence = "commit"


class RegionFactory(Base):
    class Meta:
        model = Region

    name = factory.Sequence(lambda n: f"Regio {n}")


class MunicipalityFactory(Base):
    class Meta:
        model = Municipality

    region = factory.SubFactory(RegionFactory)
    cbs_code = factory.Sequence(lambda n: f"{9000 + n:04d}")
    name = factory.Sequence(lambda n: f"Gemeente {n}")


class ProviderFactory(Base):
    class Meta:
        model = Provider

    agb_code = factory.Sequence(lambda n: f"{98000000 + n:08d}")
    kvk_number = factory.Sequence(lambda n: f"{60000000 + n:08d}")
    name = factory.Sequence(lambda n: f"Aanbieder {n}")


class UserFactory(Base):
    """An account; give `organisation` (a provider, municipality or region)."""

    class Meta:
        model = User

    @classmethod
    def _create(cls, model_class, *, role=Role.PROVIDER_STAFF, organisation=None, email=None,
                name="Test Gebruiker", password=PASSWORD):
        email = email or f"user{next(_user_numbers)}@example.test"
        user = create_user(email=email, name=name, password=password, role=role,
                           organisation=organisation)
        db.session.commit()
        return user


_user_numbers = itertools.count(1)


class TrajectoryFactory(Base):
    """A trajectory made through the domain functions; traits move it along its life."""

    class Meta:
        model = Trajectory

    class Params:
        started = factory.Trait(started_on=date(2026, 2, 3))
        ended = factory.Trait(started_on=date(2026, 2, 3), ended_on=date(2026, 7, 31),
                              end_reason=JZ588.ACCORDING_TO_PLAN)

    @classmethod
    def _create(cls, model_class, *, municipality, provider, arrangement, actor=None,
                start=date(2026, 2, 1), end=date(2026, 7, 31), child=None,
                started_on=None, ended_on=None, end_reason=None):
        bsn = next_bsn()
        child = child or ChildDetails(bsn, date(2015, 5, 17), "Sam", f"Testkind {bsn[-4:]}",
                                      ADDRESS)
        trajectory = allocate(municipality=municipality, child=child, provider=provider,
                              arrangement=arrangement, start=start, end=end, actor=actor)
        if started_on:
            register_start(trajectory, started_on, actor)
        if ended_on:
            end_trajectory(trajectory, ended_on, end_reason, actor)
        db.session.commit()
        return trajectory


@dataclass
class World:
    """Two municipalities, two providers, a small catalogue, contracts and one user per role."""

    region: Region
    municipalities: list[Municipality]
    providers: list[Provider]
    arrangements: dict[str, Arrangement]
    contracts: list[Contract]
    users: dict[str, User] = field(default_factory=dict)

    def trajectory(self, *traits: str, provider=0, municipality=0, arrangement="ontw_midden",
                   **kwargs) -> Trajectory:
        actor = self.users["provider_staff" if provider == 0 else "other_provider_staff"]
        return TrajectoryFactory(
            **dict.fromkeys(traits, True),
            municipality=self.municipalities[municipality],
            provider=self.providers[provider],
            arrangement=self.arrangements[arrangement],
            actor=actor,
            **kwargs,
        )


def demo_scheme() -> PaymentSchemeVersion:
    """The demo region's scheme (domain.md section 9) from the contracts' start."""
    return PaymentSchemeVersion(valid_from=date(2025, 1, 1), start_share_percent=40,
                                early_end_rule=EarlyEndRule.PRO_RATA,
                                administrative_end_rule=EarlyEndRule.PRO_RATA)


@dataclass(frozen=True)
class RegionSpec:
    """Names and codes of a test region; a second region differs in every one of them."""

    name: str = "Testregio"
    municipalities: tuple = (("0518", "'s-Gravenhage"), ("0503", "Delft"))
    providers: tuple = ("Horizon Jeugdhulp", "De Kiem")
    product_prefix: str = "0"  # product codes are unique across the catalogue
    contract_prefix: str = "T"
    email_domain: str = "example.test"


SECOND_REGION = RegionSpec(
    name="Regio Noord", municipalities=(("0014", "Groningen"), ("0080", "Leeuwarden")),
    providers=("Noorderlicht Zorg", "Wadden Jeugd"), product_prefix="9",
    contract_prefix="N", email_domain="noord.example.test")


def build_world(spec: RegionSpec = RegionSpec()) -> World:
    """A complete region: municipalities, providers, catalogue, contracts, one user per
    role. `build_world(SECOND_REGION)` adds another region to the same database."""
    region = RegionFactory(name=spec.name)
    municipalities = [MunicipalityFactory(region=region, cbs_code=code, name=name)
                      for code, name in spec.municipalities]
    horizon, kiem = (ProviderFactory(name=name) for name in spec.providers)
    intensities = {code: Intensity(region=region, code=code, name=name, rank=rank)
                   for code, name, rank in (("L", "Licht", 1), ("M", "Midden", 2),
                                            ("Z", "Zwaar", 3))}
    ontwikkeling = Profile(region=region, code="P1", name="Ontwikkeling")
    gedrag = Profile(region=region, code="P3", name="Gedrag")
    arrangements = {}
    for key, profile, code, cents, product in (
        ("ontw_licht", ontwikkeling, "L", 462000, "1L"),
        ("ontw_midden", ontwikkeling, "M", 840000, "1M"),
        ("ontw_zwaar", ontwikkeling, "Z", 1428000, "1Z"),
        ("gedrag_midden", gedrag, "M", 910000, "3M"),
    ):
        arrangements[key] = Arrangement(
            profile=profile, intensity=intensities[code], product_category=JZ020.AMBULANT,
            product_code=spec.product_prefix + product,
            tariffs=[Tariff(valid_from=date(2025, 1, 1), valid_to=date(2025, 12, 31),
                            amount_cents=cents - 20000),
                     Tariff(valid_from=date(2026, 1, 1), amount_cents=cents)])
    db.session.add_all(arrangements.values())
    contracts = [
        Contract(number=f"{spec.contract_prefix}-001", region=region, provider=horizon,
                 starts_on=date(2025, 1, 1), ends_on=date(2027, 12, 31),
                 scheme_versions=[demo_scheme()],
                 arrangements=[arrangements[k] for k in ("ontw_licht", "ontw_midden",
                                                         "ontw_zwaar")]),
        Contract(number=f"{spec.contract_prefix}-002", region=region, provider=kiem,
                 starts_on=date(2025, 1, 1), ends_on=date(2027, 12, 31),
                 scheme_versions=[demo_scheme()],
                 arrangements=[arrangements["ontw_midden"], arrangements["gedrag_midden"]]),
    ]
    db.session.add_all(contracts)
    db.session.flush()
    den_haag, delft = municipalities
    world = World(region, municipalities, [horizon, kiem], arrangements, contracts)
    for key, role, organisation in (
        ("provider_staff", Role.PROVIDER_STAFF, horizon),
        ("provider_admin", Role.PROVIDER_ADMIN, horizon),
        ("other_provider_staff", Role.PROVIDER_STAFF, kiem),
        ("access_staff", Role.ACCESS_STAFF, den_haag),
        ("reviewer", Role.REVIEWER, den_haag),
        ("other_access_staff", Role.ACCESS_STAFF, delft),
        ("other_reviewer", Role.REVIEWER, delft),
        ("contract_manager", Role.CONTRACT_MANAGER, region),
        ("administrator", Role.ADMINISTRATOR, region),
    ):
        world.users[key] = UserFactory(role=role, organisation=organisation,
                                       email=f"{key}@{spec.email_domain}", name=key)
    db.session.commit()
    return world
