"""Builds the demo region through the same domain functions the portal uses."""

import random
from dataclasses import dataclass
from datetime import date, timedelta

from portal.demo import catalogue as data
from portal.demo.declarations import build_demo_declarations
from portal.demo.measurements import add_demo_results
from portal.domain.accounts import create_user
from portal.domain.codes import COD327, JZ002, JZ020, JZ588, WJ758, WJ759
from portal.domain.contact import Contact
from portal.domain.identifiers import bsn_is_valid
from portal.domain.lists import LifeDomain, Role
from portal.domain.plans import GoalText, add_goal
from portal.domain.requests import (
    AllocationWish,
    approve_change,
    reject_allocation_request,
    reject_change,
    request_allocation,
    request_change,
)
from portal.domain.trajectories import (
    ChildDetails,
    allocate,
    end_allocation,
    end_trajectory,
    register_start,
)
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
    User,
)

DEMO_PASSWORD = "demo-portaal-2026"  # noqa: S105 - published, README lists it  # nosec B105
TRAJECTORY_COUNT = 320
# Published TOTP secrets (base32) of the demo accounts whose role needs two factors; README lists
# them, so anyone can add these accounts to an authenticator app. Demo only, never for real use.
DEMO_TOTP_SECRETS = {
    "contractbeheer@regio-haaglanden.example": "DEMOCONTRACTBEHEERREGIOAAAAAAAAA",
    "beheer@regio-haaglanden.example": "DEMOFUNCTIONEELBEHEERREGIOAAAAAA",
    "toegang@denhaag.example": "DEMOTOEGANGDENHAAGAAAAAAAAAAAAAA",
    "beoordelaar@denhaag.example": "DEMOBEOORDELAARDENHAAGAAAAAAAAAA",
    "toegang@delft.example": "DEMOTOEGANGDELFTAAAAAAAAAAAAAAAA",
    "beoordelaar@delft.example": "DEMOBEOORDELAARDELFTAAAAAAAAAAAA",
}


@dataclass
class DemoAccount:
    role: Role
    email: str
    password: str
    totp_secret: str | None
    organisation: str


def demo_bsns():
    """Test BSNs (999900006-999999990, the 11-test passes) in a fixed order."""
    for number in range(999900006, 999999991):
        candidate = str(number)
        if bsn_is_valid(candidate):
            yield candidate


def build_demo_region(today: date, seed: int = 2026) -> list[DemoAccount]:
    rng = random.Random(seed)  # nosec B311 # reproducible demo data, not security
    region = Region(name="Regio Haaglanden (H10)")
    db.session.add(region)
    municipalities = [Municipality(region=region, cbs_code=code, name=name)
                      for code, name, _slug in data.MUNICIPALITIES]
    providers = [Provider(agb_code=agb, kvk_number=kvk, name=name)
                 for agb, kvk, name, _domain, _quality in data.PROVIDERS]
    db.session.add_all([*municipalities, *providers])
    arrangements = _catalogue(region)
    contracts = _contracts(region, providers, arrangements, today)
    accounts = _accounts(region, municipalities, providers)
    _trajectories(rng, today, municipalities, providers, contracts)
    add_demo_results(rng, today)
    build_demo_declarations(today)
    _allocation_requests(rng, today, municipalities[:2], providers, contracts)
    db.session.flush()
    return accounts


def _catalogue(region: Region) -> dict[tuple[int, int], Arrangement]:
    intensities = [Intensity(region=region, code=code, name=name, rank=rank, long_term=long_term)
                   for code, name, rank, _factor, long_term in data.INTENSITIES]
    arrangements = {}
    for p, (code, name, category, midden_cents) in enumerate(data.PROFILES):
        profile = Profile(region=region, code=code, name=name)
        for i, intensity in enumerate(intensities):
            factor = data.INTENSITIES[i][3]
            arrangement = Arrangement(profile=profile, intensity=intensity,
                                      product_category=JZ020(category),
                                      product_code=f"{code[1:]}{intensity.code}".zfill(3))
            cents_2026 = midden_cents * factor // 100
            # 2025 tariff, then the indexed 2026 version: used versions are never edited.
            arrangement.tariffs = [
                Tariff(valid_from=date(2025, 1, 1), valid_to=date(2025, 12, 31),
                       amount_cents=cents_2026 * 100 // 103),
                Tariff(valid_from=date(2026, 1, 1), valid_to=None, amount_cents=cents_2026),
            ]
            arrangements[(p, i)] = arrangement
    db.session.add_all(arrangements.values())
    db.session.flush()
    return arrangements


def _contracts(region, providers, arrangements, today: date) -> dict[int, Contract]:
    # The contracts run to the end of the demo year (the year of the allocations starting in
    # the weeks ahead), so the contract manager can start the next year's contracts.
    ends_on = date((today + timedelta(days=30)).year, 12, 31)
    contracts = {}
    for n, provider in enumerate(providers):
        contracted = [a for (p, _i), a in arrangements.items()
                      if p in data.CONTRACTED_PROFILES[n]]
        contracts[n] = Contract(number=f"H10-JH-2025-{n + 1:03d}", region=region,
                                provider=provider, starts_on=date(2025, 1, 1),
                                ends_on=ends_on, arrangements=contracted,
                                scheme_versions=[PaymentSchemeVersion(
                                    valid_from=date(2025, 1, 1), start_share_percent=40)])
    db.session.add_all(contracts.values())
    db.session.flush()
    return contracts


def _accounts(region, municipalities, providers) -> list[DemoAccount]:
    by_slug = {slug: m for m, (_c, _n, slug) in zip(municipalities, data.MUNICIPALITIES,
                                                    strict=True)}
    wanted = [
        (Role.CONTRACT_MANAGER, "contractbeheer@regio-haaglanden.example",
         "Carla Contractbeheer", region),
        (Role.ADMINISTRATOR, "beheer@regio-haaglanden.example", "Bas Beheer", region),
    ]
    for slug in ("denhaag", "delft"):
        wanted += [
            (Role.ACCESS_STAFF, f"toegang@{slug}.example", "Tamara Toegang",
             by_slug[slug]),
            (Role.REVIEWER, f"beoordelaar@{slug}.example", "Ruben Beoordelaar",
             by_slug[slug]),
        ]
    for provider, (_a, _k, _n, domain, _q) in zip(providers, data.PROVIDERS, strict=True):
        wanted.append((Role.PROVIDER_STAFF, f"medewerker@{domain}",
                       "Mila Medewerker", provider))
    wanted.append((Role.PROVIDER_ADMIN, f"beheer@{data.PROVIDERS[0][3]}", "Hanna Beheer",
                   providers[0]))
    accounts = []
    for role, email, name, organisation in wanted:
        user = create_user(email=email, name=name, password=DEMO_PASSWORD, role=role,
                           organisation=organisation)
        user.totp_secret = DEMO_TOTP_SECRETS.get(email)
        accounts.append(DemoAccount(role, email, DEMO_PASSWORD, user.totp_secret,
                                    organisation.name))
    return accounts


def _demo_actor(provider: Provider) -> User:
    return db.session.query(User).filter_by(provider_id=provider.id).limit(1).one()


def _trajectories(rng, today, municipalities, providers, contracts) -> None:
    bsns = demo_bsns()
    intensity_weights = [30, 40, 25, 5]
    duration_days = [(120, 180), (180, 270), (270, 365), (365, 540)]
    access = {m.id: db.session.query(User).filter_by(municipality_id=m.id).first()
              for m in municipalities}
    for _ in range(TRAJECTORY_COUNT):
        municipality = rng.choices(municipalities, weights=data.MUNICIPALITY_WEIGHTS)[0]
        n = rng.randrange(len(providers))
        provider, quality = providers[n], data.PROVIDERS[n][4]
        contract = contracts[n]
        intensity_rank = rng.choices(range(4), weights=intensity_weights)[0] + 1
        options = [a for a in contract.arrangements if a.intensity.rank == intensity_rank]
        arrangement = rng.choice(options or contract.arrangements)
        recent = rng.random() < 0.08
        start = today - timedelta(days=rng.randint(-20, 12) if recent else rng.randint(5, 600))
        low, high = duration_days[arrangement.intensity.rank - 1]
        end = start + timedelta(days=rng.randint(low, high))
        bsn = next(bsns)
        child = ChildDetails(
            bsn=bsn,
            birth_date=start - timedelta(days=rng.randint(4 * 365, 17 * 365)),
            given_name=rng.choice(data.GIVEN_NAMES),
            family_name=rng.choice(data.FAMILY_NAMES),
            contact=Contact(phone=f"070{bsn[-7:]}"),  # a JW301 needs a way to reach the child
        )
        trajectory = allocate(municipality=municipality, child=child, provider=provider,
                              arrangement=arrangement, start=start, end=end,
                              actor=access.get(municipality.id))
        if recent or start > today:
            continue  # still waiting in the provider's inbox
        actor = _demo_actor(provider)
        started_on = min(start + timedelta(days=rng.randint(0, 14)), today)
        register_start(trajectory, started_on, actor, today)
        for life_domain, description, treatment, societal in rng.sample(data.GOALS, 2):
            add_goal(trajectory, GoalText(LifeDomain(life_domain), description, treatment,
                                          societal), actor)
        _maybe_change(rng, today, trajectory, contract, actor, access.get(municipality.id))
        staff = access[municipality.id]
        if rng.random() < 0.02 and staff:
            moved_on = max(started_on, min(today, trajectory.current_allocation.end_date))
            end_allocation(trajectory, moved_on, JZ002.MOVED, staff)
            continue
        _maybe_end(rng, today, trajectory, started_on, end, quality, actor)


def _allocation_requests(rng, today, municipalities, providers, contracts) -> None:
    """Requests after a GP's or specialist's referral: most open, one rejected."""
    bsns = (b for b in demo_bsns() if int(b) > 999950000)
    for n in range(6):
        provider_no = n % len(providers)
        contract = contracts[provider_no]
        municipality = municipalities[n % len(municipalities)]
        actor = _demo_actor(providers[provider_no])
        request = request_allocation(providers[provider_no], AllocationWish(
            child=ChildDetails(next(bsns), today - timedelta(days=rng.randint(2000, 5000)),
                               rng.choice(data.GIVEN_NAMES), rng.choice(data.FAMILY_NAMES)),
            municipality=municipality,
            referrer=rng.choice([COD327.GENERAL_PRACTITIONER, COD327.MEDICAL_SPECIALIST,
                                 COD327.CERTIFIED_INSTITUTION]),
            arrangement=rng.choice(contract.arrangements),
            start=today + timedelta(days=7), end=today + timedelta(days=200),
            motivation="Verwezen na intake; specialistische hulp is nodig.",
            referrer_name="Huisartsenpraktijk Centrum"), actor)
        if n == 5:
            decider = (db.session.query(User).filter_by(municipality_id=municipality.id)
                       .limit(1).one())
            reject_allocation_request(request, WJ759.RESIDENCE_PRINCIPLE,
                                      "Het kind woont in een andere gemeente.", decider)


def _maybe_change(rng, today, trajectory, contract, actor, decider) -> None:
    """Some trajectories ask for a heavier intensity; where the municipality has staff in
    the demo, about half of those requests are decided."""
    current = trajectory.current_allocation
    heavier = [a for a in contract.arrangements if a.profile_id == current.arrangement.profile_id
               and a.intensity.rank == current.arrangement.intensity.rank + 1]
    if not heavier or rng.random() > 0.15 or current.end_date <= today:
        return
    change = request_change(trajectory, reason=WJ758.CLIENT_SITUATION, arrangement=heavier[0],
                            end_date=current.end_date + timedelta(days=90),
                            motivation="De problematiek is toegenomen; meer behandeluren nodig.",
                            actor=actor)
    if decider is None or rng.random() < 0.5:
        return
    if rng.random() < 0.6:
        effective = min(today, current.end_date)
        if effective > current.start_date:
            approve_change(change, effective, decider)
    else:
        reject_change(change, WJ759.CARE_CONTENT,
                      "Eerst de huidige intensiteit evalueren met het gezin.", decider)


def _maybe_end(rng, today, trajectory, started_on, planned_end, quality, actor) -> None:
    """Better providers end more trajectories according to plan, fewer by drop-out."""
    chance = 0.92 if planned_end <= today else 0.18 * (1.3 - quality)
    if rng.random() >= chance:
        return
    if planned_end <= today and rng.random() < quality:
        reason = JZ588.ACCORDING_TO_PLAN
    else:
        reason = rng.choices(
            [JZ588.EARLY_BY_CLIENT, JZ588.EARLY_BY_PROVIDER, JZ588.EARLY_BY_AGREEMENT,
             JZ588.EARLY_EXTERNAL, JZ588.OTHER_PROVIDER, JZ588.OTHER_DOMAIN],
            weights=[40 * (1.2 - quality), 15 * (1.2 - quality), 20, 10, 5, 5],
        )[0]
    latest = min(planned_end, today, trajectory.current_allocation.end_date)
    if reason == JZ588.ACCORDING_TO_PLAN:
        ended_on = latest - timedelta(days=rng.randint(0, 10))
    else:
        ended_on = started_on + timedelta(days=rng.randint(20, max(21, (latest - started_on).days)))
    # Never before the allocation in force starts (after an approved change request).
    first = max(started_on, trajectory.current_allocation.start_date)
    ended_on = max(first, min(ended_on, latest))
    end_trajectory(trajectory, ended_on, reason, actor, today)
