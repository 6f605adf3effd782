"""Plausibility rules checked before anything is saved: no care registered in the future, and
a child's age at the start of an allocation. Shared by the forms, the CSV import and the
JW301 import."""

from datetime import date

from flask_babel import lazy_gettext as _l

from portal.domain import DomainError
from portal.formatting import format_date

ADULT_AGE = 18
# Extended youth care (verlengde jeugdhulp, Jeugdwet art. 1.1) runs until the 23rd birthday.
EXTENDED_AGE = 23


def check_not_future(day: date, today: date, field: str, what) -> None:
    """A start of care, a measurement or an end of care happened; it is not planned."""
    if day > today:
        raise DomainError(_l("%(what)s (%(day)s) ligt in de toekomst. Registreer dit op of na "
                             "de dag zelf.", what=what, day=format_date(day)), field=field)


def age_on(birth_date: date, day: date) -> int:
    """Whole years; a child born on 29 February turns a year older on 1 March."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month,
                                                                  birth_date.day))


def check_child_age(birth_date: date, start: date, extended: bool) -> None:
    """The birth date lies before the allocation starts, and the child is under 18 then;
    18 to 22 only for extended youth care (verlengde jeugdhulp)."""
    if birth_date >= start:
        raise DomainError(_l("De geboortedatum (%(birth)s) ligt niet vóór de ingangsdatum van "
                             "de toewijzing (%(start)s).", birth=format_date(birth_date),
                             start=format_date(start)), field="birth_date")
    age = age_on(birth_date, start)
    if age >= EXTENDED_AGE:
        raise DomainError(_l("Het kind is op de ingangsdatum %(age)s jaar. Jeugdhulp kan tot "
                             "23 jaar, en vanaf 18 jaar alleen als verlengde jeugdhulp.",
                             age=age), field="birth_date")
    if age >= ADULT_AGE and not extended:
        raise DomainError(_l("Het kind is op de ingangsdatum %(age)s jaar. Vanaf 18 jaar kan "
                             "alleen verlengde jeugdhulp worden toegewezen: vink die aan of "
                             "controleer de geboortedatum.", age=age),
                          field="birth_date")
