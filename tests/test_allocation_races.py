"""Races: every path that creates or extends an allocation (and adding a provider), fired in
parallel with real connections (one thread, app context, session and connection each;
committed data). On PostgreSQL the transactions truly overlap (the municipality's row lock
decides); on SQLite the writers queue (BEGIN IMMEDIATE). Whatever arrives at once, a child
gets one running arrangement, the others get the answer a later request would get (WJ759 6,
or WJ759 5 for a child another municipality registered), and nobody gets a 500."""

import io
from datetime import date

import pytest
from sqlalchemy import func, select

from portal.domain.codes import WJ758
from portal.domain.requests import AllocationWish, request_allocation, request_change
from portal.domain.trajectories import ChildDetails
from portal.extensions import db
from portal.models import Allocation, Client, Trajectory, User
from tests.conftest import in_parallel, login_as
from tests.factories import next_bsn
from tests.ijw.messages import jw301, product

pytestmark = pytest.mark.committed
THREADS = 6
STACKING = "stapeling is niet toegestaan"
OTHER_MUNICIPALITY = "Dit kind valt onder een andere gemeente"
CSV_HEADER = ("bsn;geboortedatum;voornaam;achternaam;agb_code;productcategorie;productcode;"
              "startdatum;einddatum")


def post(app, user_id: int, url: str, **kwargs) -> tuple[int, str]:
    """A POST by the user in a browser of its own: (status, page)."""
    client = app.test_client()
    login_as(client, db.session.get(User, user_id))
    db.session.rollback()  # the request starts its own transaction (on SQLite: a writer's)
    response = client.post(url, **kwargs)
    return response.status_code, response.get_data(as_text=True)


def running_for(bsn: str) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(Trajectory).join(Client)
                             .where(Client.bsn == bsn))


def assert_one_won(results, lost_text: str, won_status: int = 302) -> None:
    assert all(status in (200, 302) for status, _page in results), results
    won = [page for status, page in results if status == won_status]
    lost = [page for status, page in results if status != won_status and lost_text in page]
    assert (len(won), len(lost)) == (1, len(results) - 1), [s for s, _p in results]


def allocation_form(world, bsn: str, start="2026-02-01", end="2026-07-31") -> dict:
    return {"bsn": bsn, "birth_date": "2015-05-17", "given_name": "Noor",
            "family_name": "Bakker", "provider": world.providers[0].id,
            "arrangement": world.arrangements["ontw_midden"].id,
            "start_date": start, "end_date": end}


def csv_file(agb_code: str, *bsns: str) -> dict:
    rows = [f"{bsn};17-05-2015;Sam;Vos;{agb_code};45;01M;01-02-2026;"
            "31-07-2026" for bsn in bsns]
    return {"data": {"file": (io.BytesIO("\n".join([CSV_HEADER, *rows]).encode()),
                              "toewijzingen.csv")},
            "content_type": "multipart/form-data"}


@pytest.mark.parametrize("known", [False, True], ids=["new child", "known child"])
def test_parallel_allocation_forms_for_one_child_leave_one_allocation(app, committed_world,
                                                                      known):
    world, bsn = committed_world, next_bsn()
    if known:  # allocated before, in 2025: the child's row exists and nothing overlaps
        world.trajectory(child=ChildDetails(bsn, date(2015, 5, 17), "Noor", "Bakker"),
                         start=date(2025, 1, 1), end=date(2025, 6, 30))
    staff, data = world.users["access_staff"].id, allocation_form(world, bsn)
    results = in_parallel(app, lambda _n: post(app, staff, "/toewijzingen/nieuw", data=data))
    assert_one_won(results, STACKING)
    assert all("WJ759 6" in page for status, page in results if status == 200)
    assert running_for(bsn) == 1 + known


def test_parallel_allocations_of_different_children_get_consecutive_numbers(app,
                                                                            committed_world):
    world = committed_world
    staff = world.users["access_staff"].id
    forms = [allocation_form(world, next_bsn()) for _ in range(THREADS)]
    results = in_parallel(app, lambda n: post(app, staff, "/toewijzingen/nieuw",
                                              data=forms[n]))
    assert [status for status, _page in results] == [302] * THREADS
    numbers = sorted(db.session.scalars(select(Allocation.number)))
    assert numbers == list(range(1, THREADS + 1))


def test_parallel_imports_of_one_csv_file_import_it_once(app, committed_world):
    world = committed_world
    bsns = [next_bsn() for _ in range(3)]
    staff = world.users["access_staff"].id
    agb = world.providers[0].agb_code
    results = in_parallel(app, lambda _n: post(app, staff, "/toewijzingen/importeren",
                                               **csv_file(agb, *bsns)), count=4)
    assert_one_won(results, "Er is niets geïmporteerd")
    for status, page in results:
        if status == 200:
            assert page.count(STACKING) == len(bsns)  # every row named, the file shown back
    assert [running_for(bsn) for bsn in bsns] == [1, 1, 1]


def test_two_municipalities_importing_the_same_new_child_at_once(app, committed_world):
    world, bsn = committed_world, next_bsn()
    staff = [world.users["access_staff"].id, world.users["other_access_staff"].id]
    agb, others = world.providers[0].agb_code, [next_bsn(), next_bsn()]
    results = in_parallel(app, lambda n: post(app, staff[n % 2], "/toewijzingen/importeren",
                                              **csv_file(agb, bsn, others[n])), count=2)
    assert_one_won(results, OTHER_MUNICIPALITY)
    assert running_for(bsn) == 1


def test_two_municipalities_allocating_the_same_new_child_at_once(app, committed_world):
    world, bsn = committed_world, next_bsn()
    staff = [world.users["access_staff"].id, world.users["other_access_staff"].id]
    data = allocation_form(world, bsn)
    results = in_parallel(app, lambda n: post(app, staff[n % 2], "/toewijzingen/nieuw",
                                              data=data), count=4)
    won = [page for status, page in results if status == 302]
    assert len(won) == 1 and all(status in (200, 302) for status, _page in results)
    # The other municipality is told the child is not theirs; its own colleagues: stacking.
    assert all(OTHER_MUNICIPALITY in page or STACKING in page
               for status, page in results if status == 200)
    assert running_for(bsn) == 1


def test_parallel_jw301_imports_for_one_child_leave_one_allocation(app, committed_world):
    world, bsn = committed_world, next_bsn()
    staff, agb = world.users["access_staff"].id, world.providers[0].agb_code

    def upload(n):
        message = jw301(product(300200 + n), receiver=agb, bsn=bsn, identification=f"RACE{n}")
        return post(app, staff, "/toewijzingen/ijw", content_type="multipart/form-data",
                    data={"file": (io.BytesIO(message), f"toewijzing-{n}.xml")})

    results = in_parallel(app, upload)
    assert_one_won(results, STACKING)
    assert running_for(bsn) == 1


def test_change_approval_and_a_new_allocation_at_once_leave_one(app, committed_world):
    """A change that extends a trajectory and a new allocation for the months after it."""
    world = committed_world
    staff = world.users["access_staff"].id
    for _trial in range(3):
        trajectory = world.trajectory("started")
        bsn = trajectory.client.bsn
        change = request_change(trajectory, reason=WJ758.CARE_PLAN,
                                arrangement=world.arrangements["ontw_zwaar"],
                                end_date=date(2026, 12, 31), motivation="Langer nodig",
                                actor=db.session.get(User, world.users["provider_staff"].id))
        db.session.commit()
        change_url = f"/verzoeken/wijziging/{change.id}"
        later = allocation_form(world, bsn, "2026-08-01", "2026-12-31")

        def act(n, change_url=change_url, later=later):
            if n == 0:
                return post(app, staff, change_url,
                            data={"besluit": "toekennen", "toekennen-effective": "2026-05-01"})
            return post(app, staff, "/toewijzingen/nieuw", data=later)

        results = in_parallel(app, act, count=2)
        assert_one_won(results, STACKING)
        # The approval extends the one trajectory; the new allocation starts a second one.
        assert running_for(bsn) == (1 if results[0][0] == 302 else 2)


def test_parallel_approvals_of_two_requests_for_one_child_leave_one(app, committed_world):
    world, bsn = committed_world, next_bsn()
    ids = []
    for provider, actor in ((0, "provider_staff"), (0, "provider_admin")):
        wish = AllocationWish(ChildDetails(bsn, date(2014, 3, 1), "Yara", "Kaya"),
                              world.municipalities[0], "02", world.arrangements["ontw_midden"],
                              date(2026, 3, 1), date(2026, 8, 31), "Verwezen door de huisarts",
                              referrer_name="Huisartsenpraktijk De Linde")
        ids.append(request_allocation(world.providers[provider], wish,
                                      db.session.get(User, world.users[actor].id)).id)
    db.session.commit()
    staff = world.users["access_staff"].id
    results = in_parallel(app, lambda n: post(app, staff, f"/verzoeken/toewijzing/{ids[n]}",
                                              data={"besluit": "toekennen"}), count=2)
    assert_one_won(results, STACKING)
    assert running_for(bsn) == 1


def test_two_administrators_adding_the_same_provider_at_once(app, committed_world):
    """A row someone else just created: the message of the check, the form filled in."""
    admin = committed_world.users["administrator"].id
    data = {"agb_code": "75759999", "kvk_number": "41159999", "name": "Nieuw Licht"}
    results = in_parallel(app, lambda _n: post(app, admin, "/beheer/aanbieders/nieuw",
                                               data=data), count=4)
    assert_one_won(results, "Er is al een aanbieder met AGB-code 75759999.")
    assert all('value="Nieuw Licht"' in page for status, page in results if status == 200)
