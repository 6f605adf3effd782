"""The iJw 3.2 code lists the portal uses, with their Dutch descriptions verbatim.

Source: ../shared/ijw/codelijsten/. Each list is an Enum whose value is the iJw code
(a string, leading zeros kept) and whose `label` is the description from the list.
"""

from collections.abc import Iterable
from enum import StrEnum
from typing import Self

from flask_babel import lazy_gettext as _l


class CodeList(StrEnum):
    """A StrEnum with a Dutch label; `value` is the code as it travels in iJw messages."""

    label: str  # a lazily translated string; not a member, since it has no value

    # Called with (code, label) for each member as the class is built. Once built, a call with
    # the code alone, `JZ588("02")`, looks the member up: hence the label's default.
    def __new__(cls, code: str, label: str = "") -> Self:
        member = str.__new__(cls, code)
        member._value_ = code
        member.label = label
        return member

    @classmethod
    def choices(cls, members: Iterable[Self] | None = None) -> list[tuple[str, str]]:
        return [(m.value, f"{m.value} {m.label}") for m in (members or cls)]


class JZ588(CodeList):
    """Reden beëindiging: why the care ended (JW307)."""

    DECEASED = "02", _l("Overlijden")
    TEMPORARY = "20", _l("Levering is tijdelijk beëindigd")
    ACCORDING_TO_PLAN = "31", _l("Levering is volgens plan beëindigd")
    EARLY_BY_CLIENT = "32", _l("Voortijdig afgesloten, door cliënt")
    EARLY_BY_PROVIDER = "33", _l("Voortijdig afgesloten, door aanbieder")
    EARLY_BY_AGREEMENT = "34", _l("Voortijdig afgesloten, in overleg")
    EARLY_EXTERNAL = "35", _l("Voortijdig afgesloten, externe oorzaak")
    BY_MUNICIPALITY = "36", _l("Geïnitieerd door de gemeente")
    CHANGE_REQUEST = "37", _l("In verband met wijzigingsverzoek")
    OTHER_PROVIDER = "38", _l("Overstap naar andere aanbieder")
    OTHER_DOMAIN = "39", _l("Uitstroom naar ander domein")


class JZ002(CodeList):
    """Reden wijziging toewijzing: why an allocation changed (JW301). 01 is obsolete."""

    CLIENT_DECEASED = "02", _l("Cliënt overleden")
    CONTRACT_CHANGE = "03", _l("Contractwijziging")
    REASSESSMENT_EXTENSION = "04", _l("Herbeoordeling verlenging toewijzing")
    REASSESSMENT_SHORTENING = "05", _l("Herbeoordeling verkorting toewijzing")
    OTHER_DOMAIN = "06", _l("Uitstroom naar ander domein")
    MOVED = "07", _l("Verhuizing naar een andere gemeente")
    DELIVERY_FORM = "08", _l("Wijziging leveringsvorm")
    OTHER_PROVIDER = "09", _l("Overstap naar andere aanbieder")
    NEW_FUNDING = "10", _l("Overgang naar nieuwe bekostigingssystematiek")
    MUNICIPAL_MERGER = "11", _l("Gemeentelijke herindeling")
    BY_PROVIDER = "12", _l("Geïnitieerd door de aanbieder")
    DELETED = "13", _l("Verwijderd")
    ADMINISTRATIVE_CORRECTION = "14", _l("Administratieve correctie")


# The JZ588 end reason that the JZ002 list pairs with each change reason (JZ002 table).
END_REASON_FOR_CHANGE = {
    JZ002.CLIENT_DECEASED: JZ588.DECEASED,
    JZ002.CONTRACT_CHANGE: JZ588.BY_MUNICIPALITY,
    JZ002.REASSESSMENT_SHORTENING: JZ588.BY_MUNICIPALITY,
    JZ002.OTHER_DOMAIN: JZ588.OTHER_DOMAIN,
    JZ002.MOVED: JZ588.EARLY_EXTERNAL,
    JZ002.DELIVERY_FORM: JZ588.BY_MUNICIPALITY,
    JZ002.OTHER_PROVIDER: JZ588.OTHER_PROVIDER,
    JZ002.NEW_FUNDING: JZ588.BY_MUNICIPALITY,
    JZ002.MUNICIPAL_MERGER: JZ588.BY_MUNICIPALITY,
    JZ002.BY_PROVIDER: JZ588.CHANGE_REQUEST,
}


class WJ758(CodeList):
    """Reden verzoek: why a provider asks for a change (JW317)."""

    CLIENT_SITUATION = "1", _l("Verandering clientsituatie")
    CARE_PLAN = "2", _l("Wijziging zorgplan")


class WJ759(CodeList):
    """Reden afwijzing verzoek: why a request was rejected (JW319/JW320)."""

    NEW_APPLICATION = "1", _l("Geen wijziging, maar nieuwe aanvraag")
    BUDGET = "2", _l("Past niet binnen budget")
    NO_CONTRACT = "3", _l("Geen contract")
    NOT_IN_CONTRACT = "4", _l("Past niet binnen contract")
    OTHER_MUNICIPALITY = "5", _l("Andere gemeente")
    STACKING = "6", _l("Stapeling")
    CARE_CONTENT = "7", _l("Zorginhoudelijke afkeur")
    RESIDENCE_PRINCIPLE = "8", _l("Woonplaatsbeginsel")
    AGE_LIMIT = "9", _l("Leeftijdsgrens is bereikt")


class WJ760(CodeList):
    """Verzoek antwoord: the answer to a request (JW319)."""

    REJECTED = "1", _l("Verzoek afgewezen")
    UNDER_INVESTIGATION = "2", _l("Aanvraag in onderzoek")


class WJ756(CodeList):
    """Eenheid: the unit of a volume."""

    MINUTE = "01", _l("Minuut")
    HOUR = "04", _l("Uur")
    DAY_AND_NIGHT = "14", _l("Etmaal")
    HALF_DAY = "16", _l("Dagdeel (4 uur)")
    PIECES_OUTPUT = "82", _l("Stuks (output)")
    EUROS = "83", _l("Euro's")
    PIECES_EFFORT = "84", _l("Stuks (inspanning)")


class WMO757(CodeList):
    """Frequentie: how often a volume applies."""

    PER_DAY = "1", _l("Per dag")
    PER_WEEK = "2", _l("Per week")
    PER_MONTH = "4", _l("Per maand")
    TOTAL_IN_PERIOD = "6", _l("Totaal binnen geldigheidsduur toewijzing")


class COD327(CodeList):
    """Code verwijzer: who referred the child (JW315)."""

    MUNICIPALITY = "01", _l("Gemeente")
    GENERAL_PRACTITIONER = "02", _l("Huisarts")
    YOUTH_DOCTOR = "03", _l("Jeugdarts")
    CERTIFIED_INSTITUTION = "04", _l("Gecertificeerde instelling")
    MEDICAL_SPECIALIST = "05", _l("Medisch specialist")
    SELF_REFERRAL = "06", _l("Zelfverwijzer / geen verwijzer")
    JUSTICE = "08", _l("Rechter, Officier van Justitie, functionaris Justitiële jeugdinrichting")


class COD043(CodeList):
    """Indicatie debet/credit."""

    CREDIT = "C", _l("Creditbedrag en aantal")
    DEBIT = "D", _l("Debetbedrag en aantal")


class JZ020(CodeList):
    """Productcategorie: the youth care categories the region contracts (JZ020 subset)."""

    RESIDENTIAL_WITH_TREATMENT = "43", _l("Jeugdhulp verblijf (incl. behandeling)")
    RESIDENTIAL_WITHOUT_TREATMENT = "44", _l("Jeugdhulp verblijf (excl. behandeling)")
    AMBULANT = "45", _l("Jeugdhulp ambulant")
    CRISIS = "46", _l("Jeugdhulp crisis")
    CUSTOM_ARRANGEMENTS = "50", _l("Maatwerkarrangementen jeugd")
    YOUTH_MENTAL_HEALTH = "54", _l("Jeugd-ggz")


class WJ001(CodeList):
    """Retourcodes for declarations and lines (JW323/JW325)."""

    # Codes for whole messages and for allocations (JW301).
    TECHNICAL = "0001", _l("Bericht is afgekeurd om technische redenen.")
    IDENTIFICATION_NOT_UNIQUE = "9056", _l("Identificatie moet uniek zijn.")
    MUNICIPALITY_INVALID = "S300", _l("Gemeentecode ongeldig.")
    PRODUCT_CODE_INVALID = "S329", _l("ProductCode ongeldig.")
    ALLOCATION_NUMBER_NOT_UNIQUE = "9332", _l(
        "Toewijzing heeft geen uniek nummer binnen wettelijk domein."
    )
    NO_REMARK = "0200", _l("Geen opmerking over deze berichtklasse.")
    # Codes for start and stop messages (JW305/JW307).
    NOT_LINKED = "9019", _l("Het regiebericht kan niet gekoppeld worden aan een toewijzing.")
    NO_EARLIER_MESSAGE = "9063", _l(
        "Het bericht kan niet verwerkt worden omdat geen eerder bericht ontvangen is"
    )
    NO_CURRENT_START = "9069", _l("Er is geen actueel startbericht met dezelfde sleutel.")
    FULLY_AWARDED = "8001", _l("Declaratie is volledig toegewezen.")
    TARIFF_DIFFERS = "0611", _l(
        "Het ingediende tarief komt niet overeen met het contractuele tarief."
    )
    CREDIT_WITHOUT_DEBIT = "8017", _l("Van deze credit prestatie is geen debet prestatie bekend.")
    NOT_THIS_CLIENT = "8187", _l("De prestatie hoort niet bij deze cliënt.")
    REFERENCE_ALREADY_SUBMITTED = "8021", _l("Referentienummer prestatie is reeds aangeleverd.")
    START_OUTSIDE_ALLOCATION = "9307", _l(
        "Begindatum prestatie ligt niet tussen de ingangsdatum en einddatum toewijzing."
    )
    END_OUTSIDE_ALLOCATION = "9308", _l(
        "Einddatum prestatie ligt niet tussen de ingangsdatum en einddatum toewijzing."
    )
    NOT_IN_ONE_PERIOD = "9319", _l(
        "De ProductPeriode valt niet geheel binnen een DeclaratiePeriode."
    )
    EXCEEDS_ALLOCATED = "9322", _l(
        "De som van de ingediende volumes overschrijdt het toegewezen volume."
    )
    NUMBER_NOT_UNIQUE = "9333", _l("Declaratienummer is niet uniek.")
    NO_ALLOCATION = "9338", _l(
        "Niet iedere prestatie in een declaratiebericht is gerelateerd aan een toegewezen "
        "product op basis van het toewijzingnummer."
    )
    CATEGORY_DIFFERS = "9339", _l(
        "ProductCategorie in de prestatie is niet gelijk aan ProductCategorie in het "
        "ToegewezenProduct."
    )
    CODE_DIFFERS = "9340", _l(
        "ProductCode in de Prestatie is niet gelijk aan ProductCode in het ToegewezenProduct."
    )
    ALLOCATION_DELETED = "9384", _l(
        "Declaratie op toewijzing met RedenWijziging “13” (Verwijderd)."
    )
    DEBIT_WITHOUT_CREDIT = "9389", _l(
        "Deze prestatie heeft een debetprestatie zonder bijbehorende creditprestatie."
    )
    ALREADY_CREDITED = "9390", _l(
        "Er is al een Prestatie met gelijk ProductReferentie met waarde Credit."
    )
