"""JW315 verzoek om toewijzing: a provider asks the municipality for an allocation."""

from flask_babel import lazy_gettext as _l

from portal.domain.lists import PROVIDER_ROLES
from portal.domain.requests import CARE_PROVIDER_REFERRERS
from portal.domain.tariffs import tariff_on
from portal.ijw.building import Builder
from portal.ijw.exporting import Exporter
from portal.ijw.standard import KINDS
from portal.models import AllocationRequest


def reference(request: AllocationRequest) -> str:
    """ReferentieAanbieder: the provider's own reference to the request."""
    return f"VOT-{request.id}"


def _refusal(request: AllocationRequest):
    if (request.referrer in CARE_PROVIDER_REFERRERS and not request.referrer_code
            and not request.referrer_name):
        return _l("Van de verwijzer zijn geen AGB-code en geen naam bekend; een verzoek om "
                  "toewijzing noemt een van beide (CD067).")
    return None


def _parties(request: AllocationRequest) -> tuple[str, str]:
    return request.provider.agb_code, request.municipality.cbs_code


def _body(builder: Builder, request: AllocationRequest) -> None:
    client = builder.client(request.bsn, request)
    item = builder.add(builder.add(client, "AangevraagdeProducten"), "AangevraagdProduct")
    builder.add(item, "ReferentieAanbieder", reference(request))
    builder.product(item, request.arrangement)
    builder.add(item, "ToewijzingIngangsdatum", request.start_date)
    builder.add(item, "ToewijzingEinddatum", request.end_date)
    if tariff := tariff_on(request.arrangement, request.start_date):
        builder.amount(item, tariff.amount_cents)
    referrer = builder.add(item, "Verwijzer")
    builder.add_base(referrer, "Type", request.referrer)
    if request.referrer_name and not request.referrer_code:  # CD066: a code or a name
        builder.add_base(referrer, "Naam", request.referrer_name)
    if request.referrer_code:
        builder.add_base(referrer, "ZorgverlenerCode", request.referrer_code)
    builder.add(item, "Commentaar", request.motivation)


EXPORTER = Exporter(KINDS["JW315"], AllocationRequest, PROVIDER_ROLES,
                    _l("Verzoek om toewijzing (JW315)"), _refusal, _parties, _body)
