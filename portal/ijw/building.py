"""Writing iJw messages: the one header every message has and the parts messages share."""

from datetime import date, time
from enum import Enum

from lxml import etree

from portal.domain.codes import WJ756, WMO757
from portal.ijw.names import initials, split_family_name
from portal.ijw.standard import BASE_NS, SUBVERSION, VERSION, XSD_VERSION, MessageKind
from portal.models import Arrangement

GENDER_UNKNOWN = "0"  # LDT_Geslacht: the portal does not record it
OWN_NAME = "1"  # LDT_NaamGebruik: eigen naam


def _text(value) -> str:
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, time):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


class Builder:
    """Builds one message of `kind`; `add` writes in the message's namespace, `add_base` in
    that of the basisschema (the parts of the shared CDT_ types)."""

    def __init__(self, kind: MessageKind):
        self.kind = kind
        self.root = etree.Element(f"{{{kind.namespace}}}Bericht",
                                  nsmap={"ijw": BASE_NS, kind.prefix: kind.namespace})

    def _element(self, namespace: str, parent, name: str, value=None) -> etree._Element:
        element = etree.SubElement(parent, f"{{{namespace}}}{name}")
        if value is not None:
            element.text = _text(value)
        return element

    def add(self, parent, name: str, value=None) -> etree._Element:
        return self._element(self.kind.namespace, parent, name, value)

    def add_base(self, parent, name: str, value=None) -> etree._Element:
        return self._element(BASE_NS, parent, name, value)

    def header(self, *, sender: str, receiver: str, identification: str, day: date) -> None:
        header = self.add(self.root, "Header")
        self.add(header, "BerichtCode", self.kind.code)
        self.add(header, "BerichtVersie", VERSION)
        self.add(header, "BerichtSubversie", SUBVERSION)
        self.add(header, "Afzender", sender)
        self.add(header, "Ontvanger", receiver)
        identity = self.add(header, "BerichtIdentificatie")
        self.add_base(identity, "Identificatie", identification)
        self.add_base(identity, "Dagtekening", day)
        versions = self.add(header, "XsdVersie")
        self.add_base(versions, "BasisschemaXsdVersie", XSD_VERSION)
        self.add_base(versions, "BerichtXsdVersie", XSD_VERSION)

    def client(self, bsn: str, person=None, full_name: bool = False) -> etree._Element:
        """Client with its BSN and, given a `person` (birth_date, given_name, family_name),
        the birth date, gender and name; `full_name` for CDT_VolledigeNaam."""
        client = self.add(self.root, "Client")
        self.add(client, "Bsn", bsn)
        if person is not None:
            self.add_base(self.add(client, "Geboortedatum"), "Datum", person.birth_date)
            self.add(client, "Geslacht", GENDER_UNKNOWN)
            self._name(client, person.given_name, person.family_name, full_name)
        return client

    def _name(self, parent, given_name: str, family_name: str, full_name: bool) -> None:
        surname, prefix = split_family_name(family_name)
        name = self.add(parent, "Naam")
        family = self.add_base(name, "Geslachtsnaam")
        self.add_base(family, "Achternaam", surname)
        if prefix:
            self.add_base(family, "Voorvoegsel", prefix)
        if given_name.strip():
            self.add_base(name, "Voornamen", given_name.strip())
        if letters := initials(given_name):
            self.add_base(name, "Voorletters", letters)
        if full_name:
            self.add_base(name, "NaamGebruik", OWN_NAME)

    def product(self, parent, arrangement: Arrangement) -> None:
        product = self.add(parent, "Product")
        self.add_base(product, "Categorie", arrangement.product_category)
        self.add_base(product, "Code", arrangement.product_code)

    def amount(self, parent, cents: int) -> None:
        """Omvang of a result-based arrangement: the amount in euro cents, unit 83 (euro's),
        frequency 6 (total within the allocation period); see docs/ijw.md."""
        size = self.add(parent, "Omvang")
        self.add_base(size, "Volume", cents)
        self.add_base(size, "Eenheid", WJ756.EUROS)
        self.add_base(size, "Frequentie", WMO757.TOTAL_IN_PERIOD)

    def serialise(self) -> bytes:
        """UTF-8 without a byte order mark, lines ending in CR/LF (OP192)."""
        content = etree.tostring(self.root, xml_declaration=True, encoding="UTF-8",
                                 pretty_print=True)
        return content.replace(b"\n", b"\r\n")
