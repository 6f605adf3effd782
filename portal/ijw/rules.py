"""The iJw 3.2 rules on messages (TR, CD and CS), as a receiver in the chain checks them.

The rules that can be checked within one message come from the chain's own validation
stylesheet (portal/ijw/xslt/iJw32-regels.xsl, the standard's artefact), run on every message the
portal reads and writes. The rules it leaves out, because they need the portal's data
(berichtoverstijgend) or an outside source, are the functions below: one per rule, named after
its code, returning findings with the rule's return code.
"""

import threading
from collections import Counter
from datetime import date
from functools import lru_cache
from pathlib import Path

from flask_babel import lazy_gettext as _l
from lxml import etree

from portal.domain.codes import WJ001, WJ756
from portal.ijw.parsing import Message, element_path
from portal.ijw.report import Finding

STYLESHEET = Path(__file__).parent / "xslt" / "iJw32-regels.xsl"
REPORT_NS = "http://www.istandaarden.nl/validatie/1_1/rapport/schema"
# The return code of every rule in the stylesheet that names none (WJ001 0001).
TECHNICAL = "0001"
# Every allocation the portal makes or reads is an amount in euro cents: its unit (TR341).
ALLOCATION_UNIT = WJ756.EUROS
# What the rules the portal meets most say, for people reading a refusal.
RULE_TEXTS = {
    "CD007": _l("Taal is verplicht bij communicatievorm 1 (tolk) en anders leeg."),
    "CD041": _l("Een product met een productcode heeft een Omvang."),
    "CD060": _l("Een creditprestatie heeft een VorigReferentieNummer, een debetprestatie "
                "niet."),
    "CD067": _l("Een verwijzer van type 02-05 heeft een ZorgverlenerCode of een naam."),
    "CD077": _l("Budget mag niet samen met Omvang."),
    "CD078": _l("Omvang mag niet samen met Budget."),
    "CS002": _l("Het BSN voldoet aan de 11-proef."),
    "CS003": _l("De einddatum ligt niet voor de ingangsdatum."),
    "CS335": _l("Reden wijziging 13 (verwijderd) alleen als de einddatum gelijk is aan de "
                "ingangsdatum."),
    "CS336": _l("Reden wijziging 01 wordt niet gebruikt."),
    "CS337": _l("De productperiode ligt binnen één kalendermaand."),
    "CS338": _l("Bij eenheid 14, 16, 83 of 84 is de frequentie 2, 4 of 6."),
    "CS339": _l("Bij eenheid 83 (euro's) is het geleverde volume gelijk aan het ingediende "
                "bedrag."),
    "CS340": _l("De declaratieperiode is een kalendermaand."),
    "TR002": _l("De geboortedatum ligt niet meer dan 120 jaar voor de dagtekening."),
    "TR006": _l("Een contact heeft een telefoonnummer of een adres met huisnummer en "
                "postcode."),
    "TR061": _l("De cliënt heeft een contact van soort 01, 02 of 03 (adres)."),
    "TR018": _l("De einddatum ligt niet voor de begindatum."),
    "TR101": _l("Binnen een bericht zijn dubbele regels niet toegestaan."),
    "TR134": _l("Een datum ligt niet na de dagtekening van het bericht."),
    "TR137": _l("Een periode ligt vóór of op de dagtekening van het bericht (een maand wordt "
                "gedeclareerd als hij voorbij is)."),
    "TR302": _l("Een product komt alleen vaker in een toewijzingsbericht voor als de "
                "perioden elkaar niet overlappen."),
    "TR316": _l("Een debetprestatie mag niet in hetzelfde bericht worden gecrediteerd."),
    "TR342": _l("Het toegekende bedrag is het ingediende min dat van de afgewezen prestaties."),
    "TR358": _l("Het totaal ingediend bedrag is de som van de bedragen van de prestaties "
                "(debet min credit)."),
    "TR380": _l("De gewenste ingangsdatum ligt na de dagtekening van het bericht."),
    "TR416": _l("Eén debetprestatie per productperiode, productcategorie, productcode en "
                "toewijzing."),
}
# lxml's stylesheet is shared between requests; run it on one document at a time.
_RUNNING = threading.Lock()


@lru_cache(maxsize=1)
def _stylesheet() -> etree.XSLT:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return etree.XSLT(etree.parse(str(STYLESHEET), parser),
                      access_control=etree.XSLTAccessControl.DENY_ALL)


def _finding(rule: str | None, message, element: etree._Element | None, return_code: str,
             path: str | None = None) -> Finding:
    return Finding(str(message), element.sourceline if element is not None else None,
                   path or (element_path(element) if element is not None else None),
                   f"WJ001 {return_code}", rule)


def stylesheet_findings(root: etree._Element) -> list[Finding]:
    """What the chain's stylesheet finds wrong with a message (valid against its XSD); each
    finding at the first element the rule names."""
    with _RUNNING:
        report = _stylesheet()(root.getroottree())
    elements = {element_path(element): element for element in root.iter()
                if isinstance(element.tag, str)}
    findings = []
    for error in report.getroot().iter(f"{{{REPORT_NS}}}Fout"):
        rule = error.findtext(f"{{{REPORT_NS}}}Code", "").strip()
        places = [place.text or "" for place in error.findall(f"{{{REPORT_NS}}}Locatie")]
        text = RULE_TEXTS.get(rule) or _l("Het bericht voldoet niet aan regel %(rule)s van "
                                          "iJw 3.2.", rule=rule)
        findings.append(_finding(
            rule, _l("%(rule)s: %(text)s", rule=rule, text=text),
            elements.get(places[0]) if places else None,
            error.findtext(f"{{{REPORT_NS}}}Retourcode") or TECHNICAL,
            places[0] if places else None))
    return findings


# Named checks: rules the stylesheet leaves out. ----------------------------------------------


def TR135(message: Message, today: date) -> list[Finding]:
    """The Dagtekening is not in the future (8848)."""
    element = message.find("m:Header/m:BerichtIdentificatie/b:Dagtekening")
    day = (element.text or "").strip() if element is not None else ""
    # xs:date may carry a time zone ("2026-01-20+01:00"): the day is what counts.
    if element is None or day[:10] <= today.isoformat():
        return []
    return [_finding("TR135", _l("TR135: de dagtekening %(day)s ligt in de toekomst.",
                                 day=day), element, "8848")]


def TR346(message: Message, prestatie: etree._Element) -> list[Finding]:
    """IngediendBedrag = GeleverdVolume x ProductTarief unless the unit is euros (9346)."""
    unit = message.text("m:Eenheid", prestatie)
    tariff = message.text("m:ProductTarief", prestatie)
    if unit == WJ756.EUROS or tariff is None:
        return []
    volume = int(message.required_text("m:GeleverdVolume", prestatie))
    amount = int(message.required_text("m:IngediendBedrag/b:Bedrag", prestatie))
    if amount == volume * int(tariff):
        return []
    return [_finding("TR346", _l("TR346: het ingediende bedrag %(amount)s is niet het volume "
                                 "%(volume)s maal het tarief %(tariff)s.", amount=amount,
                                 volume=volume, tariff=tariff),
                     message.find("m:IngediendBedrag", prestatie), "9346")]


def TR341(message: Message, prestatie: etree._Element) -> list[Finding]:
    """The unit of a Prestatie is that of the allocation: euros in the portal (9341)."""
    unit = message.required_text("m:Eenheid", prestatie)
    if unit == ALLOCATION_UNIT:
        return []
    return [_finding("TR341", _l("TR341: eenheid %(unit)s past niet bij de eenheid van de "
                                 "toewijzing (%(allocated)s, euro's).", unit=unit,
                                 allocated=ALLOCATION_UNIT.value),
                     message.find("m:Eenheid", prestatie), "9341")]


def TR379(message: Message, product: etree._Element, known: bool) -> list[Finding]:
    """ReferentieAanbieder only on an allocation that honours a request of the provider for
    this child (`known`), else empty (9379)."""
    element = message.find("m:ReferentieAanbieder", product)
    if element is None or known:
        return []
    return [_finding("TR379", _l("TR379: ReferentieAanbieder %(reference)s verwijst niet naar "
                                 "een verzoek om toewijzing of wijziging van deze aanbieder "
                                 "voor dit kind.", reference=(element.text or "").strip()),
                     element, "9379")]


def TR333(message: Message, taken: bool) -> list[Finding]:
    """The DeclaratieNummer is unique for the provider (9333); `taken` when a declaration of
    the provider has it, compared as the messages write it (letters and digits only)."""
    if not taken:
        return []
    number = message.required_text("m:Declaratie/m:DeclaratieNummer")
    return [_finding("TR333", _l("TR333: declaratienummer %(number)s is al gebruikt.",
                                 number=number), message.find("m:Declaratie/m:DeclaratieNummer"),
                     WJ001.NUMBER_NOT_UNIQUE.value)]


# The stylesheet compares repeated items pairwise (TR101, TR302, TR416): its time grows with
# the square of their number (3-16 s for 1,000 Prestaties on the shared test machine), and
# with many repeats its report explodes (8 s for 250 identical ones). A message read is
# bounded before it runs: at most MAX_ITEMS items, and no key more often than a real message
# has it (a debit, its credit and the corrected debit of one period; a product allocated
# again and again over the years).
MAX_ITEMS = 1000
REPEATED = {"JW301": ("m:Client/m:ToegewezenProducten/m:ToegewezenProduct",
                      ("m:Product/b:Categorie", "m:Product/b:Code"), "TR302", 10),
            "JW323": ("m:Declaratie/m:Clienten/m:Client/m:Prestaties/m:Prestatie",
                      ("m:ToewijzingNummer", "m:ProductCategorie", "m:ProductCode",
                       "m:ProductPeriode/b:Begindatum"), "TR416", 3)}


def too_heavy(message: Message) -> list[Finding]:
    """A message with more repeated items than the stylesheet checks in reasonable time, or
    with one product repeated more often than its rule allows anyway."""
    if message.kind.name not in REPEATED:
        return []
    path, key_paths, rule, most_same = REPEATED[message.kind.name]
    items = message.findall(path)
    if len(items) > MAX_ITEMS:
        return [_finding(None, _l("Het bericht heeft %(count)s herhaalde onderdelen; het portaal "
                                  "leest er hoogstens %(most)s per bericht. Verdeel ze over "
                                  "meer berichten.", count=len(items), most=MAX_ITEMS),
                         message.root, TECHNICAL)]
    repeats = Counter(tuple(message.text(key, item) for key in key_paths) for item in items)
    if not repeats:
        return []
    key, count = repeats.most_common(1)[0]
    if count <= most_same:
        return []
    first = next(item for item in items
                 if tuple(message.text(k, item) for k in key_paths) == key)
    return [_finding(rule, _l("%(rule)s: hetzelfde product komt %(count)s keer voor in het "
                              "bericht (%(key)s).", rule=rule, count=count,
                              key=" ".join(part or "–" for part in key)),
                     first, TECHNICAL)]


def message_findings(message: Message, today: date) -> list[Finding]:
    """The rules every message read meets before its content is mapped: the stylesheet and
    TR135."""
    return too_heavy(message) or stylesheet_findings(message.root) + TR135(message, today)
