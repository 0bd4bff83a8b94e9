"""The benchmark commands run end to end on tiny files in the public data sets' formats.

The rows are written here; no row of the public data sets is copied into the project.
"""

import json

import numpy as np
from typer.testing import CliRunner

from heard.bench.metrics import f1_per_label, pearson, spearman, tune_thresholds
from heard.cli import app
from heard.understand import EMOTIONS

runner = CliRunner()


def test_f1_and_threshold_tuning() -> None:
    gold = np.array([[1, 0], [1, 0], [0, 1], [0, 0]], dtype=bool)
    probs = np.array([[0.3, 0.1], [0.4, 0.2], [0.1, 0.9], [0.2, 0.1]])
    assert list(f1_per_label(probs >= 0.5, gold)) == [0.0, 1.0]
    assert tune_thresholds(probs, gold)[0] <= 0.3
    assert list(f1_per_label(probs >= tune_thresholds(probs, gold), gold)) == [1.0, 1.0]


def test_spearman_handles_ties() -> None:
    assert spearman(np.array([1.0, 2, 2, 3]), np.array([10.0, 20, 20, 30])) == 1.0
    assert abs(pearson(np.array([1.0, 2, 3]), np.array([3.0, 2, 1])) + 1) < 1e-9


def test_bench_emotions_runs_on_goemotions_format(tmp_path) -> None:
    rows = [
        ("I am so angry about this", "2"),
        ("thanks a lot, that helped", "15"),
        ("meh, whatever", "27"),
        ("this makes me really sad", "25"),
    ]
    (tmp_path / "dev.tsv").write_text("".join(f"{t}\t{y}\tid{i}\n" for i, (t, y) in enumerate(rows)))
    (tmp_path / "ekman_mapping.json").write_text(
        json.dumps({"anger": ["anger", "annoyance"], "joy": ["gratitude"], "sadness": ["sadness"]})
    )
    result = runner.invoke(app, ["bench", "emotions", "--data", str(tmp_path), "--json"])
    assert result.exit_code == 0, result.stderr
    figures = json.loads(result.stdout)
    assert 0 <= figures["shipped_thresholds"]["macro_f1"] <= 1
    assert figures["rows"]["n"] == 4
    assert len(EMOTIONS) == 28


def test_bench_intensity_runs_on_wassa_format(tmp_path) -> None:
    lines = [
        ("10001", "mildly irritated that the bus was late", "anger", "0.2"),
        ("10002", "so angry right now, they lied to me again", "anger", "0.7"),
        ("10003", "FURIOUS. I WANT MY MONEY BACK NOW!!!", "anger", "0.95"),
    ]
    (tmp_path / "anger-ratings-0to1.dev.gold.txt").write_text("".join("\t".join(r) + "\n" for r in lines))
    result = runner.invoke(app, ["bench", "intensity", "--data", str(tmp_path), "--json"])
    assert result.exit_code == 0, result.stderr
    figures = json.loads(result.stdout)
    assert figures["n"] == 3 and figures["upset_spearman"] > 0


def test_bench_review_raises_what_the_golden_drafts_expect() -> None:
    from heard.bench.review import bench_review

    figures = bench_review()
    assert figures["drafts"] >= 30
    assert figures["good_drafts_with_findings"] == 0
    assert figures["expected_findings_raised"] >= 0.9
    assert figures["mean_score_good"] > figures["mean_score_poor"] + 40


def test_bench_acts_scores_esconv_format_and_the_held_out_replies(tmp_path) -> None:
    from heard.bench.acts import score_top

    dialog = {
        "dialog": [
            {"speaker": "usr", "text": "My boss keeps shouting at me."},
            {"speaker": "sys", "text": "What happened the last time he shouted?", "strategy": "Question"},
            {
                "speaker": "sys",
                "text": "I had a manager like that once, years ago.",
                "strategy": "Self-disclosure",
            },
            {
                "speaker": "sys",
                "text": "Maybe you could talk to HR about it.",
                "strategy": "Providing Suggestions",
            },
            {"speaker": "sys", "text": "Hello there.", "strategy": "Others"},
        ]
    }
    folder = tmp_path / "esconv"
    folder.mkdir()
    (folder / "esconv_hf_train.jsonl").write_text(json.dumps(dialog) + "\n", "utf-8")
    result = runner.invoke(app, ["bench", "acts", "--data", str(folder), "--json"])
    assert result.exit_code == 0, result.stderr
    figures = json.loads(result.stdout)
    assert figures["esconv"]["turns"] == 4
    assert figures["esconv"]["top"]["question"] == 1.0
    assert figures["heldout"]["replies"] >= 100
    # one act per turn: the highest present mapped act; nothing present counts as "Others"
    values = [
        dict.fromkeys(
            ["question", "reflection", "self_disclosure", "solution", "information", "empathy"], 0.0
        )
    ]
    values[0].update(question=0.7, solution=0.9)
    assert score_top(values, ["solution"])["solution"] == 1.0
    assert score_top(values, ["question"])["question"] == 0.0
