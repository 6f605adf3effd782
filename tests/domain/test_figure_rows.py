"""The trajectories behind a figure: for every indicator and group the list's counts make
the figure again, each viewer sees its own rows, and no row of another region shows."""

from datetime import date

from portal.domain.codes import JZ588
from portal.domain.figure_rows import (
    DRILLS,
    Subject,
    row_page,
    summary,
)
from portal.domain.figures import Period, Unit, mean_of, percentage, ratio
from portal.domain.figures_sums import sums_by
from portal.domain.indicators import SPECS, indicators_from
from portal.domain.pseudonyms import pseudonym, trajectory_id_of
from portal.domain.store_queries import region_sums
from portal.domain.trajectories import end_trajectory
from portal.extensions import db
from portal.jobs.figures import refresh
from tests.layers import shared_layer
from tests.regions import populate, second_region

PERIOD = Period.year(2026)
TODAY = date(2027, 6, 1)  # the trajectories' 182 days after the end have passed
MEANS = {"satisfaction": ("satisfaction_sum", "satisfaction_count", Unit.MARK),
         "satisfaction_young_person": ("young_sum", "young_count", Unit.MARK),
         "satisfaction_parent": ("parent_sum", "parent_count", Unit.MARK)}


def figure_of(name: str, s):
    """The figure made again from the list's counts alone."""
    totals = s.totals
    if name in ("ended", "handed_on"):
        return s.rows
    if name in MEANS:
        total, count, unit = MEANS[name]
        base = s.rows if name == "satisfaction" else None
        return mean_of(totals[total], totals[count], unit, base=base)
    if name.startswith("goals_"):
        return percentage(totals[name], totals["goals"], base=s.rows)
    if name == "duration":
        return mean_of(totals["duration_days"], s.rows, Unit.DAYS)
    if name == "upscaling":
        return ratio(totals["upscalings"], s.rows, Unit.RATE, per=100)
    if name == "cost_per_trajectory":
        return ratio(totals["cost_cents"], s.rows, Unit.CENTS)
    if name == "cost_per_plan_end":
        return ratio(totals["cost_cents"], s.counted, Unit.CENTS)
    return percentage(s.counted, s.rows)


@shared_layer(on="world")
def north_too(world):
    """Ends of both providers, two more (33 and 38), and a second region with ends of its
    own; the figures store up to date. Gives the second region."""
    populate(world, plan_ends=4, drop_outs=2)
    populate(world, plan_ends=3, drop_outs=1, provider=1, satisfaction=6)
    staff = world.users["provider_staff"]
    for reason in (JZ588.EARLY_BY_PROVIDER, JZ588.OTHER_PROVIDER):
        end_trajectory(world.trajectory("started"), date(2026, 7, 31), reason, staff)
    db.session.commit()
    north = second_region()
    populate(north, plan_ends=5, drop_outs=3)
    refresh()
    return north


def test_every_figure_is_made_again_from_its_list(world, north_too):
    manager = world.users["contract_manager"]
    names = ["ended", "handed_on", *(spec.name for spec in SPECS)]
    assert set(names) == set(DRILLS)
    for grouping in (None, "provider", "arrangement", "municipality"):
        by_group = sums_by(world.region.id, PERIOD, TODAY, grouping or "provider")
        groups = {None: region_sums(by_group)} if grouping is None else by_group
        for group_id, sums in groups.items():
            figures = indicators_from(sums)
            for name in names:
                s = summary(manager, Subject(world.region.id, PERIOD, name, grouping,
                                             group_id), TODAY)
                assert figure_of(name, s) == getattr(figures, name), (grouping, name)
                assert s.shown == s.rows


def test_hand_worked_counts_of_the_region(world, north_too):
    manager = world.users["contract_manager"]

    def counts(name):
        s = summary(manager, Subject(world.region.id, PERIOD, name), TODAY)
        return s.rows, s.counted

    # 10 ended with 31/32 by populate, one with 33; one handed on with 38.
    assert counts("ended") == (11, 0)
    assert counts("handed_on") == (1, 0)
    assert counts("according_to_plan") == (11, 7)
    assert counts("drop_out") == (11, 3)
    assert counts("ended_by_provider") == (11, 1)
    assert counts("upscaling") == (2 + 11 + 1, 1)  # the running ones, the ended, the 38


def test_each_viewer_sees_its_own_rows(world, north_too):
    north = north_too
    subject = Subject(world.region.id, PERIOD, "according_to_plan")
    staff, other, reviewer, manager = (world.users[r] for r in (
        "provider_staff", "other_provider_staff", "reviewer", "contract_manager"))
    own = row_page(staff, subject, TODAY, None, 100).rows
    assert {r.provider_id for r in own} == {world.providers[0].id} and len(own) == 7
    assert all(r.child_name and r.allocation_number for r in own)
    assert summary(staff, subject, TODAY).shown == 7
    assert len(row_page(other, subject, TODAY, None, 100).rows) == 4
    by_municipality = row_page(reviewer, subject, TODAY, None, 100).rows
    assert {r.municipality_id for r in by_municipality} == {world.municipalities[0].id}
    pseudonymised = row_page(manager, subject, TODAY, None, 100).rows
    assert len(pseudonymised) == 11
    assert all(r.child_name is None and r.masked_bsn is None and r.allocation_number is None
               for r in pseudonymised)
    assert sum(r.counted for r in pseudonymised) == 7
    # another region's manager sees nothing of this region, and this one nothing of north
    assert row_page(north.users["contract_manager"], subject, TODAY, None, 100).rows == []
    north_subject = Subject(north.region.id, PERIOD, "according_to_plan")
    assert row_page(staff, north_subject, TODAY, None, 100).rows == []


def test_pages_walk_every_row_once(world, north_too):
    manager = world.users["contract_manager"]
    subject = Subject(world.region.id, PERIOD, "ended")
    seen, after = [], None
    while True:
        page = row_page(manager, subject, TODAY, after, 4)
        seen += [r.trajectory_id for r in page.rows]
        if page.next_after is None:
            break
        after = page.next_after
    assert len(seen) == len(set(seen)) == 11 and seen == sorted(seen, reverse=True)


def test_a_pseudonym_is_stable_short_and_keyed():
    first = pseudonym(42, b"key")
    assert first == pseudonym(42, b"key") and first.startswith("P-") and len(first) == 10
    assert first != pseudonym(43, b"key") and first != pseudonym(42, b"other key")


def test_a_pseudonym_reads_back_only_with_its_key():
    for trajectory_id in (1, 42, 999_999, 2**31 - 1):
        text = pseudonym(trajectory_id, b"key")
        assert trajectory_id_of(text, b"key") == trajectory_id
        assert trajectory_id_of(text, b"other key") != trajectory_id
    assert trajectory_id_of("P-abc", b"key") is None and trajectory_id_of("", b"key") is None
    # 40 bits hold more than a trajectory id: what reads back beyond them is no pseudonym
    assert trajectory_id_of(pseudonym(2**40 - 1, b"key"), b"key") is None
