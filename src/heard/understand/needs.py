"""What a complaint cost the customer and what they need, read from the parse.

``impact_clause``: "I didn't have time to clean before the inspection"; ``about_the_customer``:
a statement about the customer or theirs told after what went wrong; ``need_clause``: a
purpose ("so I could ..."), a request ("please ...", "I want ...") or a question.
"""

from __future__ import annotations

import re

from heard.understand.clauses import (
    QUESTION_OPENERS,
    SUBJECTS,
    clause_tokens,
    is_feeling_statement,
    is_trouble,
)

IMPACT_MARKERS = re.compile(
    r"\b(which meant|because of (this|that)|as a result|now (i|we)|(i|we) had to|(i|we) (missed|lost|wasted)"
    r"|(i|we) (couldn.t|could not|can.t|cannot|didn.t have|did not have|won.t be able|have no|had no|now have)"
    r"|(i|we) (now )?have to|(i|we) took (unpaid|a day|the day|time|the afternoon|the morning)|(i|we) stayed"
    r"|(i|we)('m| am| are|'re) (leaving|stuck|left)|(i|we) (still )?can.t|cost (me|us)|left (me|my|us|our)"
    r"|made me|(i|we) (was|were) (late|stuck|stranded)|(i|we) cried|overdrawn|(and )?now (all )?(my|our)"
    r"|(i|we) (only )?noticed|so (my|our)(?! \w+ (can|could|will|would)\b)|(i|we)('ve| have) (lost|missed|had to)"
    r"|(was|were|am|is|are|'m|'s) (so |really |very |left |completely )*(shaken|scared|terrified|humiliated|mortified"
    r"|distressed|in tears)|cried|in tears"
    r"|ended up|bounc(ed|ing)|out of stock|sold out|headache|in pain|(got|was|were) (hurt|injured|burnt|burned|sick|ill))\b",
    re.I,
)
PURPOSE = re.compile(
    r"\b(so (that )?(i|we) (could|can|would)(?!n?'t| not)|in order to|to be able to)\b", re.I
)
NEED_MARKERS = re.compile(
    r"\b((i|we)(\s+(really|just|only|now|either|also|still|simply|\w+ly))?\s*(need(ed)?|want(ed)?|would like|'d like|would appreciate|'d appreciate|expect(ed)?)\b"
    r"|(someone|somebody|you) (needs?|has|have) to|please|pls|plz|(can|could|will|would) (you|u) (please |pls )?(?=\w)|(^|(?<=[.!?] ))(want|take|send|fix|give|sort|refund)\b)",
    re.I,
)


def is_impact(tokens: list) -> bool:
    doc = tokens[0].doc
    return bool(IMPACT_MARKERS.search(doc.text[tokens[0].idx : tokens[-1].idx + len(tokens[-1].text)]))


_CLAUSE_HEADS = {"ROOT", "conj", "ccomp", "advcl", "parataxis", "relcl"}


def _clause_head(tok):
    """The verb whose clause ``tok`` belongs to."""
    while tok.dep_ not in _CLAUSE_HEADS and tok.head.i != tok.i:
        tok = tok.head
    return tok


def impact_clause(sent) -> list | None:
    """The consequence for the customer: the clause of the first impact marker ("I didn't have
    time to clean before the inspection"), with its subject ("[She] was so shaken"), its
    reasons ("... because my rent payment bounced") and any impacts coordinated with it
    ("we missed the handover, and it cost us a night in a hotel"), but not other events."""
    match = IMPACT_MARKERS.search(sent.text)
    if not match:
        return None
    start = sent.start_char + match.start()
    first = next((t for t in sent if t.idx >= start), None)
    if first is None:
        return None
    head = _clause_head(first)
    if any(c.dep_ == "mark" and c.lower_ in {"if", "though", "whether"} for c in head.children):
        return None  # "as if I couldn't understand": implied, not what it cost them
    subject = next((c for c in head.children if c.dep_ in SUBJECTS and c.i < first.i), None)
    if subject is not None:
        start = min(start, subject.left_edge.idx)
    skip: set[int] = set()
    for child in head.children:
        if child.dep_ == "conj" and child.pos_ in {"VERB", "AUX"} and not is_impact(list(child.subtree)):
            skip.update(t.i for t in child.subtree)
    tokens = [t for t in head.subtree if t.idx >= start and t.i not in skip]
    while tokens and (tokens[-1].is_punct or tokens[-1].dep_ == "cc"):
        tokens.pop()
    while tokens and tokens[0].lower_ in {"so", "which", "now", "as", "and", "then"}:
        tokens = tokens[1:]
    if len(tokens) > 25 or not any(t.pos_ in {"VERB", "AUX"} for t in tokens):
        return None
    return tokens or None


_THEIRS = {"i", "we", "my", "our", "me", "us"}


def about_the_customer(sent, trouble: list[tuple[int, int]]) -> list | None:
    """A statement about the customer or theirs ("My guests had given up"), told after what went
    wrong: an impact even without a marker word. Questions, requests and feelings are not."""
    root = sent.root
    if sent.text.rstrip().endswith("?") or root.pos_ not in {"VERB", "AUX"}:
        return None
    subject = next((c for c in root.children if c.dep_ in SUBJECTS), None)
    if subject is None or not {t.lower_ for t in subject.subtree} & _THEIRS:
        return None
    tokens = clause_tokens(root)
    # "I called them" is a step, not an impact: the customer's own doing needs a negation
    # or trouble; something of theirs ("my guests had given up") is enough on its own.
    if subject.lower_ in {"i", "we"} and not is_trouble(tokens, trouble):
        return None
    if is_feeling_statement(tokens) or NEED_MARKERS.search(sent.text):
        return None
    return tokens or None


def _question(sent) -> list | None:
    """A question that says what the customer needs: "Where is my refund?", "Is there any
    way to switch it?", "My mistake, but can it be redirected today?"."""
    if not sent.text.rstrip().endswith("?"):
        return None
    start = next(
        (
            t.i
            for t in sent
            if t.tag_ in QUESTION_OPENERS and (t.i == sent.start or t.nbor(-1).lower_ in {"but", ",", "so"})
        ),
        None,
    )
    if start is None:
        return None
    tokens = [t for t in sent if not t.is_punct and t.i >= start]
    return tokens if len(tokens) >= 3 else None


_ALL_I_NEED = re.compile(
    r"\b(all|what) (i|we) (really |just )?(need|want|ask for|asked for|want is for)\b", re.I
)


def need_clause(sent, impact: list | None) -> list | None:
    """What the customer needed: a purpose ("so I could clean ..."), the purpose in an impact
    ("no time to clean ..."), or the outcome they ask for ("I want X", "please X")."""
    purpose = PURPOSE.search(sent.text)
    if purpose:
        at = sent.start_char + purpose.end()
        verb = next((t for t in sent if t.idx >= at and t.pos_ in {"VERB", "AUX"}), None)
        if verb is not None:
            return [t for t in clause_tokens(verb) if t.idx >= at] or None
    if impact:
        for tok in impact:
            if tok.lower_ == "time":
                purpose = [c for c in tok.children if c.dep_ in {"relcl", "acl", "xcomp"}]
                if purpose:
                    return [
                        t for t in purpose[0].subtree if t.lower_ != "to" or t.i != purpose[0].left_edge.i
                    ]
    if asked := _question(sent):
        return asked
    if all_of := _ALL_I_NEED.search(sent.text):  # "All I need is someone to confirm ..."
        at = sent.start_char + all_of.start()
        tokens = [t for t in sent if t.idx >= at and not t.is_punct]
        return tokens if len(tokens) > 4 else None
    match = NEED_MARKERS.search(sent.text)
    if match:
        at = sent.start_char + match.start()
        verb = next((t for t in sent if t.idx >= at and t.pos_ == "VERB"), None)
        if verb is None:
            return None
        if match.group().split()[0].lower() in {"someone", "somebody", "you"}:  # "someone needs to X"
            return [t for t in sent if t.idx >= at and not t.is_punct] or None
        if not re.match(
            r"(i|we)\b", match.group(), re.I
        ):  # a request: "please X and Y", "can you X", "want X"
            tokens = [t for t in verb.subtree if t.i >= verb.i]
            while tokens and tokens[-1].is_punct:
                tokens.pop()
            return tokens or None
        subject = next((c for c in verb.children if c.dep_ in SUBJECTS), None)
        first = subject.left_edge.i if subject is not None else verb.i
        return [t for t in clause_tokens(verb) if t.i >= first] or None
    return None
