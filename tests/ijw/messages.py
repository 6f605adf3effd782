"""Hand-written iJw messages for the tests, independent of the portal's own builder."""

from tests.conftest import IJW_SAMPLES as SAMPLES

BASE = "http://www.istandaarden.nl/ijw/3_2/basisschema/schema"


def sample(name: str) -> bytes:
    return (SAMPLES / f"{name}.xml").read_bytes()


OMVANG = ("<jw301:Omvang><ijw:Volume>1000000</ijw:Volume><ijw:Eenheid>83</ijw:Eenheid>"
          "<ijw:Frequentie>6</ijw:Frequentie></jw301:Omvang>")
ADDRESS = ("<jw301:Contact><jw301:Soort>01</jw301:Soort><jw301:Adres><ijw:Huis>"
           "<ijw:Huisnummer>12</ijw:Huisnummer></ijw:Huis><ijw:Postcode>2511AA</ijw:Postcode>"
           "<ijw:Plaatsnaam>Den Haag</ijw:Plaatsnaam><ijw:LandCode>NL</ijw:LandCode>"
           "</jw301:Adres></jw301:Contact>")


def product(number: int, code: str = "01M", *, category: str = "45",
            start: str = "2026-02-01", end: str | None = "2026-07-31",
            reason: str | None = None, size: str = OMVANG, referentie: str | None = None,
            allocated_on: str = "2026-01-20") -> str:
    """A ToegewezenProduct that keeps the rules (an Omvang in euros for the whole period)."""
    return f"""
      <jw301:ToegewezenProduct>
        <jw301:ToewijzingNummer>{number}</jw301:ToewijzingNummer>
        {f"<jw301:ReferentieAanbieder>{referentie}</jw301:ReferentieAanbieder>"
         if referentie else ""}
        <jw301:Product><ijw:Categorie>{category}</ijw:Categorie><ijw:Code>{code}</ijw:Code></jw301:Product>
        <jw301:Toewijzingsdatum>{allocated_on}</jw301:Toewijzingsdatum>
        <jw301:Toewijzingstijd>09:30:00</jw301:Toewijzingstijd>
        <jw301:Ingangsdatum>{start}</jw301:Ingangsdatum>
        {f"<jw301:Einddatum>{end}</jw301:Einddatum>" if end else ""}
        {f"<jw301:RedenWijziging>{reason}</jw301:RedenWijziging>" if reason else ""}
        {size}
      </jw301:ToegewezenProduct>"""


def jw301(*products: str, sender: str = "0518", receiver: str, bsn: str,
          identification: str = "T1", birth_date: str = "2015-05-17",
          surname: str = "Berg", prefix: str | None = "van der",
          given_names: str | None = "Sanne Eva", version: str = "3", day: str = "2026-01-20",
          contact: str = ADDRESS, communication: str = "") -> bytes:
    """A JW301 from municipality `sender` to the provider with AGB code `receiver`."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<jw301:Bericht xmlns:ijw="{BASE}" xmlns:jw301="http://www.istandaarden.nl/ijw/3_2/jw301/schema">
  <jw301:Header>
    <jw301:BerichtCode>436</jw301:BerichtCode>
    <jw301:BerichtVersie>{version}</jw301:BerichtVersie>
    <jw301:BerichtSubversie>2</jw301:BerichtSubversie>
    <jw301:Afzender>{sender}</jw301:Afzender>
    <jw301:Ontvanger>{receiver}</jw301:Ontvanger>
    <jw301:BerichtIdentificatie>
      <ijw:Identificatie>{identification}</ijw:Identificatie>
      <ijw:Dagtekening>{day}</ijw:Dagtekening>
    </jw301:BerichtIdentificatie>
    <jw301:XsdVersie>
      <ijw:BasisschemaXsdVersie>1.0.0</ijw:BasisschemaXsdVersie>
      <ijw:BerichtXsdVersie>1.0.0</ijw:BerichtXsdVersie>
    </jw301:XsdVersie>
  </jw301:Header>
  <jw301:Client>
    <jw301:Bsn>{bsn}</jw301:Bsn>
    <jw301:Geboortedatum><ijw:Datum>{birth_date}</ijw:Datum></jw301:Geboortedatum>
    <jw301:Geslacht>0</jw301:Geslacht>
    <jw301:Naam>
      <ijw:Geslachtsnaam>
        <ijw:Achternaam>{surname}</ijw:Achternaam>
        {f"<ijw:Voorvoegsel>{prefix}</ijw:Voorvoegsel>" if prefix else ""}
      </ijw:Geslachtsnaam>
      {f"<ijw:Voornamen>{given_names}</ijw:Voornamen>" if given_names else ""}
      <ijw:Voorletters>SE</ijw:Voorletters>
      <ijw:NaamGebruik>1</ijw:NaamGebruik>
    </jw301:Naam>
    {communication}
    <jw301:Contactgegevens>{contact}</jw301:Contactgegevens>
    <jw301:ToegewezenProducten>{"".join(products)}
    </jw301:ToegewezenProducten>
  </jw301:Client>
</jw301:Bericht>
""".encode()


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<jw301:Bericht xmlns:jw301="http://www.istandaarden.nl/ijw/3_2/jw301/schema">&lol9;</jw301:Bericht>
"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE jw301:Bericht [<!ENTITY passwd SYSTEM "file:///etc/passwd">]>
<jw301:Bericht xmlns:jw301="http://www.istandaarden.nl/ijw/3_2/jw301/schema">&passwd;</jw301:Bericht>
"""
