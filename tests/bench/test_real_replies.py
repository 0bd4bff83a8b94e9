"""The real-reply act bench reads text from the shared data folder and labels from heard."""

import csv
import json

from heard.bench.acts import bench_real
from heard.bench.real_replies import clean, held_out, real_replies, text_id
from heard.respond.acts import read_acts

FIELDS = ["tweet_id", "author_id", "inbound", "created_at", "text", "response_tweet_id", "in_response_to_tweet_id"]  # fmt: skip


def _data(tmp_path, rows):
    (tmp_path / "twcs").mkdir()
    with (tmp_path / "twcs" / "twcs_first5000.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=FIELDS)
        w.writeheader()
        for i, (inbound, text) in enumerate(rows):
            w.writerow({"tweet_id": str(i + 1), "author_id": "brand", "inbound": inbound, "text": text})
    return tmp_path


def test_clean_drops_handles_and_entities() -> None:
    assert clean("@12345 @brand  Sorry &amp; thanks\n^AB") == "Sorry & thanks ^AB"
    assert held_out("twcs", "1") == held_out("twcs", "1")


def test_only_brand_replies_once_each(tmp_path) -> None:
    root = _data(tmp_path, [("True", "@brand my parcel is late"), ("False", "@9 So sorry! DM us."), ("False", "@9 So sorry! DM us.")])  # fmt: skip
    assert [(s, i) for s, i, _ in real_replies(root)] == [("twcs", "2")]


def test_bench_real_scores_labels_and_counts_what_no_longer_fits(tmp_path) -> None:
    root = _data(tmp_path, [("False", "@9 I'm so sorry about the delay. Could you DM us your order number?")])
    sentences = read_acts(
        clean("@9 I'm so sorry about the delay. Could you DM us your order number?")
    ).sentences
    labels = [
        {
            "source": "twcs",
            "id": "1",
            "sentence_index": 0,
            "sha": text_id(sentences[0].text),
            "acts": ["apology"],
        },
        {
            "source": "twcs",
            "id": "1",
            "sentence_index": 1,
            "sha": text_id(sentences[1].text),
            "acts": ["question"],
        },
        {"source": "twcs", "id": "1", "sentence_index": 5, "sha": "000000000000", "acts": []},
        {"source": "twcs", "id": "77", "sentence_index": 0, "sha": "000000000000", "acts": []},
    ]
    figures = bench_real(root, labels=labels)
    assert figures["missing"] == 2  # a sentence the splitter no longer makes, a vanished reply
    assert figures["all"]["per_act"]["apology"] == 1.0
    assert figures["all"]["per_act"]["question"] == 1.0
    assert "self_disclosure" not in figures["all"]["per_act"]  # no case: not scored


def test_shipped_labels_carry_ids_not_text() -> None:
    from heard.bench.acts import REAL_ACTS, real_labels

    rows = real_labels()
    assert len(rows) >= 1500
    for row in rows:
        assert set(row) == {"source", "id", "sentence_index", "sha", "acts"}
        assert set(row["acts"]) <= set(REAL_ACTS)
    assert json.dumps(rows).count("text") == 0


def test_acts_read_a_reply_as_sent_so_labels_keep_fitting() -> None:
    # The labels' sentence hashes were taken on replies as brands send them; listening's tidy
    # (links, sign-offs blanked) must not change the sentences the act model reads.
    reply = "Please follow the steps here: https://t.co/AbC123xyZ ^JL Let us know how it goes!"
    sentences = read_acts(reply).sentences
    assert "https://t.co/AbC123xyZ ^JL" in sentences[0].text
    assert [reply[s.start : s.end] for s in sentences] == [s.text for s in sentences]
