"""Turning the customer's words into the agent's: shared by reflections and apologies."""

from __future__ import annotations

import functools
import importlib.resources
import re

import yaml

from heard.language import PROBLEM_KINDS, find_cues, shift_tokens
from heard.language.verbs import base_form
from heard.understand.clauses import customer_is_subject
from heard.understand.complaint import Part
from heard.understand.frame import PROMISE_VERBS, is_trouble
from heard.understand.spelling import corrected, known_words

REFLECTION_RULES = "reflection.v1"
RESPONSE_RULES = "responses.v1"
# Words that open a spoken sentence but carry nothing said back ("so I booked ...").
_DISCOURSE = re.compile(
    r"^(?:(?:so|well|and|but|then|honestly|ok|okay|basically|anyway|like|hi|hello|hey|yo|um|err|uh)\b,?\s+"
    r"|(?:i|you) (?:must|have to|got to|gotta) say,?\s+(?:that\s+)?)+",
    re.I,
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


# Sarcastic praise before what went wrong ("oh great, another ...") is not said back.
PRAISE_PREFIX = re.compile(
    r"^(oh |wow |well )?(great|brilliant|fantastic|perfect|wonderful|lovely|awesome|nice|super|congratulations"
    r"|congrats|bravo|well done|thanks|cheers)\b[^,]{0,25}, ",
    re.I,
)
# A word shouted in capitals ("it was wrong AGAIN") is said back in lower case; acronyms and
# codes ("BK-30417", "HDMI") are not words heard knows and keep their capitals.
_SHOUTED = re.compile(r"\b[A-Z]{2,}\b(?!-)")
# "another 'we're experiencing high volumes' email": a thing the customer got, not a statement.
_QUOTED_THING = re.compile(r"^(?:yet )?(?:another|more|the same|a|an) ['\"‘“]", re.I)


# A judgement of the company the agent never says back ("our 'premium' support is a joke").
INSULT = re.compile(
    r"\b(?:is|are|was|were|'s|'re)(?: \w+ly)? (?:a (?:joke|disgrace|scam|shambles|farce)|useless|pathetic|rubbish"
    r"|garbage|trash|a con|a rip-?off|the worst|incompetent|clueless|hopeless)\b",
    re.I,
)
# Text-speak and apostrophes left out, written out as the agent would ("you cant afford").
_TEXTSPEAK_WORDS = {
    "wud": "would", "cud": "could", "shud": "should", "coz": "because", "cos": "because", "cuz": "because",
    "cant": "can't", "dont": "don't", "doesnt": "doesn't", "didnt": "didn't", "isnt": "isn't",
    "wasnt": "wasn't", "havent": "haven't", "hasnt": "hasn't", "wouldnt": "wouldn't",
    "couldnt": "couldn't", "shouldnt": "shouldn't", "arent": "aren't", "werent": "weren't",
    "youre": "you're", "youve": "you've", "theyre": "they're", "ive": "I've", "im": "I'm", "thats": "that's", "whats": "what's",
}  # fmt: skip
_TEXTSPEAK = re.compile(r"\b(?:" + "|".join(_TEXTSPEAK_WORDS) + r")\b", re.I)
_ITS = re.compile(r"\bits(?= (?:been|now|not|a|the|still|gone|taken|just|already|over|never|only)\b)")
# Short words shouted as often as long ones; other short capitals are acronyms ("PDF", "SMS").
_SHORT_SHOUTS = {"in", "on", "at", "to", "of", "is", "it", "my", "me", "so", "do", "now", "not", "why", "you", "all", "and", "the", "was", "are", "any", "yet", "how", "who",
                 "did", "has", "had", "got", "get", "one", "day", "way", "off", "out", "for", "too", "no"}  # fmt: skip


# Days and months the customer typed in lower case ("may" and "march" are words too).
_NAMED_DAY = re.compile(
    r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|april|june|july"
    r"|august|september|october|november|december)\b"
)


def _unshout(m: re.Match) -> str:
    word = m.group().lower()
    return word if word in _SHORT_SHOUTS or len(word) >= 4 and word in known_words() else m.group()


_STRETCHED = re.compile(r"([A-Za-z])\1{2,}")  # letters only: "$4000.00" keeps its zeros
# Two sentences a customer ran together without a stop ("from my ipad pro Is there an issue"):
# a capital word that only opens a sentence, right after a lower-case one.
RUN_ON = re.compile(
    r"\b[a-z][a-z']*,? ((?:The|My|It|Its|It's|This|That|They|We|He|She|And|But|So|Your|Our|Nothing|Extremely"
    r"|Constant|Now|Then|Please|No|Not|Just|Also|Still|Why|What|How|When|Is|Are|Was|Do|Does|Did|Can|There|Tried"
    r"|Thanks|Thank|Cool|Seems|Looks|Really|Pretty|Only|Even|Yes|Nope|Great|Help|Went|Got|Had|Been|Said|Told)\b)"
)
_TRAILING_JOIN = re.compile(
    r"[\s,;:]*\b(?:and|but|or|so|because|then|which|that|to|the|a|an)?[\s,;:]*$", re.I
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
    said = _TEXTSPEAK.sub(lambda m: _TEXTSPEAK_WORDS[m.group().lower()], said)
    said = _ITS.sub("it's", said)  # "its been 2 weeks" -> "it's been 2 weeks"
    said = _SHOUTED.sub(_unshout, said)
    said = _NAMED_DAY.sub(lambda m: m.group().capitalize(), said)  # "since friday" -> "since Friday"
    said = _STRETCHED.sub(r"\1", said)  # "soooo", "Yesss": one letter
    run_on = RUN_ON.search(said)
    stop = run_on.start(1) if run_on else said.find("..", 1)  # "on time..are you" runs on too
    cut = _TRAILING_JOIN.sub("", said[:stop]) if stop > 0 else ""
    if len(cut.split()) >= 3:  # "your ipad pro Is there an issue": the first sentence of two run together
        said = cut
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
    if tokens[0].pos_ == "AUX" and len(tokens) > 1 and tokens[1].dep_ in _SUBJECT_DEPS:
        return False  # a question without its mark: "are you kidding me right now"
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


_WHY_AUX = {"is", "are", "was", "were", "has", "have", "had", "am", "can", "ca", "will", "wo", "does", "do"}
_NOT = {"wo": "won't", "ca": "can't"}


def _third_person(verb: str) -> str:
    """ "answer" -> "answers", "fix" -> "fixes", "reply" -> "replies" (after "why does X ...")."""
    if verb == "have":
        return "has"
    if re.search(r"(s|sh|ch|x|z|o)$", verb):
        return verb + "es"
    if re.search(r"[^aeiou]y$", verb):
        return verb[:-1] + "ies"
    return verb + "s"


def why_statement(tokens: list) -> str:
    """A "why" question told as the statement it complains about: "why is my account locked
    again" -> "your account is locked again", "why doesn't my card work" -> "your card doesn't
    work", "why does nobody answer" -> "nobody answers"; "" for any other question."""
    if len(tokens) < 3 or tokens[0].lower_ != "why" or tokens[1].lower_ not in _WHY_AUX:
        return ""
    aux, rest = tokens[1], [t for t in tokens[2:] if t.text not in {"?", "!"}]
    negation = [t for t in rest[:1] if t.dep_ == "neg"]
    rest = rest[len(negation) :]
    subject = next((t for t in rest if t.dep_ in _SUBJECT_DEPS), None)
    if subject is None or subject.left_edge.i != rest[0].i:
        return ""
    end = subject.right_edge.i
    who = [t for t in rest if t.i <= end]
    after = [t for t in rest if t.i > end]
    if not after:
        return ""
    if aux.lower_ in {"does", "do"} and not negation:  # do-support falls away: "nobody answers"
        at = next((k for k, t in enumerate(after) if t.pos_ != "ADV"), len(after))  # "ever answer"
        if at == len(after) or after[at].tag_ != "VB":
            return ""
        verb = _third_person(after[at].lower_) if aux.lower_ == "does" else after[at].lower_
        pieces = (say_back(who), " ".join(t.lower_ for t in after[:at]), verb, say_back(after[at + 1 :]))
        return " ".join(x for x in pieces if x)
    said_aux = aux.lower_
    if negation:
        said_aux = _NOT.get(said_aux, said_aux + "n't") if negation[0].lower_ == "n't" else f"{said_aux} not"
    elif said_aux in _NOT:
        return ""
    if len(who) == 1 and who[0].lower_ == "i":  # "why am I ..." -> "you are ..."
        said_aux = {"am": "are", "was": "were"}.get(said_aux, said_aux)
    return " ".join(x for x in (say_back(who), said_aux, say_back(after)) if x)


_FEELING_ABOUT = re.compile(
    r"^you(?:'re| are| were| feel| felt)(?: \w+ly)? (?:disgusted|upset|angry|furious|appalled|shocked|unhappy"
    r"|disappointed|frustrated|annoyed|fed up|sick|tired|livid|horrified) (?:with|about|at|by|of) (?=the |how |your )"
)


_FEELING_THAT = re.compile(
    r"^you(?:'re| are| were| feel| felt)(?: a bit| a little| so| really| very| quite| \w+ly)? (?:disgusted|upset|angry"
    r"|furious|appalled|shocked|unhappy|disappointed|frustrated|annoyed|livid|horrified|gutted|sad) that (?=\w+ \w+)"
)


def _past_insult(tokens: list) -> str:
    """The clause told after an insult in a run-on ("ur app is rubbish it keeps crashing every
    time i open it" -> "it keeps crashing every time you open it"), or ""."""
    for verb in tokens[1:]:
        subjects = [c for c in verb.children if c.dep_ in _SUBJECT_DEPS]
        if (
            verb.pos_ not in {"VERB", "AUX"}
            or verb.dep_ not in {"ccomp", "conj", "parataxis"}
            or not subjects
        ):
            continue
        start = min(c.left_edge.i for c in subjects)
        rest = [t for t in tokens if t.i >= start]
        while rest and rest[-1].is_punct:
            rest.pop()
        said = say_back(rest) if is_clause(rest) else ""
        if said and not INSULT.search(said):
            return said
    return ""


def feeling_about(tokens: list) -> str:
    """What the customer feels strongly about, when that is all the clause tells: "I'm disgusted
    with the way your staff spoke to me" -> "the way our staff spoke to you"; else ""."""
    said = say_back(tokens) if tokens else ""
    m = _FEELING_ABOUT.match(said)
    return said[m.end() :] if m else ""


def after_but(tokens: list) -> list:
    """The clause after the last "but" ("my own fault I ordered the wrong size but your returns
    page won't load" -> "your returns page won't load"), when it says something of its own."""
    cut = max((k for k, t in enumerate(tokens) if t.lower_ in {"but", "however"}), default=None)
    rest = tokens[cut + 1 :] if cut is not None else []
    return rest if is_clause(rest) and not customer_is_subject(rest) else []


# Irregular past tenses of the verbs a sarcastic "thanks for ..." uses most.
_PAST = {"leave": "left", "lose": "lost", "break": "broke", "keep": "kept", "send": "sent", "make": "made",
         "throw": "threw", "take": "took", "give": "gave", "put": "put", "let": "let", "get": "got",
         "tell": "told", "hang": "hung", "forget": "forgot", "ruin": "ruined", "sell": "sold"}  # fmt: skip
_THANKS_FOR = re.compile(
    r"^(?:oh |well )?(?:thanks?|thank you|cheers)(?: so much| a lot| very much)? for $", re.I
)


def _unsuffixed(gerund: str) -> str:
    """ "leaving" -> "leave", "cancelling" -> "cancel", "calling" -> "call": the known word."""
    stem = gerund.removesuffix("ing")
    options = [stem, stem + "e", stem[:-1] if len(stem) > 2 and stem[-1] == stem[-2] else ""]
    known = next((o for o in options if o in _PAST), None)  # "losing" -> "lose", not "los"
    return known or next((o for o in options if o and o in known_words()), stem)


def _past(verb: str) -> str:
    if verb in _PAST:
        return _PAST[verb]
    if verb.endswith("e"):
        return verb + "d"
    if re.search(r"[^aeiou]y$", verb):
        return verb[:-1] + "ied"
    return verb + "ed"


def thanked_for(doc) -> str:
    """What a sarcastic "thanks for ..." thanks the company for, as what it did: "Thanks so much
    for leaving my parcel in the rain" -> "we left your parcel in the rain"; else ""."""
    for sent in doc.sents:
        verb = next((t for t in sent if t.tag_ == "VBG" and t.head.lower_ == "for"), None)
        if verb is None or not _THANKS_FOR.match(doc.text[sent.start_char : verb.idx].lstrip()):
            continue
        rest = [t for t in verb.subtree if t.i > verb.i]
        stop = next((k for k, t in enumerate(rest) if t.is_punct), len(rest))
        rest = rest[:stop]  # "..., great service": the praise after it is no part of it
        if rest and not any(t.lower_ in {"nothing", "help", "helping", "your"} for t in [verb, *rest[:1]]):
            return f"we {_past(_unsuffixed(verb.lower_))} {say_back(rest)}"
    return ""


def _with_opening_quote(tokens: list) -> list:
    """A clause the parser found inside the company's quoted words ("another 'we're
    experiencing high volumes' email") taken with the quotation mark and the word before it."""
    first = tokens[0]
    if first.i == 0 or first.doc[first.i - 1].text not in {"'", '"', "‘", "“"}:
        return tokens
    start = first.i - 1
    if start > 0 and first.doc[start - 1].lower_ in {"another", "a", "an", "the", "more"}:
        start -= 1
    return list(first.doc[start : first.i]) + tokens


def still_waiting(doc) -> str:
    """A sentence told without its subject: "Still waiting for my refund." -> "you're still
    waiting for your refund"; "" when there is none."""
    for sent in doc.sents:
        words = [t for t in sent if not t.is_punct and not t.is_space]
        start = 1 if words and words[0].lower_ == "still" else 0
        if (
            len(words) > start + 2
            and words[start].lower_ == "waiting"
            and words[start + 1].lower_ in {"for", "on"}
        ):
            return f"you're {say_back(words)}"
    return ""


_MOCK = {"love", "loving", "amazing", "funny", "incredible", "impressive", "great", "nice"}


def said_happened(tokens: list) -> str:
    """What went wrong said back as something that can follow "because", or ""."""
    if not tokens:
        return ""
    while tokens and tokens[-1].is_space:  # the line break after a message of a burst
        tokens = tokens[:-1]
    if not tokens:
        return ""
    if len(tokens) > 3 and tokens[0].lower_ in _MOCK and tokens[1].lower_ in {"how", "that"}:
        tokens = tokens[2:]  # "love how I've been on hold for an hour": what went wrong is after "how"
    if is_clause(tokens):
        said = say_back(_with_opening_quote(tokens))
        that = _FEELING_THAT.match(said)
        if that:  # "I'm a bit annoyed that my parcel came a day late": what happened is the rest
            return said[that.end() :]
        if INSULT.search(said):  # "ur app is rubbish it keeps crashing": only what it does
            return _past_insult(tokens)
        if _FEELING_ABOUT.match(said):
            return ""  # how they feel about it is the feeling guess's to say, not what happened
        said = PRAISE_PREFIX.sub("", said)
        return f"you got {said}" if _QUOTED_THING.match(said) else said
    return why_statement(tokens)


def trouble_before(doc, tokens: list, *, taken: tuple[Part | None, ...] = ()) -> str:
    """What also went wrong in the same sentence, just before: "my internet has been down since
    friday and nobody has called me back" -> "your internet has been down since friday" for the
    clause "nobody has called me back"; "" when the clause before tells of no trouble, is what
    the customer did ("I cancelled the trial ... and you still took £59") or is a part already
    ``taken`` (the expectation: "you said it would be here by 6pm and it is now 10pm")."""
    if not tokens:
        return ""
    inside = {t.i for t in tokens}
    root = next((t for t in tokens if t.head.i not in inside), None)
    if root is None or root.dep_ != "conj" or root.head.i >= tokens[0].i:
        return ""
    left = list(doc[root.head.left_edge.i : tokens[0].i])
    while left and left[-1].dep_ in {"cc", "punct"}:
        left.pop()
    if not left or len(left) > 15 or left[0].sent.start != tokens[0].sent.start or not is_clause(left):
        return ""
    if customer_is_subject([c for c in root.head.children if c.i < root.head.i]) or any(
        p is not None and p.start < left[-1].idx + len(left[-1]) and left[0].idx < p.end for p in taken
    ):
        return ""
    trouble = [(c.start, c.end) for c in find_cues(doc.text) if c.kind in PROBLEM_KINDS]
    return say_back(left) if is_trouble(left, trouble) else ""


def trouble_after(doc, tokens: list, *, taken: tuple[Part | None, ...] = ()) -> str:
    """What also went wrong in a clause joined right after: "the sofa is the wrong colour and
    one leg is wobbly" -> "one leg is wobbly" for the clause "the sofa is the wrong colour"."""
    if not tokens:
        return ""
    inside = {t.i for t in tokens}
    root = next((t for t in tokens if t.head.i not in inside or t.head.i == t.i), None)
    nxt = next(
        (c for c in (root.children if root is not None else []) if c.dep_ == "conj" and c.i > tokens[-1].i),
        None,
    )
    if nxt is None or nxt.pos_ not in {"VERB", "AUX"}:
        return ""
    right = list(doc[tokens[-1].i + 1 : nxt.right_edge.i + 1])
    while right and right[0].dep_ in {"cc", "punct"}:
        right.pop(0)
    if not right or len(right) > 15 or not is_clause(right) or customer_is_subject(right):
        return ""
    if any(
        p is not None and p.start < right[-1].idx + len(right[-1]) and right[0].idx < p.end for p in taken
    ):
        return ""
    trouble = [(c.start, c.end) for c in find_cues(doc.text) if c.kind in PROBLEM_KINDS]
    return say_back(right) if is_trouble(right, trouble) else ""


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
