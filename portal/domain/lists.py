"""The portal's own vocabularies (not iJw): roles, states and measurement answers."""

from flask_babel import lazy_gettext as _l

from portal.domain.codes import CodeList


class Role(CodeList):
    PROVIDER_STAFF = "provider_staff", _l("Medewerker aanbieder")
    PROVIDER_ADMIN = "provider_admin", _l("Beheerder aanbieder")
    ACCESS_STAFF = "access_staff", _l("Medewerker toegang")
    REVIEWER = "reviewer", _l("Beoordelaar")
    CONTRACT_MANAGER = "contract_manager", _l("Contractbeheerder")
    ADMINISTRATOR = "administrator", _l("Functioneel beheerder")

    @property
    def organisation_kind(self) -> str:
        return ORGANISATION_KIND[self]

    @property
    def needs_two_factors(self) -> bool:
        return self.organisation_kind != "provider"


ORGANISATION_KIND = {
    Role.PROVIDER_STAFF: "provider",
    Role.PROVIDER_ADMIN: "provider",
    Role.ACCESS_STAFF: "municipality",
    Role.REVIEWER: "municipality",
    Role.CONTRACT_MANAGER: "region",
    Role.ADMINISTRATOR: "region",
}
PROVIDER_ROLES = frozenset(r for r, k in ORGANISATION_KIND.items() if k == "provider")
MUNICIPAL_ROLES = frozenset(r for r, k in ORGANISATION_KIND.items() if k == "municipality")
REGION_ROLES = frozenset(r for r, k in ORGANISATION_KIND.items() if k == "region")


class TrajectoryStatus(CodeList):
    ALLOCATED = "allocated", _l("Toegewezen")
    STARTED = "started", _l("Gestart")
    ENDED = "ended", _l("Beëindigd")


class RequestStatus(CodeList):
    OPEN = "open", _l("In behandeling")
    APPROVED = "approved", _l("Toegekend")
    REJECTED = "rejected", _l("Afgewezen")


class ActionStatus(CodeList):
    """An action agreed in a steering conversation."""

    OPEN = "open", _l("open")
    DONE = "done", _l("afgerond")


class Side(CodeList):
    """Which side of a steering conversation an action lies with."""

    REGION = "region", _l("Regio")
    PROVIDER = "provider", _l("Aanbieder")


class MessageDirection(CodeList):
    """An iJw message the portal received (imported) or produced (exported)."""

    IN = "in", _l("Ontvangen")
    OUT = "out", _l("Aangemaakt")


class LifeDomain(CodeList):
    EDUCATION_WORK = "education_work", _l("Onderwijs of werk")
    FAMILY = "family", _l("Gezin en opvoeding")
    HEALTH = "health", _l("Gezondheid")
    LEISURE = "leisure", _l("Vrije tijd en meedoen")
    SAFETY = "safety", _l("Veiligheid")
    HOUSING = "housing", _l("Wonen")


class MeasurementMoment(CodeList):
    START = "start", _l("Begin")
    INTERIM = "interim", _l("Tussentijds")
    END = "end", _l("Einde")


class Informant(CodeList):
    YOUNG_PERSON = "young_person", _l("Jongere")
    PARENT = "parent", _l("Ouder of verzorger")


class MeasurementStatus(CodeList):
    SUBMITTED = "submitted", _l("Ingediend")
    ACCEPTED = "accepted", _l("Geaccepteerd")
    EXPLANATION_REQUESTED = "explanation_requested", _l("Toelichting gevraagd")


class TreatmentResult(CodeList):
    SOLVED = "solved", _l("Problemen opgelost")
    REDUCED = "reduced", _l("Problemen verminderd")
    UNCHANGED = "unchanged", _l("Problemen onveranderd")
    WORSE = "worse", _l("Problemen verergerd")


class YesNoUnknown(CodeList):
    YES = "yes", _l("Ja")
    NO = "no", _l("Nee")
    UNKNOWN = "unknown", _l("Onbekend")


class GoalScore(CodeList):
    ACHIEVED = "achieved", _l("Behaald")
    PARTLY = "partly", _l("Gedeeltelijk behaald")
    NOT_ACHIEVED = "not_achieved", _l("Niet behaald")


class WithoutHelp(CodeList):
    """CBS 'zonder hulp verder' answers 01-04 (domain.md 7, 3.1)."""

    SAME_OR_HEAVIER = "01", _l("Heeft dezelfde of zwaardere hulp nodig")
    LIGHTER = "02", _l("Kan verder met lichtere hulp")
    NONE_NOW = "03", _l("Nu geen hulp, verwacht later weer hulp te vragen")
    NONE = "04", _l("Heeft geen verdere hulp nodig")


class DeclarationStatus(CodeList):
    CONCEPT = "concept", _l("Concept")
    SUBMITTED = "submitted", _l("Ingediend")
    ANSWERED = "answered", _l("Beantwoord")


class LineStatus(CodeList):
    CONCEPT = "concept", _l("Concept")
    SUBMITTED = "submitted", _l("Ingediend")
    APPROVED = "approved", _l("Goedgekeurd")
    REJECTED = "rejected", _l("Afgekeurd")


class Tranche(CodeList):
    START = "start", _l("Starttranche")
    END = "end", _l("Eindtranche")


class EarlyEndRule(CodeList):
    """How the end tranche is paid when a trajectory ends early."""

    PRO_RATA = "pro_rata", _l("Naar rato van de geplande periode")
    FULL = "full", _l("Volledig")
    NONE = "none", _l("Geen eindtranche")


class StatementKind(CodeList):
    CONTRACT = "contract", _l("Contractoverzicht")
    DECLARATION = "declaration", _l("Declaratieoverzicht")
    CONVERSATION = "conversation", _l("Verslag sturingsgesprek")


class FamilyChoice(CodeList):
    """Whether the provider was the family's own choice (keuze van de ouders/jeugdige)."""

    YES = "yes", _l("Ja, keuze van de ouders of jeugdige")
    NO = "no", _l("Nee")
    UNKNOWN = "unknown", _l("Onbekend")


class NotChosenReason(CodeList):
    """Why the provider was not the family's own choice; ANDERS needs a text."""

    WAITING_TIME = "wachttijd", _l("Wachttijd bij de aanbieder van voorkeur")
    SPECIALISM = "specialisme", _l("Specialisme nodig")
    NO_OFFER_NEARBY = "geen_aanbod", _l("Geen passend aanbod in de buurt")
    CRISIS = "crisis", _l("Crisis")
    OTHER = "anders", _l("Anders")
