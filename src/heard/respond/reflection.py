"""``reflect``: say back what the customer said, in their terms, with a feeling guess.

"It sounds like it was extremely stressful for you because you needed the movers to be
at your place by 1 pm so you could clean your apartment before the inspection."

Every fact in a reflection comes from the customer's own words, shifted to the agent's
perspective (``heard.language.perspective``); nothing is explained, defended or blamed,
and profanity or insults are never repeated. Wording: ``data/reflection.v1.yaml``.
"""

from __future__ import annotations

import hashlib
import re

from pydantic import BaseModel, ConfigDict, Field

from heard.language import PROBLEM_KINDS, parse, unshouted
from heard.language.cleanup import EMOJI
from heard.language.focus import cues_in, focus
from heard.language.verbs import base_form
from heard.respond._wording import (
    INSULT,
    PRAISE_PREFIX,
    RUN_ON,
    _third_person,
    after_but,
    feeling_about,
    is_clause,
    joined_text,
    promise_tokens,
    reflection_wording,
    said_happened,
    say_back,
    span_tokens,
    still_waiting,
    thanked_for,
    told,
    trouble_after,
    trouble_before,
    why_statement,
    with_own_subject,
)
from heard.understand import MAX_CHARS, Analysis, analyze
from heard.understand.analysis import prepare_text
from heard.understand.clauses import (
    QUESTION_OPENERS,
    clause_tokens,
    customer_is_subject,
    is_feeling_statement,
    is_trouble,
)
from heard.understand.complaint import Part
from heard.understand.confirmation import confirmation

_ASKS = {"WRB", "WP", "MD", "VBZ", "VBP", "VBD"}
_TELL_ME = re.compile(
    r"^(can|could|would|will) (you|u|someone|somebody|anyone) (please )?((tell|let) (me|us)( know)?|explain( to (me|us))?)"
    r"(?= (whether|if|how|what|when|where|why|who|which)\b)"
)
_PURPOSE_BEFORE = re.compile(r"(so (that )?(I|we) (could|can|would)|in order|time|able) (to )?$", re.I)
MAX_WORDS = 45
# A long letter gets the core of its story, short enough for a chat: fewer words said back.
LETTER_CHARS, LETTER_WORDS = 600, 34
_CONNECTOR = re.compile(r"^(and |also |plus |besides |on top of (that|this),? |as well,? )+", re.I)


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


def _wanted(doc, need: list) -> str:
    """The outcome asked for, as the agent says it: "I want a refund" -> "you want a refund"."""
    if len(need) < 2:
        return ""
    if need[0].tag_ in _ASKS and need[0].sent.text.rstrip().endswith("?"):
        asked = _TELL_ME.match(" ".join(t.lower_ for t in need[:8]))
        if asked:  # "could you tell me whether X" -> "whether X"
            rest = need[len(asked.group().split()) :]
            if len(rest) >= 3:
                return f"you want to know {say_back(rest)}"
        return f"you want to know {_indirect(need)}"  # "where is my refund" -> "where your refund is"
    if need[0].lower_ in {"want", "need"} and need[0].dep_ == "ROOT":  # "want a new one, not a repair"
        return f"you {say_back(need)}"
    if need[0].lower_ in {"all", "what"} and need[-1].text != "?":  # "what I want is the money back"
        return say_back(need)
    if need[0].lower_ in {"someone", "somebody", "you"}:
        return f"you feel {say_back(need)}"  # "someone needs to retrain your staff"
    if need[0].lower_ in {"please", "pls", "plz"}:
        need = need[1:]
    asked = need[0].i > 0 and need[0].nbor(-1).lower_ in {"please", "pls", "plz"}
    if need[0].pos_ == "VERB" and (need[0].tag_ == "VB" or asked):  # a request: "refund it", "pls refund it"
        return f"you'd like us to {say_back(need)}"
    return say_back(need) if len(need) >= 3 and is_clause(need) else ""


def _indirect(question: list) -> str:
    """A question said back: "where is my refund" -> "where your refund is", "is there any way
    to switch it" -> "whether there is any way to switch it"."""
    first = question[0]
    yes_no = first.tag_ in {"MD", "VBZ", "VBP", "VBD"}
    verb_at = 0 if yes_no else 1
    if (
        len(question) > verb_at + 1
        and question[verb_at].pos_ == "AUX"
        and (
            first.dep_ not in {"nsubj", "nsubjpass"}
            or not yes_no
            and question[verb_at].lower_ in {"do", "does"}
        )
    ):
        rest = question[verb_at + 1 :]
        subject = [t for t in rest if t.dep_ in {"nsubj", "nsubjpass", "attr", "expl"}]
        if subject and not yes_no and question[verb_at].lower_ in {"do", "does"}:
            # do-support falls away: "who do I chase" -> "who you chase"
            verb = next((t for t in rest if t.i > subject[0].i and t.tag_ == "VB"), None)
            if verb is not None:
                said_verb = _third_person(verb.lower_) if question[verb_at].lower_ == "does" else verb.lower_
                before = [t for t in rest if t.i < verb.i]
                after = [t for t in rest if t.i > verb.i and t.text != "?"]
                return " ".join(x for x in (first.lower_, say_back(before), said_verb, say_back(after)) if x)
        if subject:
            end = subject[0].right_edge.i
            head = [] if yes_no else [first]
            pieces = (
                head + [t for t in rest if t.i <= end],
                [question[verb_at]],
                [t for t in rest if t.i > end],
            )
            said = " ".join(say_back(p) for p in pieces if p)
            return f"whether {said}" if yes_no else said
    return say_back(question)


def _is_purpose(source: str, part: Part | None) -> bool:
    return part is not None and bool(_PURPOSE_BEFORE.search(source[max(0, part.start - 30) : part.start]))


# "fix it or I'm leaving": the threat is not said back as what they want.
_ULTIMATUM = re.compile(r",? or (?:else )?(?:you're|you are|you'll|you will)\b.*$")
# Very short fury with no problem named ("Seriously?? Again??", "this is a joke"): reflect the
# feeling and invite more, even when the emotion model heard only a question.
_FURY = re.compile(
    r"\b(?:seriously|again|unbelievable|ridiculous|joke|kidding|come on|useless|pathetic|disgrace\w*|wtf)\b",
    re.I,
)
_FURY_WORDS = 10
# Time it cost them ("2 hrs on the tarmac", "90 mins on hold", "3 gate changes"): a complaint's
# cost even when no trouble word is used.
_TIME_LOST = re.compile(
    r"\b\d+(?:\.\d+)?\s*(?:-\s*)?(?:hours?|hrs?|h|mins?|minutes|days|weeks|months|gate changes|times)\b", re.I
)
_BUT = re.compile(r"\b(?:but|however|though|still)\b", re.I)
_THANKS = {"grateful", "pleased", "relieved"}
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
        if not subject or subject[0].lower_ in {"i", "we"}:
            return ""  # "the receptionist said I'd lose the deposit" is no need of theirs
        said = _OBJECT.get(subject[0].lower_, say_back(subject)) if len(subject) == 1 else say_back(subject)
        return f"{said} to {say_back(tokens[k + 1 :])}".strip()
    return ""


_CLEARS_US = re.compile(r"\bnot (?:our|us|ours)\b|\bnot blaming\b|\bnot (?:the|a) \w+'s fault\b", re.I)
_PRAISE = re.compile(
    r"\b(?:thanks?|thank you|appreciate|great|brilliant|fantastic|wonderful|lovely|amazing|love|genius"
    r"|impressive|congratulations|world-class|well done|good job|welcome|no worries)\b",
    re.I,
)


def _fit(part: str, *, sarcastic: bool) -> str:
    """A part said back, or nothing: never one that clears the company in the agent's mouth
    ("you know it's not our fault"), runs it down ("our support is a joke") or, in a
    sarcastic message, praises."""
    if _CLEARS_US.search(part) or INSULT.search(part) or sarcastic and _PRAISE.search(part):
        return ""
    return part


# The output check: forms a reflection must never have, whatever the parse gave.
_ORPHAN_NOT = re.compile(r"(?:^|[\s,])n't\b|\b(?:ca|wo|sha)\b(?! ?n't)", re.I)
_DOUBLED = re.compile(r"\b(\w+)\s+\1\b", re.I)
_ALLOWED_DOUBLE = {"had", "that", "very", "so", "really", "is"}
_WORDS = re.compile(r"[A-Za-z][A-Za-z']*")
_TEXT_SPEAK = re.compile(r"\b(?:u|ur|r|smh|wtf|lol|idk|tbh)\b", re.I)
# Text-speak an agent writes out in full when saying it back.
_SPELLED_OUT = {"bc": "because", "b/c": "because", "coz": "because", "cuz": "because", "pls": "please",
                "plz": "please", "thx": "thanks", "acc": "account", "a/c": "account", "b4": "before",
                "asap": "as soon as possible", "hrs": "hours", "mins": "minutes", "yr": "year", "yrs": "years",
                "msg": "message", "amt": "amount", "txn": "transaction", "pmt": "payment"}  # fmt: skip
_SPELLED = re.compile(r"(?<![\w/])(?:" + "|".join(re.escape(k) for k in _SPELLED_OUT) + r")(?![\w/])", re.I)
_NO_SUBJECT = re.compile(
    r"\bbecause (?:would|could|should|will|can|is|are|was|were|has|have|had|did|does|do|got|charged|sent"
    r"|took|made|gave|told|said|lost|kept|left)\b",
    re.I,
)
# A word the clean-up took out left its sentence with a hole ("sent the deposit to , who").
_HOLE = re.compile(
    r"\b(?:to|of|from|at|by|with|named|called|the|a|an|and|your|our|my)\s*[,.;:]|\b(?:on|in|for)\s*,\s*\d|,\s*[,.]|\s\.\s"
    r"|\bon\.$"
)
# A question word left dangling at the end ("... withdrawn credit card why").
_DANGLING = re.compile(r"\b(?:why|how|what|when|where|who)\W*$", re.I)
_REPEATED = re.compile(r"\b((?:\w+ ){3}\w+)\b.*\b\1\b", re.I)


def refusals(text: str, source: str | None = None) -> list[str]:
    """Why a reflection cannot be sent as it stands (empty when it can): an orphan "n't" or
    "ca", a doubled word, a word cut short (with ``source``: a prefix of one of its words),
    a "because" whose verb has no subject."""
    found = []
    if _ORPHAN_NOT.search(text):
        found.append("orphan contraction")
    if any(m.group(1).lower() not in _ALLOWED_DOUBLE for m in _DOUBLED.finditer(text)):
        found.append("doubled word")
    if _TEXT_SPEAK.search(text):
        found.append("text-speak")
    if re.search(
        r"\bbecause (?:would|could|should|will|can|is|are|was|were|has|have|had|did|does|do)\b", text
    ):
        found.append("verb with no subject")
    if _REPEATED.search(text):
        found.append("repeated phrase")
    if text.count("(") != text.count(")") or text.count('"') % 2 or text.count("“") != text.count("”"):
        found.append("unbalanced mark")
    if _HOLE.search(text):
        found.append("hole")
    if RUN_ON.search(text):
        found.append("run-on")
    if _DANGLING.search(text):
        found.append("dangling question word")
    if source is not None:
        said = {w.lower() for w in _WORDS.findall(source)}
        last = _WORDS.findall(text.rstrip(". ")[-30:])
        low = last[-1].lower() if last else ""
        if (
            len(low) >= 2
            and low not in said
            and any(w.startswith(low) for w in said)
            and not _known_word(low)
        ):
            found.append("cut word")
    # A subjectless verb right after "because" ("because would like to reinstated", "because
    # charged me twice"); read by pattern, not a second parse: the check runs on every candidate.
    if _NO_SUBJECT.search(text):
        found.append("verb with no subject")
    return found


_GLUE = frozenset(
    [
        "you",
        "your",
        "yours",
        "we",
        "us",
        "our",
        "ours",
        "were",
        "are",
        "is",
        "was",
        "it",
        "because",
        "and",
        "so",
        "for",
        "to",
        "the",
        "a",
        "an",
        "of",
        "about",
        "feeling",
        "know",
        "want",
        "wanted",
        "need",
        "needed",
        "like",
        "would",
        "could",
        "can",
        "will",
        "had",
        "have",
        "has",
        "been",
        "be",
        "not",
        "no",
    ]
)


def _known_word(word: str) -> bool:
    """A word the wording adds or a form of a word (so "bill" said back from "billing" is not cut short)."""
    from heard.language.verbs import base_form

    wording = reflection_wording()
    said = " ".join([*wording["openings"], *wording["adjectives"].values(), *wording["strength"].values()])
    return word in _GLUE or word in said.lower().split() or base_form(word) != word


# A customer who drops the "I" ("Stuck on the plane in Charlotte", "been on hold 2 hours"):
# the clause said back with the subject put back.
_DROPPED_I = {"VBN": "you're", "JJ": "you're", "VBG": "you're", "been": "you've", "VBD": "you"}
_MAX_SAID = 22
_DISPLEASURE = ("anger", "annoyance", "disappointment", "disapproval", "sadness", "disgust")
_ASKED_TO = {"stop", "fix", "refund", "return", "give", "send", "call", "tell", "let", "help", "sort", "get",
             "put", "change", "cancel", "reply", "respond", "answer", "explain", "find", "bring"}  # fmt: skip


# What the customer did ("I paid", "I ordered") sets the scene; what went wrong is the problem.
_THEIR_OWN_DOING = {"pay", "order", "book", "buy", "purchase", "call", "email", "contact", "try", "use", "sign",
                    "make", "send", "ask", "tell", "go", "get", "have", "want", "need"}  # fmt: skip


def _said_sentence(doc, taken: str = "", *, least: int = 1) -> str:
    """What happened, from the clause that says most about it when the frame found no clause
    to say back: a clear complaint always gets a reflection of what happened. Every clause
    with its own verb is a candidate (a tweet often runs two sentences together without a
    stop, or puts its problem in a clause of a question); the one with most trouble wins."""
    from heard.language.focus import sentence_score

    trouble = [(c.start, c.end) for c in cues_in(doc.text) if c.kind in PROBLEM_KINDS]
    best, best_score = "", 0
    for head in _clause_heads(doc):
        tokens = [t for t in clause_tokens(head) if not t.is_space]
        if len(tokens) < 3 or is_feeling_statement(tokens):
            continue
        text = doc.text[tokens[0].idx : tokens[-1].idx + len(tokens[-1])]
        cued = sum(any(s <= t.idx < e for s, e in trouble) for t in tokens)
        score = (
            sentence_score(text)
            + cued
            + is_trouble(tokens, trouble)
            - (base_form(head.lower_) in _THEIR_OWN_DOING and customer_is_subject(tokens[:3]))
        )
        if score < least or score <= best_score and best:
            continue
        said = _clause_said(head)
        if said and said not in taken and len(said.split()) <= _MAX_SAID and not INSULT.search(said):
            best, best_score = said, score
    return best


_SUBJECTS = {"nsubj", "nsubjpass", "expl"}
_ORDINALS = {"first", "second", "third", "fourth", "fifth", "sixth", "last", "same", "only"}
_FRAGMENT_MAX = 14


def _said_thing(doc) -> str:
    """What the customer names without a verb ("2 hrs on the tarmac", "Third flight in a row with
    the TV not working"), to say back after "because of"; "" when no fragment tells of trouble."""
    from heard.language.focus import sentence_score

    trouble = [(c.start, c.end) for c in cues_in(doc.text) if c.kind in PROBLEM_KINDS]
    best, best_score = "", 0
    for sent in doc.sents:
        tokens = [t for t in sent if not (t.is_space or t.is_punct or t.pos_ == "INTJ")]
        while tokens and tokens[0].pos_ == "ADV" and tokens[0].lower_ not in {"not", "never", "still"}:
            tokens.pop(0)  # "literally the worst ..."
        if not 2 <= len(tokens) <= _FRAGMENT_MAX or sent.root.pos_ not in {"NOUN", "PROPN", "NUM", "ADP"}:
            continue
        if tokens[0].lower_ in {"not", "no", "nope"}:  # "No not that one" answers, it tells nothing
            continue
        if tokens[0].tag_ in QUESTION_OPENERS or any(c.dep_ in _SUBJECTS for c in sent.root.children):
            continue
        text = doc.text[tokens[0].idx : tokens[-1].idx + len(tokens[-1])]
        score = sentence_score(text) + is_trouble(tokens, trouble) + any(t.like_num for t in tokens)
        if score <= best_score:
            continue
        said = say_back(tokens)
        if said and not INSULT.search(said):
            first = tokens[0]
            needs_the = first.tag_ == "JJS" or first.lower_ in _ORDINALS
            best, best_score = f"the {said[0].lower()}{said[1:]}" if needs_the else said, score
    return f"of {best}" if best else ""


_ASKING = {
    "is",
    "are",
    "was",
    "were",
    "do",
    "does",
    "did",
    "has",
    "have",
    "how",
    "what",
    "when",
    "where",
    "who",
}


def _asked(doc) -> tuple[str, str]:
    """A question that complains, said back: (what it says happened, "") for "why is my account
    locked" ("your account is locked") and "how come ...", else ("", "you want to know ...")."""
    for sent in doc.sents:
        tokens = [t for t in sent if not (t.is_space or t.pos_ == "INTJ" or t.is_punct)]
        if len(tokens) < 3 or not (sent.text.rstrip(" !").endswith("?") or tokens[0].tag_ in {"WRB", "WP"}):
            continue
        if _FURY.search(sent.text):  # "are you kidding me??" asks nothing
            continue
        if tokens[0].lower_ == "how" and tokens[1].lower_ == "come" and is_clause(tokens[2:]):
            return say_back(tokens[2:]), ""
        if tokens[0].lower_ == "why" and (statement := why_statement(tokens)):
            return ("", "") if INSULT.search(statement) else (statement, "")
        if tokens[0].lower_ in _ASKING and len(tokens) <= _MAX_SAID:
            asked = _indirect(tokens)
            if asked and asked.split()[0].lower() not in {"can", "could", "will", "would"}:
                return "", f"you want to know {asked}"
    return "", ""


def _clause_heads(doc):
    """The verbs that head a clause of their own: each sentence's root and the clauses joined to
    it; not the root of a question (its statement is what is asked, not what happened)."""
    for tok in doc:
        if tok.dep_ == "ROOT":
            first = next((t for t in tok.sent if not (t.is_space or t.is_punct or t.pos_ == "INTJ")), tok)
            if first.tag_ in QUESTION_OPENERS and (
                first.tag_ in {"WRB", "WP"} or tok.sent.text.rstrip(" !").endswith("?")
            ):
                continue
            yield tok
        elif (
            tok.pos_ in {"VERB", "AUX"}
            and tok.dep_ in {"conj", "ccomp", "parataxis"}
            and any(c.dep_ in {"nsubj", "nsubjpass", "expl"} for c in tok.children)
        ):
            yield tok


# Things the company does to a customer: said back with "we" when the customer left the doer
# out ("Cancelled my flight and ...", "lost my bag again").
_DONE_TO_THEM = {"cancel", "cancelled", "canceled", "delay", "delayed", "lose", "lost", "charge", "charged",
                 "overcharged", "damaged", "broke", "bumped", "misplaced", "ruined", "blocked", "closed",
                 "froze", "frozen", "suspended", "denied", "declined", "rejected", "refused", "ignored",
                 "disconnected", "dropped", "forgot", "sent", "billed", "stranded", "hung", "kept"}  # fmt: skip


_DURATIONS = {"hour", "hours", "hrs", "minutes", "mins", "days", "weeks", "months"}
_SETTING = {"prep", "advmod", "advcl", "npadvmod", "intj", "punct", "cc", "mark"}


def _ironic_thanks(doc, *, sarcastic: bool) -> str:
    """ "Thanks for cancelling my flight": what the company is thanked for, when it is a thing
    done to the customer (or the message reads as sarcastic); else ""."""
    said = thanked_for(doc)
    return said if said and (sarcastic or said.split()[1] in _DONE_TO_THEM) else ""


def _clause_of(sent) -> str:
    return _clause_said(sent.root)


def _clause_said(root) -> str:
    tokens = [
        t
        for t in clause_tokens(root)
        if not t.is_space and not (t.is_punct and t.text not in {"'", "$", "%"})
    ]
    while tokens and (tokens[0].pos_ in {"CCONJ", "INTJ"} or tokens[0].is_punct):
        tokens.pop(0)
    subject = next((c for c in root.children if c.dep_ in {"nsubj", "nsubjpass", "expl"}), None)
    if (
        subject is not None
        and tokens
        and (
            root.dep_ != "ROOT"  # a clause joined to another starts at its subject
            or all(c.dep_ in _SETTING for c in root.children if tokens[0].i <= c.i < subject.left_edge.i)
        )
    ):  # "after 90 mins on hold, the window has closed": the clause, not its setting
        tokens = [t for t in tokens if t.i >= subject.left_edge.i]
    if len(tokens) < 2:
        return ""
    if is_clause(tokens):
        return say_back(tokens)
    if any(t.dep_ in {"nsubj", "nsubjpass", "expl"} for t in tokens):
        return ""
    first = tokens[0]
    if first.tag_ == "MD" and tokens[1].dep_ == "neg" and first.dep_ == "aux":
        return f"you {say_back(tokens)}"  # "Couldn't make changes online" -> "you couldn't make ..."
    if first.lower_ == "still" and not any(t.pos_ in {"VERB", "AUX"} for t in tokens):
        if tokens[1].lower_ in {"no", "nothing"}:  # "Still no refund" -> "there's still no refund"
            return f"there's {say_back(tokens)}"
        if tokens[1].pos_ in {"DET", "ADJ"}:  # "still the same" -> "it's still the same"
            return f"it's {say_back(tokens)}"
        return f"you're {say_back(tokens)}"  # "Still on hold..." -> "you're still on hold"
    if first.lower_ in {"no", "nobody", "nothing"} and root.pos_ not in {"VERB", "AUX"}:
        return f"there was {say_back(tokens)}"  # "No help from anyone" -> "there was no help from anyone"
    if first.tag_ == "VB" and first.i == root.i and first.lower_ in _ASKED_TO:  # "Stop losing my luggage!"
        return f"you want us to {say_back(tokens)}"
    if (
        root.pos_ in {"NOUN", "NUM", "PROPN"}
        and root.dep_ == "ROOT"
        and first.tag_ not in {"WRB", "WP", "RB"}
        and any(t.like_num or t.lower_ in _DURATIONS for t in tokens)
    ):
        return f"it was {say_back(tokens)}"  # "2 hrs on the tarmac" -> "it was 2 hours on the tarmac"
    if (
        first.i == root.i
        and first.tag_ in {"VBD", "VBN"}
        and first.lower_ in _DONE_TO_THEM
        and any(
            c.dep_ == "dobj" and any(g.lower_ in {"my", "our"} for g in c.children) for c in first.children
        )
    ):
        return f"we {say_back(tokens)}"  # "Cancelled my flight" -> "we cancelled your flight"
    did = first.tag_ == "VBN" and any(
        c.dep_ == "dobj" or c.lower_ == "for" for c in first.children
    )  # "Paid for X"
    # the tag tells the dropped "I" only when the clause opens with its own head ("Stuck on the
    # plane"), not with a word of a noun phrase ("Enormous fees from ...")
    by_tag = _DROPPED_I.get(first.tag_) if first.i == root.i else None
    lead = "you" if did else _DROPPED_I.get(first.lower_) or by_tag
    return f"{lead} {say_back(tokens)}" if lead else ""


def _opening(text: str, avoid: str | None) -> str:
    openings = reflection_wording()["openings"]
    k = int(hashlib.sha1(text.encode("utf-8")).hexdigest(), 16) % len(openings)
    if openings[k] == avoid:
        k = (k + 1) % len(openings)
    return openings[k]


def _feeling_words(analysis: Analysis) -> tuple[str, str | None]:
    rules = reflection_wording()
    strength = rules["strength"][analysis.level]
    adjective = rules["adjectives"].get(analysis.feeling)
    return strength, adjective


# Tokenised letters ("I 've", "do n't") and agreement the shift to "you" breaks ("you was").
_SPLIT_CONTRACTION = re.compile(
    r"(?<=\w) ('(?:ve|d|s|re|ll|m))\b|\b(do|does|did|is|are|was|were|has|have|had|could|would|should"
    r"|ca|wo|need|must|might) (n't)\b",
    re.I,
)
_YOU_WAS = re.compile(r"\byou was(n't)?\b", re.I)


def _polish(text: str) -> str:
    """The small repairs a person makes before sending: contractions closed up, "you was" ->
    "you were", no space before a comma, no run of marks inside the sentence."""
    text = _SPLIT_CONTRACTION.sub(lambda m: m.group(1) or m.group(2) + m.group(3), text)
    text = re.sub(r"\b(?:yall|y'all|you all)\b(?= \w+ed\b)", "we", text)  # "yall cancelled my flight"
    text = _YOU_WAS.sub(lambda m: "you were" + (m.group(1) or ""), text)
    text = re.sub(r"\s+([,;:])", r"\1", text)
    text = re.sub(r"[!?]+(?=[,.]|$)", "", text)
    return re.sub(r"\(\s*\)", "", text)


def _sentence(opening: str, body: str) -> str:
    text = EMOJI.sub(" ", f"{opening} {body}").strip()
    text = _SPELLED.sub(lambda m: _SPELLED_OUT[m.group().lower()], text)
    text = re.sub(r"\bus guys\b", "we", text)  # "you guys cancelled" said back
    text = _polish(re.sub(r"\s+", " ", text))
    text = text[0].upper() + text[1:]
    return re.sub(r"\s+", " ", text).rstrip(" ,.;:") + "."


def reflect(
    text: str | list[str],
    *,
    reply: str | None = None,
    avoid_opening: str | None = None,
    analysis: Analysis | None = None,
) -> Reflection:
    """Reflect a customer's message (or a burst of messages, as a list) back with a feeling guess.

    Args:
        text: what the customer said.
        reply: the customer's answer to the previous reflection of ``text``; a correction
            or an addition is taken into account, a confirmation means move on.
        avoid_opening: the previous reflection's opening, so the next one starts differently.
        analysis: ``analyze(text)`` when the caller has it already (the emotion model then
            does not run again); ignored with a ``reply`` that changes what is reflected.

    >>> r = reflect("My parcel was supposed to arrive on Monday and it still hasn't come.")
    >>> "your parcel" in r.text and "Monday" in r.text
    True
    """
    joined = joined_text(text)
    must = None
    if reply is not None:
        answer = confirmation(reply)
        if answer.kind == "confirm":
            return Reflection(
                text=None,
                feeling=None,
                reason="the customer confirmed the reflection: acknowledge it, then ask for what is missing",
            )
        if answer.kind in {"correct", "add"}:
            must = answer.new or reply
            joined = f"{must}\n{joined}"
    if must is not None:
        analysis = None
    return _reflect(joined, avoid_opening=avoid_opening, must=must, analysis=analysis)


def _another_trouble(doc, c, did: str) -> tuple[int, str] | None:
    """The first other problem of the message (a burst often names two: "You charged me twice!"
    then "And nobody answers my emails"), said back, with where it starts; None if there is none."""
    for p in c.problems:
        if p.main or p.happened is None or c.happened is None:
            continue
        if p.happened.start < c.happened.end and c.happened.start < p.happened.end:
            continue  # the same words as the main problem's
        said = said_happened(with_own_subject(doc, span_tokens(doc, p.happened)))
        if said and said not in did:
            return p.happened.start, said
    return None


def _causes(needed: str, promise: str, did: str) -> list[str]:
    causes = [x for x in (f"you needed {needed}" if needed else "", promise, did) if x]
    if did and promise:
        causes.insert(0, f"{promise}, and {did}")
    return causes


def _candidates(
    felt: str, *, needed: str, did: str, hurt: str, promise: str, purpose: str, wanted: str
) -> list[str]:
    """Reflections from richest to barest: why it mattered (the need or the impact) whenever given."""
    causes = _causes(needed, promise, did)
    candidates = []
    if needed and purpose:
        if hurt and purpose not in hurt:
            candidates.append(f"{felt} because you needed {needed} so you could {purpose}, and {hurt}")
            candidates.append(f"{felt} because you needed {needed}, and {hurt}")
        candidates.append(f"{felt} because you needed {needed} so you could {purpose}")
    if hurt and wanted:  # both what it cost them and what they ask for, when they fit
        candidates += [
            f"{felt} because {cause}, {hurt}, and {wanted}" for cause in causes if hurt not in cause
        ]
    if hurt and purpose and purpose not in hurt:
        candidates.append(f"{felt} because {hurt}, and you need to {purpose}")
    if hurt and wanted:
        candidates.append(f"{felt} because {hurt}, and {wanted}")
    for consequence in (hurt, wanted, f"you needed to {purpose}" if purpose else ""):
        if not consequence:
            continue
        candidates += [
            f"{felt} because {cause}, and {consequence}" for cause in causes if consequence not in cause
        ]
        candidates.append(
            f"{felt}, and {consequence}" if consequence == wanted else f"{felt} because {consequence}"
        )
    candidates += [f"{felt} because {cause}" for cause in causes]
    return candidates + [felt]


def _with_new_part(candidates: list[str], doc, felt: str, *, cause: str) -> list[str]:
    """Put first the candidates that carry the customer's correction or addition (the first
    sentence of ``doc``), adding ones that do when none does."""
    first = next(iter(doc.sents))
    clause = clause_tokens(first.root)
    new_part = say_back(clause) if is_clause(clause) else ""
    if not new_part:
        return candidates
    if not any(new_part in c for c in candidates):
        candidates = [f"{felt} because {cause}, and {new_part}" if cause else f"{felt} because {new_part}",
                      f"{felt} because {new_part}", *candidates]  # fmt: skip
    return [c for c in candidates if new_part in c] + candidates


def _first_sendable(candidates: list[str], opening: str, source: str, felt: str) -> tuple[str, str]:
    """The first candidate short enough for a chat that the output check lets through."""
    most = LETTER_WORDS if len(source) > LETTER_CHARS else MAX_WORDS
    for body in candidates:
        sentence = _sentence(opening, body)
        if (
            len(sentence.split()) <= most
            and "  " not in body
            and not body.endswith(" because")
            and (body == felt or not refusals(sentence, source))
        ):
            break
    return body, sentence


def _reflect(
    joined: str, *, avoid_opening: str | None, must: str | None, analysis: Analysis | None
) -> Reflection:
    if analysis is None or "complaint" not in analysis.produced_by:  # none, or read without the frame
        analysis = analyze(joined)
    prepared = prepare_text(joined, MAX_CHARS)[0]
    source = unshouted(prepared)
    doc = parse(unshouted(focus(prepared)))  # the same parse as the analysis's (cached)
    if analysis.complaint is None:
        fury = len(source.split()) <= _FURY_WORDS and bool(
            _FURY.search(source) or re.search(r"[?!]{3,}", source)
        )
        # Displeasure the frame found no problem in ("2 hrs on the tarmac for an inch of snow"):
        # said back when a sentence tells what happened.
        displeased = (
            analysis.level != "calm" and sum(analysis.emotions.get(e, 0.0) for e in _DISPLEASURE) >= 0.5
        )
        # A clause that tells of trouble in a message that is not thanks ("2 hrs on the tarmac,
        # no hangar open"): what happened is said back even when the frame and the feeling missed it.
        said_here = ""
        told_trouble = (
            (
                not _PRAISE.search(source) or _BUT.search(source)
            )  # thanks and praise are answered, not reflected
            and (
                any(c.kind in PROBLEM_KINDS for c in cues_in(doc.text))
                or sum(analysis.emotions.get(e, 0.0) for e in _DISPLEASURE) >= 0.3
                or _TIME_LOST.search(source)
            )
            and bool((said_here := _said_sentence(doc) or _said_thing(doc)) or any(_asked(doc)))
        )
        if (
            analysis.sarcasm
            or fury
            or told_trouble
            or (analysis.level in {"upset", "angry", "furious"} and analysis.feeling not in _NOT_A_PROBLEM)
            or displeased
            and analysis.feeling not in _NOT_A_PROBLEM
            and bool(said_here := said_here or _said_sentence(doc))
        ):
            strength, _ = _feeling_words(analysis)
            feeling = analysis.feeling
            if feeling in _NOT_A_PROBLEM or feeling == "concerned" or fury and feeling == "confused":
                feeling = "frustrated"
            opening = _opening(source, avoid_opening)
            said = (
                _ironic_thanks(doc, sarcastic=True)
                if analysis.sarcasm
                else said_here or _said_sentence(doc) or _said_thing(doc)
            )
            said_or_asked = [f"because {said}"] if said else []
            if not analysis.sarcasm:
                said_or_asked += [
                    f"because {x}" if k == 0 else f", and {x}" for k, x in enumerate(_asked(doc)) if x
                ]
            for told_us in said_or_asked:
                sentence = _sentence(opening, f"you're {strength}{feeling} {told_us}".replace(" ,", ","))
                if not refusals(sentence, source):
                    return Reflection(text=sentence, feeling=feeling, opening=opening)
            body = f"you're {strength}{feeling} about this"
            return Reflection(
                text=f"{_sentence(opening, body)} {reflection_wording()['invite_more']}",
                feeling=feeling,
                opening=opening,
            )
        why = (
            "it reads as thanks"
            if analysis.feeling in {"grateful", "pleased", "relieved"}
            else "it raises no problem"
        )
        return Reflection(text=None, feeling=analysis.feeling, reason=f"{why}; answer it directly")

    if (
        (analysis.feeling in _THANKS or analysis.emotions.get("gratitude", 0.0) >= 0.5)
        and analysis.level == "calm"
        and not analysis.sarcasm
        and _PRAISE.search(source)
        and not _BUT.search(source)  # "Thanks for the info, but ...": the complaint follows
        and not _ironic_thanks(doc, sarcastic=False)
    ):
        # "My playlist is working again! Thank you!": a thanks that names the old trouble
        return Reflection(
            text=None, feeling=analysis.feeling, reason="it reads as thanks; answer it directly"
        )
    c = analysis.complaint
    expected, happened = span_tokens(doc, c.expected), span_tokens(doc, c.happened)
    impact, need = span_tokens(doc, c.impact), span_tokens(doc, c.need)
    strength, adjective = _feeling_words(analysis)
    opening = _opening(source, avoid_opening)
    felt = (
        f"it was {strength}{adjective} for you"
        if adjective
        else f"you're feeling {strength}{analysis.feeling}"
    )

    needed = _as_need(expected)
    happened = with_own_subject(doc, happened)
    did = said_happened(happened)
    if not did and (about := feeling_about(happened)):  # "I'm disgusted with the way X spoke to me"
        did = f"of {about}"
    if did and (
        before := trouble_before(doc, happened, taken=(c.expected, c.impact))
    ):  # "X has been down and nobody called back"
        did = f"{before} and {did}"
    if did and (after := trouble_after(doc, happened, taken=(c.expected, c.impact))):
        did = f"{did} and {after}"
    hurt_said = say_back(impact) if is_clause(impact) else ""
    if analysis.fault == "customer" and customer_is_subject(happened):
        # what the customer did wrong is theirs to say, not the agent's to repeat; what went
        # wrong after it ("..., but your returns page won't load") is ours to hear
        did = said_happened(after_but(happened))
    if not did and (analysis.sarcasm or c.happened is None):  # "thanks for leaving my parcel in the rain"
        did = _ironic_thanks(doc, sarcastic=analysis.sarcasm)
    if not did and c.happened is None:  # "Still waiting for my refund. It's been 6 weeks."
        did = still_waiting(doc)
    also = _another_trouble(doc, c, did) if did and analysis.fault != "customer" else None
    hurt = PRAISE_PREFIX.sub("", hurt_said)
    if c.expected and c.impact and c.impact.start <= c.expected.start < c.impact.end:
        hurt = hurt.split(" because ")[0]  # "I took the day off because you said ...": the promise once
    promised = promise_tokens(doc, expected)
    promise = say_back(promised) if is_clause(promised) else told(expected)
    if analysis.fault == "customer" and promised and promised[0].lower_ in {"i", "we"}:
        promise = needed = ""  # "I ordered the wrong size": their slip, not our promise
    if promise and did and promise in did:  # "the hotel you booked for us had no record": one story
        promise = ""
    # Nothing the agent would say sounds defensive, and sarcastic praise is not said back as thanks.
    did, hurt, promise = (_fit(x, sarcastic=analysis.sarcasm) for x in (did, hurt, promise))
    purpose = say_back(need) if need and _is_purpose(source, c.need) else ""
    if (
        purpose
        and c.expected
        and not (
            c.impact and c.impact.start <= c.need.start < c.impact.end
        )  # "no time to clean": the same story
        and (c.need.start < c.expected.start or re.search(r"[.!?]\s", source[c.expected.end : c.need.start]))
    ):
        needed = ""  # "so I can file my tax return" belongs to its own sentence's need, not the promise
    wanted = "" if purpose or not need else _wanted(doc, need)
    if hurt and hurt in wanted:  # "fix it or I'm leaving": the threat is no impact ...
        hurt = ""
    wanted = _ULTIMATUM.sub("", wanted)  # ... and no part of what they want
    candidates = _candidates(
        felt, needed=needed, did=did, hurt=hurt, promise=promise, purpose=purpose, wanted=wanted
    )
    if also is not None:  # both troubles said back, in the customer's order, while it fits
        start, other = also
        other = _CONNECTOR.sub("", _fit(other, sarcastic=analysis.sarcasm))  # "also ...": ours joins them
        first, then = (other, did) if start < c.happened.start else (did, other)
        both = f"{first}, {then}" if " and " in then else f"{first}, and {then}"  # one "and", at the end
        if other and other not in did:
            candidates = [
                *_candidates(felt, needed=needed, did=both, hurt=hurt, promise=promise, purpose=purpose,
                             wanted=wanted),
                *candidates,
            ]  # fmt: skip
    if must:  # a correction or an addition must show in the next reflection
        candidates = _with_new_part(
            candidates, doc, felt, cause=next(iter(_causes(needed, promise, did)), "")
        )
    if not did and not hurt and not promise and (said := _said_sentence(doc, wanted)):
        candidates = [*candidates[:-1], f"{felt} because {said}", felt]
    body, sentence = _first_sendable(candidates, opening, source, felt)
    if body == felt:  # the frame's parts would not do: a clause, a fragment or a question of theirs
        # a complaint the frame found: any clause of theirs is better than "tell me more"
        told_us = _said_sentence(doc, wanted, least=0) or _said_thing(doc) or _asked(doc)[0]
        if told_us:
            body, sentence = _first_sendable([f"{felt} because {told_us}", felt], opening, source, felt)
    if body == felt:  # nothing of what happened could be said back: ask for it
        sentence = f"{sentence} {reflection_wording()['invite_more']}"
    return Reflection(
        text=sentence,
        feeling=analysis.feeling,
        opening=opening,
        expected=c.expected,
        happened=c.happened,
        impact=c.impact,
        need=c.need,
    )
