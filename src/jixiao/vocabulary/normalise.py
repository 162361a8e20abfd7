"""Normalisers: the one way each kind of printed text is compared.

Part of the core vocabulary. Printed forms spell one word in full-width or half-width
characters, with or without spaces (`其中：当年财政拨款`, `其中: 当年财政拨款`); every
comparison goes through one of these functions, so two parts of jixiao never disagree on
whether two spellings are the same.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPACE = re.compile(r"\s+")
_PUNCTUATION_AND_SPACE = re.compile(r"[\s。，,.；;：:]")


@lru_cache(maxsize=65536)
def compact(text: str) -> str:
    """NFKC with every whitespace removed: the key under which names and units compare."""
    return unicodedata.normalize("NFKC", "".join(text.split()))


@lru_cache(maxsize=65536)
def label_key(text: str) -> str:
    """A printed label as the vocabulary spells it: compact, without a trailing colon."""
    return compact(text).rstrip(":")


@lru_cache(maxsize=65536)
def norm_name(text: str) -> str:
    """An indicator name or a text, for comparison (NFKC, no whitespace)."""
    # Cached itself, not only through `compact`: the review compares names and texts
    # many times a form, and a cache hit is a C call where this function is a Python one.
    return compact(text)


def search_key(text: str) -> str:
    """A text as the store searches and groups it: NFKC, lower case, no whitespace, so that
    `（本级）` and `(本级)` are one name."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text).lower())


def search_terms(query: str) -> list[str]:
    """The terms of a search query: split on whitespace, each normalised like `search_key`.

    A NUL character is dropped: no stored text holds one (PostgreSQL refuses it in text,
    and SQLite would read a bound text only up to it), so it can only be noise."""
    query = unicodedata.normalize("NFKC", query.replace("\x00", "")).lower()
    return [term for term in _SPACE.split(query) if term]


def bare_text(text: str) -> str:
    """A text without spaces and sentence punctuation: two texts that differ only in
    those say the same thing (an actual that copies its target)."""
    return _PUNCTUATION_AND_SPACE.sub("", text)
