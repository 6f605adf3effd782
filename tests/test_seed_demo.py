"""The demo region: real H10 CBS codes, valid BSNs, every trajectory state, accounts."""

from collections import Counter

from sqlalchemy import func, select

from portal.domain.figures_store import refreshed_at, stale_count
from portal.domain.identifiers import bsn_is_valid
from portal.domain.lists import Role, TrajectoryStatus
from portal.extensions import db
from portal.models import (
    Arrangement,
    ChangeRequest,
    Client,
    Municipality,
    Provider,
    Trajectory,
    TrajectoryFact,
    User,
)


def test_seed_demo_builds_the_region_and_prints_the_accounts(app, seeded_demo):
    runner, result = app.test_cli_runner(), seeded_demo
    codes = {m.cbs_code: m.name for m in db.session.scalars(select(Municipality))}
    assert codes == {"0518": "'s-Gravenhage", "0503": "Delft", "1621": "Lansingerland",
                     "1916": "Leidschendam-Voorburg", "1842": "Midden-Delfland",
                     "1926": "Pijnacker-Nootdorp", "0603": "Rijswijk (ZH.)",
                     "0629": "Wassenaar", "1783": "Westland", "0637": "Zoetermeer"}
    providers = db.session.scalars(select(Provider)).all()
    assert len(providers) >= 6 and all(len(p.agb_code) == 8 for p in providers)
    assert len(db.session.scalars(select(Arrangement)).all()) == 36
    assert all(bsn_is_valid(c.bsn) for c in db.session.scalars(select(Client)))
    statuses = Counter(t.status for t in db.session.scalars(select(Trajectory)))
    assert all(statuses[s] > 0 for s in TrajectoryStatus) and sum(statuses.values()) >= 300
    reasons = {t.end_reason.value for t in db.session.scalars(
        select(Trajectory).where(Trajectory.end_reason.isnot(None)))}
    assert {"31", "32", "33", "34", "35"} <= reasons
    assert db.session.scalar(select(ChangeRequest).filter_by(status="open")) is not None
    users = db.session.scalars(select(User)).all()
    assert {u.role for u in users} == set(Role)
    for user in users:
        assert user.email in result.output
        domain = user.email.split("@")[1]
        assert all(other.organisation == user.organisation
                   for other in users if other.email.endswith("@" + domain))
    # The figures store is complete: a fact per trajectory with an allocation, no marks left.
    assert stale_count() == 0 and refreshed_at() is not None
    assert db.session.scalar(select(func.count()).select_from(TrajectoryFact)) == len(
        db.session.scalars(select(Trajectory)).all())
    assert "seed-demo needs an empty one" in runner.invoke(args=["seed-demo"]).output
    assert runner.invoke(args=["seed-demo", "--if-empty"]).exit_code == 0


def test_create_user_command(app, world):
    result = app.test_cli_runner().invoke(args=[
        "create-user", "--email", "nieuw@denhaag.example", "--name", "Nieuw",
        "--role", "reviewer", "--organisation", "0518", "--password", "een lang wachtwoord"])
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).filter_by(email="nieuw@denhaag.example"))
    assert user.municipality.cbs_code == "0518" and user.check_password("een lang wachtwoord")
    bad = app.test_cli_runner().invoke(args=[
        "create-user", "--email", "x@x.example", "--name", "X", "--role", "reviewer",
        "--organisation", "9999", "--password", "een lang wachtwoord"])
    assert bad.exit_code != 0 and "No municipality" in bad.output
