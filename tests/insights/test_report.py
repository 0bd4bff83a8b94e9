"""The insights report: one offline HTML page with charts, CSV tables and JSON; and its commands."""

import csv
import io
import json
import re
from datetime import UTC, datetime

from typer.testing import CliRunner

from heard.cli import app
from heard.insights.charts import bar_chart, line_chart
from heard.insights.report import Report, build_report, render_html, report_csv, write_report
from heard.insights.synthetic import synthetic_incidents, write_archive

runner = CliRunner()
MADE = datetime(2026, 4, 1, tzinfo=UTC)


def test_report_page_is_self_contained_with_charts_and_escaped_text() -> None:
    incidents = synthetic_incidents(300, seed=3)
    incidents[0] = incidents[0].model_copy(update={"category": "billing", "root_cause": "<script>x</script>"})
    html = render_html(build_report(incidents, generated_at=MADE))
    assert html.startswith("<!doctype html>") and html.count("<svg") >= 4
    assert "<script" not in html  # no script at all: nothing to load, nothing injected
    assert not re.search(r"(src|href)=\"https?://", html)  # nothing fetched from the network
    assert "What to do first" in html and "300 conversations" in html


def test_report_finds_the_effects_built_into_the_synthetic_incidents() -> None:
    report = build_report(synthetic_incidents(600, seed=0), generated_at=MADE)
    kinds = [r.kind for r in report.recommendations]
    assert "behaviour" in kinds and "follow_up" in kinds
    rising = [r for r in report.recommendations if r.kind == "cause_rising"]
    assert rising and rising[0].evidence["key"] == "late_or_missed"
    best = report.what_works[0]
    assert best.id == "listen_before_solution" and best.lift > 0.15
    assert report.outcomes.satisfaction_after_follow_up > report.outcomes.satisfaction_without_follow_up


def test_report_csv_tables_hold_the_same_figures() -> None:
    report = build_report(synthetic_incidents(200, seed=1), generated_at=MADE)
    tables = {name: list(csv.DictReader(io.StringIO(text))) for name, text in report_csv(report).items()}
    assert len(tables["volume.csv"]) == len(report.volume_by_category) + len(report.volume_by_theme)
    assert sum(int(r["conversations"]) for r in tables["volume.csv"] if r["by"] == "category") == 200
    assert [r["behaviour"] for r in tables["what_works.csv"]] == [b.id for b in report.what_works]
    assert [r["text"] for r in tables["recommendations.csv"]] == [r.text for r in report.recommendations]


def test_write_report_writes_html_json_and_csv(tmp_path) -> None:
    report = build_report(synthetic_incidents(100, seed=2), generated_at=MADE)
    names = {p.name for p in write_report(report, tmp_path / "out")}
    assert names == {
        "report.html",
        "figures.json",
        "volume.csv",
        "outcomes.csv",
        "what_works.csv",
        "recommendations.csv",
    }
    assert Report.model_validate_json((tmp_path / "out" / "figures.json").read_text()) == report


def test_charts_scale_and_label_their_values() -> None:
    svg = line_chart(["2026-01", "2026-02"], {"billing": [2, 10], "late <movers>": [5, 0]}, title="Volume")
    assert svg.startswith("<svg") and svg.endswith("</svg>") and "late &lt;movers&gt;" in svg
    assert svg.count("<polyline") == 2 and ">10<" in svg  # the axis reaches the largest value
    bars = bar_chart(
        ["listen first"],
        {"did": [0.8], "did not": [None]},
        title="x",
        percent=True,
        counts={"did": [12], "did not": [0]},
    )
    assert "80% (n=12)" in bars and "no data" in bars


def test_heard_insights_writes_the_report_from_incidents(tmp_path) -> None:
    source = tmp_path / "incidents.jsonl"
    assert runner.invoke(app, ["archive", "make", str(source), "--incidents", "120"]).exit_code == 0
    with source.open("a") as f:
        f.write('{"id": "bad", "peak_upset": 7}\n')
    result = runner.invoke(app, ["insights", str(source), "--out", str(tmp_path / "report")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "report" / "report.html").is_file()
    assert "line 121" in result.stderr and "120 incidents, 1 bad rows" in result.stderr.replace("\n", " ")


def test_heard_archive_read_prints_messages_and_reports_bad_rows(tmp_path) -> None:
    source = tmp_path / "archive.csv"
    write_archive(source, 30, seed=4)
    with source.open("a") as f:
        f.write("c-x,robot,hello,,x1,\n")
    result = runner.invoke(app, ["archive", "read", str(source)])
    assert result.exit_code == 0
    lines = [json.loads(x) for x in result.stdout.splitlines()]
    assert len(lines) == 30 and {x["role"] for x in lines} == {"customer", "agent"}
    assert "line 32" in result.stderr and "read 30 messages, skipped 1 bad rows" in result.stderr


def test_heard_archive_read_names_the_formats_when_it_cannot_tell(tmp_path) -> None:
    (tmp_path / "export.xml").write_text("<x/>")
    result = runner.invoke(app, ["archive", "read", str(tmp_path / "export.xml")])
    assert result.exit_code == 2 and "[H105]" in result.stderr


def test_synthetic_archive_is_the_same_for_the_same_seed(tmp_path) -> None:
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    assert write_archive(a, 500, seed=9) == write_archive(b, 500, seed=9) == 500
    assert a.read_bytes() == b.read_bytes()
    texts = [json.loads(x)["text"] for x in a.read_text().splitlines()]
    assert len(set(texts)) > 300  # details vary, so most messages differ


def test_bench_archive_reads_and_analyses_a_small_archive(tmp_path) -> None:
    source = tmp_path / "archive.jsonl"
    write_archive(source, 60, seed=5)
    result = runner.invoke(app, ["bench", "archive", "--data", str(source), "--analyse", "20", "--json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert figures["messages"] == 60 and figures["analysed"] == 20 and figures["bad_rows"] == 0
    assert figures["read_per_s"] > 0 and figures["peak_mb_at_end"] >= figures["peak_mb_after_a_tenth"]


def test_trend_chart_draws_lines_over_periods_and_bars_for_one() -> None:
    from heard.insights.report import trend_chart

    now = datetime(2026, 4, 1, tzinfo=UTC)
    many = build_report(list(synthetic_incidents(300, seed=3)), generated_at=now)
    assert "<polyline" in trend_chart(many) and "per month, by category" in trend_chart(many)
    one = build_report(
        [i for i in synthetic_incidents(300, seed=3) if i.opened_at.month == 3], generated_at=now
    )
    assert "<polyline" not in trend_chart(one) and "<rect" in trend_chart(one)
    assert trend_chart(build_report([], generated_at=now)) is None


def test_bench_insights_times_a_teams_report_from_the_store() -> None:
    # The bench now fits the team's themes first (the worker's refit) and reads them stored.
    result = runner.invoke(app, ["bench", "insights", "--incidents", "40", "--refit-only", "0", "--json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)["40"]
    assert figures["incidents"] == 40 and figures["themes"] == figures["report_themes"] >= 2
    assert figures["refit_seconds"] >= 0 and figures["report_seconds"] >= 0 and figures["refit_peak_mb"] > 0
    assert figures["assign_p99_ms"] >= figures["assign_p50_ms"] >= 0
