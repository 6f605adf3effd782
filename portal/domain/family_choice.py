"""Whether the provider was the family's own choice (keuze van de ouders/jeugdige), and if
not, why: recorded on each allocation, shown on the trajectory and in the contract
statement."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from portal.domain import DomainError
from portal.domain.lists import FamilyChoice, NotChosenReason

TEXT_MAX = 500


@dataclass(frozen=True)
class FamilyChoiceAnswer:
    choice: FamilyChoice = FamilyChoice.UNKNOWN
    reason: NotChosenReason | None = None
    text: str = ""


UNKNOWN_CHOICE = FamilyChoiceAnswer()  # JW301 imports and rows from before it was asked


def checked(answer: FamilyChoiceAnswer) -> FamilyChoiceAnswer:
    """A reason only when it was not the family's choice; a text required with 'anders'."""
    text = (answer.text or "").strip()
    if answer.choice != FamilyChoice.NO:
        if answer.reason is not None or text:
            raise DomainError(_l("Geef alleen een reden als de aanbieder niet de keuze van de "
                                 "ouders of jeugdige was."), field="not_chosen_reason")
        return FamilyChoiceAnswer(answer.choice)
    if answer.reason is None:
        raise DomainError(_l("Kies waarom de aanbieder niet de keuze van de ouders of jeugdige "
                             "was."), field="not_chosen_reason")
    if answer.reason == NotChosenReason.OTHER and not text:
        raise DomainError(_l("Licht de reden 'anders' toe."), field="not_chosen_text")
    if len(text) > TEXT_MAX:
        raise DomainError(_l("De toelichting is langer dan %(max)s tekens.", max=TEXT_MAX),
                          field="not_chosen_text")
    return FamilyChoiceAnswer(answer.choice, answer.reason, text)


def values(answer: FamilyChoiceAnswer) -> dict:
    """The allocation's columns for a checked answer."""
    return {"family_choice": answer.choice, "not_chosen_reason": answer.reason,
            "not_chosen_text": answer.text or None}
