"""JW319 antwoord op een verzoek: the municipality's answer to a JW315 or JW317 it rejected.

A request the municipality approved is answered with the JW301 of the allocation that honours
it (its ReferentieAanbieder names the request, TR379); a JW319 after that would be refused
(TR359), and WJ760 has no value for an approval. So only a rejected request has a JW319:
VerzoekAntwoord 1 with the reason (WJ759, CD085). Reason 8 (residence principle) needs the
municipality responsible (Woonplaatsbeginsel, TR377), which the portal does not record: such
a rejection has no JW319 (the municipality tells the provider another way, OP090x2).
"""

from flask_babel import lazy_gettext as _l

from portal.domain.codes import WJ759, WJ760
from portal.domain.lists import RequestStatus, Role
from portal.ijw.building import Builder
from portal.ijw.exporting import Exporter
from portal.ijw.jw315 import reference as allocation_request_reference
from portal.ijw.jw317 import reference as change_request_reference
from portal.ijw.standard import KINDS
from portal.models import AllocationRequest, ChangeRequest


def _refusal(request):
    if request.status == RequestStatus.OPEN:
        return _l("Over dit verzoek is nog niet beslist; er is nog geen antwoordbericht.")
    if request.status == RequestStatus.APPROVED:
        return _l("Dit verzoek is toegekend: het antwoord is het toewijzingsbericht (JW301) "
                  "van de toewijzing.")
    if request.rejection_reason == WJ759.RESIDENCE_PRINCIPLE:
        return _l("Bij afwijzing wegens het woonplaatsbeginsel noemt het antwoordbericht de "
                  "verantwoordelijke gemeente (TR377); die legt het portaal niet vast.")
    if request.rejection_reason is None:
        return _l("Bij de afwijzing is geen reden (WJ759) vastgelegd; een antwoordbericht "
                  "noemt er een (CD085).")
    return None


def _body(reference):
    def body(builder: Builder, request) -> None:
        answer = builder.add(builder.root, "Antwoord")
        builder.add(answer, "ReferentieAanbieder", reference(request))
        builder.add(answer, "VerzoekAntwoord", WJ760.REJECTED)
        builder.add(answer, "RedenAfwijzingVerzoek", request.rejection_reason)
    return body


def _allocation_request_parties(request: AllocationRequest) -> tuple[str, str]:
    return request.municipality.cbs_code, request.provider.agb_code


def _change_request_parties(change: ChangeRequest) -> tuple[str, str]:
    trajectory = change.trajectory
    return trajectory.municipality.cbs_code, trajectory.provider.agb_code


ROLES = frozenset({Role.ACCESS_STAFF})
ALLOCATION_REQUEST_EXPORTER = Exporter(
    KINDS["JW319"], AllocationRequest, ROLES, _l("Antwoord op het verzoek (JW319)"), _refusal,
    _allocation_request_parties, _body(allocation_request_reference))
CHANGE_REQUEST_EXPORTER = Exporter(
    KINDS["JW319"], ChangeRequest, ROLES, _l("Antwoord op het verzoek (JW319)"), _refusal,
    _change_request_parties, _body(change_request_reference))
