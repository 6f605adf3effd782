"""What identifies an iJw 3.2 message: its namespace, BerichtCode, version and XSD file."""

from dataclasses import dataclass

RELEASE = "3_2"
VERSION, SUBVERSION = "3", "2"
BASE_NS = f"http://www.istandaarden.nl/ijw/{RELEASE}/basisschema/schema"
# The XSD versions the sample messages of release 3.2 carry in their header.
XSD_VERSION = "1.0.0"


@dataclass(frozen=True)
class MessageKind:
    name: str  # "JW301"
    code: str  # BerichtCode, "436"

    @property
    def prefix(self) -> str:
        return self.name.lower()

    @property
    def namespace(self) -> str:
        return f"http://www.istandaarden.nl/ijw/{RELEASE}/{self.prefix}/schema"

    @property
    def xsd_file(self) -> str:
        return f"{self.name}.xsd"


KINDS = {kind.name: kind for kind in (
    MessageKind("JW301", "436"),  # toewijzing
    MessageKind("JW302", "437"),
    MessageKind("JW305", "438"),  # start zorg
    MessageKind("JW306", "439"),
    MessageKind("JW307", "440"),  # stop zorg
    MessageKind("JW308", "441"),
    MessageKind("JW315", "446"),  # verzoek om toewijzing
    MessageKind("JW316", "447"),
    MessageKind("JW317", "486"),  # verzoek om wijziging
    MessageKind("JW318", "487"),
    MessageKind("JW319", "488"),  # antwoord op een verzoek
    MessageKind("JW320", "489"),
    MessageKind("JW323", "490"),  # declaratie
    MessageKind("JW325", "491"),  # declaratie-antwoord
)}
KIND_BY_NAMESPACE = {kind.namespace: kind for kind in KINDS.values()}
