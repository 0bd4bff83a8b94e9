"""``analyze``: how a customer feels, how upset they are, and the feeling to say back."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from itertools import islice

from pydantic import BaseModel, ConfigDict, Field

from heard._version import __version__
from heard.errors import EmptyText, NotText
from heard.language import Cue, load_pipeline, parse, unshouted
from heard.language.cleanup import tidy
from heard.language.cues import LEXICON
from heard.language.focus import compact, cues_in, focus
from heard.understand import emotions as emotion_model
from heard.understand.complaint import RULES as COMPLAINT_RULES
from heard.understand.complaint import Complaint, Fault, read_complaint
from heard.understand.feeling import RULES as FEELING_RULES
from heard.understand.feeling import guess_feeling
from heard.understand.sarcasm import is_sarcastic, read_sarcasm
from heard.understand.upset import LEVELS, Level, level_of, measure_upset
from heard.understand.upset import RULES as UPSET_RULES

MAX_CHARS = 10_000
# The feelings of a grievance: with a category's words, the complaint frame reads a complaint.
NEGATIVE_EMOTIONS = ("anger", "annoyance", "disappointment", "disapproval", "disgust")
_NOT_WORDS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]{0,200})?/?>")


class Analysis(BaseModel):
    """What heard heard in one customer message."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    emotions: dict[str, float] = Field(
        description="Every GoEmotions label (27 emotions + neutral), 0..1; present when >= 0.5."
    )
    upset: float = Field(ge=0, le=1, description="How upset the writer is, 0 (calm) to 1 (furious).")
    level: Level = Field(description="calm, concerned, upset, angry or furious.")
    feeling: str = Field(
        description="A feeling guess fit for a reflection: stressed, let down, frustrated, ..."
    )
    sarcasm: bool = Field(description="Praise that means the opposite was found and read as annoyance.")
    cues: list[Cue] = Field(description="The cues behind the score, with their spans in the analysed text.")
    complaint: Complaint | None = Field(
        default=None,
        description="What was expected, what happened, the impact and need; None if no complaint.",
    )
    fault: Fault = Field(default="unclear", description="Whom the customer holds responsible.")
    chars: int = Field(description="How many characters were analysed.")
    truncated: bool = Field(description="The text was longer than the limit and only its start was analysed.")
    produced_by: dict[str, str] = Field(description="The model and rule versions that produced this result.")

    def present(self) -> list[str]:
        """The emotions present (value >= 0.5), strongest first."""
        return [k for k, v in sorted(self.emotions.items(), key=lambda kv: -kv[1]) if v >= 0.5]


def prepare_text(text: object, max_chars: int, *, tidy_text: bool = True) -> tuple[str, bool]:
    """Check a message and cut it to ``max_chars``: (text to analyse, whether it was cut).

    A burst of several messages (a list of strings) is read as one text, a line each.
    ``tidy_text=False`` keeps links, handles, greetings and sign-offs (an agent's reply acts
    through them: a link to an article informs, one to another team deflects).
    """
    if isinstance(text, list | tuple) and text and all(isinstance(t, str) for t in text):
        text = "\n".join(text)
    if isinstance(text, bytes | bytearray):
        raise NotText("got bytes; decode the message to text first (for example data.decode('utf-8'))")
    if not isinstance(text, str):
        raise NotText(f"expected the message as a string (or a list of strings), got {type(text).__name__}")
    if not text.strip():
        raise EmptyText("the message is empty; pass the customer's text (at least one visible character)")
    if max_chars < 1:
        raise ValueError(f"max_chars must be at least 1, got {max_chars}")
    # Lone surrogates (from badly decoded input) would break the tokenizer: replace them.
    # Control characters and a helpdesk's HTML tags carry none of the customer's words:
    # they become spaces of the same length, so offsets into the text stay valid.
    text = text.encode("utf-8", "replace").decode("utf-8")
    text = _NOT_WORDS.sub(lambda m: " " * len(m.group()), text)
    # Handles, tags, links, entities, redaction marks: blanked or put in words, same length.
    if tidy_text:
        text = tidy(text)
    if len(text) <= max_chars:
        return text, False
    cut = text.rfind(" ", max_chars // 2, max_chars)
    return text[: cut if cut > 0 else max_chars], True


def _read(text: str, probs, truncated: bool, doc=None, focused: str | None = None) -> Analysis:
    emotions = {label: float(p) for label, p in zip(emotion_model.EMOTIONS, probs, strict=True)}
    # The cues of the sentences that matter (all of them in a message of usual length).
    cues = list(cues_in(focused if focused is not None else text))
    sarcastic = is_sarcastic(emotions, cues, text)
    if sarcastic:
        emotions = read_sarcasm(emotions)
    negative = max(emotions[label] for label in NEGATIVE_EMOTIONS)
    complaint, fault = read_complaint(doc, cues, negative) if doc is not None else (None, "unclear")
    upset = measure_upset(
        emotions, cues, sarcastic=sarcastic, problem=bool(complaint and complaint.happened), chars=len(text)
    )
    level = level_of(upset)
    return Analysis(
        emotions={k: round(v, 4) for k, v in emotions.items()},
        upset=round(upset, 4),
        level=level,
        # Someone with a problem is never "calm" or "pleased" in a reflection.
        feeling=guess_feeling(emotions, cues, max(level, "upset", key=LEVELS.index) if complaint else level),
        sarcasm=sarcastic,
        cues=[c for c in cues if c.kind != "trouble"],
        complaint=complaint,
        fault=fault,
        chars=len(text),
        truncated=truncated,
        produced_by={
            "heard": __version__,
            "emotions": emotion_model.MODEL,
            "cues": LEXICON,
            "upset": UPSET_RULES,
            "feelings": FEELING_RULES,
            **({"complaint": COMPLAINT_RULES} if doc is not None else {}),
        },
    )


def analyze(text: str | list[str], *, max_chars: int = MAX_CHARS, frame: bool = True) -> Analysis:
    """Read one customer message: emotions, how upset, and the feeling to reflect.

    Args:
        text: the customer's message; several paragraphs are fine, and a burst of
            messages sent in a row can be given as a list of strings.
        max_chars: longer texts are analysed on their start and marked ``truncated``.
        frame: read the complaint frame and fault (parses the text with spaCy); without
            it only emotions, upset and feeling are read, about three times faster (upset
            then misses the frame's evidence of a problem the cue lexicon has no word for).

    Raises:
        EmptyText: the text is empty or whitespace.
        NotText: the input is not a string.

    >>> analyze("Thank you so much, that fixed it!").level
    'calm'
    """
    prepared, truncated = prepare_text(text, max_chars)
    # A long letter is read on the sentences that matter (linear time; short texts whole).
    focused = focus(prepared)
    probs = emotion_model.load_emotion_model().predict([compact(focused)])[0]
    return _read(prepared, probs, truncated, parse(unshouted(focused)) if frame else None, focused)


def analyze_many(
    texts: Iterable[str], *, max_chars: int = MAX_CHARS, batch_size: int = 64, frame: bool = True
) -> Iterator[Analysis]:
    """Analyse many messages, batching them through the model; yields results in input order.

    Memory stays bounded: ``texts`` is read ``batch_size`` at a time. A bad item raises
    its error when reached; use ``analyze`` per item to skip bad ones instead.
    """
    model = emotion_model.load_emotion_model()
    iterator = iter(texts)
    while batch := list(islice(iterator, batch_size)):
        prepared = [prepare_text(t, max_chars) for t in batch]
        focused = [focus(p[0]) for p in prepared]
        probs = model.predict([compact(f) for f in focused])
        docs = load_pipeline().pipe(unshouted(f) for f in focused) if frame else (None for _ in prepared)
        yield from (
            _read(p[0], row, p[1], doc, f)
            for p, row, doc, f in zip(prepared, probs, docs, focused, strict=True)
        )
