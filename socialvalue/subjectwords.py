"""The words of a contract's subject ("What the contract is for") and of an organisation's entry
that the matcher compares. Pure functions, no I/O.

Keywords: lower-cased runs of a-z0-9 of 3 or more characters, not in STOPWORDS, cut to their
first 5 characters (the stem), so "printing" meets "printed".

Related words (RELATED): suppliers name their contract in trade words ("IT", "HR", "catering")
that organisations describe in their own ones ("computers", "online", "staff wellbeing"). A
subject word in RELATED stands for its related words instead, short ones included: "IT support"
looks for IT, cyber, digital, computer, online, software and laptop. The related words come from
the register's own measures and entries (the measures "Cyber Essentials" and "Free professional
advice": "protects organisations against the most common online attacks", "legal, financial, IT,
HR, marketing or other professional advice").

Short terms (the RELATED keys under 3 characters: "it", "hr", "pr") count in an organisation's
entry only when written in capitals ("IT", not the word "it").

THE BROWSER MATCHER (templates/assets/match.js, `subjectWords`) MIRRORS `subject_words`, and takes
STOPWORDS and RELATED from meta.json; the organisation side (`organisation_words`) runs here only,
at build time, to write the keyword index.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Words too common in the register's text to say anything about a contract's subject.
STOPWORDS: frozenset[str] = frozenset(
    """
    and are but can for from has have her his its not our out the their them they this that
    was were what when where which who will with would you your all any also been into more
    other some such than very just help helps support people work works working services
    service contract contracts provide providing local community communities""".split()
)
_DIGITAL = ("IT", "cyber", "digital", "computer", "online", "software", "laptop")
# subject word -> the words to look for instead, as shown in "mentions ..."
RELATED: dict[str, tuple[str, ...]] = {
    "it": _DIGITAL,
    "ict": _DIGITAL,
    "computing": _DIGITAL,
    "hr": ("HR", "staff", "recruitment", "employment", "wellbeing"),
    "pr": ("PR", "marketing", "publicity", "media"),
    "catering": ("catering", "food", "meals", "kitchen", "cooking"),
    "legal": ("legal", "law", "solicitor", "advice"),
    "cleaning": ("cleaning", "clean", "litter", "waste"),
}
SHORT_TERMS: tuple[str, ...] = tuple(sorted(k for k in RELATED if len(k) < 3))


def stem(word: str) -> str:
    return word.lower()[:5]


def subject_words(text: str | None) -> dict[str, str]:
    """The subject's keywords: stem -> the word shown in "mentions ...", in order, no repeats."""
    seen: dict[str, str] = {}
    for word in re.findall(r"[a-z0-9]+", (text or "").lower()):
        if word in RELATED:
            for related in RELATED[word]:
                seen.setdefault(stem(related), related)
        elif len(word) >= 3 and word not in STOPWORDS:
            seen.setdefault(stem(word), word)
    return seen


@lru_cache(maxsize=65536)
def organisation_words(text: str) -> frozenset[str]:
    """The stems an organisation's text offers for matching: its keywords, and the short terms
    written in capitals ("IT")."""
    found = {
        stem(word)
        for word in re.findall(r"[a-z0-9]+", text.lower())
        if len(word) >= 3 and word not in STOPWORDS
    }
    found.update(t for t in SHORT_TERMS if re.search(rf"\b{t.upper()}\b", text))
    return frozenset(found)
