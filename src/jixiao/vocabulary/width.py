"""Display width of printed text: CJK characters are one em wide, Latin ones narrower.

Part of the core vocabulary. The plain-text reader measures column widths with it, and
the charts size their labels with it.
"""

from __future__ import annotations

import re

# Everything below the CJK radicals block prints narrow.
_NARROW = re.compile("[\u0000-\u2e80]+")


def wide_count(text: str) -> int:
    """How many characters of `text` print wide (CJK)."""
    return len(_NARROW.sub("", text))


def display_width(text: str, narrow: float = 0.5) -> float:
    """Width in em: a CJK character is one em, any other `narrow` em (half by default)."""
    wide = wide_count(text)
    return wide + (len(text) - wide) * narrow
