"""``reflect``: say back what the customer said, in their terms, with a feeling guess.

"It sounds like it was extremely stressful for you because you needed the movers to be
at your place by 1 pm so you could clean your apartment before the inspection."

Every fact in a reflection comes from the customer's own words, shifted to the agent's
perspective (``heard.language.perspective``); nothing is explained, defended or blamed,
and profanity or insults are never repeated. Wording: ``data/reflection.v1.yaml``.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.resources
import re

import yaml
from pydantic import BaseModel, ConfigDict, Field

from heard.language import parse, shift_tokens
from heard.understand import Analysis, analyze
from heard.understand.complaint import PROMISE_VERBS, Part

RULES = "reflection.v1"
_PURPOSE_BEFORE = re.compile(r"(so (that )?(I|we) (could|can|would)|in order|time|able) (to )?$", re.I)
MAX_WORDS = 45


class Reflection(BaseModel):
    """A reflection to send, or ``text=None`` with the reason there is none."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    text: str | None = Field(description="The reflection, one or two sentences; None when none fits.")
    feeling: str | None = Field(description="The feeling guessed.")
    opening: str | None = Field(default=None, description="The opening words used, to vary the next one.")
    expected: Part | None = None
    happened: Part | None = None
    impact: Part | None = None
    need: Part | None = None
    reason: str | None = Field(default=None, description="Why there is no reflection, when there is none.")


@functools.cache
def _rules() -> dict:
    path = importlib.resources.files("heard.respond") / "data" / f"{RULES}.yaml"
    rules = yaml.safe_load(path.read_text("utf-8"))
    rules["never_repeat_re"] = re.compile(rf"^(?:{rules['never_repeat']})$", re.I)
    return rules


def _tokens(doc, part: Part | None) -> list:
    if part is None:
        return []
    span = doc.char_span(part.start, part.end, alignment_mode="expand")
    return list(span) if span is not None else []


def _say(tokens: list) -> str:
    """The tokens shifted to the agent's perspective, without profanity or insults."""
    banned = _rules()["never_repeat_re"]
    kept = [t for t in tokens if not banned.match(t.text)]
    return re.sub(r"\s+", " ", shift_tokens(kept)).strip(" ,.;:!?") if kept else ""


_SUBJECT_DEPS = {"nsubj", "nsubjpass", "expl"}
# Blame the customer put on themself is theirs to say, not the agent's to repeat.
_SELF_BLAME = re.compile(
    r"\b(my|your) (own )?(fault|mistake|bad)\b|\bon (me|you)\b|stupidly|my own fault", re.I
)


def _is_clause(tokens: list) -> bool:
    """Something that can follow "because": a statement with its subject before its verb."""
    if not tokens or tokens[0].tag_ in {"WDT", "WP", "WRB", "VBG", "VB"} or tokens[-1].text == "?":
        return False
    subject = next((t.i for t in tokens if t.dep_ in _SUBJECT_DEPS), None)
    verb = next((t.i for t in tokens if t.pos_ in {"VERB", "AUX"}), None)
    text = " ".join(t.text for t in tokens)
    return subject is not None and verb is not None and subject < verb + 2 and not _SELF_BLAME.search(text)


def _wanted(doc, need: list) -> str:
    """The outcome asked for, as the agent says it: "I want a refund" -> "you want a refund"."""
    if len(need) < 3:
        return ""
    if need[0].lower_ in {"please", "pls", "plz"}:
        need = need[1:]
    if need[0].tag_ == "VB" and need[0].pos_ == "VERB":  # a request: "refund it", "make them stop"
        return f"you'd like us to {_say(need)}"
    return _say(need) if _is_clause(need) else ""


def _is_purpose(source: str, part: Part | None) -> bool:
    return part is not None and bool(_PURPOSE_BEFORE.search(source[max(0, part.start - 30) : part.start]))


_NOT_A_PROBLEM = {"calm", "grateful", "pleased", "relieved", "curious"}
_OBJECT = {"they": "them", "he": "him", "she": "her", "we": "you", "i": "you", "you": "us"}


def _as_need(tokens: list) -> str:
    """ "the movers would be here by 1 pm" -> "the movers to be here by 1 pm" (what they needed)."""
    for k, tok in enumerate(tokens):
        if tok.lower_ in {"would", "will", "'d", "should", "could"} and tok.dep_ == "aux":
            subject = tokens[:k]
        elif (
            tok.lower_ == "to" and k > 0 and tokens[k - 1].lower_ in {"supposed", "meant", "due", "scheduled"}
        ):
            subject = [t for t in tokens[: k - 1] if t.dep_ not in {"aux", "auxpass"}]
        else:
            continue
        if not subject:
            return ""
        said = _OBJECT.get(subject[0].lower_, _say(subject)) if len(subject) == 1 else _say(subject)
        return f"{said} to {_say(tokens[k + 1 :])}".strip()
    return ""


_PRAISE_PREFIX = re.compile(
    r"^(oh |wow |well )?(great|brilliant|fantastic|perfect|wonderful|lovely|awesome|nice|super)\b[^,]{0,25}, ",
    re.I,
)


def _promise(doc, expected: list) -> list:
    """The promise with who made it: "you told me X" (said back as "we told you X")."""
    if not expected:
        return []
    head = expected[0].head
    while head.i != head.head.i and head.lemma_.lower() not in PROMISE_VERBS:
        head = head.head
    if head.lemma_.lower() in PROMISE_VERBS and head.i < expected[0].i:
        subjects = [t.left_edge.i for t in head.children if t.dep_ in {"nsubj", "nsubjpass"}]
        return list(doc[min(subjects + [head.i]) : expected[-1].i + 1])
    return expected


def _opening(text: str, avoid: str | None) -> str:
    openings = _rules()["openings"]
    k = int(hashlib.sha1(text.encode("utf-8")).hexdigest(), 16) % len(openings)
    if openings[k] == avoid:
        k = (k + 1) % len(openings)
    return openings[k]


def _feeling_words(analysis: Analysis) -> tuple[str, str | None]:
    rules = _rules()
    strength = rules["strength"][analysis.level]
    adjective = rules["adjectives"].get(analysis.feeling)
    return strength, adjective


def _sentence(opening: str, body: str) -> str:
    text = f"{opening} {body}".strip()
    text = text[0].upper() + text[1:]
    return re.sub(r"\s+", " ", text).rstrip(" ,") + "."


def _normalised(text: str) -> str:
    """All-capital messages are parsed in lower case (the parser misreads shouting)."""
    letters = [c for c in text if c.isalpha()]
    if letters and sum(c.isupper() for c in letters) / len(letters) > 0.6:
        lowered = text.lower()
        lowered = re.sub(r"\bi\b", "I", lowered)
        return re.sub(r"(^|[.!?]\s+)([a-z])", lambda m: m.group(1) + m.group(2).upper(), lowered)
    return text


def reflect(text: str | list[str], *, avoid_opening: str | None = None) -> Reflection:
    """Reflect a customer's message (or a burst of messages, as a list) back with a feeling guess.

    >>> r = reflect("My parcel was supposed to arrive on Monday and it still hasn't come.")
    >>> "your parcel" in r.text and "Monday" in r.text
    True
    """
    joined = "\n".join(text) if isinstance(text, list) else text
    analysis = analyze(joined)
    source = _normalised(joined[: analysis.chars])
    doc = parse(source)
    if analysis.complaint is None:
        if analysis.level != "calm" and analysis.feeling not in _NOT_A_PROBLEM:
            strength, _ = _feeling_words(analysis)
            opening = _opening(source, avoid_opening)
            body = f"you're {strength}{analysis.feeling} about this"
            return Reflection(
                text=f"{_sentence(opening, body)} {_rules()['invite_more']}",
                feeling=analysis.feeling,
                opening=opening,
            )
        why = (
            "it reads as thanks"
            if analysis.feeling in {"grateful", "pleased", "relieved"}
            else "it raises no problem"
        )
        return Reflection(
            text=None, feeling=analysis.feeling, reason=f"no reflection: {why}; answer it directly"
        )

    c = analysis.complaint
    expected, happened = _tokens(doc, c.expected), _tokens(doc, c.happened)
    impact, need = _tokens(doc, c.impact), _tokens(doc, c.need)
    strength, adjective = _feeling_words(analysis)
    opening = _opening(source, avoid_opening)
    felt = (
        f"it was {strength}{adjective} for you"
        if adjective
        else f"you're feeling {strength}{analysis.feeling}"
    )

    needed = _as_need(expected)
    did = _PRAISE_PREFIX.sub("", _say(happened)) if _is_clause(happened) else ""
    hurt = _say(impact) if _is_clause(impact) else ""
    promised = _promise(doc, expected)
    promise = _say(promised) if _is_clause(promised) else ""
    purpose = _say(need) if need and _is_purpose(source, c.need) else ""
    wanted = "" if purpose or not need else _wanted(doc, need)
    # The richest reflection first: why it mattered (the need or the impact) whenever given.
    causes = [x for x in (f"you needed {needed}" if needed else "", promise, did) if x]
    if did and promise:
        causes.insert(0, f"{promise}, and {did}")
    candidates = []
    if needed and purpose:
        candidates.append(f"{felt} because you needed {needed} so you could {purpose}")
    for consequence in (hurt, wanted, f"you needed to {purpose}" if purpose else ""):
        for cause in causes:
            if consequence:
                candidates.append(f"{felt} because {cause}, and {consequence}")
        if consequence:
            candidates.append(f"{felt} because {consequence}")
    candidates += [f"{felt} because {cause}" for cause in causes]
    candidates.append(f"{felt}")
    for body in candidates:
        sentence = _sentence(opening, body)
        if len(sentence.split()) <= MAX_WORDS and "  " not in body and not body.endswith(" because"):
            break
    return Reflection(
        text=sentence,
        feeling=analysis.feeling,
        opening=opening,
        expected=c.expected,
        happened=c.happened,
        impact=c.impact,
        need=c.need,
    )
