"""A team's themes in the store: fitted in the worker, read by the report, new incidents assigned.

- ``refit_themes`` (a worker job, ``refit_due_themes`` finds the teams due): embeds the root causes
  not embedded yet, fits a ``ThemeModel`` on all of the team's incidents, stores it as the next
  version and each incident's theme under it.
- ``assign_new_incidents``: embeds and assigns incidents recorded since (milliseconds each, no
  regrouping); the worker runs it every pass.
- ``stored_theme_set``: the themes of the latest model with each incident's stored theme, and which
  are new or growing as of ``now``: what the insights report shows, read and counted, not regrouped.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Sequence
from datetime import datetime, timedelta

import numpy as np
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from heard.insights.theme_model import METHOD, ThemeModel, embed_cores
from heard.insights.themes import ThemeSet, theme_set
from heard.language.encoder import ENCODER
from heard.store.database import Database
from heard.store.tables import IncidentRow, IncidentThemeRow, ThemeModelRow, now

log = logging.getLogger(__name__)

REFIT_AFTER = timedelta(days=7)  # a model older than this is refitted...
REFIT_GROWTH = 0.2  # ...and so is one when the team's incidents grew by this share since
MIN_INCIDENTS = 12  # fewer incidents with a root cause form no themes worth a model

_MODELS: OrderedDict[tuple[int, int], ThemeModel] = OrderedDict()
_MODELS_LOCK = threading.Lock()


def _source(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _latest_row(session: Session, team_id: int) -> ThemeModelRow | None:
    return session.scalar(
        select(ThemeModelRow)
        .where(ThemeModelRow.team_id == team_id)
        .order_by(ThemeModelRow.version.desc())
        .limit(1)
    )


def latest_model(session: Session, team_id: int) -> tuple[ThemeModelRow, ThemeModel] | None:
    """The team's latest theme model (its row and the model, loaded once per version), or None."""
    row = _latest_row(session, team_id)
    if row is None:
        return None
    key = (team_id, row.version)
    with _MODELS_LOCK:
        if key in _MODELS:
            _MODELS.move_to_end(key)
            return row, _MODELS[key]
    model = ThemeModel.from_bytes(row.model)
    with _MODELS_LOCK:
        _MODELS[key] = model
        while len(_MODELS) > 16:
            _MODELS.popitem(last=False)
    return row, model


def _unembedded(session: Session, team_id: int, limit: int | None = None) -> list[IncidentRow]:
    """The team's incidents with a root cause whose embedding is missing (oldest first)."""
    query = (
        select(IncidentRow)
        .outerjoin(IncidentThemeRow, IncidentThemeRow.incident_id == IncidentRow.id)
        .where(
            IncidentRow.team_id == team_id,
            IncidentRow.root_cause.is_not(None),
            IncidentThemeRow.incident_id.is_(None),
        )
        .order_by(IncidentRow.id)
    )
    return list(session.scalars(query.limit(limit) if limit else query))


def _stale(session: Session, team_id: int) -> list[tuple[IncidentRow, IncidentThemeRow]]:
    """Incidents whose root cause changed since it was embedded (someone edited it)."""
    rows = session.execute(
        select(IncidentRow, IncidentThemeRow)
        .join(IncidentThemeRow, IncidentThemeRow.incident_id == IncidentRow.id)
        .where(IncidentRow.team_id == team_id, IncidentRow.root_cause.is_not(None))
    ).all()
    return [(i, t) for i, t in rows if t.source != _source(i.root_cause or "") or t.encoder != ENCODER]


def embed_incidents(session: Session, team_id: int, *, edited: bool = True, batch_size: int = 1) -> int:
    """Store the embedding of every root cause not embedded yet (and, with ``edited``, of those
    edited since: that reads every stored one, so the refit does it); how many.
    ``batch_size=1`` (the default) makes an incident's embedding independent of its neighbours."""
    fresh = _unembedded(session, team_id)
    stale = _stale(session, team_id) if edited else []
    incidents = fresh + [i for i, _ in stale]
    if not incidents:
        return 0
    vectors = embed_cores([i.root_cause or "" for i in incidents], batch_size=batch_size)
    by_id = {t.incident_id: t for _, t in stale}
    for incident, vector in zip(incidents, vectors, strict=True):
        row = by_id.get(incident.id)
        if row is None:
            row = IncidentThemeRow(incident_id=incident.id, team_id=team_id)
            session.add(row)
        row.encoder, row.source = ENCODER, _source(incident.root_cause or "")
        row.embedding = vector.astype(np.float32).tobytes()
        row.theme = row.model_version = None
    session.flush()
    return len(incidents)


def assign_new_incidents(session: Session, team_id: int) -> int:
    """Embed the team's new incidents and put each under a theme of the latest model (or -1);
    how many were assigned. No regrouping: the model stays as fitted."""
    embed_incidents(session, team_id, edited=False)
    latest = latest_model(session, team_id)
    if latest is None:
        return 0
    row, model = latest
    pending = session.execute(
        select(IncidentThemeRow, IncidentRow.root_cause)
        .join(IncidentRow, IncidentRow.id == IncidentThemeRow.incident_id)
        .where(IncidentThemeRow.team_id == team_id, IncidentThemeRow.theme.is_(None))
    ).all()
    if not pending:
        return 0
    vectors = np.stack([np.frombuffer(t.embedding, dtype=np.float32) for t, _ in pending])
    labels = model.predict([text or "" for _, text in pending], embeddings=vectors)
    for (theme_row, _), label in zip(pending, labels, strict=True):
        theme_row.theme, theme_row.model_version = int(label), row.version
    session.flush()
    return len(pending)


def refit_themes(session: Session, team_id: int) -> ThemeModelRow | None:
    """Fit the team's themes on all its incidents and store the model as the next version, with
    every incident's theme; None when the team has too few incidents with a root cause."""
    start = time.perf_counter()
    embed_incidents(session, team_id)
    # Columns, not row objects, read in chunks into one array: bounded memory at 100,000.
    ids: list[int] = []
    texts: list[str] = []
    chunks: list[np.ndarray] = []
    query = (
        select(IncidentThemeRow.incident_id, IncidentThemeRow.embedding, IncidentRow.root_cause)
        .join(IncidentRow, IncidentRow.id == IncidentThemeRow.incident_id)
        .where(IncidentThemeRow.team_id == team_id)
        .order_by(IncidentThemeRow.incident_id)
        .execution_options(yield_per=2000)
    )
    for part in session.execute(query).partitions():
        ids.extend(r[0] for r in part)
        texts.extend(r[2] or "" for r in part)
        chunks.append(np.frombuffer(b"".join(r[1] for r in part), dtype=np.float32).reshape(len(part), -1))
    if len(ids) < MIN_INCIDENTS:
        return None
    vectors = np.concatenate(chunks)
    del chunks
    model = ThemeModel().fit(texts, embeddings=vectors)
    version = (
        session.scalar(select(func.max(ThemeModelRow.version)).where(ThemeModelRow.team_id == team_id)) or 0
    ) + 1
    session.execute(
        update(IncidentThemeRow),
        [
            {"incident_id": i, "theme": int(label), "model_version": version}
            for i, label in zip(ids, model.labels_, strict=True)
        ],
    )
    found = [
        {"id": t, "name": model.name(t), "phrases": model.phrases_[t], "size": int(model.sizes_[t]),
         "examples": model.examples_[t]}
        for t in range(model.n_themes_)
    ]  # fmt: skip
    stored = ThemeModelRow(
        team_id=team_id, version=version, method=f"{METHOD} over {ENCODER}", incidents=len(ids),
        model=model.to_bytes(), themes=found, seconds=round(time.perf_counter() - start, 2),
    )  # fmt: skip
    session.add(stored)
    session.flush()
    log.info("team %s: themes v%s, %s themes over %s incidents", team_id, version, model.n_themes_, len(ids))
    return stored


def refit_due(session: Session, team_id: int, *, at: datetime | None = None) -> bool:
    """Whether the team's themes need a refit: none yet (with enough incidents), a model older
    than ``REFIT_AFTER``, or incidents grown by ``REFIT_GROWTH`` since the last fit."""
    at = at or now()
    count = session.scalar(
        select(func.count()).where(IncidentRow.team_id == team_id, IncidentRow.root_cause.is_not(None))
    )
    if count < MIN_INCIDENTS:
        return False
    row = _latest_row(session, team_id)
    if row is None:
        return True
    return row.fitted_at + REFIT_AFTER <= at or count >= row.incidents * (1 + REFIT_GROWTH) + 1


def refit_due_themes(db: Database, *, at: datetime | None = None) -> dict[str, int]:
    """The worker's theme job: assign new incidents for every team, refit the teams that are due."""
    with db.read() as session:
        teams = list(session.scalars(select(IncidentRow.team_id).distinct()))
    counts = {"assigned": 0, "refitted": 0}
    for team_id in teams:
        with db.write() as session:
            if refit_due(session, team_id, at=at):
                counts["refitted"] += refit_themes(session, team_id) is not None
            else:
                counts["assigned"] += assign_new_incidents(session, team_id)
    return counts


def stored_theme_set(
    session: Session,
    team_id: int,
    conversation_ids: Sequence[int],
    times: Sequence[datetime | None],
    *,
    now: datetime,
    window: timedelta = timedelta(days=7),
) -> ThemeSet | None:
    """The latest model's themes over these incidents (by conversation id, with when each opened),
    each incident's stored theme, and which themes are new or growing as of ``now``; None when
    the team has no model yet. Incidents not assigned under the latest version count as -1."""
    latest = latest_model(session, team_id)
    if latest is None:
        return None
    row, _ = latest
    assigned = dict(
        session.execute(
            select(IncidentRow.conversation_id, IncidentThemeRow.theme)
            .join(IncidentThemeRow, IncidentThemeRow.incident_id == IncidentRow.id)
            .where(IncidentRow.team_id == team_id, IncidentThemeRow.model_version == row.version)
        ).all()
    )
    labels = [assigned.get(c) for c in conversation_ids]
    return theme_set(
        [-1 if label is None else label for label in labels],
        row.themes,
        times=times,
        now=now,
        window=window,
        produced_by={"method": METHOD, "encoder": ENCODER, "model_version": str(row.version)},
    )
