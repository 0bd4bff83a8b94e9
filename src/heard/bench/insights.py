"""``heard bench insights``: how long a team's insights take over its stored incidents.

Stores ``incidents`` synthetic incidents (``heard.insights.synthetic``, with their conversations)
for one team in a fresh SQLite database in a temporary folder, then times ``team_report`` (what
``GET /v1/insights``, the lead view and ``heard insights --team`` compute) twice: the first time
groups themes (the encoder embeds every root cause), the second finds them remembered, as a
lead's page does until a new incident comes. The encoder and the phrase reader are loaded
before timing.
"""

from __future__ import annotations

import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path


def bench_insights(incidents: int = 2000, *, seed: int = 0) -> dict:
    """Seconds for a team's report over ``incidents`` stored incidents, first and remembered."""
    from heard.insights._phrases import text_phrases
    from heard.insights.stored import team_report
    from heard.insights.synthetic import synthetic_incidents
    from heard.language import embed
    from heard.store import Database, migrate, repo
    from heard.store.tables import ConversationRow, IncidentRow

    embed(["load the encoder before timing"])
    text_phrases(["and the phrase reader"])
    with tempfile.TemporaryDirectory() as folder:
        db = Database.connect(f"sqlite:///{Path(folder) / 'bench.db'}")
        try:
            migrate(db)
            with db.write() as session:
                team_id = repo.create_team(session=session, name="bench").id
                for i in synthetic_incidents(incidents, seed=seed):
                    conversation = ConversationRow(
                        team_id=team_id, status="resolved", created_at=i.opened_at, resolved_at=i.closed_at,
                        category=i.category, peak_upset=i.peak_upset, state={},
                    )  # fmt: skip
                    session.add(conversation)
                    session.flush()
                    session.add(
                        IncidentRow(
                            team_id=team_id, conversation_id=conversation.id,
                            **i.model_dump(include=set(repo.INCIDENT_FIELDS)),
                            satisfaction=round(i.satisfaction) if i.satisfaction else None,
                        )
                    )  # fmt: skip
            seconds = []
            for _ in range(2):
                start = time.perf_counter()
                with db.read() as session:
                    report = team_report(session=session, team_id=team_id, now=datetime.now(UTC))
                seconds.append(round(time.perf_counter() - start, 2))
        finally:
            db.dispose()
    return {
        "incidents": report.conversations,
        "themes": len(report.themes),
        "recommendations": len(report.recommendations),
        "first_seconds": seconds[0],
        "remembered_seconds": seconds[1],
    }
