"""``ThemeModel``: themes of a team's complaints as a scikit-learn style estimator.

``fit`` learns the themes of a team's complaints, ``predict`` puts a new complaint under one of
them (or -1 when it fits none) in milliseconds, and a refit (a worker job) follows the team as it
grows. Learned attributes end in ``_``; the same texts always give the same model.

What a complaint is, for grouping (each choice measured by ``heard bench themes`` on real
airline tweets and CFPB letters; docs/themes.md has the figures):

1. Only its core (``theme_text.core``): no handles, tags, links, greetings or redaction marks.
2. Three views of the core, each centred on the team's mean and set to unit length: the shipped
   sentence encoder's embedding (what it is about), TF-IDF of its words and word pairs reduced by
   truncated SVD (the words that tell causes apart: "cancelled", "on hold", "late fee"), and the
   cause cues of ``data/theme_cues.json`` (does it mention a bag, a fee, a payoff?). On real
   archives embeddings alone missed causes that hinge on one word, and the words and cues added
   0.05-0.11 NMI; on clean written complaints they blurred the causes. So the words and cues
   join only when the embeddings alone separate the complaints weakly (``CLEAR_SEPARATION``).
3. k-means (seeded) over the joined views. The number of themes grows with the team: the
   silhouette chooses within [sqrt(n / 20), sqrt(n / 10)] (``_choose_k``), so thousands of
   complaints give tens of themes (silhouette alone chose 2 on real archives).
4. The least typical ``outliers`` share of complaints (lowest cosine to their theme's centre)
   sets the bar below which a complaint fits no theme (-1); themes under ``min_size`` are dropped.
5. Names: the key phrases that set a theme apart (``_phrases``), read from the cores of its most
   typical complaints, never a handle, tag or mark; examples are the complaints nearest the centre.
"""

from __future__ import annotations

import io
import json
import math
import re
from collections.abc import Sequence
from functools import cache
from importlib.resources import files

import numpy as np
from sklearn.base import BaseEstimator, ClusterMixin
from sklearn.utils.validation import check_is_fitted

from heard.insights.theme_text import METHOD, core, is_noise
from heard.language.encoder import ENCODER

_SELECTION_SAMPLE = 2000  # complaints used to choose the number of themes
_NAMING_SAMPLE = 60  # typical complaints per theme parsed for its name (the parse is slow)
_WORD_DIMENSIONS = 200
_MIN_WORD_TEXTS = 100
# The embeddings alone decide when they separate the complaints this clearly (cosine silhouette
# of k-means on them): heard's written sets measured 0.12-0.13, where words and cues only blurred
# the causes (NMI .85 alone, .76 joined); real archives measured 0.05-0.06 (airline tweets,
# CFPB letters), where the words and cues added 0.05-0.11 NMI.
CLEAR_SEPARATION = 0.09


@cache
def _cues() -> list[re.Pattern]:
    data = json.loads((files("heard.insights") / "data" / "theme_cues.json").read_text("utf-8"))
    return [re.compile(rf"\b(?:{v})\b", re.IGNORECASE) for k, v in data.items() if not k.startswith("_")]


def _unit(x: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return x / np.where(norms > 0, norms, 1)


def cores(texts: Sequence[str]) -> list[str]:
    """The core of each text, or the text itself when nothing is left of it."""
    return [core(t) or t.strip() for t in texts]


def embed_cores(texts: Sequence[str], *, batch_size: int = 32) -> np.ndarray:
    """Encoder embeddings of the cores (float32, unit length): what ``fit`` and ``predict``
    take as ``embeddings`` when they are stored. ``batch_size=1`` for one that must not
    depend on its neighbours."""
    from heard.language import embed

    return np.asarray(embed(cores(texts), batch_size=batch_size), dtype=np.float32)


def _vectorizer(min_df: int, vocabulary=None):
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(
        stop_words="english", min_df=min_df, sublinear_tf=True, ngram_range=(1, 2),
        max_features=20000, token_pattern=r"(?u)\b[a-zA-Z][a-zA-Z']+\b", vocabulary=vocabulary,
    )  # fmt: skip


class ThemeModel(ClusterMixin, BaseEstimator):
    """Themes of complaints: ``fit(texts)``, ``predict(texts)``; ``labels_`` and ``themes_``.

    Args:
        min_size: a theme needs at least this many complaints (or 0.3% of them, if more).
        max_themes: at most this many themes.
        outliers: the share of the fitted complaints, the least typical, left without a theme.
        words_weight, cues_weight: the weight of the TF-IDF and the cause-cue views beside the
            embedding (1 each would weigh them equally).
        fit_sample: k-means learns its centres on at most this many complaints (seeded sample);
            the rest are assigned to them, which bounds the refit's time and memory.
        random_state: the seed of k-means and of the samples.

    >>> bags = ["My bag never came off the carousel.", "Lost my suitcase on the flight home.",
    ...         "The luggage belt stopped and my bag was not on it.", "Where is my checked bag?"]
    >>> fees = ["They charged a late fee though I paid on time.", "A late payment fee after I paid early.",
    ...         "Charged a late fee twice this month.", "Why is there a late fee on my statement?"]
    >>> model = ThemeModel(min_size=2, outliers=0.0).fit(bags + fees)
    >>> model.labels_.tolist()
    [0, 0, 0, 0, 1, 1, 1, 1]
    """

    def __init__(
        self,
        *,
        min_size: int = 3,
        max_themes: int = 40,
        outliers: float = 0.1,
        words_weight: float = 1.0,
        cues_weight: float = 0.5,
        fit_sample: int = 20000,
        random_state: int = 0,
    ):
        self.min_size = min_size
        self.max_themes = max_themes
        self.outliers = outliers
        self.words_weight = words_weight
        self.cues_weight = cues_weight
        self.fit_sample = fit_sample
        self.random_state = random_state

    # -- features -------------------------------------------------------------------------
    def _words(self, texts: list[str]) -> np.ndarray:
        vectorizer = _vectorizer(1, vocabulary=self.vocabulary_)
        vectorizer.idf_ = self.idf_
        reduced = vectorizer.transform(texts) @ self.word_components_.T
        return _unit(np.asarray(reduced) - self.word_mean_)

    def _features(self, texts: list[str], embeddings: np.ndarray) -> np.ndarray:
        views = [_unit(embeddings - self.embedding_mean_)]
        if self.word_components_.shape[0] and self.words_weight_:
            views.append(self.words_weight_ * self._words(texts))
        if self.cues_weight_:
            cues = np.array([[bool(p.search(t)) for p in _cues()] for t in texts], dtype=np.float32)
            views.append(self.cues_weight_ * _unit(cues))
        return _unit(np.hstack(views).astype(np.float32))

    def _fit_words(self, texts: list[str]) -> None:
        from sklearn.decomposition import TruncatedSVD

        vectorizer = _vectorizer(2 if len(texts) < 500 else 3)
        counts = None
        # Word statistics of a few dozen texts are noise: under _MIN_WORD_TEXTS only the embedding
        # and the cues group them.
        if len(texts) >= _MIN_WORD_TEXTS:
            try:
                counts = vectorizer.fit_transform(texts)
            except ValueError:  # no word in two texts: the words tell nothing apart
                counts = None
        if counts is None or counts.shape[1] < 3:
            self.vocabulary_, self.idf_ = [], np.zeros(0)
            self.word_components_, self.word_mean_ = np.zeros((0, 0)), np.zeros(0)
            return
        dims = min(_WORD_DIMENSIONS, counts.shape[1] - 1, len(texts) - 1)
        svd = TruncatedSVD(dims, random_state=self.random_state).fit(counts)
        self.vocabulary_ = vectorizer.get_feature_names_out().tolist()
        self.idf_ = vectorizer.idf_
        self.word_components_ = svd.components_.astype(np.float32)
        self.word_mean_ = np.asarray(counts @ svd.components_.T).mean(axis=0)

    # -- fit / predict --------------------------------------------------------------------
    def fit(self, X: Sequence[str], y=None, *, embeddings: np.ndarray | None = None) -> ThemeModel:
        """Learn the themes of ``X`` (complaint texts); ``embeddings``: ``embed_cores(X)`` if stored."""
        from sklearn.cluster import KMeans
        from threadpoolctl import threadpool_limits

        texts = cores(X)
        n = len(texts)
        if n < 2 * max(self.min_size, 2):
            raise ValueError(
                f"{n} complaints are too few for themes; give at least {2 * max(self.min_size, 2)}"
            )
        vectors = embed_cores(X) if embeddings is None else np.asarray(embeddings, dtype=np.float32)
        if vectors.shape[0] != n:
            raise ValueError(f"embeddings has {vectors.shape[0]} rows for {n} texts; give one per text")
        self.embedding_mean_ = vectors.mean(axis=0)
        rng = np.random.default_rng(self.random_state)
        # One thread: k-means threads spinning against other processes on two cores ran far slower.
        with threadpool_limits(limits=1):
            self.embedding_separation_ = self._separation(_unit(vectors - self.embedding_mean_), rng)
            clear = self.embedding_separation_ >= CLEAR_SEPARATION
            self.words_weight_ = 0.0 if clear else self.words_weight
            self.cues_weight_ = 0.0 if clear else self.cues_weight
            self._fit_words(texts if self.words_weight_ else [])
            z = self._features(texts, vectors)
            k = self._choose_k(z, rng)
            sample = z if n <= self.fit_sample else z[np.sort(rng.choice(n, self.fit_sample, replace=False))]
            k = max(1, min(k, len(np.unique(sample.round(4), axis=0))))
            centres = _unit(KMeans(k, n_init=3, random_state=self.random_state).fit(sample).cluster_centers_)
        similarity = z @ centres.T
        labels = similarity.argmax(axis=1)
        best = similarity[np.arange(n), labels]
        floor = max(self.min_size, math.ceil(0.003 * n))
        sizes = np.bincount(labels, minlength=k)
        kept = [c for c in range(k) if sizes[c] >= floor]
        kept.sort(key=lambda c: (-int(sizes[c]), int(np.argmax(labels == c))))  # largest first
        self.centres_ = centres[kept].astype(np.float32)
        remap = np.full(k, -1)
        remap[kept] = np.arange(len(kept))
        labels = remap[labels]
        self.threshold_ = float(np.quantile(best[labels >= 0], self.outliers)) if (labels >= 0).any() else 1.0
        labels[best < self.threshold_] = -1
        self.labels_ = labels
        self.n_themes_ = len(kept)
        self.sizes_ = np.bincount(labels[labels >= 0], minlength=self.n_themes_)
        self.n_texts_ = n
        self._describe(X, texts, z, labels)
        return self

    def _separation(self, z: np.ndarray, rng: np.random.Generator) -> float:
        """The cosine silhouette of k-means on the embeddings alone (k = sqrt(n/10))."""
        from sklearn.cluster import KMeans
        from sklearn.metrics import silhouette_score

        n = len(z)
        if n > _SELECTION_SAMPLE:
            z = z[np.sort(rng.choice(n, _SELECTION_SAMPLE, replace=False))]
        k = min(max(2, round(math.sqrt(n / 10))), len(np.unique(z.round(4), axis=0)), len(z) - 1)
        if k < 2:
            return 1.0  # every complaint the same: nothing for words to separate
        labels = KMeans(k, n_init=2, random_state=self.random_state).fit_predict(z)
        return float(silhouette_score(z, labels, metric="cosine")) if len(set(labels)) > 1 else 0.0

    def _choose_k(self, z: np.ndarray, rng: np.random.Generator) -> int:
        """The k with the best cosine silhouette within [sqrt(n/20), sqrt(n/10)], or up to
        2 sqrt(n/10) under 1,000 complaints. On real archives the silhouette always preferred the
        most themes it was offered while agreement with the labelled causes fell beyond
        sqrt(n/10) (airline develop part: NMI .289 at 14 themes, .270 at 24); on the small written
        sets it found the causes within 2 sqrt(n/10)."""
        from sklearn.cluster import KMeans
        from sklearn.metrics import silhouette_score

        n = len(z)
        root = math.sqrt(n / 10)
        low = max(2, round(root / math.sqrt(2)))
        high = max(2, min(self.max_themes, round(root * (2 if n < 1000 else 1)), n // max(self.min_size, 1)))
        low = min(low, high)
        if low == high:
            return low
        if n > _SELECTION_SAMPLE:
            z = z[np.sort(rng.choice(n, _SELECTION_SAMPLE, replace=False))]
        # Complaints repeated word for word are one point: no more themes than distinct points.
        distinct = len(np.unique(z.round(4), axis=0))
        high = max(2, min(high, distinct))
        low = min(low, high)
        if low == high:
            return low
        step = max(1, (high - low) // 6)
        best_k, best_score = low, -2.0
        for k in range(low, high + 1, step):
            labels = KMeans(k, n_init=2, random_state=self.random_state).fit_predict(z)
            if len(set(labels)) < 2:
                continue
            score = float(silhouette_score(z, labels, metric="cosine"))
            if score > best_score + 1e-9:
                best_k, best_score = k, score
        return best_k

    def _describe(self, X: Sequence[str], texts: list[str], z: np.ndarray, labels: np.ndarray) -> None:
        """Names (key phrases) and examples (nearest the centre) of each theme."""
        from heard.insights._phrases import name_themes, text_phrases

        typical: list[list[int]] = []
        for theme in range(self.n_themes_):
            members = np.flatnonzero(labels == theme)
            order = np.argsort(-(z[members] @ self.centres_[theme]), kind="stable")
            typical.append(members[order].tolist())
        picked = [i for members in typical for i in members[:_NAMING_SAMPLE]]
        phrases = text_phrases([texts[i] for i in picked])
        clean = [[(k, s) for k, s in found if not is_noise(k) and not is_noise(s)] for found in phrases]
        names = name_themes(clean, [int(labels[i]) for i in picked])
        self.phrases_ = [names.get(t) or [] for t in range(self.n_themes_)]
        self.examples_ = [[X[i] for i in members[:3]] for members in typical]

    def transform(self, X: Sequence[str], *, embeddings: np.ndarray | None = None) -> np.ndarray:
        """Cosine of each text to each theme's centre, shape (len(X), n_themes_)."""
        check_is_fitted(self, "centres_")
        texts = cores(X)
        vectors = embed_cores(X) if embeddings is None else np.asarray(embeddings, dtype=np.float32)
        return self._features(texts, vectors) @ self.centres_.T

    def predict(self, X: Sequence[str], *, embeddings: np.ndarray | None = None) -> np.ndarray:
        """The theme of each text, or -1 where it is less typical than the fitted outliers."""
        if not len(X):
            return np.zeros(0, dtype=int)
        similarity = self.transform(X, embeddings=embeddings)
        if similarity.shape[1] == 0:
            return np.full(len(X), -1)
        labels = similarity.argmax(axis=1)
        labels[similarity[np.arange(len(X)), labels] < self.threshold_] = -1
        return labels

    def fit_predict(self, X: Sequence[str], y=None, *, embeddings: np.ndarray | None = None) -> np.ndarray:
        return self.fit(X, embeddings=embeddings).labels_

    # -- persistence ----------------------------------------------------------------------
    _ARRAYS = ("idf_", "word_components_", "word_mean_", "embedding_mean_", "centres_", "sizes_")

    def to_bytes(self) -> bytes:
        """The fitted model as bytes (numpy arrays and JSON, no pickle) for the store."""
        check_is_fitted(self, "centres_")
        meta = {
            "method": METHOD, "encoder": ENCODER, "params": self.get_params(),
            "vocabulary": self.vocabulary_, "threshold": self.threshold_, "n_texts": self.n_texts_,
            "words_weight": self.words_weight_, "cues_weight": self.cues_weight_,
            "separation": self.embedding_separation_,
            "phrases": self.phrases_, "examples": self.examples_,
        }  # fmt: skip
        buffer = io.BytesIO()
        np.savez_compressed(
            buffer, meta=np.array(json.dumps(meta)), **{a: getattr(self, a) for a in self._ARRAYS}
        )
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> ThemeModel:
        """A model saved by ``to_bytes``; a model of another method or encoder is refused."""
        with np.load(io.BytesIO(data), allow_pickle=False) as stored:
            meta = json.loads(str(stored["meta"]))
            if meta["method"] != METHOD or meta["encoder"] != ENCODER:
                raise ValueError(
                    f"a {meta['method']} model over {meta['encoder']} cannot be read by {METHOD} "
                    f"over {ENCODER}; refit the team's themes"
                )
            model = cls(**meta["params"])
            for name in cls._ARRAYS:
                setattr(model, name, stored[name])
        model.vocabulary_ = meta["vocabulary"]
        model.threshold_ = meta["threshold"]
        model.words_weight_, model.cues_weight_ = meta["words_weight"], meta["cues_weight"]
        model.embedding_separation_ = meta["separation"]
        model.n_texts_ = meta["n_texts"]
        model.phrases_ = meta["phrases"]
        model.examples_ = meta["examples"]
        model.n_themes_ = len(model.centres_)
        return model

    def name(self, theme: int) -> str:
        """A theme's name: its key phrases joined."""
        return ", ".join(self.phrases_[theme]) or f"theme {theme}"
