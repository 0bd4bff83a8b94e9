"""The clause-level basics the complaint readers share: a verb's own clause, who speaks,
negation and trouble, and statements of feeling."""

from __future__ import annotations

SUBJECTS = {"nsubj", "nsubjpass", "expl", "csubj"}
# Fine tags a question opens with: a modal or a finite verb ("Can you", "Is it"), a wh-word.
QUESTION_OPENERS = {"MD", "VBZ", "VBP", "VBD", "WRB", "WP"}
_FEELING_COPULA = {
    "upset",
    "angry",
    "furious",
    "frustrated",
    "disappointed",
    "annoyed",
    "livid",
    "unhappy",
    "sad",
}


def clause_tokens(head, *, split_when: bool = False) -> list:
    """The tokens of ``head``'s clause, without coordinated clauses or a leading marker; with
    ``split_when``, without a following "when ..." clause either (an expectation ends there)."""
    skip = set()
    for child in head.children:
        if child.dep_ in {"conj", "cc"} and child.pos_ in {"VERB", "AUX", "CCONJ"}:
            skip.update(t.i for t in child.subtree)
        if child.dep_ in {"mark", "advcl", "punct"} and child.i < head.i:
            skip.update(t.i for t in child.subtree)
        if (
            child.dep_ == "advcl"
            and child.i > head.i
            and any(
                t.dep_ == "mark" or split_when and t.dep_ == "advmod" and t.tag_ == "WRB" and t.i < child.i
                for t in child.children
            )
        ):  # "... and when we arrived the restaurant had no record": a clause of its own
            skip.update(t.i for t in child.subtree)
    tokens = [t for t in head.subtree if t.i not in skip]
    while tokens and (tokens[-1].is_punct or tokens[-1].dep_ in {"cc", "mark"}):
        tokens.pop()
    while tokens and (tokens[0].is_punct or tokens[0].dep_ in {"cc", "mark"}):
        tokens.pop(0)
    return tokens


def customer_is_subject(tokens: list) -> bool:
    """The clause's subject is the customer ("I typed the wrong number")."""
    return any(t.dep_ in SUBJECTS and t.lower_ in {"i", "we"} for t in tokens)


def customer_speaks(verb) -> bool:
    """ "I told you", "(I) just wanted to say": the customer is the one telling, so it is no promise."""
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subject is None and verb.dep_ == "xcomp":
        subject = next((c for c in verb.head.children if c.dep_ == "nsubj"), None)
        if subject is None:
            return True  # "Just wanted to say ...": the customer, unnamed
    return subject is not None and subject.lower_ in {"i", "we"}


_NEGATIVE = {"nobody", "nothing", "noone", "no-one", "none", "nowhere", "never", "neither"}


def negated(tokens: list) -> bool:
    """ "didn't come", "nobody came", "no one answered", "I got no reply"."""
    return any(
        t.dep_ == "neg" or t.lower_ in _NEGATIVE or t.lower_ == "no" and t.dep_ in {"det", "neg"}
        for t in tokens
    )


def is_trouble(tokens: list, trouble: list[tuple[int, int]]) -> bool:
    """A negation, or a token inside one of the trouble cues' spans."""
    return negated(tokens) or any(any(s <= t.idx < e for s, e in trouble) for t in tokens)


def is_feeling_statement(tokens: list) -> bool:
    """ "I am very upset" states a feeling, not an event."""
    return (
        any(t.lower_ in _FEELING_COPULA and t.dep_ in {"acomp", "ROOT"} for t in tokens) and len(tokens) < 8
    )
