"""Pseudonyms of trajectories for the contract manager (issue #18, behind a figure).

The trajectory id enciphered with the app's secret: a four-round Feistel network over 40 bits
(HMAC-SHA256 as the round function), written in base32 after `P-`. Stable per trajectory,
not to be traced back without the key; the portal reads it back for the page of one
pseudonymised trajectory, and a pseudonym typed by hand reads back as an id that almost never
exists (one of another region is not shown either)."""

import base64
import hashlib
import hmac
import re

from portal.domain.identifiers import MAX_INTEGER

HALF_BITS, ROUNDS = 20, 4
HALF_MASK = (1 << HALF_BITS) - 1
PSEUDONYM = re.compile(r"P-[A-Z2-7]{8}")


def _round(key: bytes, number: int, half: int) -> int:
    digest = hmac.new(key, f"pseudonym:{number}:{half}".encode(), hashlib.sha256).digest()
    return int.from_bytes(digest[:4], "big") & HALF_MASK


def pseudonym(trajectory_id: int, key: bytes) -> str:
    """A stable pseudonym of a trajectory, `P-` and 8 characters."""
    left, right = trajectory_id >> HALF_BITS & HALF_MASK, trajectory_id & HALF_MASK
    for number in range(ROUNDS):
        left, right = right, left ^ _round(key, number, right)
    return "P-" + base64.b32encode((left << HALF_BITS | right).to_bytes(5, "big")).decode()


def trajectory_id_of(text: str, key: bytes) -> int | None:
    """The trajectory id a pseudonym stands for; None for text that is no pseudonym or that
    reads back beyond the ids a trajectory can have."""
    if not PSEUDONYM.fullmatch(text):
        return None
    value = int.from_bytes(base64.b32decode(text[2:]), "big")
    left, right = value >> HALF_BITS, value & HALF_MASK
    for number in reversed(range(ROUNDS)):
        left, right = right ^ _round(key, number, left), left
    trajectory_id = left << HALF_BITS | right
    return trajectory_id if 0 < trajectory_id <= MAX_INTEGER else None
