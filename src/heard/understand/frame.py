"""Reading what was expected and what happened instead from spaCy's parse, clause by clause.

Each reader takes a parsed sentence and returns the tokens of one part, or None: what the
customer expected (``expected_clause``) and what happened instead (``happened_scored``,
with how plainly it is said); the impact and the need are read in ``heard.understand.needs``, and
``heard.understand.complaint`` assembles the parts into a frame.
"""

from __future__ import annotations

import re

from heard.language.verbs import base_form
from heard.understand.clauses import (
    QUESTION_OPENERS,
    SUBJECTS,
    clause_tokens,
    customer_speaks,
    is_feeling_statement,
    is_trouble,
    negated,
)
from heard.understand.needs import NEED_MARKERS, is_impact

PROMISE_VERBS = {"tell", "promise", "assure", "guarantee", "say", "confirm", "inform", "advise", "quote"}
EXPECT_ADJ = {
    "suppose",
    "supposed",
    "meant",
    "due",
    "scheduled",
    "schedule",
    "expected",
    "expect",
    "book",
    "booked",
}


_OPENERS = {"hi", "hello", "hey", "ok", "okay", "so", "well", "oh", "um", "excuse", "sorry", "please"}


def _first_word(sent):
    """The sentence's first word after a greeting or interjection ("Hi, what are ...")."""
    return next(
        (t for t in sent if not (t.is_punct or t.is_space or t.pos_ == "INTJ" or t.lower_ in _OPENERS)),
        sent[0],
    )


def _question(sent) -> bool:
    """A question ("Where is it?", "Hi, can you ...?!"): it asks; it does not tell what happened."""
    return "?" in sent.text.rstrip()[-3:] and _first_word(sent).tag_ in QUESTION_OPENERS


def _purpose(tok) -> bool:
    """ "so my bank can refund me": what something is for, not what happened."""
    return any(c.dep_ == "mark" and c.lower_ == "so" for c in tok.children) and any(
        c.dep_ == "aux" and c.tag_ == "MD" for c in tok.children
    )


def _asked(tok) -> bool:
    """``tok`` sits in what the customer asks: a "whether/if" clause or a request's complement."""
    for t in [tok, *tok.ancestors]:
        if any(c.dep_ == "mark" and c.lower_ in {"whether", "if"} for c in t.children):
            return True
        if (
            t.dep_ in {"xcomp", "ccomp"}
            and t.i > t.head.i
            and base_form(t.head.text)
            in {
                "need",
                "want",
                "like",
                "ask",
                "expect",
            }
        ):
            return customer_speaks(t.head)
    return False


def clause_tokens_w(head) -> list:
    """An expectation's clause ends before a following "when ..." clause."""
    return clause_tokens(head, split_when=True)


def _expectation(tok) -> tuple[int, list] | None:
    """(how plainly, tokens) when ``tok`` carries an expectation: a promise (3), what should
    have happened or was due (2), what was paid for, ordered or quoted (1)."""
    lemma = base_form(tok.text)
    if _asked(tok):
        return None  # "whether my plan covers accidents", "I need you to confirm X"
    if lemma in PROMISE_VERBS and tok.pos_ == "VERB" and not customer_speaks(tok):
        comp = [
            c
            for c in tok.children
            if c.dep_ == "ccomp" or c.dep_ == "xcomp" and lemma in {"promise", "guarantee"}
        ]
        if comp:
            return 3, clause_tokens_w(comp[0])
        obj = [c for c in tok.children if c.dep_ in {"dobj"}]
        if lemma in {"promise", "guarantee", "quote", "confirm"} and obj:
            return 3, [t for t in clause_tokens_w(tok) if t.i > tok.i]
        if any(c.dep_ == "nsubjpass" for c in tok.children):  # "it was guaranteed by Thursday"
            return 3, clause_tokens_w(tok)
    if tok.tag_ == "VBN" and {"should", "have"} <= {c.lower_ for c in tok.children if c.dep_ == "aux"}:
        return 2, clause_tokens_w(tok)  # "it should have been plumbed in"
    if (tok.lower_ in EXPECT_ADJ or lemma in EXPECT_ADJ) and any(
        c.dep_ == "xcomp" or c.dep_ == "prep" and c.lower_ in {"for", "at", "on"} for c in tok.children
    ):
        return 2, clause_tokens_w(tok)
    if lemma == "pay" and not any(c.dep_ == "neg" for c in tok.children):  # not "couldn't pay for"
        purpose = [c for c in tok.children if c.dep_ in {"prep", "advcl"} and (c.lower_ == "for" or any(
            m.lower_ == "for" for m in c.children if m.dep_ == "mark"))]  # fmt: skip
        if purpose:
            tokens = list(purpose[0].subtree)
            return 1, tokens[1:] if tokens[0].lower_ == "for" else tokens
    if (
        lemma == "order"
        and tok.pos_ == "VERB"
        and any(c.dep_ in SUBJECTS and c.lower_ in {"i", "we"} for c in tok.children)
    ) and any(c.dep_ == "dobj" for c in tok.children):
        return 1, clause_tokens_w(tok)
    # "I was quoted $95", "the quote was $350", "my plan is $59.99" (not "cancel my plans")
    if lemma in {"quote", "plan"} and (tok.pos_ == "VERB" or tok.dep_ in SUBJECTS) or tok.lower_ == "usually":
        head = tok if tok.pos_ in {"VERB", "AUX"} else tok.head
        return 1, clause_tokens_w(head)
    return None


def expected_clause(sent) -> list | None:
    """A promise or expectation: "you told me X", "X was supposed to Y", "it was guaranteed by
    Thursday", "I paid for X", "I ordered X", "the quote was $350"; the plainest one in the
    sentence, the first among equals."""
    if _question(sent):
        return None  # "Could you tell me ...?" asks; checked once a sentence, not once a word
    best: tuple[int, list] | None = None
    for tok in sent:
        found = _expectation(tok)
        if found is not None and found[1] and (best is None or found[0] > best[0]):
            best = found
    return best[1] if best else None


def _has_subject(tokens: list) -> bool:
    return any(t.dep_ in SUBJECTS for t in tokens)


def _with_subject(tok, clause: list) -> list:
    """A coordinated verb with no subject of its own ("... and wouldn't open") takes its
    head's subject: the span runs from that subject to the end of the clause."""
    if not clause or _has_subject(clause) or tok.dep_ != "conj":
        return clause
    subject = next((c for c in tok.head.children if c.dep_ in SUBJECTS), None)
    if subject is None:
        return clause
    return list(tok.doc[subject.left_edge.i : clause[-1].i + 1])


def _company_action(tokens: list) -> bool:
    """ "You charged me", "your driver threw ...", "you're still taking £41": the company did
    (or keeps doing) something to the customer. "The part your technician fitted" is about
    the part: a relative clause inside the subject does not count."""
    subject = next((t for t in tokens if t.dep_ in SUBJECTS), None)
    if subject is None:
        return False
    inner = {t.i for c in subject.children if c.dep_ in {"relcl", "acl"} for t in c.subtree}
    words = {t.lower_ for t in subject.subtree if t.i not in inner}
    if not words & {"you", "your", "ur", "u", "you've", "you're"}:
        return False
    # "your form gives an error": what the company's things do now counts too
    present = {"VBZ", "VBP"} if words & {"your", "ur"} else set()
    return any(
        t.tag_ in {"VBD", "VBN"} | present
        or t.tag_ == "VBG"
        and t.dep_ != "amod"
        or t.lower_ in {"still", "keep", "keeps"}
        for t in tokens
    )


# Verbs of the customer's own guessing: "I'll just assume you all went on holiday" is no event.
_GUESS = {"assume", "guess", "suppose", "bet", "imagine", "think", "hope", "know", "wonder", "suspect",
          "blame", "mean", "realise", "realize", "understand", "appreciate"}  # fmt: skip
_DETAIL = re.compile(
    r"[$€£]\s?\d|\b\d{1,2}(:\d\d)?\s?(am|pm)\b|\b\d{1,2}:\d\d\b|\b(now|only|still) \w+day\b", re.I
)


def _guessed(tok) -> bool:
    head = tok.head
    while tok.dep_ in {"conj"} and head.i != tok.i:
        tok, head = head, head.head
    return tok.dep_ == "ccomp" and base_form(head.text) in _GUESS and customer_speaks(head)


_CONTENT_MARKS = {"that", "whether", "if", "though", "as"}


def _reported(tok) -> bool:
    """ "(told me) that I was overreacting", "whether my plan covers it", "as if I couldn't
    understand": what someone said, asked or implied, not what happened."""
    return any(c.dep_ == "mark" and c.lower_ in _CONTENT_MARKS for c in tok.children)


def _comparison(tok) -> bool:
    """ "I've never been spoken to like that": how it compares, not what happened."""
    return any(
        c.dep_ == "prep" and c.lower_ == "like" and any(g.lower_ in {"that", "this"} for g in c.children)
        for c in tok.children
    )


def _with_reporter(tok, clause: list) -> list:
    """ "Tracking shows you signed for it": what a record or a third party reports keeps who
    reports it, so it is not said back as a plain fact."""
    head = tok.head
    reports = head.lower_ in {"says", "say", "shows", "show", "claims", "claim"}  # now, so no promise
    if (
        tok.dep_ != "ccomp"
        or head.pos_ != "VERB"
        or base_form(head.text) in PROMISE_VERBS | _GUESS
        and not reports
    ):
        return clause
    subject = next((c for c in head.children if c.dep_ in SUBJECTS and c.i < head.i), None)
    if subject is None or subject.lower_ in {"i", "we"} or not clause or subject.i > clause[0].i:
        return clause
    return list(tok.doc[subject.left_edge.i : clause[-1].i + 1])


def happened_scored(sent, expected: list | None, trouble: list[tuple[int, int]], *, expecting: bool = False):
    """What went wrong and how plainly the clause says so (0 when nothing was found):
    a negation (3), what the company did or what came instead of the expectation (2),
    a trouble word (1); with an expectation in the message, a clause giving a time or
    an amount ("it arrived at 11:40 am") says what happened instead (1)."""
    taken = {t.i for t in expected} if expected else set()
    best, best_score = None, 0
    if _question(sent):
        return None, 0
    for tok in sent:
        if (
            tok.pos_ not in {"VERB", "AUX"}
            or tok.i in taken
            or tok.dep_ in {"aux", "auxpass", "relcl", "amod"}
        ):
            continue
        if base_form(tok.text) in PROMISE_VERBS and expected:
            continue
        if tok.tag_ == "VBG" and not any(c.dep_ in {"aux", "auxpass"} for c in tok.children):
            continue
        if (
            tok.dep_ in {"xcomp", "ccomp"}
            and tok.i > tok.head.i
            and base_form(tok.head.text) in {"need", "want", "like", "ask"}
        ):
            continue  # "I want you to refund it" asks; it does not tell
        if base_form(tok.text) in {"need", "want"} and customer_speaks(tok):
            continue  # "You charged me twice, I want a refund": the want is a need, not an event
        if _guessed(tok) or base_form(tok.text) in _GUESS and customer_speaks(tok):
            continue
        if _reported(tok) or _comparison(tok) or _asked(tok) or _purpose(tok):
            continue
        if expected and any(t.head.i == tok.i for t in expected):
            continue  # the verb that carries the expectation ("I paid $180 for you to fix it")
        whole = _with_subject(tok, clause_tokens(tok))
        clause = [t for t in whole if t.i not in taken]
        if clause and (clause[-1].i - clause[0].i + 1 != len(clause) or clause[-1].pos_ == "ADP"):
            clause = whole  # no hole and no dangling "of" where the expectation was taken out
        while clause and clause[0].dep_ in {"cc", "punct"}:  # "(I ordered X) and got Y"
            clause.pop(0)
        # "I ordered X and received Y": Y shares its subject with the expectation.
        instead = tok.dep_ == "conj" and tok.head.i in taken
        told = _has_subject(clause) or (tok.dep_ == "conj" and taken)
        if not clause or not told or is_feeling_statement(clause) or is_impact(clause):
            continue
        if NEED_MARKERS.match(clause[0].text + " " + " ".join(t.text for t in clause[1:3])):
            continue
        # What did not happen, then what the company did, say more than a trouble word alone.
        score = 3 if negated(clause) else 2 if _company_action(clause) or instead else 0
        score = score or int(is_trouble(clause, trouble))
        if not score and (expecting or taken) and _DETAIL.search(" ".join(t.text for t in clause)):
            score = 1
        if score > best_score:
            best, best_score = _with_reporter(tok, clause), score
    if best is None:
        best = _denial(sent)
        best_score = 3 if best else 0
    return best, best_score


def _denial(sent) -> list | None:
    """A sentence with no verb that denies: "No call, no email, nothing." """
    if any(t.pos_ in {"VERB", "AUX"} for t in sent):
        return None
    tokens = [t for t in sent if not t.is_punct]
    if is_feeling_statement(tokens) or any(
        t.lower_ in {"happy", "pleased", "impressed", "amused", "fault", "problem"} for t in tokens
    ):
        return None  # "Not happy." tells how they feel, "Not your fault." whom they clear
    return tokens if tokens and negated(tokens) else None


def clauses_in_trouble(doc, trouble: list[tuple[int, int]]) -> list[list]:
    """Every clause (a verb with its own words, coordinated verbs apart) that tells of trouble."""
    found = []
    for tok in doc:
        if tok.pos_ in {"VERB", "AUX"} and tok.dep_ in {"ROOT", "conj", "ccomp", "advcl"}:
            nested = {t.i for c in tok.children if c.dep_ == "ccomp" for t in c.subtree}
            clause = [t for t in clause_tokens(tok) if t.i not in nested]
            if clause and (is_trouble(clause, trouble) or _company_action(clause)):
                found.append(clause)
    return found
