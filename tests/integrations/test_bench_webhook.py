"""``heard bench serve``'s webhook path runs end to end on a handful of events: every event's
note arrives once (a smoke test of the measurement, not of speed)."""

from __future__ import annotations

import json

from heard.bench.serve import bench_serve


def test_the_webhook_measurement_counts_every_note_once(tmp_path) -> None:
    data = tmp_path / "messages.jsonl"
    lines = ["Where is my refund? I have waited three weeks and nobody answers.", "My order arrived broken."]
    data.write_text("".join(json.dumps({"text": t}) + "\n" for t in lines))
    figures = bench_serve(
        data, requests=16, clients=2, workers=1, postgres=None, kinds=("webhook",), note_workers=1
    )
    webhook = figures["sqlite"]["webhook"]
    assert webhook["events"] == 4 and webhook["errors"] == 0 and webhook["failures"] == {}
    assert webhook["notes"] == 4 and webhook["notes_missing"] == 0 and webhook["notes_doubled"] == 0
    assert webhook["server_cpu_ms_per_event"] > 0 and webhook["worker_cpu_ms_per_note"] > 0
