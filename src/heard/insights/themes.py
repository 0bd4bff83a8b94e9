"""``themes``: group complaints into themes with readable names, beyond the fixed categories.

How (each choice measured by ``heard bench themes``; BENCHMARKS.md has the table):

1. Embed every text with the sentence encoder heard ships (``heard.language.embed``).
2. Centre the embeddings on their mean and renormalise: every complaint shares a "customer is
   unhappy" direction, and removing it lets the differences between causes decide.
3. k-means (scikit-learn, fixed seed) for each k from 2 up, keeping the k with the best cosine
   silhouette; k-means beat agglomerative clustering and HDBSCAN on heard's labelled set.
4. A text whose cosine to its theme's centre is below ``min_similarity``, or whose theme has
   fewer than ``min_size`` texts, gets no theme (-1).
5. Names are the key phrases that set a theme apart (class-based TF-IDF over noun chunks and
   verbs from the parse); examples are the texts nearest the theme's centre.
6. With ``times`` (and ``now``), a theme is *new* when at least 80% of its texts fall in the
   latest window (a week by default; one stray older text must not hide a new theme), and
   *growing* when the latest window holds at least twice the weekly average of the four
   windows before it plus two Poisson standard deviations (so 4 against 1.75 is not growing),
   and at least ``min_size`` texts. With no text before the latest window, neither is marked.

The same texts in the same order always give the same result: the encoder, k-means (seeded,
deterministic) and the ordering of themes (largest first, ties by first text) are all fixed.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime, timedelta

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from heard._version import __version__
from heard.errors import EmptyText, NotText
from heard.insights._time import Moment, as_utc
from heard.language.encoder import ENCODER

METHOD = "themes.v1"
_SEED = 0
_SELECTION_SAMPLE = 2000  # texts used to choose k; the final fit uses all texts
_HISTORY_WINDOWS = 4
_NEW_TOLERANCE = 0.2  # share of a new theme's texts that may be older than the latest window


class Theme(BaseModel):
    """One group of complaints that share a cause."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: int = Field(description="The theme's id: 0 is the largest theme.")
    name: str = Field(description="Its key phrases, joined: 'movers, moving company, late'.")
    phrases: list[str] = Field(description="The key phrases, most telling first.")
    size: int = Field(description="How many texts belong to it.")
    examples: list[str] = Field(description="The texts nearest its centre, nearest first.")
    new: bool = Field(
        default=False, description="At least 80% of its texts fall in the latest window (needs times)."
    )
    growing: bool = Field(
        default=False,
        description="The latest window holds at least twice the average of the windows before, "
        "beyond chance (needs times).",
    )
    recent: int | None = Field(
        default=None, description="Its texts in the latest window (None without times)."
    )
    before: float | None = Field(
        default=None, description="Its average texts per window over the four windows before the latest."
    )
    first_seen: datetime | None = Field(default=None, description="The time of its earliest text.")
    last_seen: datetime | None = Field(default=None, description="The time of its latest text.")


class ThemeSet(BaseModel):
    """Themes found in a list of texts, and the theme of each text."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    labels: list[int] = Field(description="One theme id per text, in input order; -1 where it fits no theme.")
    themes: list[Theme] = Field(description="The themes, largest first (the id is the position).")
    unassigned: int = Field(description="How many texts fit no theme.")
    window_days: float | None = Field(
        default=None, description="The length of the latest window in days, when times were given."
    )
    produced_by: dict[str, str] = Field(description="The method, encoder and heard version.")

    def theme_of(self, index: int) -> Theme | None:
        """The theme of text ``index``, or None where it has none."""
        label = self.labels[index]
        return self.themes[label] if label >= 0 else None


def _check(texts: Sequence[str]) -> list[str]:
    if isinstance(texts, str):
        raise NotText("themes takes a list of texts; wrap a single text as [text]")
    out = []
    for i, text in enumerate(texts):
        if not isinstance(text, str):
            raise NotText(f"texts[{i}] is a {type(text).__name__}, not a string")
        if not text.strip():
            raise EmptyText(f"texts[{i}] is empty; drop empty texts before grouping them")
        out.append(text)
    return out


def _centred(vectors: np.ndarray) -> np.ndarray:
    z = vectors - vectors.mean(axis=0)
    norms = np.linalg.norm(z, axis=1, keepdims=True)
    return z / np.where(norms > 0, norms, 1)


def _choose_k(z: np.ndarray, ks: range) -> int:
    """The k whose k-means partition has the best cosine silhouette (the smaller k on ties)."""
    from sklearn.cluster import KMeans
    from sklearn.metrics import silhouette_score

    if len(z) > _SELECTION_SAMPLE:
        z = z[np.random.default_rng(_SEED).choice(len(z), _SELECTION_SAMPLE, replace=False)]
    distances = np.clip(1.0 - z @ z.T, 0.0, 2.0)
    np.fill_diagonal(distances, 0.0)
    best_k, best_score = ks.start, -2.0
    for k in ks:
        labels = KMeans(n_clusters=k, n_init=4, random_state=_SEED).fit_predict(z)
        if len(set(labels)) < 2:
            continue
        score = float(silhouette_score(distances, labels, metric="precomputed"))
        if score > best_score + 1e-9:
            best_k, best_score = k, score
    return best_k


def _cluster(z: np.ndarray, *, min_size: int, max_themes: int, min_similarity: float) -> np.ndarray:
    from sklearn.cluster import KMeans
    from threadpoolctl import threadpool_limits

    # One thread: k-means on a few hundred points is quicker alone, and OpenMP threads that
    # spin while another process holds the second core made it twenty times slower.
    with threadpool_limits(limits=1):
        k = _choose_k(z, range(2, max(2, min(max_themes, len(z) // min_size)) + 1))
        model = KMeans(n_clusters=k, n_init=10, random_state=_SEED).fit(z)
    centres = model.cluster_centers_ / np.linalg.norm(model.cluster_centers_, axis=1, keepdims=True)
    labels = model.labels_.astype(int)
    labels[(z * centres[labels]).sum(axis=1) < min_similarity] = -1
    sizes = np.bincount(labels[labels >= 0], minlength=k)
    labels[(labels >= 0) & (sizes[np.maximum(labels, 0)] < min_size)] = -1
    # Ids by size, largest first; ties by the first text in the theme.
    kept = [c for c in range(k) if sizes[c] >= min_size]
    kept.sort(key=lambda c: (-int((labels == c).sum()), int(np.argmax(labels == c))))
    remap = {old: new for new, old in enumerate(kept)}
    return np.array([remap.get(int(label), -1) for label in labels])


def _growth(members: list[int], times: list[datetime], now: datetime, window: timedelta) -> dict:
    when = [times[i] for i in members]
    start = now - window
    recent = sum(start <= t <= now for t in when)
    history = sum(start - _HISTORY_WINDOWS * window <= t < start for t in when)
    earlier = sum(t < start for t in when)
    before = history / _HISTORY_WINDOWS
    return {
        "recent": recent,
        "before": round(before, 2),
        # A stray older text clustered in should not hide a new theme: 80% recent is new.
        "new": recent > 0 and earlier <= _NEW_TOLERANCE * len(when),
        "growing_counts": (recent, before),
        "first_seen": min(when),
        "last_seen": max(when),
    }


def themes(
    texts: Sequence[str],
    *,
    times: Sequence[Moment] | None = None,
    now: Moment | None = None,
    window: timedelta = timedelta(days=7),
    min_size: int = 3,
    max_themes: int = 30,
    min_similarity: float = 0.3,
    examples: int = 3,
) -> ThemeSet:
    """Group complaints into themes with readable names, sizes and examples.

    Args:
        texts: the complaints (or their root causes), one string each.
        times: when each text was written (datetime, ISO text or epoch seconds), to mark
            themes that are new or growing; optional.
        now: the end of the latest window; defaults to the latest of ``times``.
        window: the length of the latest window ("new this week" with the default).
        min_size: a theme needs at least this many texts; smaller groups become -1.
        max_themes: at most this many themes.
        min_similarity: a text whose cosine to its theme's centre (after centring) is lower
            fits no theme.
        examples: how many example texts each theme shows.

    Raises:
        NotText: ``texts`` is a single string or holds something that is not a string.
        EmptyText: a text is empty.
        ValueError: ``times`` has a different length, or a time cannot be read.

    >>> result = themes(["Refund still missing.", "Where is my refund?", "No refund yet."], min_size=2)
    >>> result.labels
    [-1, -1, -1]
    """
    texts = _check(texts)
    if min_size < 1 or max_themes < 1 or examples < 0:
        raise ValueError("min_size and max_themes must be at least 1 and examples at least 0")
    stamps: list[datetime] | None = None
    if times is not None:
        if len(times) != len(texts):
            raise ValueError(f"times has {len(times)} entries for {len(texts)} texts; give one time per text")
        stamps = [as_utc(t, what=f"times[{i}]") for i, t in enumerate(times)]
    end = as_utc(now, what="now") if now is not None else (max(stamps) if stamps else None)
    produced_by = {"method": METHOD, "encoder": ENCODER, "heard": __version__}
    days = window.total_seconds() / 86400 if stamps is not None else None
    # k-means needs two groups of min_size to choose between; fewer texts form no theme.
    if len(texts) < 2 * max(min_size, 2):
        return ThemeSet(
            labels=[-1] * len(texts),
            themes=[],
            unassigned=len(texts),
            window_days=days,
            produced_by=produced_by,
        )

    from heard.insights._phrases import name_themes, text_phrases
    from heard.language import embed

    z = _centred(embed(texts))
    labels = _cluster(z, min_size=min_size, max_themes=max_themes, min_similarity=min_similarity)
    # Only texts with a theme name one: the parse is the slow part, so the rest are not parsed.
    kept = [int(i) for i in np.flatnonzero(labels >= 0)]
    names = name_themes(text_phrases([texts[i] for i in kept]), [int(labels[i]) for i in kept])
    has_history = stamps is not None and end is not None and any(t < end - window for t in stamps)
    found = []
    for theme_id in range(int(labels.max()) + 1):
        members = [int(i) for i in np.flatnonzero(labels == theme_id)]
        centre = z[members].mean(axis=0)
        nearest = sorted(members, key=lambda i: (-float(z[i] @ centre), i))[:examples]
        extra: dict = {}
        if stamps is not None and end is not None:
            growth = _growth(members, stamps, end, window)
            recent, before = growth.pop("growing_counts")
            # Nothing is new or growing when every text falls in the latest window: no history.
            growth["new"] = growth["new"] and has_history
            # Twice the usual count, and more than chance: two Poisson standard deviations on top.
            usual = 2 * before + 2 * math.sqrt(before)
            growth["growing"] = has_history and not growth["new"] and recent >= max(min_size, usual)
            extra = growth
        phrases = names.get(theme_id) or []
        found.append(
            Theme(
                id=theme_id,
                name=", ".join(phrases) or f"theme {theme_id}",
                phrases=phrases,
                size=len(members),
                examples=[texts[i] for i in nearest],
                **extra,
            )
        )
    return ThemeSet(
        labels=labels.tolist(),
        themes=found,
        unassigned=int((labels < 0).sum()),
        window_days=days,
        produced_by=produced_by,
    )
