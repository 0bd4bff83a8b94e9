"""``heard bench train`` on one scenario: the figures it reports are there and make sense."""

import heard.bench.train as bench
from heard.simulate import load_scenarios


def test_bench_train_reports_resolution_escalation_and_time(monkeypatch) -> None:
    one = {"retail_missed_sofa": load_scenarios()["retail_missed_sofa"]}
    monkeypatch.setattr(bench, "load_scenarios", lambda: one)
    figures = bench.bench_train(seeds=1, one_core=False)
    assert figures["scenarios"] == 1 and figures["sessions"] == 6
    assert figures["skilled_resolved_rate"] == 1.0 and figures["poor_escalation_rate_hard"] == 1.0
    per = figures["per_scenario"]
    assert (
        per["retail_missed_sofa.hard"]["skilled_turns_to_resolution"]
        > per["retail_missed_sofa.easy"]["skilled_turns_to_resolution"]
    )
    assert 0 < figures["turn_p50_ms"] <= figures["turn_p99_ms"]
