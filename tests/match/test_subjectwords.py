"""The contract subject's words: short trade words ("IT", "HR") stand for the words organisations
use for the same work, and count in an entry only when written in capitals."""

from __future__ import annotations

from socialvalue.match import keywords
from socialvalue.subjectwords import RELATED, organisation_words, subject_words


def test_it_stands_for_the_digital_words_of_the_register():
    assert subject_words("IT support") == {
        "it": "IT",
        "cyber": "cyber",
        "digit": "digital",
        "compu": "computer",
        "onlin": "online",
        "softw": "software",
        "lapto": "laptop",
    }
    assert keywords("it") == keywords("IT") == keywords("ICT")


def test_other_words_keep_their_stems_and_related_words_are_not_repeated():
    assert keywords("Printing for the IT and ICT team!") == [
        "print",
        *(w.lower()[:5] for w in RELATED["it"]),
        "team",
    ]


def test_a_short_word_counts_in_an_entry_only_in_capitals():
    assert "it" in organisation_words("We need IT volunteers.")
    assert "it" not in organisation_words("We need it now, and it helps.")
    assert "hr" in organisation_words("Help with accounts, IT, HR and marketing.")
    assert "hr" not in organisation_words("Open 24hrs.")


def test_short_words_without_related_words_are_still_ignored():
    assert subject_words("A to Z of 3D") == {}
