"""``heard bench themes --real``: the split and the figures, on a small data folder written here
in the layout of the shared one (no real rows)."""

from __future__ import annotations

import csv

from heard.bench.real_themes import bench_real_themes, held_out

AIRLINE = {
    "Late Flight": [
        "flight delayed three hours again",
        "we are still sitting at the gate, delayed",
        "late departure, missed my connection",
    ],
    "Lost Luggage": [
        "my bag never came off the carousel",
        "lost luggage and no one at the desk",
        "where is my suitcase, day two",
    ],
    "Customer Service Issue": [
        "on hold for two hours",
        "nobody answers the phone line",
        "the agent hung up on me",
    ],
}
CFPB = {
    "Charged fees or interest you didn't expect": [
        "They charged a late fee though I paid on time.",
        "Interest was added that the contract never mentioned.",
        "A fee of {$40.00} appeared after payoff.",
    ],
    "Problem when making payments": [
        "My payment on XX/XX/2023 was not applied.",
        "The autopay failed and XXXX would not take my card.",
        "They refused my payment by phone.",
    ],
}
PRODUCTS = {
    "Mortgage": [
        "The servicer lost my loan modification papers again.",
        "Escrow went up and my mortgage payment doubled.",
        "They started foreclosure while my application was open.",
    ],
    "Credit card": [
        "The card company charged interest on a balance I paid.",
        "My credit limit was cut without notice.",
        "They would not remove a fraudulent charge from my card.",
    ],
}


def _write(tmp_path, copies: int = 8):
    (tmp_path / "airline").mkdir()
    (tmp_path / "cfpb" / "payday_2023").mkdir(parents=True)
    with (tmp_path / "airline" / "Tweets_dev_half.csv").open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["tweet_id", "airline_sentiment", "negativereason", "airline", "text", "tweet_created"])
        n = 0
        for reason, texts in AIRLINE.items():
            for k in range(copies):
                for t in texts:
                    n += 1
                    w.writerow(
                        [str(1000 + n), "negative", reason, "Sky", f"@SkyAir {t} #{k}", "2/24/2015 11:35"]
                    )
        w.writerow(["9", "positive", "", "Sky", "@SkyAir thanks!", "2/24/2015 11:35"])
    with (tmp_path / "cfpb" / "payday_2023" / "sample.csv").open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["Issue", "Consumer complaint narrative", "Complaint ID"])
        n = 0
        for issue, texts in CFPB.items():
            for k in range(copies):
                for t in texts:
                    n += 1
                    w.writerow([issue, f"{t} Case {k}.", str(5000 + n)])
    (tmp_path / "cfpb" / "narratives_2015_2016").mkdir()
    with (tmp_path / "cfpb" / "narratives_2015_2016" / "Consumer_Complaints.csv").open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["", "Product", "Consumer complaint narrative"])
        n = 0
        for product, texts in PRODUCTS.items():
            for k in range(copies):
                for t in texts:
                    n += 1
                    w.writerow([str(9000 + n), product, f"{t} Letter {k}."])
        w.writerow(["1", "Mortgage", ""])  # a row without a narrative is skipped


def test_one_row_in_four_is_held_out_by_a_stable_hash() -> None:
    share = sum(held_out(str(i)) for i in range(4000)) / 4000
    assert 0.22 < share < 0.28 and held_out("570306133677760513") == held_out("570306133677760513")


def test_bench_real_themes_scores_the_three_sets_on_the_develop_part(tmp_path) -> None:
    _write(tmp_path)
    results = bench_real_themes(tmp_path, part="develop", baseline=False)
    assert set(results) == {
        "airline (develop)", "cfpb_payday_2023 (develop)", "cfpb_products_2015_2016 (develop)"
    }  # fmt: skip
    products = results["cfpb_products_2015_2016 (develop)"]
    assert products["labels"] == 2 and products["complaints"] < 48 and products["nmi"] > 0.3
    airline = results["airline (develop)"]
    assert airline["labels"] == 3 and airline["complaints"] < 72  # positives out, a quarter held out
    assert airline["nmi"] > 0.3 and airline["noisy_names"] == 0 and airline["themes_found"] >= 2
    assert 0 <= airline["unassigned_share"] <= 0.3
