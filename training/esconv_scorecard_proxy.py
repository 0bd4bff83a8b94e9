"""A proxy for the scorecard's helped-versus-failed AUC on ESConv (evaluation only, nothing fitted).

ESConv's seekers rate their distress before and after; no dialogue in the shared file ends worse,
so "helped" is a drop of 3 or more and "failed" a drop of 1 or less. The figure is the AUC of
``heard.score_conversation`` between the two (ties count half), on N of each drawn in a fixed
order::

    PYTHONPATH=src python training/esconv_scorecard_proxy.py ../shared/data/esconv 50
"""

import json
import random
import sys
from pathlib import Path

from heard.playbook.scorecard import score_conversation


def main() -> None:
    path, n = Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 50
    file = path / "esconv_hf_train.jsonl" if path.is_dir() else path
    rows = [json.loads(line) for line in file.read_text("utf-8").splitlines() if line.strip()]
    random.Random(7).shuffle(rows)
    helped, failed = [], []
    for d in rows:
        s = d["survey_score"]["seeker"]
        try:
            drop = int(s["initial_emotion_intensity"]) - int(s["final_emotion_intensity"])
        except (KeyError, ValueError):
            continue
        if drop >= 3 and len(helped) < n:
            helped.append(d)
        elif drop <= 1 and len(failed) < n:
            failed.append(d)

    def score(d: dict) -> int:
        roles = {"usr": "customer", "sys": "agent"}
        chat = [{"role": roles[t["speaker"]], "text": t["text"]} for t in d["dialog"] if t["text"].strip()]
        return score_conversation(chat).score

    h, f = [score(d) for d in helped], [score(d) for d in failed]
    auc = sum((a > b) + 0.5 * (a == b) for a in h for b in f) / (len(h) * len(f))
    print(
        f"{len(h)} helped, {len(f)} failed: AUC {auc:.3f}; mean score {sum(h) / len(h):.1f} vs {sum(f) / len(f):.1f}"
    )


if __name__ == "__main__":
    main()
