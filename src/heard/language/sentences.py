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


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Where each piece of ``split_sentences`` lies in ``text``: (start, end) character offsets.

    >>> sentence_spans("Sorry!  Let me fix it.")
    [(0, 6), (8, 22)]
    """
    spans, start = [], 0
    for boundary in [*_BOUNDARY.finditer(text), None]:
        end = boundary.start() if boundary else len(text)
        piece = text[start:end]
        if piece.strip():
            left = start + len(piece) - len(piece.lstrip())
            spans.append((left, left + len(piece.strip())))
        if boundary:
            start = boundary.end()
    return spans
