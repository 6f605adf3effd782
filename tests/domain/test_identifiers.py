"""BSN 11-test (property-based) and the formats of AGB, CBS and KvK codes."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.domain import DomainError
from portal.domain.identifiers import (
    bsn_is_valid,
    mask_bsn,
    validate_agb,
    validate_bsn,
    validate_cbs,
    validate_kvk,
)

WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2)


def complete(first_eight: str) -> str | None:
    """The check digit that makes the 11-test pass, or None when no digit can."""
    total = sum(int(d) * w for d, w in zip(first_eight, WEIGHTS, strict=True))
    check = total % 11
    return None if check == 10 else first_eight + str(check)


eight_digits = st.text(alphabet="0123456789", min_size=8, max_size=8)


def test_example_from_the_standard():
    assert bsn_is_valid("123456782")
    assert not bsn_is_valid("123456781")


@given(eight_digits)
def test_completed_numbers_pass(first_eight):
    bsn = complete(first_eight)
    if bsn is not None and bsn != "000000000":
        assert bsn_is_valid(bsn)


@given(eight_digits, st.integers(0, 8), st.integers(1, 9))
def test_changing_one_digit_is_always_caught(first_eight, position, delta):
    bsn = complete(first_eight)
    if bsn is None:
        return
    digits = list(bsn)
    digits[position] = str((int(digits[position]) + delta) % 10)
    assert not bsn_is_valid("".join(digits))


@given(st.text(max_size=12))
def test_anything_not_nine_digits_fails(text):
    if not (len(text) == 9 and text.isascii() and text.isdigit()):
        assert not bsn_is_valid(text)


def test_all_zeros_is_not_a_bsn():
    assert not bsn_is_valid("000000000")


def test_masking_keeps_only_the_last_three_digits():
    assert mask_bsn("999900006") == "******006"


@pytest.mark.parametrize("check, good, bad", [
    (validate_bsn, "999900006", "12345678"),
    (validate_agb, "75750011", "7575001A"),
    (validate_cbs, "0518", "518"),
    (validate_kvk, "41150011", "411500111"),
])
def test_validators_accept_good_and_refuse_bad_with_dutch_message(check, good, bad):
    assert check(f" {good} ") == good
    with pytest.raises(DomainError) as caught:
        check(bad)
    assert str(caught.value.message)[0].isupper()
