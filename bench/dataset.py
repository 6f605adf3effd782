"""The bench database: dropped and recreated, migrated, the demo region built through the
domain (its accounts log in), then 44 more providers and a national-scale load of
trajectories COPY'd in (bench/national_rows.py)."""

import os
import time
from dataclasses import dataclass
from datetime import date

import psycopg
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import func, select, text

from bench.national_rows import (
    ArrangementInfo,
    NationalRegion,
    ProviderInfo,
    Region,
    Scale,
)
from portal import create_app
from portal.demo import catalogue as demo_data
from portal.demo.region import DEMO_PASSWORD, build_demo_region
from portal.domain.accounts import create_user
from portal.domain.lists import Role
from portal.domain.tranches import PaymentScheme
from portal.extensions import db
from portal.jobs.figures import rebuild as rebuild_figures
from portal.models import (
    Allocation,
    Arrangement,
    Contract,
    Declaration,
    Municipality,
    PaymentSchemeVersion,
    Provider,
    User,
)

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/portal_bench"
PROVIDER_COUNT = 50
PROFILES_PER_PROVIDER = 4
# The accounts the bench logs in with: the demo's, so their TOTP secrets are known.
PROVIDER_STAFF = "medewerker@horizon-jeugdhulp.example"
REVIEWER = "beoordelaar@denhaag.example"
CONTRACT_MANAGER = "contractbeheer@regio-haaglanden.example"
# Tables COPY fills, parents first.
COPY_ORDER = ("client", "trajectory", "allocation", "change_request", "goal", "measurement",
              "goal_score_entry", "declaration", "declaration_line")


def database_url() -> str:
    return os.environ.get("PORTAL_BENCH_DATABASE_URL", DEFAULT_URL)


def bench_app(url: str, **config) -> Flask:
    """The portal on the bench database, with production settings otherwise."""
    return create_app({"SQLALCHEMY_DATABASE_URI": url.replace("postgresql://",
                                                              "postgresql+psycopg://", 1),
                       "SECRET_KEY": "bench-only", **config})


def recreate_database(url: str) -> None:
    info = psycopg.conninfo.conninfo_to_dict(url)
    name = info.pop("dbname")
    with psycopg.connect(**{**info, "dbname": "postgres"}, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


@dataclass
class LoadReport:
    seconds: float
    rows: dict[str, int]


def build(url: str, scale: Scale, today: date) -> LoadReport:
    began = time.perf_counter()
    recreate_database(url)
    app = bench_app(url)
    with app.app_context():
        upgrade()
        build_demo_region(today)
        db.session.flush()
        region = _national_organisations()
        db.session.commit()
        tables = NationalRegion(region, scale, today).generate()
        _copy(tables)
        rebuild_figures()  # COPY passes no flush: the figures store is built from scratch
        vacuum_analyze(url)
        counts = {name: db.session.scalar(text(f'SELECT count(*) FROM "{name}"'))
                  for name in COPY_ORDER}
    return LoadReport(round(time.perf_counter() - began, 1), counts)


def _national_organisations() -> Region:
    """The demo's ten municipalities and six providers, 44 providers more, and an access
    and a reviewer account in every municipality."""
    providers = list(db.session.scalars(select(Provider).order_by(Provider.id)))
    municipalities = list(db.session.scalars(select(Municipality).order_by(Municipality.id)))
    arrangements = list(db.session.scalars(select(Arrangement).order_by(Arrangement.id)))
    by_profile: dict[int, list[Arrangement]] = {}
    for arrangement in arrangements:
        by_profile.setdefault(arrangement.profile_id, []).append(arrangement)
    profiles = sorted(by_profile)
    region = municipalities[0].region
    for n in range(len(providers), PROVIDER_COUNT):
        provider = Provider(agb_code=f"7576{n:04d}", kvk_number=f"4216{n:04d}",
                            name=f"Jeugdhulp Aanbieder {n + 1:02d}")
        chosen = [profiles[(n + k) % len(profiles)] for k in range(PROFILES_PER_PROVIDER)]
        db.session.add(Contract(
            number=f"H10-JH-2025-{n + 1:03d}", region=region, provider=provider,
            starts_on=date(2025, 1, 1), ends_on=date(2027, 12, 31),
            scheme_versions=[PaymentSchemeVersion(valid_from=date(2025, 1, 1),
                                                  start_share_percent=40)],
            arrangements=[a for p in chosen for a in by_profile[p]]))
        create_user(email=f"medewerker@aanbieder-{n + 1:02d}.example", name="Mila Medewerker",
                    password=DEMO_PASSWORD, role=Role.PROVIDER_STAFF, organisation=provider)
        providers.append(provider)
    for municipality in municipalities:
        for role, prefix in ((Role.ACCESS_STAFF, "toegang"), (Role.REVIEWER, "beoordelaar")):
            exists = db.session.scalar(select(User.id).where(
                User.municipality_id == municipality.id, User.role == role))
            if exists is None:
                create_user(email=f"{prefix}@gemeente-{municipality.cbs_code}.example",
                            name="Bench", password=DEMO_PASSWORD, role=role,
                            organisation=municipality)
    db.session.flush()
    return _region_for_generator(providers, municipalities)


def _region_for_generator(providers, municipalities) -> Region:
    def first_user(role, **organisation) -> int:
        return db.session.scalar(select(User.id).filter_by(role=role, **organisation)
                                 .order_by(User.id).limit(1))

    contracts = {c.provider_id: c for c in db.session.scalars(select(Contract))}
    infos = []
    for provider in providers:
        contract = contracts[provider.id]
        infos.append(ProviderInfo(
            id=provider.id, staff_id=first_user(Role.PROVIDER_STAFF, provider_id=provider.id),
            scheme=PaymentScheme.of(contract.latest_scheme),
            scheme_version_id=contract.latest_scheme.id,
            arrangements=tuple(ArrangementInfo(
                a.id, a.profile_id, a.intensity.rank, a.product_category.value, a.product_code,
                tuple((t.id, t.valid_from, t.valid_to, t.amount_cents) for t in a.tariffs))
                for a in contract.arrangements)))
    weights = dict((code, w) for (code, _n, _s), w in zip(
        demo_data.MUNICIPALITIES, demo_data.MUNICIPALITY_WEIGHTS, strict=True))
    next_ids = {name: (db.session.scalar(text(f'SELECT max(id) FROM "{name}"'))
                       or 0) + 1 for name in COPY_ORDER if name != "goal_score_entry"}
    numbers = dict(db.session.execute(select(Allocation.municipality_id,
                                             func.max(Allocation.number))
                                      .group_by(Allocation.municipality_id)).all())
    return Region(
        municipalities=tuple(m.id for m in municipalities),
        municipality_weights=tuple(weights[m.cbs_code] for m in municipalities),
        providers=tuple(infos),
        access_staff={m.id: first_user(Role.ACCESS_STAFF, municipality_id=m.id)
                      for m in municipalities},
        reviewers={m.id: first_user(Role.REVIEWER, municipality_id=m.id)
                   for m in municipalities},
        next_ids=next_ids,
        next_numbers={m.id: numbers.get(m.id, 0) + 1 for m in municipalities},
        declarations={(d.provider_id, d.municipality_id, d.period): d.id
                      for d in db.session.scalars(select(Declaration))})


def _copy(tables) -> None:
    """COPY every table in one transaction, move the id sequences on, refresh statistics."""
    connection = db.session.connection().connection.driver_connection
    with connection.cursor() as cursor:
        for name in COPY_ORDER:
            table = tables[name]
            columns = ", ".join(f'"{c}"' for c in table.columns)
            with cursor.copy(f'COPY "{name}" ({columns}) FROM STDIN') as copy:
                for row in table.rows:
                    copy.write_row(row)
            if "id" in table.columns:
                cursor.execute(f"SELECT setval(pg_get_serial_sequence('\"{name}\"', 'id'), "
                               f'(SELECT max(id) FROM "{name}"))')
    db.session.commit()


def vacuum_analyze(url: str) -> None:
    """Fresh statistics and visibility maps, as a database in use would have."""
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")
