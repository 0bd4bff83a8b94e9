"""``heard bench insights``: a team's insights over its stored incidents stay fast as it grows.

For each size, stores that many synthetic incidents (``heard.insights.synthetic``) for one team
in a fresh SQLite database in a temporary folder, with each incident's embedding as the service
stores it (the synthetic root causes repeat, so each distinct one is embedded once, alone, as
ingestion would), then measures:

- ``refit_seconds`` and ``refit_peak_mb``: the worker's refit (``refit_themes``) over the stored
  embeddings, and its peak Python/numpy memory (tracemalloc);
- ``report_seconds``: ``team_report`` (what ``GET /v1/insights``, the lead view and ``heard
  insights --team`` compute) after the refit, reading stored themes: budget 1 s;
- ``assign_p50_ms``/``assign_p99_ms``: one new incident embedded and put under a stored theme
  (``assign_new_incidents``), over ``new`` incidents: budget p99 50 ms.

Each time is given as wall seconds and as this process's CPU seconds: on a machine shared with
other work the wall time counts the waiting too. ``report=False`` measures the refit only (the 100,000 size). The encoder and the phrase reader
are loaded before timing. Timings on a shared machine are noisy: compare within one run.
"""

from __future__ import annotations

import tempfile
import time
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

BUDGETS = {"report_seconds": 1.0, "assign_p99_ms": 50.0}
NEW_CAUSES = [
    "the courier left my parcel at the wrong address",
    "my refund has not arrived after three weeks",
    "charged twice for one order",
    "the app logs me out every time I open it",
]


def _store(db, incidents: int, seed: int) -> int:
    """The team's id, with ``incidents`` synthetic incidents and their embeddings stored."""
    from sqlalchemy import insert, select

    from heard.insights.stored_themes import _source
    from heard.insights.synthetic import synthetic_incidents
    from heard.insights.theme_model import embed_cores
    from heard.language.encoder import ENCODER
    from heard.store import repo
    from heard.store.tables import ConversationRow, IncidentRow, IncidentThemeRow

    made = list(synthetic_incidents(incidents, seed=seed))
    causes = sorted({i.root_cause or "" for i in made if i.root_cause})
    vectors = dict(zip(causes, embed_cores(causes, batch_size=1), strict=True))
    with db.write() as session:
        team_id = repo.create_team(session=session, name="bench").id
        conversations = [
            {"team_id": team_id, "status": "resolved", "created_at": i.opened_at, "resolved_at": i.closed_at,
             "category": i.category, "peak_upset": i.peak_upset, "state": {}, "channel": "chat"}
            for i in made
        ]  # fmt: skip
        session.execute(insert(ConversationRow), conversations)
        ids = session.scalars(
            select(ConversationRow.id).where(ConversationRow.team_id == team_id).order_by(ConversationRow.id)
        ).all()
        session.execute(
            insert(IncidentRow),
            [
                {"team_id": team_id, "conversation_id": c, **i.model_dump(include=set(repo.INCIDENT_FIELDS)),
                 "satisfaction": round(i.satisfaction) if i.satisfaction else None}
                for c, i in zip(ids, made, strict=True)
            ],
        )  # fmt: skip
        rows = session.execute(
            select(IncidentRow.id, IncidentRow.root_cause).where(IncidentRow.team_id == team_id)
        ).all()
        session.execute(
            insert(IncidentThemeRow),
            [
                {"incident_id": i, "team_id": team_id, "encoder": ENCODER, "source": _source(text),
                 "embedding": vectors[text].tobytes()}
                for i, text in rows if text
            ],
        )  # fmt: skip
    return team_id


def bench_size(incidents: int, *, seed: int = 0, report: bool = True, new: int = 50) -> dict:
    """Refit, report and assignment figures for one team of ``incidents`` stored incidents."""
    from heard.insights._phrases import text_phrases
    from heard.insights.stored import team_report
    from heard.insights.stored_themes import assign_new_incidents, refit_themes
    from heard.language import embed
    from heard.store import Database, migrate
    from heard.store.tables import ConversationRow, IncidentRow

    embed(["load the encoder before timing"])
    text_phrases(["and the phrase reader"])
    figures: dict = {"incidents": incidents}
    with tempfile.TemporaryDirectory() as folder:
        db = Database.connect(f"sqlite:///{Path(folder) / 'bench.db'}")
        try:
            migrate(db)
            team_id = _store(db, incidents, seed)
            tracemalloc.start()
            start, cpu = time.perf_counter(), time.process_time()
            with db.write() as session:
                model = refit_themes(session, team_id)
            figures["refit_seconds"] = round(time.perf_counter() - start, 2)
            figures["refit_cpu_seconds"] = round(time.process_time() - cpu, 2)
            figures["refit_peak_mb"] = round(tracemalloc.get_traced_memory()[1] / 2**20, 1)
            tracemalloc.stop()
            figures["themes"] = len(model.themes) if model else 0
            if report:
                seconds, cpus = [], []
                for _ in range(2):
                    start, cpu = time.perf_counter(), time.process_time()
                    with db.read() as session:
                        found = team_report(session=session, team_id=team_id, now=datetime.now(UTC))
                    seconds.append(time.perf_counter() - start)
                    cpus.append(time.process_time() - cpu)
                figures["report_seconds"] = round(max(seconds), 3)
                figures["report_cpu_seconds"] = round(max(cpus), 3)
                figures["report_themes"] = len(found.themes)
                timings, cpus = [], []
                for k in range(new):
                    with db.write() as session:
                        at = datetime.now(UTC)
                        conversation = ConversationRow(
                            team_id=team_id, status="resolved", created_at=at, state={}
                        )
                        session.add(conversation)
                        session.flush()
                        cause = f"{NEW_CAUSES[k % len(NEW_CAUSES)]} (case {k})"
                        session.add(
                            IncidentRow(team_id=team_id, conversation_id=conversation.id, root_cause=cause)
                        )
                        session.flush()
                        start, cpu = time.perf_counter(), time.process_time()
                        assigned = assign_new_incidents(session, team_id)
                        timings.append((time.perf_counter() - start) * 1000)
                        cpus.append((time.process_time() - cpu) * 1000)
                        assert assigned == 1
                figures["assign_p50_ms"] = round(float(np.percentile(timings, 50)), 1)
                figures["assign_p99_ms"] = round(float(np.percentile(timings, 99)), 1)
                figures["assign_cpu_p99_ms"] = round(float(np.percentile(cpus, 99)), 1)
        finally:
            db.dispose()
    return figures


def bench_insights(
    sizes: tuple[int, ...] = (2000, 16000), *, refit_only: tuple[int, ...] = (100_000,), seed: int = 0
) -> dict:
    """Figures per size: report and assignment at ``sizes``; refit time and memory at all."""
    results = {str(n): bench_size(n, seed=seed) for n in sizes if n > 0}
    results.update({str(n): bench_size(n, seed=seed, report=False) for n in refit_only if n > 0})
    return results
