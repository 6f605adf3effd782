"""Every action the portal records has its Dutch label in the one mapping."""

import re
from pathlib import Path

from portal.domain.audit_labels import ACTION_LABELS, action_label
from portal.domain.lists import LineStatus

PORTAL = Path(__file__).parents[2] / "portal"
LITERAL = re.compile(r"(?:record|event_values)\(\s*[^,()]+,\s*\"([a-z_.]+)\"")
# Actions passed on as a variable (measurement transitions) or built (catalogue, decisions).
MEASUREMENT = re.compile(r"\"(measurement\.[a-z_]+)\"\)")  # the last argument
BUILT = {f"{kind}.{verb}" for kind in ("profile", "intensity", "arrangement")
         for verb in ("created", "changed")} | {
    f"declaration_line.{s.value}" for s in (LineStatus.APPROVED, LineStatus.REJECTED)}


def recorded_actions() -> set[str]:
    found = set(BUILT)
    for path in PORTAL.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        found |= set(LITERAL.findall(source))
        if path.name == "measurements.py" and path.parent.name == "domain":
            found |= set(MEASUREMENT.findall(source))
    return found


def test_every_recorded_action_has_a_dutch_label():
    actions = recorded_actions()
    assert len(actions) > 50  # the scan finds the calls
    assert sorted(actions - set(ACTION_LABELS)) == []


def test_labels_read_as_dutch_text():
    assert action_label("trajectory.viewed") == "Traject bekeken"
    assert action_label("something.unknown") == "something.unknown"
