"""The Spark UDF's body without Spark: one row per message, equal to heard.analyze, errors in their row."""

import pandas as pd

import heard
from heard.spark import ANALYSIS_SCHEMA, analyze_rows


def test_analyze_rows_matches_analyze_and_keeps_bad_rows_in_place() -> None:
    texts = ["You charged me twice for order 5521!", None, "   ", 42, "Thanks, all sorted."]
    rows = analyze_rows(pd.Series(texts, dtype=object))
    assert list(rows.columns) == [
        field.split()[0] for field in ANALYSIS_SCHEMA.replace("map<string, double>", "map").split(", ")
    ]
    assert len(rows) == len(texts)
    for k in (0, 4):
        assert heard.Analysis.model_validate_json(rows.json[k]) == heard.analyze(texts[k])
        assert rows.level[k] == heard.analyze(texts[k]).level
    assert rows.category[0] == "billing"
    assert (
        rows.error[1].startswith("[H101]")
        and rows.error[2].startswith("[H101]")
        and rows.error[3].startswith("[H102]")
    )
    assert rows.json[1] is None and rows.error[0] is None
