"""``heard bench train``: the role-play trainer against its scripted trainees, and its speed.

For every shipped scenario and difficulty, over a few seeds: how many replies the skilled
script needs to resolve the case (and how often it does), how often the poor script ends in
escalation, and the simulator's time per reply on one core (``Practice.reply``: reading the
reply with heard's engine, moving the mood, choosing the customer's lines), with the caches
that depend on the reply emptied before each timed reply, as for a reply never seen before
(the customer's story stays encoded, as in a live session). Wall time and CPU time are both
reported: on a shared machine the wall time includes waiting for the core.
"""

from __future__ import annotations

import os
import statistics
import time

from heard.bench.metrics import percentiles
from heard.bench.speed import clear_draft_caches
from heard.respond.hearing import text_vector
from heard.simulate import Practice, load_scenarios
from heard.simulate.practice import story_reading
from heard.simulate.trainees import poor, skilled

BUDGETS = {"turn_p99_ms": 50.0, "turn_cpu_p99_ms": 50.0}


def _keep_story(p: Practice) -> None:
    """Encode the customer's story and its parts again after the caches were emptied: a live
    session encodes them once, at its first reply, and keeps them."""
    story = "\n".join(p.scenario.opening)
    text_vector(story)
    complaint = story_reading(story).complaint
    for name in ("happened", "impact", "expected"):
        if complaint is not None and (part := getattr(complaint, name)) is not None:
            text_vector(part.text)


def _session(scenario, difficulty: str, seed: int, trainee, times: list, turns: int = 30) -> Practice:
    p = Practice.start(scenario, difficulty=difficulty, seed=seed)
    while p.ended is None and len(p.turns) < turns:
        text, at = trainee(p)
        clear_draft_caches()  # a reply never read before: its sentences are encoded afresh
        _keep_story(p)
        start, start_cpu = time.perf_counter(), time.process_time()
        p.reply(text, at=at)
        times.append(((time.perf_counter() - start) * 1000, (time.process_time() - start_cpu) * 1000))
    return p


def bench_train(seeds: int = 3, one_core: bool = True) -> dict:
    """Figures per scenario and difficulty, and the time per reply over every session."""
    if one_core and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    scenarios = load_scenarios()
    warm: list[float] = []
    for sc in scenarios.values():  # load the models and read each scenario's story once
        _session(sc, "medium", 0, skilled, warm)
    times: list[float] = []
    per: dict[str, dict] = {}
    for sc in scenarios.values():
        for difficulty in sc.difficulties:
            good = [_session(sc, difficulty, s, skilled, times) for s in range(1, seeds + 1)]
            bad = [_session(sc, difficulty, s, poor, times) for s in range(1, seeds + 1)]
            resolved = [p for p in good if p.ended == "resolved"]
            per[f"{sc.id}.{difficulty}"] = {
                "skilled_resolved": len(resolved) / len(good),
                "skilled_turns_to_resolution": statistics.median(len(p.turns) for p in resolved)
                if resolved
                else None,
                "poor_escalated": sum(p.ended == "escalated" for p in bad) / len(bad),
            }
    hard = [v for k, v in per.items() if k.endswith(".hard")]
    pct = percentiles([wall for wall, _ in times])
    cpu = percentiles([c for _, c in times])
    return {
        "scenarios": len(scenarios),
        "sessions": 2 * seeds * sum(len(sc.difficulties) for sc in scenarios.values()),
        "replies_timed": len(times),
        "skilled_resolved_rate": statistics.mean(v["skilled_resolved"] for v in per.values()),
        "poor_escalation_rate": statistics.mean(v["poor_escalated"] for v in per.values()),
        "poor_escalation_rate_hard": statistics.mean(v["poor_escalated"] for v in hard),
        "turn_p50_ms": round(pct["p50"], 2),
        "turn_p99_ms": round(pct["p99"], 2),
        "turn_cpu_p50_ms": round(cpu["p50"], 2),
        "turn_cpu_p99_ms": round(cpu["p99"], 2),
        "per_scenario": per,
    }
