"""The cost of practice through the service layer: a reply (the session replayed from its stored
replies, the engine's turn, the store) and a session read (the replay), on SQLite in a
temporary folder, over every shipped scenario and difficulty with the skilled and the poor
scripted trainees (``heard.simulate.trainees``).

    python -m heard.bench.practice

A session is rebuilt from its replies on every read (docs/practice.md), so the cost grows with
its length; the figures say what that costs for sessions as they run.
"""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from pathlib import Path

from heard.service import practice
from heard.simulate import Practice, load_scenarios
from heard.simulate.trainees import poor, skilled
from heard.store import Database, migrate, repo


def _quantile(values: list[float], p: int) -> float:
    return round(statistics.quantiles(values, n=100)[p - 1], 1)


def measure(seed: int = 1) -> dict:
    """Milliseconds per reply and per session read, p50 and p99, with the session lengths."""
    with tempfile.TemporaryDirectory() as folder:
        db = Database.connect(f"sqlite:///{Path(folder) / 'bench.db'}")
        migrate(db)
        with db.write() as session:
            team = repo.create_team(session=session, name="bench")
            user = repo.create_user(session=session, team_id=team.id, name="trainee", role="agent")
            team_id, user_id = team.id, user.id
        replies, reads, lengths = [], [], []
        for scenario_id, scenario in load_scenarios().items():
            for difficulty in ("easy", "medium", "hard"):
                for script in (skilled, poor):
                    started = practice.start_practice(db, team_id=team_id, user_id=user_id, scenario=scenario_id,
                                                      difficulty=difficulty, seed=seed)  # fmt: skip
                    local = Practice.start(scenario, difficulty=difficulty, seed=seed)
                    while local.ended is None and len(local.turns) < 30:
                        text, at = script(local)
                        local.reply(text, at=at)
                        began = time.perf_counter()
                        practice.reply_practice(db, team_id=team_id, user_id=user_id,
                                                session_id=started.row.id, text=text, at=at)  # fmt: skip
                        replies.append((time.perf_counter() - began) * 1000)
                    began = time.perf_counter()
                    practice.open_practice(db, team_id=team_id, user_id=user_id, role="agent",
                                           session_id=started.row.id)  # fmt: skip
                    reads.append((time.perf_counter() - began) * 1000)
                    lengths.append(len(local.turns))
        db.dispose()
    return {
        "sessions": len(lengths), "replies": len(replies), "turns_mean": round(statistics.mean(lengths), 1),
        "turns_max": max(lengths), "reply_ms_p50": _quantile(replies, 50), "reply_ms_p99": _quantile(replies, 99),
        "read_ms_p50": _quantile(reads, 50), "read_ms_p99": _quantile(reads, 99),
    }  # fmt: skip


if __name__ == "__main__":
    print(json.dumps(measure(), indent=2))
