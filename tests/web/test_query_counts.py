"""The review queue, the provider's declaration pages and the trajectory page issue the same
number of SQL statements whatever the number of rows they show."""

from datetime import date

from sqlalchemy import delete

from portal.domain.codes import JZ588, WJ001, WJ758
from portal.domain.lists import LifeDomain
from portal.domain.plans import GoalText, add_goal
from portal.domain.requests import request_change
from portal.domain.review import approve_line, reject_line
from portal.extensions import db
from portal.models import FiguresSum
from tests.conftest import login_as
from tests.declaring import declare, measure_end, submit
from tests.queries import statements_for


def add_declaration(world, month: int, trajectories: int) -> int:
    """A submitted declaration of both providers with start and end tranches: one line
    approved, one rejected, the others waiting. Returns the id of Horizon's."""
    ids = []
    for provider in (0, 1):
        arrangement = "ontw_midden" if provider == 0 else "gedrag_midden"
        for _ in range(trajectories):
            ended = world.trajectory(
                "ended", provider=provider, arrangement=arrangement,
                started_on=date(2026, month, 2), ended_on=date(2026, month, 20),
                end_reason=JZ588.EARLY_BY_AGREEMENT)
            measure_end(ended, world.users["provider_staff"])
        declaration = declare(world, date(2026, month, 1), provider=provider)
        ids.append(declaration.id)
        submit(world, declaration, provider=provider)
        approve_line(declaration.lines[0], world.users["reviewer"])
        reject_line(declaration.lines[1], WJ001.NOT_THIS_CLIENT, "Nee.", world.users["reviewer"])
    db.session.commit()
    return ids[0]


def test_review_queue_costs_the_same_for_more_lines(client, world):
    login_as(client, world.users["reviewer"])
    add_declaration(world, 2, trajectories=2)
    few = {url: statements_for(client, url)
           for url in ("/beoordelen", "/beoordelen?status=all", "/beoordelen?sort=bedrag_hoog")}
    add_declaration(world, 3, trajectories=5)
    many = {url: statements_for(client, url) for url in few}
    assert many == few


def test_declaration_list_and_page_cost_the_same_for_more_rows(client, world):
    login_as(client, world.users["provider_staff"])
    small = add_declaration(world, 2, trajectories=1)
    few = statements_for(client, "/declaraties")
    first = statements_for(client, f"/declaraties/{small}")
    large = add_declaration(world, 3, trajectories=4)
    assert statements_for(client, "/declaraties") == few
    assert statements_for(client, f"/declaraties/{large}") == first


def test_statements_cost_the_same_for_more_trajectories(client, world, monkeypatch):
    """The contract and declaration statements: the queries behind the PDF (rendering is
    replaced, it issues none) do not grow with the trajectories and lines."""
    for module in ("portal.web.statements.views", "portal.jobs.statements"):
        monkeypatch.setattr(f"{module}.render_pdf", lambda html: b"%PDF-")
    login_as(client, world.users["contract_manager"])
    contract = f"/overzichten/contracten/{world.contracts[0].id}?periode=2026"
    counts = []
    for month, trajectories in ((2, 2), (4, 6)):
        declaration = add_declaration(world, month, trajectories)
        # Its figures computed each time, not read as kept sums in the second round only.
        db.session.execute(delete(FiguresSum))
        # The contract statement's job runs inside the request in tests (then a redirect).
        counts.append((statements_for(client, contract, status=302),
                       statements_for(client, f"/overzichten/declaraties/{declaration}.pdf")))
    assert counts[0] == counts[1]


def test_trajectory_page_costs_the_same_for_more_goals_and_requests(client, world):
    """The page loads the trajectory with what it shows: a statement per collection."""
    staff = world.users["provider_staff"]
    login_as(client, staff)
    trajectory = world.trajectory("started")
    db.session.commit()
    url = f"/trajecten/{trajectory.id}"
    statements_for(client, url)  # the first request of a client loads more
    few = statements_for(client, url)
    for n in range(3):
        add_goal(trajectory, GoalText(LifeDomain.EDUCATION_WORK, f"Doel {n}", "Beter",
                                      "Naar school"), staff)
    request_change(trajectory, reason=WJ758.CARE_PLAN, arrangement=world.arrangements[
        "ontw_zwaar"], end_date=date(2026, 12, 31), motivation="Meer nodig.", actor=staff)
    db.session.commit()
    assert statements_for(client, url) == few
