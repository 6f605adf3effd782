"""Answer messages for messages received (OP090): JW302, JW306, JW308, JW316, JW318, JW320 and
the JW325 of a JW323 refused whole (OP090x4).

A retour message is the received message in the answer's namespace, its header extended with
the answer's own identification and date, and RetourCodes on every class the answer's XSD
gives them: the return codes of what the portal refused in that class, else 0200 (no remark).
The portal reads a message all or nothing, so a class without remark may still not have been
stored; the codes say where the refusal lies. A message that fails its XSD is answered with
the header alone (the body is optional in every answer) and 0001.
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from lxml import etree

from portal.domain.lists import MessageDirection
from portal.extensions import db
from portal.formatting import AMSTERDAM
from portal.ijw.parsing import (
    MessageRefused,
    element_path,
    identify,
    parse_xml,
    schema_findings,
    xsd_dir,
)
from portal.ijw.report import Finding
from portal.ijw.rules import stylesheet_findings
from portal.ijw.standard import (
    BASE_NS,
    KINDS,
    SUBVERSION,
    VERSION,
    XSD_VERSION,
    MessageKind,
)
from portal.models import IjwMessage

# The retour message of each message that has one (OP090), by the message it answers.
RETOUR_KINDS = {"JW301": "JW302", "JW305": "JW306", "JW307": "JW308", "JW315": "JW316",
                "JW317": "JW318", "JW319": "JW320"}
ANSWER_KINDS = frozenset((*RETOUR_KINDS.values(), "JW325"))
TECHNICAL, NO_REMARK = "0001", "0200"
_XS = "{http://www.w3.org/2001/XMLSchema}"


@dataclass(frozen=True)
class Answer:
    kind: MessageKind
    identification: str
    content: bytes
    record: IjwMessage

    @property
    def filename(self) -> str:
        return f"{self.kind.name}_{self.identification}.xml"


def return_code(finding: Finding) -> str:
    """The WJ001 code of a finding; a refusal without one (a portal rule) is 0001."""
    scheme, _sep, value = (finding.code or "").partition(" ")
    return value if scheme == "WJ001" and value else TECHNICAL


@lru_cache(maxsize=16)
def _classes(kind: MessageKind) -> frozenset[str]:
    """Names of the elements that carry RetourCodes in the answer `kind`, from its XSD."""
    schema = etree.parse(str(_configured_xsd_dir() / kind.xsd_file))
    types = {complex_type.get("name") for complex_type in schema.iter(f"{_XS}complexType")
             if any(element.get("name") == "RetourCodes"
                    for element in complex_type.iter(f"{_XS}element"))}
    return frozenset(name for element in schema.iter(f"{_XS}element")
                     if (name := element.get("name"))
                     and (element.get("type") or "").partition(":")[2] in types)


def _configured_xsd_dir() -> Path:
    """The XSDs' folder: answers are only made where it is configured (answer_for)."""
    directory = xsd_dir()
    if directory is None:
        raise LookupError("IJW_XSD_DIR is not configured")
    return directory


def _child(parent: etree._Element, tag: str) -> etree._Element:
    """A child the schema requires of a part copied from a valid message."""
    child = parent.find(tag)
    if child is None:
        raise LookupError(f"{tag} is missing from {parent.tag!r}")
    return child


def _namespace(element: etree._Element) -> str:
    """The namespace of a part of an iJw message: every part has one."""
    namespace = etree.QName(element).namespace
    if namespace is None:
        raise LookupError(f"{element.tag!r} has no namespace")
    return namespace


def _owner(path: str | None, classes: frozenset[str]) -> str:
    """The path of the class a finding at `path` belongs to: the deepest class on the path,
    the Header when there is none."""
    steps = (path or "").strip("/").split("/")
    for end in range(len(steps), 1, -1):
        if steps[end - 1].split("[")[0] in classes:
            return "/" + "/".join(steps[:end])
    return "/Bericht/Header"


def _codes(parent, namespace: str, codes: list[str]) -> None:
    holder = etree.SubElement(parent, f"{{{namespace}}}RetourCodes")
    for code in dict.fromkeys(codes):  # each code once, in order
        etree.SubElement(holder, f"{{{namespace}}}RetourCode").text = code


def build_retour(received: etree._Element, kind: MessageKind, answer: MessageKind,
                 findings: list[Finding], identification: str, day, *,
                 body: bool = True) -> etree._Element:
    """The retour message `answer` for the received message `received` of `kind`."""
    classes = _classes(answer)
    by_class: dict[str, list[str]] = {}
    for finding in findings:
        by_class.setdefault(_owner(finding.path, classes), []).append(return_code(finding))
    root = etree.Element(f"{{{answer.namespace}}}Bericht",
                         nsmap={"ijw": BASE_NS, answer.prefix: answer.namespace})
    for child in received:
        if isinstance(child.tag, str) and (body or etree.QName(child).localname == "Header"):
            root.append(_copy_with_codes(child, kind.namespace, answer.namespace, classes,
                                         by_class))
    header = _child(root, f"{{{answer.namespace}}}Header")
    _child(header, f"{{{answer.namespace}}}BerichtCode").text = answer.code
    versions = _child(header, f"{{{answer.namespace}}}XsdVersie")
    place = list(header).index(versions) + 1
    for offset, (name, value) in enumerate((("IdentificatieRetour", identification),
                                            ("DagtekeningRetour", day.isoformat()))):
        element = etree.Element(f"{{{answer.namespace}}}{name}")
        element.text = value
        header.insert(place + offset, element)
    retour_versions = etree.Element(f"{{{answer.namespace}}}XsdVersieRetour")
    for name in ("BasisschemaXsdVersie", "BerichtXsdVersie"):
        etree.SubElement(retour_versions, f"{{{BASE_NS}}}{name}").text = XSD_VERSION
    header.insert(place + 2, retour_versions)
    header_codes = (by_class.get("/Bericht/Header", []) if body
                    else [return_code(finding) for finding in findings] or [TECHNICAL])
    if header_codes:
        _codes(header, answer.namespace, header_codes)
    return root


def _copy_with_codes(element, source: str, target: str, classes, by_class) -> etree._Element:
    """A copy of `element` in the answer's namespace, RetourCodes closing every class."""
    qname = etree.QName(element)
    namespace = target if qname.namespace == source else qname.namespace
    copy = etree.Element(f"{{{namespace}}}{qname.localname}")
    if element.text and element.text.strip():  # layout whitespace goes; pretty_print redoes it
        copy.text = element.text
    for child in element:
        if isinstance(child.tag, str):
            copy.append(_copy_with_codes(child, source, target, classes, by_class))
    if qname.localname in classes and qname.localname != "Header":
        _codes(copy, target, by_class.get(element_path(element)) or [NO_REMARK])
    return copy


DECLARATION_CLASSES = frozenset({"Declaratie", "Client", "Prestatie"})


def _sub(parent, namespace: str, name: str, text: str | None = None) -> etree._Element:
    element = etree.SubElement(parent, f"{{{namespace}}}{name}")
    if text is not None:
        element.text = text
    return element


def _copy_base(parent, element) -> None:
    """A copy of a part in the basisschema's namespace (identification, versions, amounts)."""
    for child in element:
        if isinstance(child.tag, str):
            _sub(parent, _namespace(child), etree.QName(child).localname,
                 child.text.strip() if child.text and child.text.strip() else None)


def build_declaration_refusal(received: etree._Element, findings: list[Finding],
                              identification: str, day, *, body: bool = True) -> etree._Element:
    """The JW325 for a JW323 the portal refused whole (OP090x4): every Prestatie is listed as
    rejected, with its own return codes or 0200, the header and the DeclaratieAntwoord with
    theirs; nothing is awarded. DeclaratieIdentificatie is the JW323's (IV087)."""
    source, answer = KINDS["JW323"].namespace, KINDS["JW325"]
    target = answer.namespace
    by_class: dict[str, list[str]] = {}
    for finding in findings:
        by_class.setdefault(_owner(finding.path, DECLARATION_CLASSES), []).append(
            return_code(finding))

    def find(path: str, context=received):
        return context.find(path, {"m": source})

    root = etree.Element(f"{{{target}}}Bericht", nsmap={"ijw": BASE_NS, answer.prefix: target})
    header = _sub(root, target, "Header")
    for name, value in (("BerichtCode", answer.code), ("BerichtVersie", VERSION),
                        ("BerichtSubversie", SUBVERSION),
                        ("Afzender", find("m:Header/m:Ontvanger").text.strip()),
                        ("Ontvanger", find("m:Header/m:Afzender").text.strip())):
        _sub(header, target, name, value)
    own = _sub(header, target, "BerichtIdentificatie")
    _sub(own, BASE_NS, "Identificatie", identification)
    _sub(own, BASE_NS, "Dagtekening", day.isoformat())
    versions = _sub(header, target, "XsdVersie")
    _sub(versions, BASE_NS, "BasisschemaXsdVersie", XSD_VERSION)
    _sub(versions, BASE_NS, "BerichtXsdVersie", XSD_VERSION)
    _copy_base(_sub(header, target, "DeclaratieIdentificatie"),
               find("m:Header/m:BerichtIdentificatie"))
    _copy_base(_sub(header, target, "XsdVersieDeclaratie"), find("m:Header/m:XsdVersie"))
    everything = [return_code(finding) for finding in findings] or [TECHNICAL]
    _codes(header, target, (by_class.get("/Bericht/Header") or [NO_REMARK]) if body
           else everything)
    if not body:
        return root
    declaration = find("m:Declaratie")
    answered = _sub(root, target, "DeclaratieAntwoord")
    _sub(answered, target, "DeclaratieNummer", find("m:DeclaratieNummer", declaration).text)
    _copy_base(_sub(answered, target, "TotaalIngediendBedrag"),
               find("m:TotaalIngediendBedrag", declaration))
    awarded = _sub(answered, target, "TotaalToegekendBedrag")
    _sub(awarded, BASE_NS, "TotaalBedrag", "0")
    _sub(awarded, BASE_NS, "DebetCredit", "D")
    clients = _sub(answered, target, "Clienten")
    for client in declaration.findall("m:Clienten/m:Client", {"m": source}):
        clients.append(_copy_with_codes(client, source, target, frozenset({"Client",
                                                                           "Prestatie"}),
                                        by_class))
    _codes(answered, target, by_class.get("/Bericht/Declaratie") or [NO_REMARK])
    return root


def _valid(root: etree._Element, kind: MessageKind) -> bool:
    try:
        return (not schema_findings(root, kind, _configured_xsd_dir())
                and not stylesheet_findings(root))
    except MessageRefused:
        return False


def answer_for(data: bytes, findings: list[Finding], actor_id: int | None) -> Answer | None:
    """The retour message for the message `data`, refusing what `findings` name; None when
    `data` has no retour message or no readable header (OP090x2: the sender hears it
    another way, on the screen or in the door's error)."""
    directory = xsd_dir()
    if directory is None:
        return None
    try:
        received = parse_xml(data)
        kind = identify(received)
    except MessageRefused:
        return None
    declaration = kind.name == "JW323"
    if not (kind.name in RETOUR_KINDS or (declaration and findings)):
        return None  # an accepted JW323 is answered by the JW325 after review
    answer = KINDS["JW325"] if declaration else KINDS[RETOUR_KINDS[kind.name]]
    valid_body = not schema_findings(received, kind, directory)
    namespace = {"m": kind.namespace}
    sender = received.findtext("m:Header/m:Afzender", "", namespace).strip()
    receiver = received.findtext("m:Header/m:Ontvanger", "", namespace).strip()
    day = datetime.now(AMSTERDAM).date()
    stored = IjwMessage(direction=MessageDirection.OUT, kind=answer.name, sender=receiver[:8],
                        receiver=sender[:8], actor_id=actor_id, dagtekening=day)
    db.session.add(stored)
    db.session.flush()
    stored.identification = f"{stored.id:012d}"
    for body in (True, False) if valid_body else (False,):
        root = (build_declaration_refusal(received, findings, stored.identification, day,
                                          body=body) if declaration else
                build_retour(received, kind, answer, findings, stored.identification, day,
                             body=body))
        if _valid(root, answer):
            content = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                     pretty_print=True).replace(b"\n", b"\r\n")
            stored.sha256 = hashlib.sha256(content).hexdigest()
            stored.content = content
            return Answer(answer, stored.identification, content, stored)
    db.session.delete(stored)
    db.session.flush()
    return None
