"""Suppliers' names and numbers, matched however they are written. Pure, no I/O.

Used by the invitations (`socialvalue/invite.py`: payments by supplier) and by the site (a
Charter signatory's contracts).
"""

from __future__ import annotations

import re
import unicodedata

LEGAL_WORDS = {"limited": "ltd", "ltd": "ltd", "plc": "plc"}
COMPANIES_HOUSE_ORG_ID = "GB-COH-"


def supplier_key(name: str) -> str:
    """One key for every way of writing a supplier's name.

    Case, accents' compatibility forms, punctuation and spacing do not count; "&" is "and";
    "Limited" is "Ltd"; a leading "The" is dropped. Dots and apostrophes join their neighbours
    ("Ltd." is "Ltd", "A.B." is "AB"); other punctuation separates words.
    """
    text = unicodedata.normalize("NFKC", name).casefold().replace("&", " and ")
    text = re.sub(r"[.'\u2019]", "", text)
    words = re.sub(r"[\W_]+", " ", text).split()
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return " ".join(LEGAL_WORDS.get(word, word) for word in words)


def companies_house_number(companies_house: str | None, org_id: str | None) -> str | None:
    """The Companies House number given directly, or inside a GB-COH- organisation identifier."""
    if companies_house:
        return companies_house.strip().upper()
    if org_id and org_id.upper().startswith(COMPANIES_HOUSE_ORG_ID):
        return org_id[len(COMPANIES_HOUSE_ORG_ID) :].strip().upper()
    return None
