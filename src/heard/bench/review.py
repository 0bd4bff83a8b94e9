"""``heard bench review``: draft review on heard's own golden drafts (``bench/data/drafts.jsonl``).

Each case is a draft, what the customer wrote (or the conversation so far) and the checks
that must fire; good drafts must raise none. Printed: how many expected findings were raised
(recall, by check), how many good drafts drew any finding, the findings raised beyond the
expected ones, and the mean score of good and of poor drafts.
"""

from __future__ import annotations

import json
from collections import Counter
from importlib.resources import files


def golden_drafts() -> list[dict]:
    text = (files("heard.bench") / "data" / "drafts.jsonl").read_text("utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def bench_review() -> dict:
    import heard

    expected = found = extra = 0
    good_flagged = 0
    missed: Counter[str] = Counter()
    scores: dict[bool, list[int]] = {True: [], False: []}
    for case in golden_drafts():
        r = heard.review(case["draft"], customer=case["customer"], conversation=case["conversation"])
        raised = {f.check for f in r.findings}
        scores[case["good"]].append(r.score)
        if case["good"] and raised:
            good_flagged += 1
        expected += len(case["expect"])
        found += len(set(case["expect"]) & raised)
        extra += len(raised - set(case["expect"]))
        missed.update(set(case["expect"]) - raised)
    return {
        "drafts": len(scores[True]) + len(scores[False]),
        "expected_findings_raised": round(found / expected, 3) if expected else 1.0,
        "good_drafts_with_findings": good_flagged,
        "good_drafts": len(scores[True]),
        "findings_beyond_expected": extra,
        "mean_score_good": round(sum(scores[True]) / len(scores[True]), 1),
        "mean_score_poor": round(sum(scores[False]) / len(scores[False]), 1),
        "missed": dict(missed),
    }
