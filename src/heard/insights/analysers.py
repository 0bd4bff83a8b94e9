"""A pool of analyser processes for ``heard import``: customer messages analysed, agent messages' acts read.

The analysis is pure CPU in Python (spaCy's parse, the cue rules) around a small ONNX model, so
threads do not help much; processes do. Each worker loads the models once, runs them on one
thread (``HEARD_THREADS=1``: two workers on two cores, not four threads fighting), and takes
chunks of a batch, so the pool always has work while the importer writes the batch before.
With ``workers=0`` the same work runs in the calling process (for small files and for
measuring what the pool brings: ``heard bench import``); nothing is recycled there, so its
memory grows slowly with the archive (see ``RECYCLE_TASKS``).

A result per item, in order: ``("analysis", dict)`` for a customer message (``heard.analyze``,
as the service stores it), ``("acts", reading)`` for an agent message (``read_acts``: the
reply's acts sentence by sentence, as the service stores it), or ``("error", reason)`` when a
text could not be read.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Sequence
from typing import Literal

Item = tuple[Literal["customer", "agent"], str]
Result = tuple[str, object]
# Items per task: small enough to spread a batch over the workers, large enough for the model's batch.
CHUNK = 50
# spaCy's string store keeps every new token it parses (order numbers, names): about 0.35 KB a
# message. A worker is replaced after this many tasks (25,000 messages), so the analysers'
# memory stays bounded on any archive; reloading the models costs about 3% of the work.
RECYCLE_TASKS = 500


def _start(threads: int) -> None:
    os.environ["HEARD_THREADS"] = str(threads)  # read when the models load, on the first task
    os.environ.setdefault("OMP_NUM_THREADS", str(threads))


def work(items: Sequence[Item], frame: bool = True) -> list[Result]:
    """Analyse the customer messages and read the acts of the agent messages, in order."""
    from heard.errors import HeardError
    from heard.respond import read_acts
    from heard.understand import analyze, analyze_many

    results: list[Result] = [("error", "")] * len(items)
    customer = [k for k, (role, _) in enumerate(items) if role == "customer"]
    try:
        analyses = list(analyze_many([items[k][1] for k in customer], frame=frame))
        for k, a in zip(customer, analyses, strict=True):
            results[k] = ("analysis", a.model_dump(mode="json"))
    except (HeardError, ValueError):  # one bad text spoils a model batch: read them one by one
        for k in customer:
            try:
                results[k] = ("analysis", analyze(items[k][1], frame=frame).model_dump(mode="json"))
            except (HeardError, ValueError) as e:
                results[k] = ("error", f"the message could not be analysed: {e}")
    for k, (role, text) in enumerate(items):
        if role == "agent":
            try:
                results[k] = ("acts", read_acts(text).model_dump(mode="json"))
            except (HeardError, ValueError) as e:
                results[k] = ("error", f"the reply's acts could not be read: {e}")
    return results


def incident_work(conversations: Sequence[Sequence[dict]]) -> list[dict | None]:
    """What each conversation's incident records (``stored.read_incident``), from its messages
    as plain dicts (role, text, at, analysis, conversation_id); None where it cannot be read."""
    from types import SimpleNamespace

    from heard.errors import HeardError
    from heard.insights.stored import read_incident

    found: list[dict | None] = []
    for messages in conversations:
        try:
            found.append(read_incident([SimpleNamespace(**m) for m in messages]))  # type: ignore[misc]
        except (HeardError, ValueError):
            found.append(None)
    return found


class Pending:
    """Work handed to the pool for one batch; ``Analysers.results`` waits for it."""

    def __init__(self, parts: list, items: Sequence[Item] | None = None):
        self.parts = parts  # AsyncResults, one per chunk (pool)
        self.items = items  # the items themselves (inline: done when asked)


class Analysers:
    """``workers`` analyser processes (0: analyse in this process). Use as a context manager."""

    def __init__(self, workers: int = 2, *, frame: bool = True, threads: int = 1):
        if workers < 0:
            raise ValueError(f"workers must be 0 or more, got {workers}")
        self.workers, self.frame, self.threads = workers, frame, threads
        self._pool = None

    def __enter__(self) -> Analysers:
        if self.workers:
            # spawn: a fresh interpreter per worker, no copy of the importer's database connections
            context = multiprocessing.get_context("spawn")
            self._pool = context.Pool(
                self.workers, initializer=_start, initargs=(self.threads,), maxtasksperchild=RECYCLE_TASKS
            )
        return self

    def __exit__(self, *exc) -> None:
        if self._pool is not None:
            if exc[0] is None:
                self._pool.close()
            else:
                self._pool.terminate()
            self._pool.join()
            self._pool = None

    def submit(self, items: Sequence[Item]) -> Pending:
        """Start on a batch's items (in the pool they run while the caller goes on)."""
        if self._pool is None:
            return Pending([], items)
        chunks = [items[i : i + CHUNK] for i in range(0, len(items), CHUNK)]
        return Pending([self._pool.apply_async(work, (chunk, self.frame)) for chunk in chunks])

    def incidents(self, conversations: Sequence[Sequence[dict]]) -> list[dict | None]:
        """``incident_work`` over conversations, spread over the pool; in order."""
        if self._pool is None:
            return incident_work(conversations)
        size = max(1, len(conversations) // (2 * self.workers))
        parts = [conversations[i : i + size] for i in range(0, len(conversations), size)]
        return [found for part in self._pool.map(incident_work, parts) for found in part]

    def results(self, pending: Pending) -> list[Result]:
        """The results of a submitted batch, in order (waits for the pool)."""
        if pending.items is not None:
            return work(pending.items, self.frame)
        return [result for part in pending.parts for result in part.get()]
