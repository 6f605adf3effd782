"""The incentives watch: the paths the source texts call perverse incentives, in the open
(issue 18, item 6; definitions in docs/indicators.md).

Per provider and period: extensions at the same intensity and upscaling (per 100 active
trajectories and what the new allocations cost), re-allocations to the same provider soon
after an end, ends with 38/39 that no allocation follows (listed), and the case mix of the
active trajectories, so providers are compared on like with like. Pure functions over rows
that portal.domain.incentives_queries fetches; every rate and share follows the small-group
rule.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l

from portal.domain.codes import JZ588
from portal.domain.figures import Figure, Unit, percentage, ratio

REALLOCATION_WINDOW = timedelta(days=182)
FOLLOW_UP_WINDOW = timedelta(days=30)
HANDED_ON_WATCHED = (JZ588.OTHER_PROVIDER, JZ588.OTHER_DOMAIN)
# Age at the start of care: the lowest age of each group.
AGE_GROUPS = ((0, _l("0 tot 6 jaar")), (6, _l("6 tot 12 jaar")), (12, _l("12 tot 18 jaar")),
              (18, _l("18 jaar en ouder")))


@dataclass(frozen=True)
class ChangeTally:
    """Approved change requests of one kind and what their new allocations cost."""

    count: int = 0
    cents: int = 0

    def __add__(self, other: "ChangeTally") -> "ChangeTally":
        return ChangeTally(self.count + other.count, self.cents + other.cents)


@dataclass(frozen=True)
class HandedOnRow:
    """A trajectory ended with 38 or 39, and the first later allocation of the same child."""

    trajectory_id: int
    provider_id: int
    provider: str
    municipality: str
    allocation_number: int
    ended_on: date
    end_reason: JZ588
    next_start: date | None  # on or after the end; None: no later allocation

    def settled(self, today: date) -> bool:
        """30 days have passed since the end, so a follow-up can be judged."""
        return self.ended_on + FOLLOW_UP_WINDOW <= today

    @property
    def followed_up(self) -> bool:
        return self.next_start is not None and self.next_start <= self.ended_on + FOLLOW_UP_WINDOW


@dataclass(frozen=True)
class RestartRow:
    """A trajectory that began in the period, and the latest end on or before its start of
    another trajectory of the same child with the same provider."""

    trajectory_id: int
    started_on: date
    previous_end: date

    @property
    def within_window(self) -> bool:
        return self.started_on - self.previous_end <= REALLOCATION_WINDOW


@dataclass
class ProviderData:
    """One provider's rows for the period (the region's total is their sum)."""

    case_mix: Counter = field(default_factory=Counter)  # (age from, profile, intensity) -> n
    new_starts: int = 0
    extensions: ChangeTally = ChangeTally()
    upscalings: ChangeTally = ChangeTally()
    restarts: list[RestartRow] = field(default_factory=list)
    handed_on: list[HandedOnRow] = field(default_factory=list)

    def __add__(self, other: "ProviderData") -> "ProviderData":
        return ProviderData(self.case_mix + other.case_mix, self.new_starts + other.new_starts,
                            self.extensions + other.extensions,
                            self.upscalings + other.upscalings,
                            self.restarts + other.restarts, self.handed_on + other.handed_on)


@dataclass(frozen=True)
class Share:
    key: object  # an age group's lowest age, a profile id or an intensity id
    count: int
    share: Figure


@dataclass(frozen=True)
class Incentives:
    active: int  # trajectories active in the period: the base of the rates and the case mix
    extensions: ChangeTally
    extension_rate: Figure
    upscalings: ChangeTally
    upscaling_rate: Figure
    new_starts: int
    reallocated: int
    reallocated_share: Figure
    handed_on: int  # ended with 38/39 at least 30 days ago
    handed_on_pending: int  # ended with 38/39 less than 30 days ago: not judged yet
    without_follow_up: list[HandedOnRow]
    without_follow_up_share: Figure
    ages: list[Share]
    profiles: list[Share]
    intensities: list[Share]


def _shares(counts: Counter, base: int) -> list[Share]:
    return [Share(key, n, percentage(n, base)) for key, n in sorted(counts.items())]


def _case_mix(case_mix: Counter, base: int) -> dict:
    def by(position: int) -> Counter:
        counts: Counter = Counter()
        for key, n in case_mix.items():
            counts[key[position]] += n
        return counts

    return {"ages": _shares(by(0), base), "profiles": _shares(by(1), base),
            "intensities": _shares(by(2), base)}


def compute(data: ProviderData, today: date) -> Incentives:
    active = sum(data.case_mix.values())
    reallocated = len({r.trajectory_id for r in data.restarts if r.within_window})
    settled = [h for h in data.handed_on if h.settled(today)]
    without = sorted((h for h in settled if not h.followed_up),
                     key=lambda h: (h.ended_on, h.provider, h.allocation_number))
    return Incentives(
        active=active,
        extensions=data.extensions,
        extension_rate=ratio(data.extensions.count, active, Unit.RATE, per=100),
        upscalings=data.upscalings,
        upscaling_rate=ratio(data.upscalings.count, active, Unit.RATE, per=100),
        new_starts=data.new_starts,
        reallocated=reallocated,
        reallocated_share=percentage(reallocated, data.new_starts),
        handed_on=len(settled),
        handed_on_pending=len(data.handed_on) - len(settled),
        without_follow_up=without,
        without_follow_up_share=percentage(len(without), len(settled)),
        **_case_mix(data.case_mix, active),
    )

