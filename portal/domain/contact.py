"""How to reach a child: the Dutch address and phone number a JW301 Contact carries.

iJw requires a Contact with an address or a phone number for the child (TR061, TR006); the
portal records them from the allocation form or a JW301, both optional, and checks them here.
"""

import re
from dataclasses import dataclass, replace

from flask_babel import lazy_gettext as _l

from portal.domain import DomainError
from portal.domain.audit import record, snapshot

_POSTCODE = re.compile(r"[1-9][0-9]{3}[A-Z]{2}")
MAX_HOUSE_NUMBER = 99999  # LDT_Huisnummer
FIELDS = ("street", "house_number", "house_number_addition", "postcode", "city", "phone")


@dataclass(frozen=True)
class Contact:
    street: str | None = None
    house_number: int | None = None
    house_number_addition: str | None = None
    postcode: str | None = None
    city: str | None = None
    phone: str | None = None

    @property
    def is_empty(self) -> bool:
        return not any((self.street, self.house_number is not None,
                        self.house_number_addition, self.postcode, self.city, self.phone))


def _clean(value: str | None) -> str | None:
    return value.strip() or None if value else None


def checked_contact(contact: Contact) -> Contact:
    """The contact as stored: postcode '2511 aa' -> '2511AA', phone digits only. An address
    has a house number and a postcode, or neither (TR006 needs both)."""
    postcode = _clean(contact.postcode)
    postcode = postcode.replace(" ", "").upper() if postcode else None
    phone = _clean(contact.phone)
    phone = re.sub(r"[\s().-]", "", phone) if phone else None
    if postcode and not _POSTCODE.fullmatch(postcode):
        raise DomainError(_l("De postcode is geen Nederlandse postcode (1234 AB)."),
                          field="postcode")
    if phone and (not phone.isdigit() or len(phone) > 15):
        raise DomainError(_l("Het telefoonnummer bestaat uit hoogstens 15 cijfers."),
                          field="phone")
    number = contact.house_number
    if number is not None and not 0 <= number <= MAX_HOUSE_NUMBER:
        raise DomainError(_l("Het huisnummer ligt tussen 0 en 99999."), field="house_number")
    if (number is None) != (postcode is None):
        raise DomainError(_l("Een adres heeft een huisnummer en een postcode."),
                          field="house_number" if number is None else "postcode")
    return replace(contact, street=_clean(contact.street), postcode=postcode, phone=phone,
                   house_number_addition=_clean(contact.house_number_addition),
                   city=_clean(contact.city))


def store_contact(client, contact: Contact | None) -> None:
    """Keep what the newest allocation says; an empty contact keeps what is known."""
    if contact is None or contact.is_empty:
        return
    contact = checked_contact(contact)
    for name in FIELDS:
        setattr(client, name, getattr(contact, name))


def change_contact(client, contact: Contact, actor, trajectory) -> None:
    """Access staff correct how the child is reached; a JW301 needs an address or a phone,
    so the contact is never emptied."""
    if contact.is_empty:
        raise DomainError(_l("Vul een adres of een telefoonnummer in."), field="phone")
    contact = checked_contact(contact)
    before = snapshot(client, *FIELDS)
    for name in FIELDS:
        setattr(client, name, getattr(contact, name))
    record(actor, "client.contact_changed", client, trajectory=trajectory, before=before,
           after=snapshot(client, *FIELDS))
