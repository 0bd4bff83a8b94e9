"""A synthetic archive of support conversations, for measuring import and analysis at scale.

Conversations between a customer and an agent about one of ten causes, built from phrases
written for heard with random details (names, order numbers, times, amounts), so that most
messages differ (the analysis keeps no cache across a batch anyway). It is for throughput and memory, not for quality:
the wording repeats far more than real conversations do. The same seed gives the same file.
"""

from __future__ import annotations

import csv
import json
import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

FIELDS = ("conversation_id", "role", "text", "at", "id", "author")

_CAUSES: dict[str, list[str]] = {
    "late_movers": [
        "The movers were supposed to be here at {t1} and it's {t2}. Nobody has called.",
        "Your moving crew turned up at {t2} instead of {t1} and I missed the inspection.",
        "I booked a move for {day} morning and the van only came after lunch.",
    ],
    "double_charge": [
        "I was charged twice for order {order}, two payments of {amount}.",
        "My card shows {amount} taken two times on {day}. I only ordered once.",
        "Why is there a duplicate charge of {amount} on my statement?",
    ],
    "refund_missing": [
        "I returned order {order} {n} weeks ago and still no refund of {amount}.",
        "You said my refund would take five days. It has been {n} weeks.",
        "Where is my {amount} refund? Your site says the return was received on {day}.",
    ],
    "damaged": [
        "The {item} from order {order} arrived broken, the box was crushed.",
        "My {item} came cracked and scratched. I paid {amount} for it.",
        "Delivery dropped my {item} and now it doesn't work.",
    ],
    "wrong_item": [
        "I ordered a {item} and received something else entirely. Order {order}.",
        "Wrong size and wrong colour on order {order}. This is the second time.",
        "The parcel had someone else's {item} in it.",
    ],
    "locked_out": [
        "I can't log into my account, the reset email never arrives.",
        "My account has been locked since {day} and I can't see order {order}.",
        "The verification code never comes, I've been locked out for {n} days.",
    ],
    "cancelled_still_billed": [
        "I cancelled on {day} and you charged me {amount} again.",
        "Why am I still paying {amount} a month? I cancelled {n} months ago.",
        "Your system ignored my cancellation and renewed my plan.",
    ],
    "rude_staff": [
        "The agent I spoke to on {day} was rude and hung up on me.",
        "Your driver swore at me when I asked him to bring the {item} inside.",
        "I was told to calm down and stop wasting their time.",
    ],
    "no_callback": [
        "I was promised a call back by {t1} on {day}. Nobody called.",
        "I've emailed {n} times about order {order} and nobody replies.",
        "I keep getting passed between departments and nobody owns this.",
    ],
    "checkout_error": [
        "The app crashes every time I try to pay for my {item}.",
        "Checkout fails with an error after I enter my card, tried {n} times.",
        "I can't place my order, the pay button does nothing.",
    ],
}
_FEELINGS = [
    "",
    " This is ridiculous.",
    " I'm really upset.",
    " I am furious!!",
    " Please help.",
    " Honestly fed up.",
]
_FOLLOW_UPS = [
    "It's order {order} if that helps.",
    "This is the {nth} time I've had to contact you since {day}.",
    "I need this sorted by {day}.",
    "I want my {amount} back.",
    "Is anyone actually reading this? I wrote at {t1}.",
]
_AGENT = [
    "I'm so sorry, {name}, that sounds really stressful. Could you tell me your order number?",
    "Thank you for telling me. I can see what happened with order {order} and I'll fix it now.",
    "I'm sorry we let you down. I've refunded {amount} and you'll see it within 3 days.",
    "I understand how frustrating that is. I've booked a new slot for {day} at {t1}.",
    "I'll check with the team and get back to you by {t1} today.",
]
_CLOSINGS = [
    "Thanks {name}, that helps.",
    "OK. I'll wait until {day} and see.",
    "Fine, but this shouldn't have happened with order {order}.",
    "Still not good enough. I've wasted {n} hours on this.",
]
_ITEMS = ["sofa", "kettle", "laptop", "desk", "jacket", "TV", "blender", "bike", "mirror", "phone"]
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_NAMES = ["Sam", "Alex", "Priya", "Jordan", "Maria", "Chen", "Fatima", "Tom", "Aisha", "Luca"]


def _fill(template: str, rng: random.Random) -> str:
    hour = rng.randint(8, 16)
    return template.format(
        t1=f"{hour - 12 if hour > 12 else hour} {'am' if hour < 12 else 'pm'}",
        t2=f"{rng.randint(1, 6)}:{rng.choice(['05', '20', '40', '55'])} pm",
        day=rng.choice(_DAYS),
        order=f"{rng.randint(10000, 99999)}-{rng.randint(100, 999)}",
        amount=f"${rng.randint(9, 400)}.{rng.randint(0, 99):02d}",
        item=rng.choice(_ITEMS),
        n=rng.randint(2, 6),
        nth=rng.choice(["second", "third", "fourth"]),
        name=rng.choice(_NAMES),
    )


def synthetic_messages(messages: int = 100_000, *, seed: int = 0) -> Iterator[dict[str, str]]:
    """``messages`` records in the CSV/JSONL archive schema, conversation by conversation, in time order."""
    rng = random.Random(seed)
    causes = sorted(_CAUSES)
    clock = datetime(2026, 1, 1, tzinfo=UTC)
    made = conversation = 0
    while made < messages:
        conversation += 1
        cause = rng.choice(causes)
        customer = f"cust{rng.randint(1, max(10, messages // 8))}"  # some customers come back
        agent = f"agent{rng.randint(1, 40)}"
        texts = [("customer", _fill(rng.choice(_CAUSES[cause]), rng) + rng.choice(_FEELINGS))]
        for _ in range(rng.randint(0, 2)):
            texts.append(("customer", _fill(rng.choice(_FOLLOW_UPS), rng)))
        for _ in range(rng.randint(1, 3)):
            texts.append(("agent", _fill(rng.choice(_AGENT), rng)))
            texts.append(("customer", _fill(rng.choice(_FOLLOW_UPS + _CLOSINGS), rng)))
        clock += timedelta(seconds=rng.randint(30, 900))
        at = clock
        for n, (role, text) in enumerate(texts[: messages - made]):
            at += timedelta(seconds=rng.randint(20, 600))
            yield {
                "conversation_id": f"syn-{conversation}",
                "role": role,
                "text": text,
                "at": at.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "id": f"syn-{conversation}-{n}",
                "author": customer if role == "customer" else agent,
            }
            made += 1


def write_archive(path: str | Path, messages: int = 100_000, *, seed: int = 0) -> int:
    """Write a synthetic archive to ``path`` (.csv or .jsonl), streaming; returns the messages written."""
    path = Path(path)
    count = 0
    with path.open("w", encoding="utf-8", newline="") as f:
        if path.suffix.lower() == ".csv":
            writer = csv.DictWriter(f, fieldnames=FIELDS)
            writer.writeheader()
            for record in synthetic_messages(messages, seed=seed):
                writer.writerow(record)
                count += 1
        else:
            for record in synthetic_messages(messages, seed=seed):
                f.write(json.dumps(record) + "\n")
                count += 1
    return count


# Root causes per category, in customers' words, for synthetic incidents.
_ROOTS = {
    "late_or_missed": ["the movers came hours late", "the moving crew never turned up", "the engineer missed the slot"],
    "billing": ["charged twice for one order", "a duplicate payment on my card", "billed again after cancelling"],
    "cancellation_refund": ["the refund never arrived", "still waiting for my refund", "refund promised weeks ago"],
    "faulty_product": ["the table arrived broken", "the screen was cracked on arrival", "the kettle stopped working"],
    "account_access": ["locked out of my account", "the password reset email never comes", "can't log in since the update"],
    "no_response": ["nobody called me back", "passed between departments", "no reply to my emails"],
}  # fmt: skip


def synthetic_incidents(count: int = 600, *, seed: int = 0, start: datetime | None = None) -> list:
    """``count`` incidents over three months with known effects, to demonstrate and test the report.

    Built in on purpose: late or missed appointments grow in the last month; agents who listen
    before offering a solution de-escalate more often; a completed follow-up lifts satisfaction.
    """
    from heard.insights.incidents import Incident
    from heard.understand.upset import level_of

    rng = random.Random(seed)
    start = start or datetime(2026, 1, 1, tzinfo=UTC)
    categories = sorted(_ROOTS)
    incidents = []
    for n in range(count):
        day = rng.random() * 90
        when = start + timedelta(days=day)
        weights = [3 if c == "late_or_missed" and day >= 59 else 1 for c in categories]
        category = rng.choices(categories, weights)[0]
        peak = min(0.99, max(0.05, rng.gauss(0.62 if category == "late_or_missed" else 0.5, 0.18)))
        listened = rng.random() < 0.55
        steps = (
            ["stay_calm"] + (["listen", "acknowledge"] if listened else ["acknowledge"]) + ["offer_solutions"]
        )
        if rng.random() < 0.5:
            steps.append("apologise")
        follow = rng.choice(["done", "done", "missed", "pending"])
        calmed = rng.random() < (0.8 if listened else 0.45)
        upset = level_of(peak) in ("upset", "angry", "furious")
        satisfaction = rng.choice(
            [None, min(5, max(1, round(rng.gauss(4.2 if follow == "done" else 3.0, 0.7))))]
        )
        incidents.append(
            Incident(
                id=f"inc-{n}",
                customer=f"cust{rng.randint(1, count // 2)}",
                category=category,
                root_cause=rng.choice(_ROOTS[category]),
                fault="company",
                outcome="resolved" if calmed or rng.random() < 0.5 else "unresolved",
                peak_upset=round(peak, 3),
                peak_level=level_of(peak),
                final_level="calm" if calmed else level_of(peak),
                deescalated=(calmed if upset else None),
                messages_to_deescalate=rng.randint(2, 9) if calmed and upset else None,
                minutes_to_deescalate=round(rng.uniform(2, 40), 1) if calmed and upset else None,
                steps_done=steps + (["follow_up"] if follow == "done" else []),
                remedy=rng.choice(["refund", "reschedule", "credit", None]),
                follow_up=follow,
                satisfaction=satisfaction,
                opened_at=when,
                closed_at=when + timedelta(minutes=rng.randint(5, 90)),
            )
        )
    return sorted(incidents, key=lambda i: i.opened_at)
