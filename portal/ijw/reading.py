"""Reading a message into portal terms: what cannot be mapped becomes a finding."""

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.domain.codes import WJ001
from portal.domain.text_hygiene import text_problem
from portal.extensions import db
from portal.ijw.parsing import Message
from portal.ijw.report import Finding
from portal.models import Municipality, Provider


class Reading:
    def __init__(self, message: Message):
        self.message = message
        self.findings: list[Finding] = []

    def refuse(self, text, element, code=None) -> None:
        self.findings.append(self.message.finding(text, element, code))

    def check_text(self, value: str | None, label, max_length: int | None, element) -> None:
        """Text to be stored: no control or reading-direction characters, within its column
        (portal/domain/text_hygiene.py); otherwise a finding at `element`."""
        problem = text_problem(value or "", max_length)
        if problem is not None:
            self.refuse(_l("%(label)s: %(problem)s", label=label, problem=problem), element)

    def date(self, path: str, context=None) -> date | None:
        element = self.message.find(path, context)
        if element is None:
            return None
        text = (element.text or "").strip()
        try:
            return date.fromisoformat(text)
        except ValueError:
            self.refuse(_l("De datum %(value)s wordt niet ondersteund.", value=text), element)
            return None

    def known_municipality(self, path: str, code: str, expected: Municipality | None,
                           not_yours) -> Municipality | None:
        """The municipality by CBS code (S300 when unknown); `not_yours` is the message when
        it is not the importing user's own municipality."""
        element = self.message.find(path)
        municipality = db.session.scalar(select(Municipality).where(
            Municipality.cbs_code == code))
        if municipality is None:
            self.refuse(_l("Gemeente met CBS-code %(code)s is onbekend in het portaal.",
                           code=code), element, WJ001.MUNICIPALITY_INVALID)
        elif expected is not None and municipality.id != expected.id:
            self.refuse(not_yours(municipality), element, WJ001.MUNICIPALITY_INVALID)
            return None
        return municipality

    def known_provider(self, path: str, code: str) -> Provider | None:
        provider = db.session.scalar(select(Provider).where(Provider.agb_code == code))
        if provider is None:
            self.refuse(_l("Aanbieder met AGB-code %(code)s is onbekend in het portaal.",
                           code=code), self.message.find(path))
        return provider
