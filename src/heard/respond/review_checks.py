"""The checks ``review`` runs on a draft: each returns findings, with the span and a rewrite.

A check is a plain function ``(draft, reading, situation) -> list[Hit]``; its playbook step,
severity and message live in ``data/review.v1.yaml``. A span with ``start == end`` marks
where missing words should go; ``suggestion`` replaces the span ("" removes it, None: hold
the draft back).
"""

from __future__ import annotations

import functools
import importlib.resources
import re
from dataclasses import dataclass

import yaml

from heard.respond.acts import ActReading, SentenceActs, fired
from heard.respond.hearing import Hearing, hearing, story_vector, text_vector
from heard.respond.situation import Situation

RULES = "review.v1"
_ACK = ("reflection", "acknowledgement", "empathy", "apology")
_EXPLAINS = {"information": "explains", "solution": "jumps to a solution", "defensive": "defends",
             "question": "asks questions", "deflection": "passes them on", "blame": "blames them"}  # fmt: skip
_FIRST_PERSON = {"i", "my", "me", "im", "ive", "mine", "myself"}
_OPENING = 8  # sentences of a draft where a reflection is looked for
OFF_TOPIC = 0.25  # cosine below which a reflection with no shared word is about something else


@dataclass(frozen=True)
class Hit:
    """One finding before the step, severity and message are filled in from the rules."""

    check: str
    start: int
    end: int
    suggestion: str | None
    detail: dict | None = None
    severity: str | None = None  # overrides the rule's severity


@functools.cache
def rules() -> dict:
    """The checks, penalties, patterns and rewrites (``data/review.v1.yaml``)."""
    path = importlib.resources.files("heard.respond") / "data" / f"{RULES}.yaml"
    data = yaml.safe_load(path.read_text("utf-8"))
    data["patterns"] = {
        name: re.compile(data[name], re.I if name != "capitals" else 0)
        for name in ("sarcasm", "already_said", "calm_down", "capitals", "exclamations")
    }
    return data


def _words(text: str) -> list[str]:
    return [w.replace("'", "") for w in re.findall(r"[a-z0-9']+", text.lower().replace("\u2019", "'"))]


@functools.cache
def _stop_words() -> frozenset[str]:
    return frozenset(rules()["stop_words"].split())


def content_words(text: str) -> set[str]:
    """Content words cut to their first five letters (charged/charge, moving/movers)."""
    stop = _stop_words()
    return {w[:5] for w in _words(text) if w not in stop and len(w) > 2}


def _longest_copy(a: list[str], b: list[str]) -> tuple[int, int]:
    """Length and start (in ``a``) of the longest run of words ``a`` shares with ``b``; only
    matching pairs are visited, so long unrelated texts cost little."""
    where_in_b: dict[str, list[int]] = {}
    for j, word in enumerate(b):
        where_in_b.setdefault(word, []).append(j)
    best, start, previous = 0, 0, {}
    for i, word in enumerate(a):
        current = {j: previous.get(j - 1, 0) + 1 for j in where_in_b.get(word, ())}
        for run in current.values():
            if run > best:
                best, start = run, i - run + 1
        previous = current
    return best, start


def _on(s: SentenceActs, *acts: str) -> bool:
    return max(s.acts[a] for a in acts) >= 0.5


def _opening(reading: ActReading) -> SentenceActs:
    """The first sentence after a greeting line ("Dear Ms Okafor," / "Hi Sam!")."""
    for s in reading.sentences:
        if not ("greeting" in fired(s.text) and len(s.text.split()) <= 5):
            return s
    return reading.sentences[0]


# --- the customer is still venting; the reply is out of order -------------------------------


def still_venting(draft: str, reading: ActReading, situation: Situation) -> list[Hit]:
    if situation.stage != "venting":
        return []
    return [Hit("still_venting", 0, len(draft), None)]


def no_acknowledgement(draft: str, reading: ActReading, situation: Situation) -> list[Hit]:
    """A customer with a problem not yet heard: something must acknowledge before the draft
    explains (high when they are angry or furious, medium when upset, low when concerned)."""
    a = situation.analysis
    if situation.stage != "listening" or a is None or not (situation.upset or a.complaint is not None):
        return []
    first_ack = next((k for k, s in enumerate(reading.sentences) if _on(s, *_ACK)), None)
    first_other = next((k for k, s in enumerate(reading.sentences) if _on(s, *_EXPLAINS)), None)
    if first_ack is not None and (first_other is None or first_ack <= first_other):
        return []
    does = "says nothing of it"
    if first_other is not None:
        s = reading.sentences[first_other]
        does = next(v for k, v in _EXPLAINS.items() if s.acts[k] >= 0.5)
    start = _opening(reading).start
    # With a complaint on the table, skipping straight past it is never minor.
    severity = {"angry": "high", "furious": "high", "upset": "medium"}.get(
        a.level, "medium" if a.complaint is not None else "low"
    )
    return [Hit("no_acknowledgement", start, start, situation.reflection() + " ", {"does": does}, severity)]


# --- apologies ---------------------------------------------------------------------------


def _apology_text(situation: Situation) -> str:
    said = situation.apology()
    return said.text if said else "I'm sorry this happened."


def non_apology(draft: str, reading: ActReading, situation: Situation) -> list[Hit]:
    """A non-apology is high when an apology is owed (the company is at fault) or nothing says
    it is not; when the customer's message shows it is not the company's doing, it is medium:
    hollow, but less harmful than a wall or a brush-off."""
    owed = situation.customer is None or situation.fault == "company"
    return [
        Hit("non_apology", s.start, s.end, _apology_text(situation), severity=None if owed else "medium")
        for s in reading.sentences
        if "non_apology" in fired(s.text)
    ]


def no_apology(draft: str, reading: ActReading, situation: Situation) -> list[Hit]:
    """The company is at fault, nobody has apologised yet, and the draft does not either."""
    if situation.fault != "company" or situation.apologised or situation.stage in ("venting", "no_context"):
        return []
    if reading.acts["apology"] >= 0.5 or any("non_apology" in fired(s.text) for s in reading.sentences):
        return []
    # After the opening reflection or acknowledgement, if there is one; else first.
    first = _opening(reading)
    text = _apology_text(situation)
    if _on(first, "reflection", "acknowledgement", "empathy"):
        return [Hit("no_apology", first.end, first.end, f" {text}")]
    return [Hit("no_apology", first.start, first.start, f"{text} ")]


# --- heat, blame, passing around: one finding per sentence, the worst ---------------------


def _policy_offer(situation: Situation) -> str:
    remedy = rules()["remedies"].get(situation.complaint_category or "other", rules()["remedies"]["other"])
    return rules()["rewrites"]["policy_offer"].format(remedy=remedy)


def sentence_heat(draft: str, reading: ActReading, situation: Situation) -> list[Hit]:
    wording, patterns = rules()["rewrites"], rules()["patterns"]
    hits = []
    offers = reading.acts["solution"] >= 0.5
    # Defending the company to an angry customer escalates: it is no longer a matter of style.
    heated = "high" if situation.analysis and situation.analysis.level in ("angry", "furious") else None
    for s in reading.sentences:
        cues = fired(s.text)
        if "non_apology" in cues:
            continue  # its own finding
        if patterns["calm_down"].search(s.text):
            hits.append(
                Hit("calm_down", s.start, s.end, wording["calm_down"].format(feeling=situation.feeling))
            )
        elif patterns["sarcasm"].search(s.text):
            hits.append(Hit("sarcasm", s.start, s.end, ""))
        elif s.acts["blame"] >= 0.5:
            hits.append(Hit("blame", s.start, s.end, wording["blame"]))
        elif s.acts["deflection"] >= 0.5:
            hits.append(Hit("deflection", s.start, s.end, wording["deflection"]))
        elif ("policy" in cues or "but" in cues) and _on(s, "defensive", "dismissive") and not offers:
            hits.append(Hit("policy_no_offer", s.start, s.end, f"{s.text} {_policy_offer(situation)}"))
        elif s.acts["defensive"] >= 0.5:
            hits.append(Hit("defensive", s.start, s.end, wording["defensive"], None, heated))
        elif s.acts["dismissive"] >= 0.5 and not patterns["already_said"].search(s.text):
            hits.append(Hit("dismissive", s.start, s.end, wording["dismissive"], None, heated))
        if s.acts["self_disclosure"] >= 0.5:
            hits.append(Hit("self_disclosure", s.start, s.end, wording["self_disclosure"]))
    return hits


def span_heat(draft: str, reading: ActReading, situation: Situation) -> list[Hit]:
    """Capitals, exclamation runs and "as I already said", wherever they are."""
    patterns = rules()["patterns"]
    hits = [Hit("already_said", m.start(), m.end(), "") for m in patterns["already_said"].finditer(draft)]
    for m in patterns["capitals"].finditer(draft):
        shown = m.group().lower()
        if m.start() == 0 or re.search(r"[.!?]\s*$", draft[: m.start()]):
            shown = shown[:1].upper() + shown[1:]
        hits.append(Hit("capitals", m.start(), m.end(), shown))
    for m in patterns["exclamations"].finditer(draft):
        hits.append(Hit("exclamations", m.start(), m.end(), "?" if "?" in m.group() else "."))
    return hits


# --- reflections: about what the customer said, in the agent's words, with a feeling ------


def _parrots(sentence: str, customer: str) -> bool:
    """Copies a long run of the customer's words, or their "I" and "my" unshifted. A run said
    back, shifted, inside the agent's own frame (a feeling named or an apology made outside the
    copy: "So you're let down because you were promised a call back ...", "I'm sorry you're
    stuck at the airport") is a reflection or an apology naming what went wrong, not a parrot."""
    said = _words(sentence)
    run, start = _longest_copy(said, _words(customer))
    copied = set(said[start : start + run])
    if run >= 4 and bool(_FIRST_PERSON & copied):
        return True
    if run < 8 and (run < 5 or run < 0.6 * len(said)):
        return False
    frame = " ".join(said[:start] + said[start + run :])
    return not {"feeling_word", "empathy_frame", "sorry"} & fired(frame)


def _names_feeling(sentence: SentenceActs) -> bool:
    return bool({"feeling_word", "empathy_frame"} & fired(sentence.text))


_POINTS_BACK = re.compile(r"^(that|this|it|which|what an?|how)\b", re.I)


def _about(sentence: SentenceActs, reading: ActReading, said: set[str]) -> bool:
    """Does the sentence name something the customer said? "That must be so worrying." names
    what the sentence before it named."""
    words = content_words(sentence.text)
    k = reading.sentences.index(sentence)
    if k > 0 and _POINTS_BACK.match(sentence.text):
        words |= content_words(reading.sentences[k - 1].text)
    return bool(words & said)


def reflection_quality(draft: str, reading: ActReading, situation: Situation) -> list[Hit]:
    """While listening: a reflection must say back what the customer said, in the agent's
    words, and name a feeling. Judged over the draft's listening sentences together, so "That
    must be so worrying." after an apology that names the problem is not generic."""
    if situation.stage != "listening" or not situation.customer:
        return []
    customer = situation.customer
    # A reflection opens a reply: the first sentences are the ones to check for parroting.
    parrot = next((s for s in reading.sentences[:_OPENING] if _parrots(s.text, customer)), None)
    if parrot is not None:
        return [Hit("parroting", parrot.start, parrot.end, situation.reflection())]
    attempts = [s for s in reading.sentences[:_OPENING] if _on(s, "reflection", "acknowledgement", "empathy")]
    if not attempts:
        return []  # no_acknowledgement covers a draft that does not try
    said = content_words(customer)
    if not any(_about(s, reading, said) for s in attempts):
        first = attempts[0]
        # Only a reflection can be about something else: an acknowledgement of the feeling
        # that names nothing of the story ("I can hear how frustrated you are") is generic.
        about_else = (
            _on(first, "reflection")
            and len(content_words(first.text)) >= 4
            and float(text_vector(first.text) @ story_vector(customer)) < OFF_TOPIC
        )
        check = "off_topic_reflection" if about_else else "generic_reflection"
        return [Hit(check, first.start, first.end, situation.reflection())]
    reflections = [s for s in attempts if _on(s, "reflection")]
    if reflections and not any(_names_feeling(s) for s in attempts):
        return [Hit("no_feeling", reflections[0].start, reflections[0].end, situation.reflection())]
    return []


# --- does the draft hear the customer ---------------------------------------------------


def hearing_of(reading: ActReading, situation: Situation) -> Hearing | None:
    """How much of the customer's story the draft says back, while they wait to be heard."""
    if situation.stage not in ("listening", "answering") or not situation.customer:
        return None
    customer = situation.customer
    complaint = situation.analysis.complaint if situation.analysis else None
    parts = {
        name: part.text
        for name in ("happened", "impact", "expected")
        if complaint is not None and (part := getattr(complaint, name)) is not None
    }
    parrot = any(_parrots(s.text, customer) for s in reading.sentences[:_OPENING])
    # A calm question is heard by an answer on its point, so every sentence counts there.
    return hearing(
        reading, customer, parts, content=content_words, parrot=parrot, opening=_OPENING,
        answers=situation.stage == "answering",
    )  # fmt: skip


def not_heard(draft: str, reading: ActReading, heard: Hearing | None, situation: Situation) -> list[Hit]:
    """The draft says back too little of the story: name the part it left out."""
    if heard is None or situation.stage != "listening":
        return []
    if heard.heard >= rules()["hearing"]["enough"]:
        return []
    severity = "medium" if heard.heard < rules()["hearing"]["little"] else "low"
    start = _opening(reading).start
    return [Hit("not_heard", start, start, situation.reflection() + " ", None, severity)]


# --- what the stage calls for ----------------------------------------------------------


def stage_needs(draft: str, reading: ActReading, situation: Situation) -> list[Hit]:
    hits, end = [], len(draft.rstrip())
    # A draft that already puts it right evidently had the details it needed; advice that
    # skips the customer's story does not get that benefit.
    offers = reading.acts["solution"] >= 0.5 and any(_on(s, *_ACK) for s in reading.sentences)
    # While listening, or once heard with details still missing, a draft asks for them (or
    # already puts it right).
    if (
        situation.stage in ("listening", "gathering_details")
        and not offers
        and reading.acts["question"] < 0.5
        and situation.questions()
    ):
        wanted = situation.questions()
        hits.append(
            Hit(
                "no_question",
                end,
                end,
                f" {wanted[0].text}",
                {"missing": ", ".join(q.asks_for for q in wanted)},
            )
        )
    if situation.stage == "offering_solutions" and reading.acts["solution"] < 0.5:
        hits.append(Hit("no_solution", end, end, f" {_policy_offer(situation)}"))
    closes = situation.stage == "closing" or (
        reading.acts["closing"] >= 0.5
        and situation.stage in ("offering_solutions", "gathering_details", "listening")
    )
    if closes and situation.complaint_category and reading.acts["follow_up"] < 0.5:
        hits.append(Hit("no_follow_up", end, end, f" {rules()['rewrites']['follow_up']}"))
    return hits


CHECKS = (
    still_venting,
    no_acknowledgement,
    reflection_quality,
    non_apology,
    no_apology,
    sentence_heat,
    span_heat,
    stage_needs,
)
