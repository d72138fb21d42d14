"""Human-friendly references such as ``SV-P-7K3M-9QXA``: 8 random characters from 29."""

from __future__ import annotations

import re
import secrets

# No 0/O, 1/I/L or U/V lookalikes: easy to read out over the phone.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"
PATTERN = re.compile(rf"SV-[PCRUD]-[{ALPHABET}]{{4}}-[{ALPHABET}]{{4}}")


def new_reference(letter: str) -> str:
    """A fresh reference for a kind's letter (P pledge, C charter, R register request,
    U progress update, D delivery confirmation)."""
    body = "".join(secrets.choice(ALPHABET) for _ in range(8))
    return f"SV-{letter}-{body[:4]}-{body[4:]}"


def is_reference(text: str) -> bool:
    return PATTERN.fullmatch(text) is not None
