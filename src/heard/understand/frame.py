"""Reading the parts of a complaint from spaCy's parse, clause by clause.

Each reader takes a parsed sentence and returns the tokens of one part, or None:
what the customer expected (``expected_clause``), what happened instead
(``happened_clause``), the impact on them (``impact_clause``) and what they need
(``need_clause``). ``heard.understand.complaint`` assembles them into a frame.
"""

from __future__ import annotations

import re

from heard.language.verbs import base_form

SUBJECTS = {"nsubj", "nsubjpass", "expl", "csubj"}
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
IMPACT_MARKERS = re.compile(
    r"\b(which meant|because of (this|that)|as a result|now (i|we)|(i|we) had to|(i|we) (missed|lost|wasted)"
    r"|(i|we) (couldn.t|could not|can.t|cannot|didn.t have|did not have|won.t be able|have no|had no|now have)"
    r"|(i|we) (now )?have to|(i|we) took (unpaid|a day|the day|time|the afternoon|the morning)|(i|we) stayed"
    r"|(i|we)('m| am| are|'re) (leaving|stuck|left)|(i|we) (still )?can.t|cost (me|us)|left (me|my|us|our)"
    r"|made me|(i|we) (was|were) (late|stuck|stranded)|(i|we) cried|overdrawn|(and )?now (all )?(my|our)"
    r"|(i|we) (only )?noticed|so (my|our)|(i|we)('ve| have) (lost|missed|had to)"
    r"|(was|were|am|is|are|'m|'s) (so |really |very |left |completely )*(shaken|scared|terrified|humiliated|mortified"
    r"|distressed|in tears)|cried|in tears"
    r"|ended up|bounc(ed|ing)|out of stock|sold out|headache|in pain|(got|was|were) (hurt|injured|burnt|burned|sick|ill))\b",
    re.I,
)
PURPOSE = re.compile(r"\b(so (that )?(i|we) (could|can|would)|in order to|to be able to)\b", re.I)
NEED_MARKERS = re.compile(
    r"\b((i|we)(\s+(really|just|only|now|either|also|still|simply|\w+ly))?\s*(need(ed)?|want(ed)?|would like|'d like|would appreciate|'d appreciate|expect(ed)?)\b"
    r"|(someone|somebody|you) (needs?|has|have) to|please|pls|plz|(can|could|will|would) (you|u) (please |pls )?(?=\w)|(^|(?<=[.!?] ))(want|take|send|fix|give|sort|refund)\b)",
    re.I,
)
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


def clause_tokens(head) -> list:
    """The tokens of ``head``'s clause, without coordinated clauses or a leading marker."""
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
                t.dep_ == "mark" or t.dep_ == "advmod" and t.tag_ == "WRB" and t.i < child.i
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


def _customer_speaks(verb) -> bool:
    """ "I told you", "(I) just wanted to say": the customer is the one telling, so it is no promise."""
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subject is None and verb.dep_ == "xcomp":
        subject = next((c for c in verb.head.children if c.dep_ == "nsubj"), None)
        if subject is None:
            return True  # "Just wanted to say ...": the customer, unnamed
    return subject is not None and subject.lower_ in {"i", "we"}


def expected_clause(sent) -> list | None:
    """A promise or expectation: "you told me X", "X was supposed to Y", "it was guaranteed by
    Thursday", "I paid for X", "I ordered X", "the quote was $350"."""
    for tok in sent:
        lemma = base_form(tok.text)
        subjects = [c for c in tok.children if c.dep_ in SUBJECTS]
        speaker_is_customer = _customer_speaks(tok)
        if lemma in PROMISE_VERBS and tok.pos_ == "VERB" and not speaker_is_customer:
            comp = [
                c
                for c in tok.children
                if c.dep_ == "ccomp" or c.dep_ == "xcomp" and lemma in {"promise", "guarantee"}
            ]
            if comp:
                return clause_tokens(comp[0])
            obj = [c for c in tok.children if c.dep_ in {"dobj"}]
            if lemma in {"promise", "guarantee", "quote", "confirm"} and obj:
                return [t for t in clause_tokens(tok) if t.i > tok.i]
            if any(c.dep_ == "nsubjpass" for c in tok.children):  # "it was guaranteed by Thursday"
                return clause_tokens(tok)
        if tok.tag_ == "VBN" and {"should", "have"} <= {c.lower_ for c in tok.children if c.dep_ == "aux"}:
            return clause_tokens(tok)  # "it should have been plumbed in"
        if (tok.lower_ in EXPECT_ADJ or lemma in EXPECT_ADJ) and any(
            c.dep_ == "xcomp" or c.dep_ == "prep" and c.lower_ in {"for", "at", "on"} for c in tok.children
        ):
            return clause_tokens(tok)
        if lemma == "pay" and not any(c.dep_ == "neg" for c in tok.children):  # not "couldn't pay for"
            purpose = [c for c in tok.children if c.dep_ in {"prep", "advcl"} and (c.lower_ == "for" or any(
                m.lower_ == "for" for m in c.children if m.dep_ == "mark"))]  # fmt: skip
            if purpose:
                tokens = list(purpose[0].subtree)
                return tokens[1:] if tokens[0].lower_ == "for" else tokens
        if lemma == "order" and tok.pos_ == "VERB" and any(s.lower_ in {"i", "we"} for s in subjects):
            obj = [c for c in tok.children if c.dep_ == "dobj"]
            if obj:
                return clause_tokens(tok)
        if lemma in {"quote", "plan"} and tok.pos_ == "VERB" or tok.lower_ == "usually":
            head = tok if tok.pos_ in {"VERB", "AUX"} else tok.head
            return clause_tokens(head)
    return None


# Words that deny on their own: "nobody came", "nothing has reached my account", "no reply".
_NEGATIVE = {"nobody", "nothing", "noone", "no-one", "none", "nowhere", "never", "neither"}


def _negated(tokens: list) -> bool:
    """ "didn't come", "nobody came", "no one answered", "I got no reply"."""
    return any(
        t.dep_ == "neg" or t.lower_ in _NEGATIVE or t.lower_ == "no" and t.dep_ in {"det", "neg"}
        for t in tokens
    )


def _is_trouble(tokens: list, trouble: list[tuple[int, int]]) -> bool:
    """A negation, or a token inside one of the trouble cues' spans."""
    return _negated(tokens) or any(any(s <= t.idx < e for s, e in trouble) for t in tokens)


def _has_subject(tokens: list) -> bool:
    return any(t.dep_ in SUBJECTS for t in tokens)


def _with_subject(tok, clause: list) -> list:
    """A coordinated verb with no subject of its own ("... and wouldn't open") takes its
    head's subject: the span runs from that subject to the end of the clause."""
    if _has_subject(clause) or tok.dep_ != "conj":
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
    return bool(words & {"you", "your", "ur", "u", "you've", "you're"}) and any(
        t.tag_ in {"VBD", "VBN"}
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
    return tok.dep_ == "ccomp" and base_form(head.text) in _GUESS and _customer_speaks(head)


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
    if tok.dep_ != "ccomp" or head.pos_ != "VERB" or base_form(head.text) in PROMISE_VERBS | _GUESS:
        return clause
    subject = next((c for c in head.children if c.dep_ in SUBJECTS and c.i < head.i), None)
    if subject is None or subject.lower_ in {"i", "we"} or not clause:
        return clause
    return list(tok.doc[subject.left_edge.i : clause[-1].i + 1])


def happened_scored(sent, expected: list | None, trouble: list[tuple[int, int]], *, expecting: bool = False):
    """What went wrong and how plainly the clause says so (0 when nothing was found):
    a negation (3), what the company did or what came instead of the expectation (2),
    a trouble word (1); with an expectation in the message, a clause giving a time or
    an amount ("it arrived at 11:40 am") says what happened instead (1)."""
    taken = {t.i for t in expected} if expected else set()
    best, best_score = None, 0
    if "?" in sent.text.rstrip()[-3:] and sent[0].tag_ in {"MD", "VBZ", "VBP", "VBD", "WRB", "WP"}:
        return None, 0  # a question asks; it does not tell what happened
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
        if base_form(tok.text) in {"need", "want"} and _customer_speaks(tok):
            continue  # "You charged me twice, I want a refund": the want is a need, not an event
        if _guessed(tok) or base_form(tok.text) in _GUESS and _customer_speaks(tok):
            continue
        if _reported(tok) or _comparison(tok):
            continue
        if expected and any(t.head.i == tok.i for t in expected):
            continue  # the verb that carries the expectation ("I paid $180 for you to fix it")
        clause = [t for t in _with_subject(tok, clause_tokens(tok)) if t.i not in taken]
        while clause and clause[0].dep_ in {"cc", "punct"}:  # "(I ordered X) and got Y"
            clause.pop(0)
        # "I ordered X and received Y": Y shares its subject with the expectation.
        instead = tok.dep_ == "conj" and tok.head.i in taken
        told = _has_subject(clause) or (tok.dep_ == "conj" and taken)
        if not clause or not told or _is_feeling_statement(clause) or _is_impact(clause):
            continue
        if NEED_MARKERS.match(clause[0].text + " " + " ".join(t.text for t in clause[1:3])):
            continue
        # What did not happen, then what the company did, say more than a trouble word alone.
        score = 3 if _negated(clause) else 2 if _company_action(clause) or instead else 0
        score = score or int(_is_trouble(clause, trouble))
        if not score and (expecting or taken) and _DETAIL.search(" ".join(t.text for t in clause)):
            score = 1
        if score > best_score:
            best, best_score = _with_reporter(tok, clause), score
    if best is None:
        best = _denial(sent)
        best_score = 3 if best else 0
    return best, best_score


def happened_clause(sent, expected: list | None, trouble: list[tuple[int, int]]) -> list | None:
    """What went wrong: the clause in ``sent`` that says it most plainly, outside the expectation."""
    return happened_scored(sent, expected, trouble)[0]


def _denial(sent) -> list | None:
    """A sentence with no verb that denies: "No call, no email, nothing." """
    if any(t.pos_ in {"VERB", "AUX"} for t in sent):
        return None
    tokens = [t for t in sent if not t.is_punct]
    return tokens if tokens and _negated(tokens) else None


def _is_feeling_statement(tokens: list) -> bool:
    """ "I am very upset" states a feeling, not an event."""
    return (
        any(t.lower_ in _FEELING_COPULA and t.dep_ in {"acomp", "ROOT"} for t in tokens) and len(tokens) < 8
    )


def _is_impact(tokens: list) -> bool:
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
    subject = next((c for c in head.children if c.dep_ in SUBJECTS and c.i < first.i), None)
    if subject is not None:
        start = min(start, subject.left_edge.idx)
    skip: set[int] = set()
    for child in head.children:
        if child.dep_ == "conj" and child.pos_ in {"VERB", "AUX"} and not _is_impact(list(child.subtree)):
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
    if subject.lower_ in {"i", "we"} and not _is_trouble(tokens, trouble):
        return None
    if _is_feeling_statement(tokens) or NEED_MARKERS.search(sent.text):
        return None
    return tokens or None


_ASKS = {"WRB", "WP", "MD", "VBZ", "VBP", "VBD"}


def _question(sent) -> list | None:
    """A question that says what the customer needs: "Where is my refund?", "Is there any
    way to switch it?", "My mistake, but can it be redirected today?"."""
    if not sent.text.rstrip().endswith("?"):
        return None
    start = next(
        (
            t.i
            for t in sent
            if t.tag_ in _ASKS and (t.i == sent.start or t.nbor(-1).lower_ in {"but", ",", "so"})
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


def clauses_in_trouble(doc, trouble: list[tuple[int, int]]) -> list[list]:
    """Every clause (a verb with its own words, coordinated verbs apart) that tells of trouble."""
    found = []
    for tok in doc:
        if tok.pos_ in {"VERB", "AUX"} and tok.dep_ in {"ROOT", "conj", "ccomp", "advcl"}:
            nested = {t.i for c in tok.children if c.dep_ == "ccomp" for t in c.subtree}
            clause = [t for t in clause_tokens(tok) if t.i not in nested]
            if clause and (_is_trouble(clause, trouble) or _company_action(clause)):
                found.append(clause)
    return found
