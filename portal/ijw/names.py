"""Names between the portal (one family name such as 'van der Berg') and iJw (Achternaam
with a separate Voorvoegsel, Voornamen and Voorletters)."""

import re

# The common Dutch prefixes (voorvoegsels, BRP table 36), written as the BRP writes them.
PREFIXES = frozenset({
    "van", "de", "der", "den", "het", "'t", "te", "ten", "ter", "in", "op", "uit", "aan",
    "bij", "onder", "over", "voor", "la", "le", "les", "du", "des", "di", "da", "dos", "das",
    "del", "della", "von", "zu", "vom", "zum", "zur", "el", "al", "mac",
    "van de", "van der", "van den", "van het", "van 't", "van ter", "van ten", "in de",
    "in der", "in den", "in het", "in 't", "op de", "op den", "op het", "op 't", "op ten",
    "uit de", "uit den", "uit het", "uit 't", "aan de", "aan den", "aan het", "bij de",
    "bij den", "bij het", "onder de", "onder den", "over de", "over den", "voor de",
    "voor den", "voor het", "von der", "von dem", "de la", "de le", "de los", "de las",
})
MAX_PREFIX = 10  # LDT_Voorvoegsel
MAX_INITIALS = 6  # LDT_Voorletters
_LETTER = re.compile(r"[a-zA-ZÀ-ỳ]")


def join_family_name(surname: str, prefix: str | None) -> str:
    """'de' + 'Wit' -> 'de Wit'."""
    return f"{prefix.strip()} {surname.strip()}" if prefix and prefix.strip() else surname.strip()


def split_family_name(family_name: str) -> tuple[str, str | None]:
    """'van der Berg' -> ('Berg', 'van der'); the longest known prefix that leaves a name."""
    words = family_name.split()
    for count in range(len(words) - 1, 0, -1):
        prefix = " ".join(words[:count])
        if prefix in PREFIXES and len(prefix) <= MAX_PREFIX:
            return " ".join(words[count:]), prefix
    return family_name.strip(), None


def initials(given_names: str) -> str | None:
    """'Sanne Eva' -> 'SE': the first letter of each given name that starts with one."""
    letters = "".join(match.group(0) for word in given_names.split()
                      if (match := _LETTER.match(word)))
    return letters[:MAX_INITIALS] or None
