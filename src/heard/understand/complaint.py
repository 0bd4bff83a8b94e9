"""The complaint frame: what the customer expected, what happened, the impact, the need.

Read from spaCy's dependency parse, so "you told me the movers would be here by 1 pm"
yields the promise ("the movers would be here by 1 pm") whatever the words around it.
Parts keep their character spans, so a reflection can shift them to the agent's
perspective token by token. Categories and fault come from ``data/complaint.v1.yaml``.
"""

from __future__ import annotations

import functools
import importlib.resources
import re
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict

from heard.language import PROBLEM_KINDS, Cue, find_cues
from heard.language.details import find_amounts, find_references, find_times
from heard.language.verbs import base_form
from heard.understand.category_meaning import by_meaning
from heard.understand.frame import clauses_in_trouble, expected_clause, happened_scored
from heard.understand.needs import about_the_customer, impact_clause, need_clause
from heard.understand.sarcasm import SCARE_QUOTES
from heard.understand.spelling import corrected, slips

RULES = "complaint.v1"

Category = Literal[
    "late_or_missed", "billing", "app_or_website_broken", "faulty_product", "rude_service", "no_response",
    "account_access", "cancellation_refund", "lost_or_damaged", "data_or_privacy",
    "credit_reporting_and_debt_collection", "other",
]  # fmt: skip
Fault = Literal["company", "customer", "third_party", "unclear"]


class Part(BaseModel):
    """A part of the frame in the customer's own words, with its span in the analysed text."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    text: str
    start: int
    end: int


class Problem(BaseModel):
    """One problem the customer raises."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    category: Category
    expected: Part | None = None
    happened: Part | None = None
    impact: Part | None = None
    need: Part | None = None
    main: bool = False


class Complaint(BaseModel):
    """What went wrong, as the customer tells it; the main problem's parts are repeated at the top."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    category: Category
    expected: Part | None
    happened: Part | None
    impact: Part | None
    need: Part | None
    times: list[str]
    amounts: list[str]
    references: list[str]
    problems: list[Problem]


@functools.cache
def _rules() -> dict:
    path = importlib.resources.files("heard.understand") / "data" / f"{RULES}.yaml"
    return yaml.safe_load(path.read_text("utf-8"))


def category_words() -> list[str]:
    """Every word or phrase of every category."""
    return [w for words in _rules()["categories"].values() for w in words]


@functools.cache
def _category_patterns() -> dict[str, re.Pattern]:
    """One pattern a category, compiled once: any of its words where a word starts with it."""
    return {
        name: re.compile(
            r"\b(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + ")"
        )
        for name, words in _rules()["categories"].items()
    }


# "my own silly fault", "not her fault": blame, not a fault in a product.
_BLAME_FAULT = re.compile(
    r"\b(?:my|our|your|their|his|her|its|own|not|no one's|nobody's|\w+'s) (?:own )?(?:\w+ )?fault\b"
)
_WORD = re.compile(r"[a-z][a-z'-]*")
# "nobody has called me back" is no response, not rude service's "called me (a liar)".
_CALL_BACK = re.compile(r"\b(?:call(?:ed|ing|s)?|rang|ring(?:ing|s)?|phoned?) (?:me|us) back\b")


@functools.lru_cache(maxsize=1024)
def _word_scores(low: str) -> tuple[tuple[str, int], ...]:
    """How many different words of each category the text uses, read as written and with
    each verb in its base form ("turned up" counts for "turn up", "calling me" for "call me")."""
    low = _CALL_BACK.sub("call back", _BLAME_FAULT.sub(" ", corrected(low.replace("’", "'"))))
    based = " ".join(base_form(w) for w in _WORD.findall(low))
    strong = _strong_words()
    scores = []
    for name, pattern in _category_patterns().items():
        found = {m.group() for m in pattern.finditer(low)} | {m.group() for m in pattern.finditer(based)}
        scores.append((name, len(found) + len(found & strong)))
    return tuple(scores)


@functools.cache
def _strong_words() -> frozenset[str]:
    """Words that name their category outright ("luggage", "customer service"): they count twice."""
    return frozenset(_rules().get("strong", []))


@functools.cache
def _own_trouble() -> re.Pattern:
    words = sorted(_rules()["trouble"], key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b", re.I)


_PERSONAL = re.compile(
    r"\b(?:i|i'm|i've|my|me|we|our|us|you|your|u|ur)\b"
    r"|(?:^|[.!?]\s+)\s*(?:stuck|delayed|cancell?ed|charged|stranded|been|missed|lost|waiting|still)\b",
    re.I,
)


def own_trouble(text: str) -> list[tuple[int, int]]:
    """Spans of trouble said in words the cue lexicon does not carry ("flight delayed 3 hrs")."""
    return [m.span() for m in _own_trouble().finditer(text.replace("’", "'"))]


def _part(tokens: list) -> Part | None:
    tokens = list(tokens)
    while tokens and tokens[0].is_space:  # where a handle or a mark was blanked
        tokens.pop(0)
    while tokens and tokens[-1].is_space:
        tokens.pop()
    if not tokens:
        return None
    doc = tokens[0].doc
    start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
    return Part(text=doc.text[start:end], start=start, end=end)


def _text(part: Part | None) -> str:
    return part.text if part else ""


def _category(text: str, cues: list[Cue], focus: str = "") -> Category:
    """The category with most evidence; words in ``focus`` (what happened) count twice."""
    scores = _category_scores(text, cues, focus)
    best = max(scores, key=lambda k: scores[k])
    return best if scores[best] > 0 else "other"  # type: ignore[return-value]


def _category_scores(text: str, cues: list[Cue], focus: str = "") -> dict[str, int]:
    """The evidence for each category: its words, those in ``focus`` twice, and the cues."""
    low = text.lower()
    scores = dict(_word_scores(low))
    if focus:
        for name, score in _word_scores(focus.lower()):
            scores[name] += score
    kinds = {c.kind for c in cues}
    if "passed_around" in kinds or "no_response" in kinds:
        scores["no_response"] += 2
    if "loss" in kinds and re.search(r"refund|money back|cancel", low):
        scores["cancellation_refund"] += 1
    if "loss" in kinds and re.search(r"charg|bill|invoice|fee|paid", low):
        scores["billing"] += 1
    return scores


# Blame the customer takes on themself.
SELF_BLAME = re.compile(
    r"\b(?:my|our) (?:own )?(?:\w+ )?(?:fault|mistake|bad|clumsiness|error|doing)\b"
    r"|\b(?:that'?s|it'?s|this is|that one'?s) on (?:me|us)\b|\bi know it was (?:me|us)\b"
    r"|\b(?:i|we) (?:accidentally|mistakenly|stupidly|carelessly)\b|\bby (?:mistake|accident)\b"
)
# The customer clears the company: "it's not your fault", "their outage, not yours".
_CLEARS = re.compile(
    r"\bnot (?:your|you|yours)\b(?:[^.?!]{0,30}\b(?:fault|problem|mistake|doing))?"
    r"|\b(?:their|the \w+'s|my \w+'s) (?:own )?(?:fault|mistake|error|outage|side|problem)\b"
)


# The company is in it: the customer addresses it, bought from it or was promised by it, or
# names something of theirs that the company holds.
_COMPANY = re.compile(
    r"\b(?:you|your|you've|you're|u|ur)\b"
    r"|\b(?:i|we) (?:ordered|bought|booked|paid for|purchased|subscribed|rented|hired)\b"
    r"|\b(?:i|we) (?:was|were) (?:told|promised|assured|guaranteed)\b"
    r"|\bmy (?:order|booking|account|bill|parcel|package|delivery|refund|subscription|appointment)\b"
)
_YOU = re.compile(r"\b(?:you|your|u|ur)\b")


def judge_fault(text: str, category: str | None, happened: Part | None = None) -> Fault:
    """Whom the customer holds responsible for what went wrong."""
    low = text.lower().replace("’", "'")
    rules = _rules()["fault"]
    if any(_said_by_customer(low, p) for p in rules["customer"]) or SELF_BLAME.search(low):
        return "customer"
    third = any(p in low for p in rules["third_party"])
    cleared = any(p in low for p in rules["clears_company"]) or bool(_CLEARS.search(low))
    company = bool(_COMPANY.search(low))
    if cleared and (third or company):
        return "third_party"
    if third and (not company or _third_party_did(happened, rules["third_party"])):
        return "third_party"
    if company or (category not in {None, "other"} and not third):
        return "company"
    return "unclear"


_TOLD = re.compile(r"\b(?:told|tells|said|says|saying|telling|informed)\b(?: (?:me|us))?(?: that)?\s*$")


def _said_by_customer(low: str, phrase: str) -> bool:
    """The customer's own words, not what someone told them ("he told me I should have ...")."""
    return any(
        not _TOLD.search(low[max(0, m.start() - 25) : m.start()]) for m in re.finditer(re.escape(phrase), low)
    )


def _third_party_did(happened: Part | None, names: list[str]) -> bool:
    """What went wrong was done by a third party the customer names ("the courier has had it")."""
    if happened is None:
        return False
    low = happened.text.lower()
    return not _YOU.search(low) and any(n in low for n in names)


_WITHOUT = re.compile(r"(?:i|we)(?: have| 've| had| 'd)?(?: been)? (?:no|without)\b")


def _going_without(clause: list) -> bool:
    """ "we have no heating", "I've been without power": the customer left without something."""
    said = " ".join(t.lower_ for t in clause)
    return bool(_WITHOUT.match(said))


def _more_problems(doc, trouble, problems: list[tuple[Problem, int]]) -> list[tuple[Problem, int]]:
    """Problems told in one sentence ("it came late, two legs were the wrong size, and ..."):
    each clause in trouble whose category no problem has yet becomes a problem of its own."""
    seen = {p.category for p, _ in problems}
    clauses = [(c, _category(" ".join(t.text for t in c), [])) for c in clauses_in_trouble(doc, trouble)]
    # "You charged me twice and NOBODY answers": a billing problem says back the charge, not
    # the other trouble its sentence told more loudly.
    for k, (problem, weight) in enumerate(problems):
        own = next((c for c, category in clauses if category == problem.category), None)
        told = _category(_text(problem.happened), []) if problem.happened else problem.category
        if own is not None and told not in {problem.category, "other"}:
            problems[k] = (problem.model_copy(update={"happened": _part(own)}), weight)
    for clause, category in clauses:
        if _going_without(clause):
            continue  # "and we have no heating with a newborn": what it cost them, not another problem
        if category not in seen and category != "other":
            seen.add(category)
            problems.append((Problem(category=category, happened=_part(clause)), 1))
    return problems


# Cues that, with a clause that says what happened, make a complaint even with no trouble word.
_ALSO_EVIDENCE = frozenset(
    {
        "sarcasm",
        "upset_word",
        "profanity",
        "threat_leave",
        "threat_public",
        "threat_legal",
        "deadline",
        "shouting",
    }
)


# Cues that say the customer holds a grievance: with a category's words, a complaint.
_GRIEVANCE = frozenset(
    {"upset_word", "profanity", "sarcasm", "threat_leave", "threat_public", "threat_legal"}
)


def read_complaint(doc, cues: list[Cue], negative: float = 0.0) -> tuple[Complaint | None, Fault]:
    """The complaint frame of a parsed message and who is at fault; no frame for a non-complaint.

    ``negative``: how strongly the emotion model reads anger, annoyance or disappointment (0..1);
    from ``NEGATIVE_FEELING`` up it is a grievance like an upset word ("this customer service is poor").
    """
    problems: list[tuple[Problem, int]] = []
    trouble = [(c.start, c.end) for c in cues if c.kind in PROBLEM_KINDS]
    # A trouble word typed with a slip ("arived with a crakced screen") is a trouble word.
    slipped = [
        (s, e) for s, e, meant in slips(doc.text) if any(c.kind in PROBLEM_KINDS for c in find_cues(meant))
    ]
    trouble += slipped
    # Trouble words count where someone's own case is told (not "Failure to return to $33,000 levels").
    own = own_trouble(doc.text) if _PERSONAL.search(doc.text) else []
    trouble += own
    if any(c.kind == "sarcasm" for c in cues):  # the company's words quoted back are what went wrong
        trouble += [m.span(1) for m in SCARE_QUOTES.finditer(doc.text)]
    current: dict = {}
    pieces: list[str] = []

    def close() -> None:
        if current.get("happened") or current.get("expected") or current.get("impact"):
            text = " ".join(pieces)
            problem = Problem(
                category=_category(text, cues), **{k: _part(v) for k, v in current.items() if v}
            )
            weight = sum(3 for k in ("expected", "happened", "impact") if current.get(k))
            problems.append((problem, weight))

    happened_score = 0
    for sent in doc.sents:
        expected = expected_clause(sent)
        impact = impact_clause(sent)
        expecting = bool(expected or current.get("expected"))
        happened, score = happened_scored(sent, expected, trouble, expecting=expecting)
        need = need_clause(sent, impact)
        if not impact and not need and current.get("happened") and not current.get("impact") and not happened:
            impact = about_the_customer(sent, trouble)
        # A new problem starts where a sentence tells of something else going wrong.
        # (An expectation told first and what happened told next are one problem.)
        if current.get("happened") and (expected or happened):
            before, now = _category(" ".join(pieces), cues), _category(sent.text, [])
            if now not in {"other", before} and before != "other":
                close()
                current, pieces, happened_score = {}, [], 0
        # Within one problem, a later clause that says plainly what went wrong ("I haven't
        # seen a penny") replaces one that only hinted at it; one about the customer or
        # theirs ("My wife has asthma and couldn't sleep") is what it cost them.
        theirs = bool(
            happened
            and {t.lower_ for s in happened if s.dep_ in {"nsubj", "nsubjpass"} for t in s.subtree}
            & {"i", "we", "my", "our"}
        )
        if (
            happened
            and current.get("happened")
            and score > happened_score
            and happened_score <= 1
            and not theirs
        ):
            current["happened"] = None
        elif happened and current.get("happened") and theirs and not impact and not current.get("impact"):
            impact = happened
        if happened and not current.get("happened"):
            happened_score = score
        for key, value in (
            ("expected", expected),
            ("happened", happened),
            ("impact", impact),
            ("need", need),
        ):
            if value and not current.get(key):
                current[key] = value
        pieces.append(sent.text)
    close()
    kinds = {c.kind for c in cues}
    if "gratitude" in kinds and not (
        kinds & (PROBLEM_KINDS | {"sarcasm", "upset_word", "profanity"}) or slipped or own
    ):
        return None, "unclear"  # "thank you, you sorted it quickly!": what we did, and they are glad
    evidence = kinds & (PROBLEM_KINDS | _ALSO_EVIDENCE) or slipped or own
    addressed = bool(_COMPANY.search(doc.text.lower().replace("’", "'"))) or any(
        s.root.tag_ == "VB" and s.root.i == s.start
        for s in doc.sents  # "fix my broadband": asked of them
    )
    if problems and not evidence and not addressed and not any(p.expected for p, _ in problems):
        return None, "unclear"  # a "not" in an opinion ("they don't think branding happens") is no complaint
    if not problems:
        category = _category(doc.text, cues)
        # A problem named without a clause we could frame ("laptop screen cracked!!") is still one;
        # so is a grievance about something a category names ("worst customer service ever").
        named = bool(kinds & PROBLEM_KINDS or slipped or own)
        grievance = bool(kinds & _GRIEVANCE) or negative >= _rules()["negative_feeling"]
        if not (named or (grievance and category != "other")) or (
            category == "other" and "trouble" in kinds and len(kinds & PROBLEM_KINDS) == 1 and not own
        ):
            return None, "unclear"
        # ... and keeps what the customer asked for ("want a new one not a repair").
        problems = [(Problem(category=category, need=_part(current.get("need") or [])), 1)]
    if len(problems) == 1:
        problems = [
            (
                problems[0][0].model_copy(
                    update={"category": _category(doc.text, cues, _text(problems[0][0].happened))}
                ),
                problems[0][1],
            )
        ]
    problems = _more_problems(doc, trouble, problems)
    main_index = max(range(len(problems)), key=lambda i: (problems[i][1], -i))
    marked = [p.model_copy(update={"main": i == main_index}) for i, (p, _) in enumerate(problems)]
    main = marked[main_index]
    if len(marked) == 1:
        # One problem whose words do not settle its category: read by meaning too ("three
        # hours and nobody at the desk can tell us anything"). Its parts stay as they are.
        meant = by_meaning(doc.text, _category_scores(doc.text, cues, _text(main.happened)))
        if meant is not None:
            main = marked[0] = main.model_copy(update={"category": meant})
    shared_need = next((p.need for p in marked if p.need), None)
    if main.need is None and shared_need is not None:  # "I want my money back" speaks for the whole message
        main = main.model_copy(update={"need": shared_need})
    complaint = Complaint(
        category=main.category,
        expected=main.expected,
        happened=main.happened,
        impact=main.impact,
        need=main.need,
        times=find_times(doc.text),
        amounts=find_amounts(doc.text),
        references=find_references(doc.text),
        problems=marked,
    )
    return complaint, judge_fault(doc.text, main.category, main.happened)
