"""The coarse part of speech (``pos_``) from the tagger's fine tag, without spaCy's attribute ruler.

``en_core_web_sm`` sets ``pos_`` with an ``attribute_ruler`` that runs ~180 Matcher patterns
over every token and also writes lemmas and morphology, which heard never reads: about a
third of the parse time on a short message. ``compile_rules`` keeps only the patterns that
set POS, TAG or DEP, and ``assign`` applies them in the same order (a later pattern wins,
as in spaCy), with a dictionary from tag to candidate patterns. A test checks that ``pos_``,
``tag_`` and ``dep_`` agree with the attribute ruler's on every text heard ships.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_KEPT = ("POS", "TAG", "DEP")
_TOKEN_KEYS = {"TAG", "LOWER", "DEP", "IS_SPACE"}


@dataclass(frozen=True)
class _Check:
    key: str  # TAG, LOWER, DEP or IS_SPACE
    equals: object = None
    within: frozenset | None = None
    outside: frozenset | None = None
    regex: re.Pattern | None = None

    def ok(self, value) -> bool:
        if self.within is not None:
            return value in self.within
        if self.outside is not None:
            return value not in self.outside
        if self.regex is not None:
            return bool(self.regex.search(value))
        return value == self.equals


@dataclass(frozen=True)
class Rule:
    """One attribute-ruler pattern that changes POS, TAG or DEP."""

    order: int
    tokens: tuple[tuple[_Check, ...], ...]
    index: int  # which token of the match gets the attributes
    attrs: tuple[tuple[str, str], ...]


def _check(key: str, spec) -> _Check:
    if not isinstance(spec, dict):
        return _Check(key, equals=spec)
    (op, value), *more = spec.items()
    if more or op not in {"IN", "NOT_IN", "REGEX"}:
        raise ValueError(f"unsupported attribute-ruler pattern {spec!r}")
    if op == "REGEX":
        return _Check(key, regex=re.compile(value))
    return _Check(key, **{"within" if op == "IN" else "outside": frozenset(value)})


def compile_rules(patterns: list[dict]) -> tuple[dict[str, list[Rule]], list[Rule]]:
    """The POS/TAG/DEP rules by the first token's required tag, and those for any tag."""
    rules: list[Rule] = []
    for order, entry in enumerate(patterns):
        attrs = tuple((k, v) for k, v in entry["attrs"].items() if k in _KEPT)
        if not attrs:
            continue
        for pattern in entry["patterns"]:
            if any(set(t) - _TOKEN_KEYS for t in pattern):
                raise ValueError(f"unsupported attribute-ruler pattern {pattern!r}")
            checks = tuple(tuple(_check(k, v) for k, v in t.items()) for t in pattern)
            rules.append(Rule(order, checks, entry.get("index", 0), attrs))
    by_tag: dict[str, list[Rule]] = {}
    anywhere: list[Rule] = []
    for rule in rules:
        tag = next((c for c in rule.tokens[0] if c.key == "TAG"), None)
        if tag is not None and tag.equals is not None:
            by_tag.setdefault(tag.equals, []).append(rule)
        elif tag is not None and tag.within is not None:
            for t in tag.within:
                by_tag.setdefault(t, []).append(rule)
        else:
            anywhere.append(rule)
    # Each tag's list holds the rules for any tag too, in pattern order: one list a token.
    merged = {tag: sorted(own + anywhere, key=lambda r: r.order) for tag, own in by_tag.items()}
    return merged, anywhere


def _matches(values: list[tuple], start: int, rule: Rule) -> bool:
    if start + len(rule.tokens) > len(values):
        return False
    return all(c.ok(values[start + k][_KEYS[c.key]]) for k, checks in enumerate(rule.tokens) for c in checks)


_KEYS = {"TAG": 0, "LOWER": 1, "DEP": 2, "IS_SPACE": 3}


def _single(rules: list[Rule], values: tuple) -> tuple:
    """The (order, attrs) of every one-token rule that matches a token with these values."""
    return tuple(
        (rule.order, rule.attrs)
        for rule in rules
        if len(rule.tokens) == 1 and all(c.ok(values[_KEYS[c.key]]) for c in rule.tokens[0])
    )


def assign(doc, by_tag: dict[str, list[Rule]], anywhere: list[Rule], memo: dict | None = None):
    """Set ``pos_`` (and the few TAG/DEP fixes) on every token of ``doc``, in place.

    The token attributes are read as one array, and the one-token rules are decided once per
    (tag, word, dependency) and remembered in ``memo``: no Token objects on the common path.
    """
    from spacy.attrs import DEP, IS_SPACE, LOWER, POS, TAG
    from spacy.parts_of_speech import IDS

    memo = {} if memo is None else memo
    strings = doc.vocab.strings
    rows = doc.to_array([TAG, LOWER, DEP, IS_SPACE]).tolist()
    values: list[tuple] = []
    found: list[tuple[int, int, tuple]] = []
    multi: list[tuple[int, Rule]] = []
    for i, key in enumerate(map(tuple, rows)):
        hit = memo.get(key)
        if hit is None:
            text = (strings[key[0]], strings[key[1]], strings[key[2]], bool(key[3]))
            rules = by_tag.get(text[0], anywhere)
            hit = (text, _single(rules, text), tuple(r for r in rules if len(r.tokens) > 1))
            if len(memo) < 50_000:
                memo[key] = hit
        values.append(hit[0])
        found += [(order, i, attrs) for order, attrs in hit[1]]
        multi += [(i, rule) for rule in hit[2]]
    found += [(rule.order, i + rule.index, rule.attrs) for i, rule in multi if _matches(values, i, rule)]
    found.sort(key=lambda f: (f[0], f[1]))
    pos = doc.to_array([POS])
    fixes = []
    for _, i, attrs in found:
        for key, value in attrs:
            if key == "POS":
                pos[i] = IDS[value]
            else:
                fixes.append((i, key, value))
    doc.from_array([POS], pos)
    for i, key, value in fixes:  # spaces only, rare
        if key == "TAG":
            doc[i].tag_ = value
        else:
            doc[i].dep_ = value
    return doc
