"""Shift what a customer wrote into what an agent says back.

The customer's "I", "my", "me" become "you", "your", "you"; the company they address
("you told me", "your driver") becomes "we" and "our": "you told me the movers would
come" -> "we told you the movers would come". Verbs agree with the new subject
("I am" -> "you are", "I was" -> "you were"). Works on spaCy tokens, so "you" as a
subject ("we") and as an object ("us") are told apart.
"""

from __future__ import annotations

from collections.abc import Iterable

# The customer's own words, shifted to the agent speaking to them.
_CUSTOMER = {
    "i": "you", "me": "you", "my": "your", "mine": "yours", "myself": "yourself",
    "im": "you're", "i'm": "you're", "i've": "you've", "i'd": "you'd", "i'll": "you'll",
    # "we" of the customer's household or business
    "we": "you", "us": "you", "our": "your", "ours": "yours", "ourselves": "yourselves",
    "we're": "you're", "we've": "you've", "we'd": "you'd", "we'll": "you'll",
}  # fmt: skip
# The company, addressed by the customer as "you", shifted to the agent's "we".
_COMPANY_SUBJECT = {"you": "we", "u": "we", "ya": "we", "y'all": "we"}
_COMPANY_OTHER = {"you": "us", "u": "us", "your": "our", "ur": "our", "yours": "ours", "yourself": "ourselves",
                  "yourselves": "ourselves", "you're": "we're", "you've": "we've", "you'll": "we'll", "you'd": "we'd"}  # fmt: skip
# Things that are the customer's even when they write "your" (the company's own phrase
# "your account has been locked" echoed back): said back as "your", never "our".
_THEIRS = {"account", "order", "booking", "reservation", "parcel", "package", "refund", "subscription",
           "password", "appointment"}  # fmt: skip
# "I am" -> "you are": verbs that change with the subject "I".
_AGREE_AFTER_I = {"am": "are", "'m": "'re", "m": "'re", "was": "were"}
_SUBJECT_DEPS = {"nsubj", "nsubjpass", "csubj", "expl"}


def _cased(word: str, tok) -> str:
    """``word`` in the case of the token it replaces ("I" mid-sentence is not a capital)."""
    like = tok.text
    if like.isupper() and len(like) > 1:
        return word  # the agent never shouts back: "YOU cancelled" -> "we cancelled"
    if like[:1].isupper() and (tok.is_sent_start or like.lower() != "i"):
        return word[:1].upper() + word[1:]
    return word


def shift_tokens(tokens: Iterable) -> str:
    """Shift a run of spaCy tokens (a Doc, a Span or a list) to the agent's perspective.

    >>> from heard.language import load_pipeline
    >>> shift_tokens(load_pipeline()("You told me my sofa would come by Friday, I was told twice."))
    'we told you your sofa would come by Friday, you were told twice.'
    """
    out: list[str] = []
    subject_i = False  # the previous subject was the customer's "I"
    tokens = list(tokens)
    quoted = _quoted(tokens)
    for k, tok in enumerate(tokens):
        low = tok.lower_.replace("’", "'")  # "I’m" typed with a curly apostrophe is "I'm"
        word = tok.text
        if k in quoted or tok.text == "US":  # quoted company words; "US Bank", not "us"
            pass
        elif low in _CUSTOMER:
            word = _CUSTOMER[low]
            subject_i = low in {"i", "im"}
        elif (
            low in _COMPANY_SUBJECT
            and not _before_to(tokens, k)
            and (tok.dep_ in _SUBJECT_DEPS or _before_verb(tokens, k))
        ):
            word = _COMPANY_SUBJECT[low]
            subject_i = False
        elif low in {"your", "ur"} and _theirs(tokens, k):
            pass  # "why is your account locked": the customer's account, in the company's words
        elif low in _COMPANY_OTHER:
            word = _COMPANY_OTHER[low]
        elif subject_i and low in _AGREE_AFTER_I and (tok.pos_ == "AUX" or low.startswith("'") or low == "m"):
            word = _AGREE_AFTER_I[low]
            subject_i = False
        elif tok.pos_ in {"VERB", "AUX"}:
            subject_i = False
        # a token dropped after this one ("4841...3", "Exec. Plat.") leaves a space, not a join
        gap = not tok.whitespace_ and k + 1 < len(tokens) and tokens[k + 1].i != tok.i + 1
        out.append((_cased(word, tok) if word != tok.text else word) + (" " if gap else tok.whitespace_))
    text = "".join(out).strip()
    return text[:1].lower() + text[1:] if text[:1].isupper() and not _keeps_capital(tokens) else text


def _theirs(tokens: list, k: int) -> bool:
    """ "your account" naming the customer's own account ("your booking confirmation" is ours)."""
    return k + 1 < len(tokens) and tokens[k + 1].lower_ in _THEIRS and tokens[k + 1].dep_ != "compound"


_QUOTES = {"'", '"', "‘", "’", "“", "”"}


def _quoted(tokens: list) -> set[int]:
    """Positions of the tokens inside a pair of quotation marks: words quoted as someone said
    them are said back as they were ("another 'we're experiencing high volumes' email")."""
    marks = [k for k, t in enumerate(tokens) if t.text in _QUOTES]
    inside: set[int] = set()
    for a, b in zip(marks[::2], marks[1::2], strict=False):
        if b - a <= 12:
            inside.update(range(a + 1, b))
    return inside


def _before_to(tokens: list, k: int) -> bool:
    """ "I need you to confirm": "you" before "to" is an object ("us"), whatever the parse says."""
    return (
        k > 0
        and k + 1 < len(tokens)
        and tokens[k + 1].lower_ == "to"
        and tokens[k - 1].pos_ in {"VERB", "AUX"}
    )


def _before_verb(tokens: list, k: int) -> bool:
    """A bare "you" directly followed by a verb is the subject even if the parse says otherwise."""
    return k + 1 < len(tokens) and tokens[k + 1].pos_ in {"VERB", "AUX"}


def _keeps_capital(tokens: list) -> bool:
    """Names, acronyms and the like keep their capital at the start of a shifted clause."""
    first = tokens[0] if tokens else None
    return first is not None and (first.pos_ == "PROPN" or first.text.isupper() and len(first.text) > 1)
