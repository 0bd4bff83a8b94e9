"""Fast sentence splitting for windowing long messages before the emotion model.

A regular expression, not the parser: it runs on every message, including megabyte
archives, and only has to find places where cutting the text loses little.
"""

from __future__ import annotations

import re

# A sentence ends at . ! ? … followed by space, and at every line break (paragraphs, lists).
_BOUNDARY = re.compile(r"(?<=[.!?…])\s+|\n+")


def split_sentences(text: str) -> list[str]:
    """Split ``text`` at sentence ends and line breaks; drop empty pieces.

    >>> split_sentences("They never came!! I waited all day.\\n\\nNow what?")
    ['They never came!!', 'I waited all day.', 'Now what?']
    """
    return [piece.strip() for piece in _BOUNDARY.split(text) if piece and piece.strip()]
