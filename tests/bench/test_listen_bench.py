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
