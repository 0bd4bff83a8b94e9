from heard.bench.listen import bench_listen, golden


def test_golden_set_is_large_and_covers_every_category_and_hard_case() -> None:
    rows = golden()
    assert len(rows) >= 80
    categories = {r["category"] for r in rows}
    assert categories >= {"late_or_missed", "billing", "faulty_product", "rude_service", "no_response",
                          "account_access", "cancellation_refund", "other"}  # fmt: skip
    assert {r["hard_case"] for r in rows} >= {"typos", "all_caps", "sarcasm", "run_on", "multiple_issues",
                                             "third_party", "self_blame"}  # fmt: skip
    for r in rows:
        for field in ("times", "amounts", "references"):
            assert all(x in r["text"] for x in r[field]), r["id"]


def test_reflections_on_the_golden_set_make_no_perspective_error_and_invent_nothing() -> None:
    figures = bench_listen(samples=3)
    assert figures["reflections"]["perspective_errors"] == 0
    assert figures["reflections"]["invented_facts"] == 0
    assert figures["reflections"]["profanity_repeated"] == 0
    assert figures["reflections"]["over_45_words"] == 0
    assert len(figures["samples"]) == 3


def test_holdout_set_is_separate_and_covers_every_category_and_hard_case() -> None:
    dev, holdout = golden("dev"), golden("holdout")
    complaints = [r for r in holdout if r["is_complaint"]]
    assert len(complaints) >= 40
    assert not {r["text"] for r in dev} & {r["text"] for r in holdout}
    assert {r["category"] for r in complaints} >= {"late_or_missed", "billing", "faulty_product", "rude_service",
                                                   "no_response", "account_access", "cancellation_refund", "other"}  # fmt: skip
    assert {r["hard_case"] for r in holdout} >= {"typos", "all_caps", "sarcasm", "run_on", "multiple_issues",
                                                "third_party", "self_blame", "short_fury", "not_a_complaint"}  # fmt: skip


def test_reflections_on_the_holdout_set_make_no_perspective_error_and_invent_nothing() -> None:
    figures = bench_listen(samples=0, rows=golden("holdout"))
    assert figures["reflections"]["perspective_errors"] == 0
    assert figures["reflections"]["invented_facts"] == 0
    assert figures["reflections"]["over_45_words"] == 0


def test_bench_listen_cli_reports_both_sets_and_reads_a_file(tmp_path) -> None:
    import json

    from typer.testing import CliRunner

    from heard.cli import app

    result = CliRunner().invoke(app, ["bench", "listen", "--json", "--samples", "1"])
    assert result.exit_code == 0, result.output
    assert set(json.loads(result.stdout)) == {"dev", "holdout"}
    own = tmp_path / "mine.jsonl"
    own.write_text("\n".join(json.dumps(r) for r in golden("holdout")[:5]) + "\n", "utf-8")
    result = CliRunner().invoke(app, ["bench", "listen", "--json", "--data", str(own)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["mine.jsonl"]["reflections"]["complaints"] == 5
    assert CliRunner().invoke(app, ["bench", "listen", "--set", "nope"]).exit_code != 0
