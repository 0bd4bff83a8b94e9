"""heard's POS rules give what spaCy's attribute ruler gives, on every text heard ships."""

import json
from importlib.resources import files

import spacy

from heard.language import load_pipeline, unshouted
from heard.language.pipeline import EXCLUDED, FAST_POS, PIPELINE_PACKAGES


def _texts() -> list[str]:
    texts = []
    for name in ("complaints.jsonl", "complaints_holdout.jsonl", "customer_messages.jsonl"):
        lines = (files("heard.bench") / "data" / name).read_text("utf-8").splitlines()
        texts += [json.loads(line)["text"] for line in lines if line.strip()]
    return texts + [unshouted(t) for t in texts] + [t.upper() for t in texts[:20]]


def test_fast_pos_agrees_with_the_attribute_ruler() -> None:
    import importlib.util

    name = next(n for n in PIPELINE_PACKAGES if importlib.util.find_spec(n) is not None)
    reference = spacy.load(name, exclude=list(EXCLUDED))
    assert "attribute_ruler" in reference.pipe_names
    fast = load_pipeline()
    assert FAST_POS in fast.pipe_names and "attribute_ruler" not in fast.pipe_names
    differences = []
    for text in _texts():
        for ours, theirs in zip(fast(text), reference(text), strict=True):
            if (ours.pos_, ours.tag_, ours.dep_, ours.head.i, ours.is_sent_start) != (
                theirs.pos_,
                theirs.tag_,
                theirs.dep_,
                theirs.head.i,
                theirs.is_sent_start,
            ):
                differences.append((text, ours.text, ours.pos_, theirs.pos_))
    assert differences == []
