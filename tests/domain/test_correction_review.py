"""Correction pairs review cleanly, and a rejection's return code must fit the line."""

from datetime import date

import pytest

from portal.domain import DomainError
from portal.domain.codes import COD043, WJ001
from portal.domain.declarations import credit_line
from portal.domain.lists import DeclarationStatus, LineStatus
from portal.domain.review import (
    approve_correction,
    approve_line,
    approve_lines,
    correction_partners,
    reject_line,
)
from portal.domain.review_queue import QueueFilter, queue_page
from portal.extensions import db
from tests.declaring import declare, submit

TODAY = date(2026, 11, 23)


@pytest.fixture
def reviewer(world):
    return world.users["reviewer"]


@pytest.fixture
def pair(world, reviewer):
    """An approved start tranche, credited and declared again: (credit, new debit), both
    submitted in November's declaration."""
    world.trajectory("started")
    february = declare(world)
    submit(world, february)
    approve_line(february.lines[0], reviewer)
    correction = credit_line(february.lines[0], world.users["provider_staff"], TODAY)
    assert submit(world, correction) is True
    credit, debit = correction.lines
    assert (credit.debit_credit, debit.debit_credit) == (COD043.CREDIT, COD043.DEBIT)
    return credit, debit


@pytest.mark.parametrize("order", ["credit first", "debit first"])
def test_a_credit_and_its_new_debit_are_approved_in_one_bulk_approval(pair, reviewer, order):
    credit, debit = pair
    lines = [credit, debit] if order == "credit first" else [debit, credit]
    result = approve_lines(lines, reviewer)
    assert not result.refused
    assert (credit.status, debit.status) == (LineStatus.APPROVED, LineStatus.APPROVED)
    assert credit.declaration.status == DeclarationStatus.ANSWERED


def test_the_new_debit_alone_waits_for_its_credit(pair, reviewer):
    _credit, debit = pair
    result = approve_lines([debit], reviewer)
    assert [line for line, _message in result.refused] == [debit]
    assert "9389" in result.refused[0][1]
    assert debit.status == LineStatus.SUBMITTED


def test_the_queue_counts_a_credit_on_the_page_as_approved(pair, reviewer):
    credit, debit = pair
    page = queue_page(reviewer, QueueFilter(), None, 50, TODAY)
    assert page.findings[debit.id] == [] and page.findings[credit.id] == []
    assert page.partners[credit.id] == debit and page.partners[debit.id] == credit


def test_one_click_approves_the_pair(pair, reviewer):
    credit, debit = pair
    assert correction_partners([credit]) == {credit.id: debit, debit.id: credit}
    assert approve_correction(credit, reviewer) == debit
    assert (credit.status, debit.status) == (LineStatus.APPROVED, LineStatus.APPROVED)


def test_one_click_is_both_or_neither(pair, reviewer):
    credit, debit = pair
    debit.amount_cents += 1  # 0611: the new debit breaks a rule, the credit does not
    with pytest.raises(DomainError) as caught:
        approve_correction(credit, reviewer)
    assert caught.value.code == WJ001.TARIFF_DIFFERS
    db.session.refresh(credit)
    assert (credit.status, debit.status) == (LineStatus.SUBMITTED, LineStatus.SUBMITTED)


def test_one_click_needs_a_waiting_new_debit(pair, reviewer):
    _credit, debit = pair
    with pytest.raises(DomainError, match="geen nieuwe debetregel"):
        approve_correction(debit, reviewer)


def test_a_valid_line_is_not_rejected_with_an_unrelated_code(pair, reviewer):
    credit, _debit = pair
    with pytest.raises(DomainError, match="Retourcode 0611 past niet bij deze regel") as caught:
        reject_line(credit, WJ001.TARIFF_DIFFERS, "Bedrag klopt niet.", reviewer)
    assert caught.value.field == "return_code"
    assert credit.status == LineStatus.SUBMITTED


def test_a_judgement_code_needs_an_explanation(pair, reviewer):
    credit, _debit = pair
    with pytest.raises(DomainError, match="toelichting"):
        reject_line(credit, WJ001.NOT_THIS_CLIENT, "  ", reviewer)
    reject_line(credit, WJ001.NOT_THIS_CLIENT, "Dit kind kreeg geen zorg van u.", reviewer)
    assert (credit.status, credit.return_code) == (LineStatus.REJECTED, WJ001.NOT_THIS_CLIENT)


def test_a_code_the_checks_found_is_accepted(pair, reviewer):
    _credit, debit = pair  # alone, with its credit not yet approved: 9389
    reject_line(debit, WJ001.DEBIT_WITHOUT_CREDIT, "Eerst de creditregel.", reviewer)
    assert (debit.status, debit.return_code) == (LineStatus.REJECTED,
                                                 WJ001.DEBIT_WITHOUT_CREDIT)
