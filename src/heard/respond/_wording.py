"""Turning the customer's words into the agent's: shared by reflections and apologies."""

from __future__ import annotations

import functools
import importlib.resources
import re

import yaml

from heard.language import shift_tokens
from heard.language.verbs import base_form
from heard.understand.complaint import Part
from heard.understand.frame import PROMISE_VERBS
from heard.understand.spelling import corrected

REFLECTION_RULES = "reflection.v1"
RESPONSE_RULES = "responses.v1"
# Words that open a spoken sentence but carry nothing said back ("so I booked ...").
_DISCOURSE = re.compile(
    r"^(?:so|well|and|but|then|honestly|ok|okay|basically|anyway|like|hi|hello)\b,?\s+", re.I
)
# ... and ones that close it ("you cancelled it, fine").
_AFTERTHOUGHT = re.compile(
    r",?\s*(?:(?<=,)\s*(?:fine|ok|okay|whatever|lol|honestly|seriously)|\b(?:pls|plz|please|asap|thx|lol))$",
    re.I,
)
# Who is not to blame is no part of a reflection: said back by the agent it sounds defensive
# ("..., it's their outage, not ours").
_EXONERATION = re.compile(
    r",\s*(?:(?:it'?s|it is|that'?s|that is)\s+)?(?:their [^,]*?|not (?:ours|us|our [^,]*?))(?:,\s*not (?:ours|us))?$",
    re.I,
)
_SUBJECT_DEPS = {"nsubj", "nsubjpass", "expl"}
# A label before the clause ("order 51120: the desk arrived late") is no part of what is said back.
_LABEL = re.compile(r"^(?:[\w#-]+ ){0,2}[\w#-]*\d[\w#-]*:\s+")
# Blame the customer put on themself is theirs to say, not the agent's to repeat.
_SELF_BLAME = re.compile(
    r"\b(my|your) (own )?(\w+ )?(fault|mistake|bad|clumsiness|error)\b|\bon (me|you)\b|stupidly", re.I
)


@functools.cache
def reflection_wording() -> dict:
    """How reflections are worded (``data/reflection.v1.yaml``)."""
    path = importlib.resources.files("heard.respond") / "data" / f"{REFLECTION_RULES}.yaml"
    return yaml.safe_load(path.read_text("utf-8"))


@functools.cache
def _never_repeat() -> re.Pattern:
    return re.compile(rf"^(?:{reflection_wording()['never_repeat']})$", re.I)


def span_tokens(doc, part: Part | None) -> list:
    if part is None:
        return []
    span = doc.char_span(part.start, part.end, alignment_mode="expand")
    return list(span) if span is not None else []


def say_back(tokens: list) -> str:
    """The tokens shifted to the agent's perspective, without profanity or insults."""
    banned = _never_repeat()
    kept = [t for t in tokens if not banned.match(t.text)]
    if not kept:
        return ""
    said = _DISCOURSE.sub("", re.sub(r"\s+", " ", shift_tokens(kept)).strip(" ,.;:!?"))
    said = _LABEL.sub("", said)
    said = _EXONERATION.sub("", _AFTERTHOUGHT.sub("", said))
    said = corrected(said)  # the customer's typing slips are not said back to them
    for mark in ("'", '"'):  # a quotation cut off at the end of the part is closed again
        if re.search(rf"(^|\s){mark}[^{mark}]*$", said):
            said += mark
    return said


def _finite(verb) -> bool:
    """A verb that can make a statement: "we charged", "it has gone" ("you to fix it" cannot)."""
    return not any(c.tag_ == "TO" for c in verb.children)


def _cut_short(tokens: list) -> bool:
    """ "you're paying $15.99 for", "and you were", "and the": a clause that stops mid-way
    (but "the software you paid for", "they hung up" and "it hasn't" are whole)."""
    last = tokens[-1]
    if last.pos_ in {"CCONJ", "DET"}:
        return True
    if last.dep_ == "prep" and not any(c.dep_ == "pobj" for c in last.children):
        inside = {t.i for t in tokens}
        root = next((t for t in tokens if t.head.i not in inside or t.head.i == t.i), tokens[0])
        return last.head.i == root.i  # stranded in a relative clause ("the software you paid for") is fine
    if last.pos_ == "AUX" and last.dep_ not in {"aux", "auxpass"}:
        return not any(t.dep_ == "neg" for t in tokens[-2:])
    return False


def is_clause(tokens: list) -> bool:
    """Something that can follow "because": a statement with its subject before its verb."""
    if not tokens or tokens[0].tag_ in {"WDT", "WP", "WRB", "VBG", "VB"} or tokens[-1].text == "?":
        return False
    if _cut_short(tokens):
        return False
    inside = {t.i for t in tokens}
    root = next((t for t in tokens if t.head.i not in inside or t.head.i == t.i), tokens[0])
    if root.pos_ in {"NOUN", "PROPN", "PRON", "NUM"} and root.dep_ not in _SUBJECT_DEPS:
        return False  # a thing, not a statement ("an app you haven't been able to open")
    subject = next((t for t in tokens if t.dep_ in _SUBJECT_DEPS), None)
    verb = next((t.i for t in tokens if t.pos_ in {"VERB", "AUX"}), None)
    text = " ".join(t.text for t in tokens)
    return (
        subject is not None
        and verb is not None
        and subject.i < verb + 2
        and (_finite(subject.head) or subject.head.pos_ not in {"VERB", "AUX"})
        and not _SELF_BLAME.search(text)
    )


def with_own_subject(doc, tokens: list) -> list:
    """ "(I ordered X and) got chicken instead" said with its subject: "I ... got chicken instead"
    becomes [I, got, chicken, instead] (the head verb's subject, then the clause)."""
    if not tokens or any(t.dep_ in _SUBJECT_DEPS for t in tokens):
        return tokens
    verb = next((t for t in tokens if t.pos_ in {"VERB", "AUX"} and t.dep_ == "conj"), None)
    if verb is None or verb.i != tokens[0].i:
        return tokens
    subject = next((c for c in verb.head.children if c.dep_ in _SUBJECT_DEPS), None)
    if subject is None or subject.lower_ not in {"i", "we", "you", "they", "he", "she", "it"}:
        return tokens
    return [subject, *tokens]


def told(expected: list) -> str:
    """A promise whose teller cannot be said with it ("an email saying the refund was approved"):
    "you were told the refund was approved"."""
    if not is_clause(expected):
        return ""
    head = expected[0].head
    while head.i != head.head.i and base_form(head.text) not in PROMISE_VERBS:
        head = head.head
    if base_form(head.text) not in PROMISE_VERBS or head.i > expected[0].i:
        return ""
    return f"you were told {say_back(expected)}"


def promise_tokens(doc, expected: list) -> list:
    """The promise with who made it: "you told me X" (said back as "we told you X")."""
    if not expected:
        return []
    head = expected[0].head
    while head.i != head.head.i and base_form(head.text) not in PROMISE_VERBS:
        head = head.head
    if base_form(head.text) in PROMISE_VERBS and head.i < expected[0].i:
        subjects = [t.left_edge.i for t in head.children if t.dep_ in {"nsubj", "nsubjpass"}]
        return list(doc[min(subjects + [head.i]) : expected[-1].i + 1])
    return expected


@functools.cache
def responses() -> dict:
    """The wording of acknowledgements, apologies and questions (``data/responses.v1.yaml``)."""
    path = importlib.resources.files("heard.respond") / "data" / f"{RESPONSE_RULES}.yaml"
    return yaml.safe_load(path.read_text("utf-8"))


def joined_text(text: str | list[str]) -> str:
    """A burst of messages (a list) read as one text, a line each."""
    return "\n".join(text) if isinstance(text, list) else text
