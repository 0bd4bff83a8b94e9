"""``draft_follow_up``: the message that checks back once a conversation is resolved (step 10).

>>> draft_follow_up("billing", fixed="refunded the duplicate charge of 80 EUR", references=["5521"])
"Hello, I'm following up on the charge on your account (order 5521). We refunded the duplicate charge of 80 EUR. Is everything working as it should now? If anything still isn't right, just reply to this message and I'll take care of it personally."
"""

from __future__ import annotations

import functools
import importlib.resources

import yaml

WORDING = "follow_up.v1"


@functools.cache
def _wording() -> dict:
    path = importlib.resources.files("heard.playbook") / "data" / f"{WORDING}.yaml"
    return yaml.safe_load(path.read_text("utf-8"))


def draft_follow_up(category: str | None, *, fixed: str | None = None, references: list[str] = ()) -> str:
    """A follow-up that names the problem and what was fixed, and asks whether it worked.

    Args:
        category: the complaint's category (None: a problem with no category).
        fixed: what the team did, as "we ..." would continue it ("refunded the charge").
        references: order or booking numbers the customer gave; the first is named.
    """
    w = _wording()
    what = w["problem"].get(category or "other", w["problem"]["other"])
    reference = f" (order {references[0]})" if references else ""
    parts = [w["opening"].format(what=what, reference=reference)]
    if fixed and fixed.strip():
        fixed = fixed.strip().rstrip(".")
        fixed = fixed[0].lower() + fixed[1:]
        parts.append(w["fixed"].format(fixed=fixed.removeprefix("we ")))
    parts.append(w["question"])
    return " ".join(parts)
