"""Reading an iJw message safely and checking it against its XSD.

No DTD is loaded, no entity is expanded and nothing is fetched from the network; a file with
a DOCTYPE is refused before it is parsed (XML bombs, external entities). What is wrong is
reported as findings that point at a line and an element of the file.
"""

import hashlib
import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import NoReturn

from flask import current_app
from flask_babel import lazy_gettext as _l
from lxml import etree

from portal.domain import code_label
from portal.domain.codes import WJ001
from portal.ijw.report import Finding
from portal.ijw.standard import BASE_NS, KIND_BY_NAMESPACE, SUBVERSION, VERSION, MessageKind

MAX_BYTES = 8 * 1024 * 1024
MAX_SCHEMA_FINDINGS = 100  # a report people can read; the rest is counted
# A DOCTYPE as it appears in the encodings an XML file may declare itself in.
_DOCTYPE = tuple("<!DOCTYPE".encode(encoding) for encoding in ("utf-8", "utf-16-le",
                                                                "utf-16-be"))
_NAMESPACE = re.compile(r"\{[^}]*\}")
_PREFIX = re.compile(r"\b[\w.-]+:")
# lxml's schema objects are shared between requests; validate one document at a time.
_VALIDATION = threading.Lock()


class MessageRefused(Exception):
    def __init__(self, findings: list[Finding]):
        super().__init__("; ".join(f.message for f in findings))
        self.findings = findings


def _refuse(message, line: int | None = None, path: str | None = None,
            code=WJ001.TECHNICAL) -> NoReturn:
    raise MessageRefused([Finding(str(message), line, path, code_label(code))])


def _parser() -> etree.XMLParser:
    # A parser is not thread-safe, so each message gets its own.
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           huge_tree=False, dtd_validation=False)


DOCTYPE_REFUSED = _l("Het bestand bevat een DOCTYPE-declaratie. Een iJw-bericht heeft die "
                     "niet; om veiligheidsredenen (entiteiten, externe verwijzingen) wordt het "
                     "bestand niet gelezen.")


_UTF8_BOM = b"\xef\xbb\xbf"
_DECLARED_ENCODING = re.compile(rb"""\s*<\?xml[^>]*?encoding\s*=\s*["']([\w.-]+)["']""")


def _check_encoding(data: bytes) -> None:
    """OP192: a message is UTF-8. Anything else is refused before it is parsed (OP047): a
    declared other encoding, bytes that are no UTF-8, or NUL bytes (UTF-16 without a BOM)."""
    body = data.removeprefix(_UTF8_BOM)
    declared = _DECLARED_ENCODING.match(body)
    if declared and declared.group(1).decode().lower() not in ("utf-8", "utf8"):
        _refuse(_l("Het bericht is gecodeerd in %(encoding)s; iJw-berichten zijn UTF-8 "
                   "(OP192).", encoding=declared.group(1).decode()[:20]), line=1)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        _refuse(_l("Het bericht is geen UTF-8 (OP192): ongeldige tekens in regel %(line)s.",
                   line=body[:error.start].count(b"\n") + 1),
                line=body[:error.start].count(b"\n") + 1)
    if "\x00" in text:
        _refuse(_l("Het bericht is geen UTF-8 (OP192)."), line=1)


def encoding_warnings(data: bytes) -> list[Finding]:
    """What OP192 asks of a sender that the portal accepts anyway (OP047 allows, does not
    require, a refusal): a byte order mark, line ends other than CR/LF."""
    warnings = []
    if data.startswith(_UTF8_BOM):
        warnings.append(Finding(str(_l("Het bericht begint met een byte order mark (BOM); "
                                       "OP192 schrijft UTF-8 zonder BOM voor. Het bericht is "
                                       "toch gelezen.")), 1, None, None, "OP192"))
    if data.count(b"\n") != data.count(b"\r\n"):
        warnings.append(Finding(str(_l("De regels van het bericht eindigen niet op CR/LF, "
                                       "zoals OP192 voorschrijft. Het bericht is toch "
                                       "gelezen.")), None, None, None, "OP192"))
    return warnings


def parse_xml(data: bytes) -> etree._Element:
    if len(data) > MAX_BYTES:
        _refuse(_l("Het bestand is groter dan 8 MB en wordt niet gelezen."))
    if any(marker in data for marker in _DOCTYPE):
        _refuse(DOCTYPE_REFUSED)
    _check_encoding(data)
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as error:
        _refuse(_l("Het bestand is geen geldige XML: %(detail)s", detail=error.msg),
                line=error.lineno)
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        _refuse(DOCTYPE_REFUSED)
    return root


def element_path(element: etree._Element) -> str:
    """'/Bericht/Client/ToegewezenProducten/ToegewezenProduct[2]/Product/Code'."""
    steps = []
    current: etree._Element | None = element
    while current is not None:
        name = etree.QName(current).localname
        parent = current.getparent()
        if parent is not None:
            same = [e for e in parent if e.tag == current.tag]
            if len(same) > 1:
                name += f"[{same.index(current) + 1}]"
        steps.append(name)
        current = parent
    return "/" + "/".join(reversed(steps))


@dataclass(frozen=True)
class Message:
    """A parsed message of a known kind; paths use `m:` (the message) and `b:` (basisschema)."""

    kind: MessageKind
    root: etree._Element
    data: bytes

    @property
    def namespaces(self) -> dict[str, str]:
        return {"m": self.kind.namespace, "b": BASE_NS}

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    def find(self, path: str, context: etree._Element | None = None) -> etree._Element | None:
        return (self.root if context is None else context).find(path, self.namespaces)

    def findall(self, path: str, context: etree._Element | None = None) -> list:
        return (self.root if context is None else context).findall(path, self.namespaces)

    def text(self, path: str, context: etree._Element | None = None) -> str | None:
        element = self.find(path, context)
        return element.text.strip() if element is not None and element.text else None

    def required_text(self, path: str, context: etree._Element | None = None) -> str:
        """The text of an element the schema requires: reading checked it is there."""
        text = self.text(path, context)
        if text is None:
            raise LookupError(f"{path} is missing from a {self.kind.name} the schema passed")
        return text

    def header(self, name: str) -> str | None:
        return self.text(f"m:Header/m:{name}")

    @property
    def sender(self) -> str:
        return self.header("Afzender") or ""

    @property
    def receiver(self) -> str:
        return self.header("Ontvanger") or ""

    @property
    def identification(self) -> str:
        return self.text("m:Header/m:BerichtIdentificatie/b:Identificatie") or ""

    def finding(self, message, element: etree._Element | None, code=None) -> Finding:
        """A finding at `element` (the root when None); `code` is a code list member."""
        element = self.root if element is None else element
        return Finding(str(message), element.sourceline, element_path(element),
                       code_label(code))


def identify(root: etree._Element) -> MessageKind:
    """The kind of message, from the root element's namespace and the header's version."""
    name = etree.QName(root)
    kind = KIND_BY_NAMESPACE.get(name.namespace or "")
    if kind is None or name.localname != "Bericht":
        if name.namespace and "istandaarden.nl" in name.namespace:
            _refuse(_l("Dit is geen bericht van iJw-release 3.2 (namespace %(namespace)s). Het "
                       "portaal verwerkt alleen iJw 3.2.", namespace=name.namespace),
                    line=root.sourceline, path=element_path(root))
        _refuse(_l("Dit is geen iJw-bericht: het hoofdelement is %(element)s (namespace "
                   "%(namespace)s).", element=name.localname,
                   namespace=name.namespace or "–"),
                line=root.sourceline, path=element_path(root))
    header = root.find(f"{{{kind.namespace}}}Header")
    values = [header.findtext(f"{{{kind.namespace}}}{field}", "").strip()
              if header is not None else ""
              for field in ("BerichtCode", "BerichtVersie", "BerichtSubversie")]
    if values != [kind.code, VERSION, SUBVERSION]:
        _refuse(_l("De kop past niet bij %(kind)s van iJw 3.2: BerichtCode %(code)s, versie "
                   "%(version)s.%(subversion)s (verwacht: BerichtCode %(expected)s, versie "
                   "3.2).", kind=kind.name, code=values[0] or "–", version=values[1] or "–",
                   subversion=values[2] or "–", expected=kind.code),
                line=(header if header is not None else root).sourceline,
                path=element_path(header if header is not None else root))
    return kind


def xsd_dir() -> Path | None:
    configured = current_app.config.get("IJW_XSD_DIR")
    return Path(configured) if configured else None


@lru_cache(maxsize=32)
def _schema(directory: str, file_name: str) -> etree.XMLSchema:
    document = etree.parse(str(Path(directory) / file_name), _parser())
    return etree.XMLSchema(document)


def schema_for(kind: MessageKind, directory: Path) -> etree.XMLSchema:
    try:
        return _schema(str(directory.resolve()), kind.xsd_file)
    except (OSError, etree.XMLSyntaxError, etree.XMLSchemaParseError):
        _refuse(_l("Het XSD-schema %(file)s kan niet worden gelezen uit %(directory)s.",
                   file=kind.xsd_file, directory=str(directory)), code=None)


def schema_findings(root: etree._Element, kind: MessageKind, directory: Path) -> list[Finding]:
    """What the XSD of `kind` finds wrong with the document; empty when it is valid."""
    schema = schema_for(kind, directory)
    with _VALIDATION:
        if schema.validate(root.getroottree()):
            return []
        errors = list(schema.error_log)
    findings = [Finding(str(_l("Voldoet niet aan het XSD-schema: %(detail)s",
                               detail=_NAMESPACE.sub("", error.message))),
                        error.line, _PREFIX.sub("", error.path or "") or None,
                        code_label(WJ001.TECHNICAL))
                for error in errors[:MAX_SCHEMA_FINDINGS]]
    if len(errors) > MAX_SCHEMA_FINDINGS:
        findings.append(Finding(str(_l("En nog %(count)s fouten tegen het XSD-schema.",
                                       count=len(errors) - MAX_SCHEMA_FINDINGS)),
                                code=code_label(WJ001.TECHNICAL)))
    return findings


XSD_MISSING = _l("Er is geen map met de XSD-schema's van iJw 3.2 ingesteld "
                 "(PORTAL_IJW_XSD_DIR). Zonder controle tegen het schema wordt geen bericht "
                 "ingelezen.")


def read_message(data: bytes) -> Message:
    """Parse, identify and validate a message; MessageRefused tells what is wrong."""
    directory = xsd_dir()
    if directory is None:
        _refuse(XSD_MISSING, code=None)
    root = parse_xml(data)
    kind = identify(root)
    findings = schema_findings(root, kind, directory)
    if findings:
        raise MessageRefused(findings)
    return Message(kind, root, data)
