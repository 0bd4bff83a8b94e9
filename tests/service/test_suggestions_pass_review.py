"""The reply heard's suggestion panel composes (reflection, apology while owed, a question),
reviewed as the agent's draft in that same conversation, gets no high or medium finding: heard
never suggests what it would then flag. (Each line alone is a part of a reply: a reflection
alone is rightly flagged for the apology it leaves out.)"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from heard import service
from heard.respond.policy import example_catalogue_text
from heard.store import Database, migrate, repo
from tests.service.test_scripted_conversations import COMPLAINTS

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    database = Database.connect(f"sqlite:///{tmp_path_factory.mktemp('lines') / 'heard.db'}")
    migrate(database)
    with database.write() as s:
        team = repo.create_team(session=s, name="Lines")
        team_id = team.id
        repo.put_policy(session=s, team_id=team_id, catalogue=example_catalogue_text())
    return database, team_id


def _suggested(db, team_id, cid) -> list[str]:
    """The reply the suggestion panel composes: the reflection (or acknowledgement), the apology
    while one is owed, and the first question."""
    lines = service.lines(db, team_id=team_id, conversation_id=cid)
    question = lines.questions[0].text if lines.questions else None
    parts = [lines.reflection or lines.acknowledgement, lines.apology, question]
    return [" ".join(p for p in parts if p)]


# Known contradictions, for the reflection's and the review's owners (issues 13/14): the review
# calls these reflections "parroting". Strict: the mark must go when they are fixed.
PARROTED = pytest.mark.xfail(strict=True, reason="review flags heard's own reflection as parroting")
CASES = [pytest.param(c, marks=PARROTED) if c == "no callback" else c for c in sorted(COMPLAINTS)]


@pytest.mark.parametrize("complaint", CASES)
def test_every_suggestion_passes_heards_own_review(db, complaint) -> None:
    database, team_id = db
    row, _ = service.start_conversation(database, team_id=team_id)
    first, second = COMPLAINTS[complaint]
    for k, text in enumerate((first, second)):
        service.ingest_message(database, team_id=team_id, conversation_id=row.id, role="customer", text=text,
                               at=T0 + timedelta(seconds=90 * k))  # fmt: skip
    now = T0 + timedelta(minutes=10)
    drafts = _suggested(database, team_id, row.id)
    assert drafts
    for draft in drafts:
        r = service.review_draft(database, team_id=team_id, conversation_id=row.id, draft=draft, at=now)
        serious = [(f.check, f.severity) for f in r.findings if f.severity in ("high", "medium")]
        assert serious == [], (draft, serious)
